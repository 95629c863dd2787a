using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using static VisionOneOnboarding.Emulator.Aws.QueryXml;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>The STS actions the emulator serves.</summary>
    internal static class StsActions
    {
        public static IReadOnlyDictionary<string, QueryAction> Create(IamStore store) => new Dictionary<string, QueryAction>(StringComparer.Ordinal)
        {
            ["GetCallerIdentity"] = (p, c) => new[]
            {
                Text("Arn", c.Arn),
                Text("UserId", c.UserId),
                Text("Account", c.AccountId),
            },
            ["AssumeRole"] = (p, c) =>
            {
                var options = new AssumeRoleOptions
                {
                    DurationSeconds = p.Int("DurationSeconds"),
                    ExternalId = p.Get("ExternalId"),
                    SerialNumber = p.Get("SerialNumber"),
                    TokenCode = p.Get("TokenCode"),
                };
                var credential = store.AssumeRole(c, p.Required("RoleArn"), p.Required("RoleSessionName"), options);
                return SessionElements(credential);
            },
            // Unsigned: the token is the proof (AwsQueryEndpoint lets this one through without SigV4).
            ["AssumeRoleWithWebIdentity"] = (p, c) =>
            {
                var session = store.AssumeRoleWithWebIdentity(p.Required("RoleArn"), p.Required("RoleSessionName"),
                    p.Required("WebIdentityToken"), p.Int("DurationSeconds"));
                return SessionElements(session.Credential).Concat(new[]
                {
                    Text("SubjectFromWebIdentityToken", session.SubjectFromToken),
                    Text("Provider", session.Provider),
                    Text("Audience", session.Audience),
                });
            },
        };

        /// <summary>The actions that carry their own proof instead of a signature.</summary>
        public static bool IsUnsigned(string action) => action == "AssumeRoleWithWebIdentity";

        private static XElement[] SessionElements(IssuedCredential credential) => new[]
        {
            new XElement("AssumedRoleUser",
                Text("AssumedRoleId", credential.Principal.UserId),
                Text("Arn", credential.Principal.Arn)),
            new XElement("Credentials",
                Text("AccessKeyId", credential.AccessKeyId),
                Text("SecretAccessKey", credential.SecretAccessKey),
                Text("SessionToken", credential.SessionToken!),
                Date("Expiration", credential.Expiration!.Value)),
        };
    }
}
