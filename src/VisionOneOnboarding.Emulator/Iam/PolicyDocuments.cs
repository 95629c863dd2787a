using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using VisionOneOnboarding.Emulator.Aws;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>What IAM checks in a managed-policy or trust-policy document before storing it.</summary>
    internal static class PolicyDocuments
    {
        public const int ManagedPolicyQuota = 6144;
        public const int TrustPolicyQuota = 2048;
        public const int InlineRolePoliciesQuota = 10240;
        private const string PolicyVersion = "2012-10-17";

        /// <summary>IAM does not count white space against the size quotas.</summary>
        public static int CountedSize(string document) => document.Count(c => !char.IsWhiteSpace(c));

        public static void ValidateManaged(string document, string field = "policyDocument")
        {
            CheckCharacters(document, field);
            if (CountedSize(document) > ManagedPolicyQuota)
            {
                throw AwsQueryException.LimitExceeded("Cannot exceed quota for PolicySize: " + ManagedPolicyQuota);
            }
            foreach (var statement in Statements(document))
            {
                if (Has(statement, "Principal") || Has(statement, "NotPrincipal"))
                {
                    throw AwsQueryException.Malformed("Policy document should not specify a principal.");
                }
                if (!Has(statement, "Resource") && !Has(statement, "NotResource"))
                {
                    throw AwsQueryException.Malformed("Policy statement must contain resources.");
                }
            }
        }

        /// <summary>A trust policy; every Federated principal must be one <paramref name="federatedPrincipalKnown"/> accepts.</summary>
        public static void ValidateTrust(string document, Func<string, bool> federatedPrincipalKnown)
        {
            CheckCharacters(document, "policyDocument");
            if (CountedSize(document) > TrustPolicyQuota)
            {
                throw AwsQueryException.LimitExceeded("Cannot exceed quota for ACLSizePerRole: " + TrustPolicyQuota);
            }
            foreach (var statement in Statements(document))
            {
                if (Has(statement, "Resource") || Has(statement, "NotResource"))
                {
                    throw AwsQueryException.Malformed("Has prohibited field Resource");
                }
                if (!statement.TryGetProperty("Principal", out var principal))
                {
                    throw AwsQueryException.Malformed("Missing required field Principal");
                }
                if (principal.ValueKind == JsonValueKind.Object && principal.TryGetProperty("Federated", out var federated))
                {
                    foreach (var name in Strings(federated))
                    {
                        if (!federatedPrincipalKnown(name))
                        {
                            throw AwsQueryException.Malformed("Invalid principal in policy: \"FEDERATED\":\"" + name + "\"");
                        }
                    }
                }
            }
        }

        private static void CheckCharacters(string document, string field)
        {
            // The model's pattern [\u0009\u000A\u000D\u0020-\u00FF]+: Latin-1 only.
            if (document.Length == 0 || document.Any(c => c > '\u00FF' || (c < '\u0020' && c != '\t' && c != '\n' && c != '\r')))
            {
                throw AwsQueryException.Constraint(field, null, @"Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+");
            }
        }

        private static List<JsonElement> Statements(string document)
        {
            JsonElement root;
            try
            {
                using var parsed = JsonDocument.Parse(document);
                root = parsed.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw AwsQueryException.Malformed("This policy contains invalid Json");
            }
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw AwsQueryException.Malformed("This policy contains invalid Json");
            }
            if (!root.TryGetProperty("Version", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != PolicyVersion)
            {
                throw AwsQueryException.Malformed("The policy failed legacy parsing");
            }
            if (!root.TryGetProperty("Statement", out var statement))
            {
                throw AwsQueryException.Malformed("Missing required field Statement");
            }
            var statements = statement.ValueKind == JsonValueKind.Array ? statement.EnumerateArray().ToList() : new List<JsonElement> { statement };
            if (statements.Count == 0 || statements.Any(s => s.ValueKind != JsonValueKind.Object))
            {
                throw AwsQueryException.Malformed("Syntax errors in policy.");
            }
            foreach (var s in statements)
            {
                if (!s.TryGetProperty("Effect", out var effect) || effect.ValueKind != JsonValueKind.String)
                {
                    throw AwsQueryException.Malformed("Missing required field Effect");
                }
                if (effect.GetString() != "Allow" && effect.GetString() != "Deny")
                {
                    throw AwsQueryException.Malformed("Invalid effect: " + effect.GetString());
                }
                if (!Has(s, "Action") && !Has(s, "NotAction"))
                {
                    throw AwsQueryException.Malformed("Policy statement must contain actions.");
                }
            }
            return statements;
        }

        private static bool Has(JsonElement statement, string name) => statement.TryGetProperty(name, out _);

        private static IEnumerable<string> Strings(JsonElement value) => value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())
            : new[] { value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText() };
    }
}
