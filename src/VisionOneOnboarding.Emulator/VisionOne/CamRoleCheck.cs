using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Emulator.VisionOne
{
    /// <summary>
    /// What Cloud Accounts finds when it tries to assume the role with its web identity token: the role exists,
    /// trusts this tenant's OIDC provider (which exists) for sts:AssumeRoleWithWebIdentity with the right aud and
    /// sub, and carries the three Vision One policies. Returns the missing pieces; none means "managed".
    /// </summary>
    public static class CamRoleCheck
    {
        public static readonly IReadOnlyList<string> RequiredPolicies = new[] { "VisionOnePolicyPart1", "VisionOnePolicyPart2", "VisionOnePolicyPart3" };

        private static readonly Regex RoleArnPattern =
            new Regex(@"^arn:(?<partition>aws|aws-cn|aws-us-gov):iam::(?<account>\d{12}):role/(?<path>[\w+=,.@/-]*/)?(?<name>[\w+=,.@-]{1,64})$", RegexOptions.CultureInvariant);

        /// <summary>Null when the text is not an IAM role ARN.</summary>
        public static ParsedRoleArn? ParseRoleArn(string? roleArn)
        {
            if (roleArn == null || roleArn.Length > 2048) return null;
            var m = RoleArnPattern.Match(roleArn);
            return m.Success ? new ParsedRoleArn(m.Groups["partition"].Value, m.Groups["account"].Value, m.Groups["name"].Value) : null;
        }

        public static string IssuerHost(string region) => "cloudaccounts-" + region + ".xdr.trendmicro.com";

        public static List<string> FindMissingPieces(IIamView iam, ParsedRoleArn arn, string region, string businessId)
        {
            var missing = new List<string>();
            var issuer = IssuerHost(region);
            var providerArn = "arn:" + arn.Partition + ":iam::" + arn.AccountId + ":oidc-provider/" + issuer;
            var audience = "arn:" + arn.Partition + ":iam::" + arn.AccountId + ":root";
            var subject = "urn:visionone:identity:" + region + ":" + businessId + ":account/" + businessId;

            if (!iam.OidcProviderExists(arn.AccountId, issuer))
            {
                missing.Add("OIDC provider " + issuer + " does not exist in account " + arn.AccountId);
            }
            var role = iam.FindRole(arn.AccountId, arn.RoleName);
            if (role == null)
            {
                missing.Add("role " + arn.RoleName + " does not exist in account " + arn.AccountId);
                return missing;
            }

            missing.AddRange(CheckTrust(role.TrustPolicy, providerArn, issuer, audience, subject));

            foreach (var policy in RequiredPolicies)
            {
                if (!role.AttachedPolicyNames.Contains(policy, StringComparer.Ordinal))
                {
                    missing.Add("policy " + policy + " is not attached to role " + arn.RoleName);
                }
            }
            return missing;
        }

        /// <summary>
        /// Finds an Allow statement for the provider; if one satisfies everything the trust is fine, otherwise the
        /// gaps of the first such statement are reported (the one the user most likely meant).
        /// </summary>
        private static List<string> CheckTrust(string trustPolicy, string providerArn, string issuer, string audience, string subject)
        {
            JsonDocument document;
            try { document = JsonDocument.Parse(trustPolicy); }
            catch (JsonException) { return new List<string> { "trust policy is not valid JSON" }; }

            using (document)
            {
                List<string>? firstGaps = null;
                foreach (var statement in PolicyJson.Statements(document.RootElement))
                {
                    if (!string.Equals(PolicyJson.Text(statement, "Effect"), "Allow", StringComparison.Ordinal)) continue;
                    if (!statement.TryGetProperty("Principal", out var principal) || principal.ValueKind != JsonValueKind.Object) continue;
                    if (!PolicyJson.Strings(PolicyJson.Property(principal, "Federated")).Contains(providerArn, StringComparer.Ordinal)) continue;

                    var gaps = new List<string>();
                    if (!PolicyJson.Strings(PolicyJson.Property(statement, "Action")).Contains("sts:AssumeRoleWithWebIdentity", StringComparer.OrdinalIgnoreCase))
                    {
                        gaps.Add("trust policy does not allow sts:AssumeRoleWithWebIdentity");
                    }
                    var stringEquals = PolicyJson.Property(PolicyJson.Property(statement, "Condition"), "StringEquals");
                    if (!PolicyJson.Strings(PolicyJson.Property(stringEquals, issuer + ":aud")).Contains(audience, StringComparer.Ordinal))
                    {
                        gaps.Add("trust policy condition StringEquals " + issuer + ":aud must be " + audience);
                    }
                    if (!PolicyJson.Strings(PolicyJson.Property(stringEquals, issuer + ":sub")).Contains(subject, StringComparer.Ordinal))
                    {
                        gaps.Add("trust policy condition StringEquals " + issuer + ":sub must include " + subject);
                    }
                    if (gaps.Count == 0) return gaps;
                    firstGaps ??= gaps;
                }
                return firstGaps ?? new List<string> { "trust policy has no Allow statement for Federated principal " + providerArn };
            }
        }
    }

    public sealed class ParsedRoleArn
    {
        public ParsedRoleArn(string partition, string accountId, string roleName) { Partition = partition; AccountId = accountId; RoleName = roleName; }
        public string Partition { get; }
        public string AccountId { get; }
        public string RoleName { get; }
    }
}
