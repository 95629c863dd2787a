using System;
using System.Collections.Generic;
using System.Linq;
using VisionOneOnboarding.Emulator.Aws;

namespace VisionOneOnboarding.Emulator.Iam
{
    public sealed partial class IamStore
    {
        public const int MaxOidcProvidersPerAccount = 100;
        private const string HttpsScheme = "https://";

        public OidcProvider CreateOpenIdConnectProvider(string accountId, string url, IReadOnlyList<string> clientIds,
            IReadOnlyList<string> thumbprints, IReadOnlyList<IamTag> tags)
        {
            IamValidation.ProviderUrl(url);
            for (int i = 0; i < clientIds.Count; i++)
            {
                IamValidation.ClientId(clientIds[i], "clientIDList." + (i + 1) + ".member");
            }
            var distinctClientIds = clientIds.Distinct(StringComparer.Ordinal).ToList();
            if (distinctClientIds.Count > IamValidation.MaxClientIds)
            {
                throw AwsQueryException.LimitExceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: " + IamValidation.MaxClientIds);
            }
            IamValidation.Thumbprints(thumbprints);
            IamValidation.Tags(tags);
            var key = url.Substring(HttpsScheme.Length);
            lock (_gate)
            {
                var account = Account(accountId);
                if (account.Providers.ContainsKey(key))
                {
                    throw AwsQueryException.AlreadyExists("Provider with url " + url + " already exists.");
                }
                if (account.Providers.Count >= MaxOidcProvidersPerAccount)
                {
                    throw AwsQueryException.LimitExceeded("Cannot exceed quota for OpenIdConnectProvidersPerAccount: " + MaxOidcProvidersPerAccount);
                }
                var provider = new OidcProvider
                {
                    Arn = "arn:aws:iam::" + accountId + ":oidc-provider/" + key,
                    Url = key,
                    ClientIds = distinctClientIds,
                    Thumbprints = thumbprints.ToList(),
                    Tags = tags.ToList(),
                    CreateDate = Now,
                };
                account.Providers.Add(key, provider);
                return provider.Clone();
            }
        }

        public OidcProvider GetOpenIdConnectProvider(string accountId, string arn)
        {
            lock (_gate)
            {
                return ProviderByArn(accountId, arn).Clone();
            }
        }

        public IReadOnlyList<string> ListOpenIdConnectProviders(string accountId)
        {
            lock (_gate)
            {
                return Account(accountId).Providers.Values.Select(p => p.Arn).OrderBy(a => a, StringComparer.Ordinal).ToList();
            }
        }

        /// <summary>Idempotent, as in IAM: adding a client id that is already there changes nothing.</summary>
        public void AddClientIdToOpenIdConnectProvider(string accountId, string arn, string clientId)
        {
            IamValidation.ClientId(clientId, "clientID");
            lock (_gate)
            {
                var provider = ProviderByArn(accountId, arn);
                if (provider.ClientIds.Contains(clientId, StringComparer.Ordinal)) return;
                if (provider.ClientIds.Count >= IamValidation.MaxClientIds)
                {
                    throw AwsQueryException.LimitExceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: " + IamValidation.MaxClientIds);
                }
                provider.ClientIds.Add(clientId);
            }
        }

        /// <summary>Removing a client id that is not there is not an error in IAM.</summary>
        public void RemoveClientIdFromOpenIdConnectProvider(string accountId, string arn, string clientId)
        {
            IamValidation.ClientId(clientId, "clientID");
            lock (_gate)
            {
                ProviderByArn(accountId, arn).ClientIds.Remove(clientId);
            }
        }

        /// <summary>Replaces the whole list; an empty list is refused.</summary>
        public void UpdateOpenIdConnectProviderThumbprint(string accountId, string arn, IReadOnlyList<string> thumbprints)
        {
            if (thumbprints.Count == 0)
            {
                throw AwsQueryException.InvalidInput("Thumbprint list must contain at least one entry.");
            }
            IamValidation.Thumbprints(thumbprints);
            lock (_gate)
            {
                ProviderByArn(accountId, arn).Thumbprints = thumbprints.ToList();
            }
        }

        public void DeleteOpenIdConnectProvider(string accountId, string arn)
        {
            lock (_gate)
            {
                var provider = ProviderByArn(accountId, arn);
                Account(accountId).Providers.Remove(provider.Url);
            }
        }

        private OidcProvider ProviderByArn(string accountId, string arn)
        {
            IamValidation.Arn(arn, "openIDConnectProviderArn");
            var prefix = "arn:aws:iam::" + accountId + ":oidc-provider/";
            if (arn.StartsWith(prefix, StringComparison.Ordinal)
                && Account(accountId).Providers.TryGetValue(arn.Substring(prefix.Length), out var provider))
            {
                return provider;
            }
            throw AwsQueryException.NoSuchEntity("OpenIDConnect Provider not found for arn " + arn);
        }
    }
}
