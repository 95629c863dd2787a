using System;
using System.Linq;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// Which OIDC issuers VisionOneRole may trust: Vision One's own (cloudaccounts-&lt;region&gt;.xdr.trendmicro.com,
    /// or a host of the region table). A template or URL naming any other issuer would make the role trust someone
    /// else's identity provider, so it is refused unless the user says -AllowCustomIssuer.
    /// </summary>
    public static class IssuerTrust
    {
        public static string UntrustedIssuerErrorId => ErrorCatalogue.UntrustedIssuer.Id;

        private static readonly Regex VisionOneIssuerHost =
            new Regex(@"^cloudaccounts-[a-z0-9]+\.xdr\.trendmicro\.com$", RegexOptions.CultureInvariant);

        /// <summary>True for https://cloudaccounts-&lt;region&gt;.xdr.trendmicro.com and the region table's issuers (no path).</summary>
        public static bool IsVisionOneIssuer(string issuerUrl)
        {
            var host = InputRules.IssuerHost(InputRules.IssuerUrl(issuerUrl));
            return VisionOneIssuerHost.IsMatch(host)
                || V1Regions.All.Any(r => string.Equals(r.OidcIssuerHostOrNull, host, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>
        /// Returns the normalised issuer URL when it is Vision One's; otherwise fails (VisionOne.UntrustedIssuer,
        /// a security error), or — with <paramref name="allowCustom"/> — warns and returns it. <paramref name="source"/> says
        /// where the issuer came from (a template file, the API, -Url), for the message.
        /// </summary>
        public static string Require(string issuerUrl, bool allowCustom, string source, ILogSink log)
        {
            var normalised = InputRules.IssuerUrl(issuerUrl);
            if (IsVisionOneIssuer(normalised)) return normalised;
            if (allowCustom)
            {
                log.Warning("The issuer " + normalised + " (" + source + ") is not a Vision One issuer; VisionOneRole will trust it because -AllowCustomIssuer was given.");
                return normalised;
            }
            throw new VisionOneException(ErrorCatalogue.UntrustedIssuer,
                "The issuer " + normalised + " (" + source + ") is not a Vision One issuer (https://cloudaccounts-<region>.xdr.trendmicro.com): " +
                "VisionOneRole would trust someone else's identity provider. Use the template Vision One hands out, or -V1Region; " +
                "pass -AllowCustomIssuer only if you mean to trust this issuer.", normalised);
        }

        /// <summary>
        /// The same rule for an OIDC provider named by its ARN (New-V1Role's -OidcProviderArn, Set-V1Thumbprints'): its
        /// issuer is the ARN's host, and a provider of any other issuer — GitHub's, EKS's — is refused before any call.
        /// </summary>
        public static void RequireProvider(string providerArn, bool allowCustom, string source, ILogSink log) =>
            Require("https://" + AwsArns.IssuerHostOf(InputRules.ProviderArn(providerArn)), allowCustom, "the provider " + providerArn + ", " + source, log);
    }
}
