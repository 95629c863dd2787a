using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Values;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// Checks every input before any call is made, so bad input changes nothing. Each rule throws a
    /// <see cref="VisionOneException"/> with its catalogue id. Values with a type of their own (account id, ARNs,
    /// region code, business id, Cloud Accounts text) are parsed by that type (folder Values); these rules
    /// only return its text, so callers that keep strings still check in the one place.
    /// </summary>
    public static class InputRules
    {
        private static readonly Regex ThumbprintPattern = new Regex(@"^[0-9A-Fa-f]{40}\z", RegexOptions.CultureInvariant);
        private static readonly Regex IamNamePattern = new Regex("^" + AwsArn.IamNameCharacters + @"+\z", RegexOptions.CultureInvariant);
        private static readonly Regex HostPattern = new Regex("^" + ValueText.HostPattern + @"\z", RegexOptions.CultureInvariant);

        public const int MaxThumbprints = 5;

        public static string AccountId(string? value) => AwsAccountId.Parse(value).Value;

        /// <summary>Validates and de-duplicates (case-insensitively) a thumbprint list.</summary>
        public static IReadOnlyList<string> Thumbprints(IEnumerable<string>? values)
        {
            var list = (values ?? Enumerable.Empty<string>()).Select(v => (v ?? "").Trim()).ToList();
            if (list.Count == 0)
                throw new VisionOneException(ErrorCatalogue.ThumbprintsEmpty,
                    "No thumbprint was given. IAM refuses an empty thumbprint list; omit -Thumbprint to use the four documented Vision One thumbprints.");
            foreach (var t in list)
            {
                if (!ThumbprintPattern.IsMatch(t))
                    throw new VisionOneException(ErrorCatalogue.InvalidThumbprint,
                        $"'{t}' is not a thumbprint: a thumbprint is the SHA-1 fingerprint of a certificate, exactly 40 hexadecimal characters (this one has {t.Length}).", t);
            }
            var distinct = list.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (distinct.Count > MaxThumbprints)
                throw new VisionOneException(ErrorCatalogue.TooManyThumbprints,
                    $"{distinct.Count} thumbprints were given; IAM keeps at most {MaxThumbprints} per OIDC provider. Pass at most five.", distinct);
            return distinct;
        }

        public static string RoleName(string? value)
        {
            if (string.IsNullOrEmpty(value) || value!.Length > 64 || !IamNamePattern.IsMatch(value))
                throw new VisionOneException(ErrorCatalogue.InvalidRoleName,
                    $"'{ValueText.Shown(value)}' is not a valid IAM role name: use 1 to 64 letters, digits or the characters + = , . @ _ - (no spaces).", value);
            return value;
        }

        public static string PolicyName(string? value)
        {
            if (string.IsNullOrEmpty(value) || value!.Length > 128 || !IamNamePattern.IsMatch(value))
                throw new VisionOneException(ErrorCatalogue.InvalidPolicyName,
                    $"'{ValueText.Shown(value)}' is not a valid IAM policy name: use 1 to 128 letters, digits or the characters + = , . @ _ -.", value);
            return value;
        }

        public static string BusinessId(string? value) => Values.BusinessId.Parse(value).Value;

        public static string AwsRegion(string? value) => AwsRegionCode.Parse(value).Value;

        /// <summary>
        /// Normalises an OIDC issuer to https://host[/path] as IAM expects it. Accepts a bare host
        /// (cloudaccounts-us.xdr.trendmicro.com), as the seed tells admins to type.
        /// </summary>
        public static string IssuerUrl(string? value)
        {
            string Fail(string why) => throw new VisionOneException(ErrorCatalogue.InvalidIssuerUrl,
                $"'{ValueText.Shown(value)}' is not a valid OIDC provider URL: {why}. Pass the issuer as https://cloudaccounts-<region>.xdr.trendmicro.com, or use -V1Region.", value);

            var text = (value ?? "").Trim();
            if (text.Length == 0) Fail("it is empty");
            if (!text.Contains("://")) text = "https://" + text;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) return Fail("it cannot be read as a URL");
            if (uri.Scheme != Uri.UriSchemeHttps) Fail("IAM accepts only https issuers");
            if (!uri.IsDefaultPort || text.Substring(8).Split('/')[0].Contains(":")) Fail("IAM does not accept a port");
            if (uri.Query.Length > 0 || uri.Fragment.Length > 0) Fail("IAM does not accept a query or fragment");
            if (!HostPattern.IsMatch(uri.Host)) Fail("the host name is not valid");
            var normalised = "https://" + uri.Host.ToLowerInvariant() + uri.AbsolutePath.TrimEnd('/');
            if (normalised.Length > 255) Fail("it is longer than 255 characters");
            return normalised;
        }

        /// <summary>The host (and path) of a normalised issuer URL: what IAM returns and what trust conditions use.</summary>
        public static string IssuerHost(string issuerUrl) => issuerUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? issuerUrl.Substring(8) : issuerUrl;

        public static string ProviderArn(string? value) => OidcProviderArn.Parse(value).Value;

        public static string RoleArn(string? value) => AwsRoleArn.Parse(value).Value;

        /// <summary>The Cloud Accounts name: required, printable, at most 254 characters (it must also be unique in Vision One).</summary>
        public static string CloudAccountName(string? value) => CloudAccountText.Name(value);

        public static string? CloudAccountDescription(string? value) => CloudAccountText.Description(value);

        /// <summary>A customer-managed policy ARN; AWS-managed ones are refused.</summary>
        public static string PolicyArn(string? value) => AwsPolicyArn.Parse(value).Value;
    }
}
