using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// Checks every input before any call is made, so bad input changes nothing. Each rule throws an
    /// <see cref="VisionOneException"/> with a stable id and a message that says what to do.
    /// </summary>
    public static class InputRules
    {
        private static readonly Regex AccountIdPattern = new Regex(@"^\d{12}$", RegexOptions.CultureInvariant);
        private static readonly Regex ThumbprintPattern = new Regex(@"^[0-9A-Fa-f]{40}$", RegexOptions.CultureInvariant);
        private static readonly Regex IamNamePattern = new Regex(@"^[\w+=,.@-]+$", RegexOptions.CultureInvariant);
        private static readonly Regex BusinessIdPattern = new Regex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant);
        private static readonly Regex AwsRegionPattern = new Regex(@"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$", RegexOptions.CultureInvariant);
        private static readonly Regex HostPattern = new Regex(@"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$", RegexOptions.CultureInvariant);

        public const int MaxThumbprints = 5;

        public static string AccountId(string? value)
        {
            if (value == null || !AccountIdPattern.IsMatch(value))
                throw new VisionOneException(ErrorCatalogue.InvalidAccountId,
                    $"'{value}' is not an AWS account id. An account id is exactly 12 digits, e.g. 123456789012.", value);
            return value;
        }

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
                    $"'{value}' is not a valid IAM role name: use 1 to 64 letters, digits or the characters + = , . @ _ - (no spaces).", value);
            return value;
        }

        public static string PolicyName(string? value)
        {
            if (string.IsNullOrEmpty(value) || value!.Length > 128 || !IamNamePattern.IsMatch(value))
                throw new VisionOneException(ErrorCatalogue.InvalidPolicyName,
                    $"'{value}' is not a valid IAM policy name: use 1 to 128 letters, digits or the characters + = , . @ _ -.", value);
            return value;
        }

        public static string BusinessId(string? value)
        {
            if (value == null || !BusinessIdPattern.IsMatch(value))
                throw new VisionOneException(ErrorCatalogue.InvalidBusinessId,
                    $"'{value}' is not a Vision One business id. Copy it from the Vision One console (letters, digits, '.', '_' or '-'; no spaces, ':' or '/').", value);
            return value;
        }

        public static string AwsRegion(string? value)
        {
            if (value == null || !AwsRegionPattern.IsMatch(value))
                throw new VisionOneException(ErrorCatalogue.InvalidAwsRegion,
                    $"'{value}' is not an AWS region code. Use a code such as us-east-1, eu-west-2 or ap-southeast-1.", value);
            return value;
        }

        /// <summary>
        /// Normalises an OIDC issuer to https://host[/path] as IAM expects it. Accepts a bare host
        /// (cloudaccounts-us.xdr.trendmicro.com), as the seed tells admins to type.
        /// </summary>
        public static string IssuerUrl(string? value)
        {
            string Fail(string why) => throw new VisionOneException(ErrorCatalogue.InvalidIssuerUrl,
                $"'{value}' is not a valid OIDC provider URL: {why}. Pass the issuer as https://cloudaccounts-<region>.xdr.trendmicro.com, or use -V1Region.", value);

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

        public static string ProviderArn(string? value)
        {
            if (value == null || AwsArns.IssuerHostOf(value) == null || AwsArns.AccountOf(value) == null || !AccountIdPattern.IsMatch(AwsArns.AccountOf(value)!))
                throw new VisionOneException(ErrorCatalogue.InvalidOidcProviderArn,
                    $"'{value}' is not an OIDC provider ARN (arn:aws:iam::123456789012:oidc-provider/host). Pipe New-V1OidcProvider's output, or pass -OidcProviderArn.", value);
            return value;
        }

        public static string RoleArn(string? value)
        {
            var parts = (value ?? "").Split(':');
            if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "iam" || !AccountIdPattern.IsMatch(parts[4]) || !parts[5].StartsWith("role/", StringComparison.Ordinal) || parts[5].Length <= 5)
                throw new VisionOneException(ErrorCatalogue.InvalidRoleArn,
                    $"'{value}' is not an IAM role ARN (arn:aws:iam::123456789012:role/VisionOneRole). Pipe New-V1Role's output, or pass -RoleArn.", value);
            return value!;
        }

        public const int MaxCloudAccountText = 254;

        /// <summary>The Cloud Accounts name: required, at most 254 characters (it must also be unique in Vision One).</summary>
        public static string CloudAccountName(string? value)
        {
            if (string.IsNullOrWhiteSpace(value) || value!.Length > MaxCloudAccountText)
                throw new VisionOneException(ErrorCatalogue.InvalidAccountName,
                    $"The Cloud Accounts name must be 1 to {MaxCloudAccountText} characters (it has {value?.Length ?? 0}). Pass -Name with the name the account should have in Vision One.", value);
            return value;
        }

        public static string? CloudAccountDescription(string? value)
        {
            if (value != null && value.Length > MaxCloudAccountText)
                throw new VisionOneException(ErrorCatalogue.InvalidAccountDescription,
                    $"The Cloud Accounts description must be at most {MaxCloudAccountText} characters (it has {value.Length}).", value);
            return value;
        }

        public static string PolicyArn(string? value)
        {
            var parts = (value ?? "").Split(':');
            if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "iam" || !(parts[4] == "aws" || AccountIdPattern.IsMatch(parts[4])) || !parts[5].StartsWith("policy/", StringComparison.Ordinal))
                throw new VisionOneException(ErrorCatalogue.InvalidPolicyArn,
                    $"'{value}' is not an IAM managed policy ARN (arn:aws:iam::123456789012:policy/Name). Pipe New-V1Policies' output, or pass -PolicyArn.", value);
            return value!;
        }
    }
}
