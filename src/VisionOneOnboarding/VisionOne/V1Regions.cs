using System;
using System.Collections.Generic;
using System.Linq;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.VisionOne
{
    /// <summary>One Vision One region: where its API lives and which OIDC issuer it signs tokens with.</summary>
    public sealed class V1Region
    {
        internal V1Region(string code, string apiBaseUrl, string? oidcIssuerHost)
        {
            Code = code; ApiBaseUrl = new Uri(apiBaseUrl); OidcIssuerHostOrNull = oidcIssuerHost;
        }

        public string Code { get; }
        public Uri ApiBaseUrl { get; }
        /// <summary>Null where Trend documents no issuer (usgov).</summary>
        public string? OidcIssuerHostOrNull { get; }

        /// <summary>The issuer host (cloudaccounts-us.xdr.trendmicro.com); a clear error where none is documented.</summary>
        public string OidcIssuerHost
        {
            get
            {
                if (OidcIssuerHostOrNull == null)
                {
                    throw new VisionOneException(ErrorCatalogue.NoOidcIssuer,
                        "Vision One region '" + Code + "' has no documented OIDC issuer. Pass the issuer URL that the " +
                        "template call (visionOneOidcProviderUrl) or your Vision One console gives you.");
                }
                return OidcIssuerHostOrNull;
            }
        }

        /// <summary>https://{issuer host}: the identity provider URL IAM is given.</summary>
        public string OidcProviderUrl => "https://" + OidcIssuerHost;

        public override string ToString() => Code;
    }

    /// <summary>
    /// The Vision One regions and their hosts (reference: vision-one-cam-api.md). The issuer URL the template call
    /// returns wins over this table when it is available.
    /// </summary>
    public static class V1Regions
    {
        private static readonly V1Region[] Table =
        {
            new V1Region("us", "https://api.xdr.trendmicro.com", "cloudaccounts-us.xdr.trendmicro.com"),
            new V1Region("eu", "https://api.eu.xdr.trendmicro.com", "cloudaccounts-eu.xdr.trendmicro.com"),
            // Japan's API host has no "jp." label; it lives under .co.jp.
            new V1Region("jp", "https://api.xdr.trendmicro.co.jp", "cloudaccounts-jp.xdr.trendmicro.com"),
            new V1Region("sg", "https://api.sg.xdr.trendmicro.com", "cloudaccounts-sg.xdr.trendmicro.com"),
            new V1Region("au", "https://api.au.xdr.trendmicro.com", "cloudaccounts-au.xdr.trendmicro.com"),
            new V1Region("in", "https://api.in.xdr.trendmicro.com", "cloudaccounts-in.xdr.trendmicro.com"),
            new V1Region("mea", "https://api.mea.xdr.trendmicro.com", "cloudaccounts-mea.xdr.trendmicro.com"),
            new V1Region("uk", "https://api.uk.xdr.trendmicro.com", "cloudaccounts-uk.xdr.trendmicro.com"),
            // ca, za, id, br: known only from Trend's Terraform provider.
            new V1Region("ca", "https://api.ca.xdr.trendmicro.com", "cloudaccounts-ca.xdr.trendmicro.com"),
            new V1Region("za", "https://api.za.xdr.trendmicro.com", "cloudaccounts-za.xdr.trendmicro.com"),
            new V1Region("id", "https://api.id.xdr.trendmicro.com", "cloudaccounts-id.xdr.trendmicro.com"),
            new V1Region("br", "https://api.br.xdr.trendmicro.com", "cloudaccounts-br.xdr.trendmicro.com"),
            new V1Region("usgov", "https://api.usgov.xdr.trendmicro.com", null),
        };

        public const string DefaultCode = "us";

        public static IReadOnlyList<V1Region> All => Table;

        /// <summary>Every region code, for ValidateSet/argument completers and error messages.</summary>
        public static IReadOnlyList<string> Codes { get; } = Table.Select(r => r.Code).ToArray();

        public static bool TryGet(string? code, out V1Region region)
        {
            region = Table.FirstOrDefault(r => string.Equals(r.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase))!;
            return region != null;
        }

        /// <summary>
        /// The region whose API host this is (the table read in reverse: api.eu.xdr.trendmicro.com → eu,
        /// api.xdr.trendmicro.co.jp → jp, api.xdr.trendmicro.com → us). False for a host in no table (a proxy, the emulator).
        /// </summary>
        public static bool TryGetByApiHost(string? host, out V1Region region)
        {
            region = Table.FirstOrDefault(r => string.Equals(r.ApiBaseUrl.Host, host?.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase))!;
            return region != null;
        }

        /// <summary>The region whose OIDC issuer this host (or https URL) is: cloudaccounts-eu.xdr.trendmicro.com → eu.</summary>
        public static bool TryGetByIssuer(string? issuer, out V1Region region)
        {
            var host = issuer == null ? null : (Uri.TryCreate(issuer.Contains("://") ? issuer : "https://" + issuer, UriKind.Absolute, out var uri) ? uri.Host : null);
            region = Table.FirstOrDefault(r => r.OidcIssuerHostOrNull != null && string.Equals(r.OidcIssuerHostOrNull, host, StringComparison.OrdinalIgnoreCase))!;
            return region != null;
        }

        /// <summary>The region for a code (case-insensitive); ErrorId VisionOne.UnknownRegion listing valid codes otherwise.</summary>
        public static V1Region Get(string? code)
        {
            if (TryGet(code, out var region)) return region;
            throw new VisionOneException(ErrorCatalogue.UnknownRegion,
                "Unknown Vision One region '" + code + "'. Valid region codes: " + string.Join(", ", Codes) + ".");
        }
    }
}
