using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>A policy of a principal, as the simulator names it in MatchedStatements.</summary>
    public sealed class SourcePolicy
    {
        public SourcePolicy(string id, string type, string document) { Id = id; Type = type; Document = document; }
        /// <summary>The inline policy's name, or the managed policy's name.</summary>
        public string Id { get; }
        /// <summary>user, role (inline), user-managed or aws-managed, as IAM's PolicySourceType says.</summary>
        public string Type { get; }
        public string Document { get; }
    }

    /// <summary>One decision: allowed, explicitDeny or implicitDeny, the policies that decided it, and the condition keys it ignored.</summary>
    public sealed class PolicyDecision
    {
        public const string Allowed = "allowed";
        public const string ExplicitDeny = "explicitDeny";
        public const string ImplicitDeny = "implicitDeny";

        public PolicyDecision(string decision, IReadOnlyList<SourcePolicy> matched, IReadOnlyList<string> missingContext)
        {
            Decision = decision; Matched = matched; MissingContextValues = missingContext;
        }
        public string Decision { get; }
        public IReadOnlyList<SourcePolicy> Matched { get; }
        public IReadOnlyList<string> MissingContextValues { get; }
        public bool IsAllowed => Decision == Allowed;
    }

    /// <summary>
    /// IAM's identity-policy evaluation, as far as the emulator needs it: a matching Deny wins (explicitDeny), else a
    /// matching Allow allows, else implicitDeny. Action/NotAction and Resource/NotResource with * and ? wildcards (actions
    /// case-insensitive, resources case-sensitive). Conditions are not evaluated: a statement with a Condition counts as
    /// matching, and its condition keys are reported as missing context values, as the real simulator reports keys it
    /// was not given. No permissions boundaries, SCPs or resource policies.
    /// </summary>
    public static class PolicyEvaluation
    {
        /// <summary>What AdministratorAccess (arn:aws:iam::aws:policy/AdministratorAccess) says.</summary>
        public const string AdministratorAccessArn = "arn:aws:iam::aws:policy/AdministratorAccess";
        public const string AdministratorAccessDocument = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

        public static PolicyDecision Evaluate(IEnumerable<SourcePolicy> policies, string action, string resource)
        {
            var allows = new List<SourcePolicy>();
            var denies = new List<SourcePolicy>();
            var missing = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var policy in policies)
            {
                JsonDocument parsed;
                try { parsed = JsonDocument.Parse(policy.Document); }
                catch (JsonException) { continue; }
                using (parsed)
                {
                    foreach (var statement in PolicyJson.Statements(parsed.RootElement))
                    {
                        if (!Matches(statement, "Action", "NotAction", action, ignoreCase: true)) continue;
                        if (!Matches(statement, "Resource", "NotResource", resource, ignoreCase: false)) continue;
                        if (PolicyJson.Property(statement, "Condition") is { ValueKind: JsonValueKind.Object } condition)
                            foreach (var op in condition.EnumerateObject())
                                if (op.Value.ValueKind == JsonValueKind.Object)
                                    foreach (var key in op.Value.EnumerateObject()) missing.Add(key.Name);
                        var effect = PolicyJson.Text(statement, "Effect");
                        if (string.Equals(effect, "Deny", StringComparison.Ordinal)) denies.Add(policy);
                        else if (string.Equals(effect, "Allow", StringComparison.Ordinal)) allows.Add(policy);
                    }
                }
            }
            if (denies.Count > 0) return new PolicyDecision(PolicyDecision.ExplicitDeny, denies.Distinct().ToList(), missing.ToList());
            if (allows.Count > 0) return new PolicyDecision(PolicyDecision.Allowed, allows.Distinct().ToList(), missing.ToList());
            return new PolicyDecision(PolicyDecision.ImplicitDeny, Array.Empty<SourcePolicy>(), missing.ToList());
        }

        private static bool Matches(JsonElement statement, string name, string notName, string value, bool ignoreCase)
        {
            var positive = PolicyJson.Property(statement, name);
            if (positive != null) return PolicyJson.Strings(positive).Any(p => Wildcard(p, value, ignoreCase));
            var negative = PolicyJson.Property(statement, notName);
            if (negative != null) return !PolicyJson.Strings(negative).Any(p => Wildcard(p, value, ignoreCase));
            return false;
        }

        /// <summary>IAM's wildcards: * any run of characters, ? one character.</summary>
        public static bool Wildcard(string pattern, string value, bool ignoreCase)
        {
            var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
            return Regex.IsMatch(value, regex, (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
    }
}
