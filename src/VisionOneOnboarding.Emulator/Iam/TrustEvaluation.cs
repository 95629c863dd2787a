using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>The facts of one assume-role request that a trust policy's principal and conditions are judged on.</summary>
    public sealed class TrustRequest
    {
        /// <summary>sts:AssumeRole or sts:AssumeRoleWithWebIdentity.</summary>
        public string Action { get; set; } = "";
        /// <summary>For sts:AssumeRole: the caller's account and ARN (user, or assumed-role session).</summary>
        public CallerPrincipal? Caller { get; set; }
        /// <summary>For web identity: the OIDC provider ARN the token's issuer names.</summary>
        public string? FederatedProvider { get; set; }
        /// <summary>Request context keys (sts:ExternalId, aws:MultiFactorAuthPresent, host:aud, host:sub, …) → value.</summary>
        public Dictionary<string, string> Context { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Decides whether a role's trust policy admits a request, as STS does: an Allow statement whose action covers the
    /// call, whose principal names the caller (its exact ARN, its account as "arn:…:root" or the bare id, the role
    /// behind an assumed-role session, or "*"), and whose conditions all hold; any matching Deny wins.
    /// Real IAM knows more operators; the emulator knows the ones trust policies use for these calls and treats any
    /// other operator as not satisfied (so a test never passes by accident).
    /// </summary>
    public static class TrustEvaluation
    {
        private static readonly Regex AssumedRoleArn = new Regex(@"^arn:(?<p>[\w-]+):sts::(?<a>\d{12}):assumed-role/(?<r>[^/]+)/[^/]+$", RegexOptions.CultureInvariant);

        public static bool Admits(string trustPolicy, TrustRequest request)
        {
            List<JsonElement> statements;
            try
            {
                using var document = JsonDocument.Parse(trustPolicy);
                statements = PolicyJson.Statements(document.RootElement).Select(s => s.Clone()).ToList();
            }
            catch (JsonException)
            {
                return false;
            }
            bool allowed = false;
            foreach (var statement in statements)
            {
                if (!Applies(statement, request)) continue;
                var effect = PolicyJson.Text(statement, "Effect");
                if (string.Equals(effect, "Deny", StringComparison.Ordinal)) return false;
                if (string.Equals(effect, "Allow", StringComparison.Ordinal)) allowed = true;
            }
            return allowed;
        }

        private static bool Applies(JsonElement statement, TrustRequest request) =>
            CoversAction(PolicyJson.Strings(PolicyJson.Property(statement, "Action")), request.Action)
            && NamesPrincipal(PolicyJson.Property(statement, "Principal"), request)
            && ConditionsHold(PolicyJson.Property(statement, "Condition"), request.Context);

        private static bool CoversAction(IReadOnlyList<string> actions, string action) =>
            actions.Any(a => a == "*" || string.Equals(a, "sts:*", StringComparison.OrdinalIgnoreCase) || string.Equals(a, action, StringComparison.OrdinalIgnoreCase));

        private static bool NamesPrincipal(JsonElement? principal, TrustRequest request)
        {
            if (principal is not JsonElement p) return false;
            if (p.ValueKind == JsonValueKind.String) return p.GetString() == "*";
            if (request.FederatedProvider != null)
            {
                return PolicyJson.Strings(PolicyJson.Property(p, "Federated")).Any(f => string.Equals(f, request.FederatedProvider, StringComparison.Ordinal));
            }
            var caller = request.Caller;
            if (caller == null) return false;
            return PolicyJson.Strings(PolicyJson.Property(p, "AWS")).Any(named => NamesCaller(named, caller));
        }

        private static bool NamesCaller(string named, CallerPrincipal caller)
        {
            if (named == "*" || named == caller.AccountId) return true;
            var partition = caller.Arn.Split(':')[1];
            if (named == "arn:" + partition + ":iam::" + caller.AccountId + ":root") return true;
            if (string.Equals(named, caller.Arn, StringComparison.Ordinal)) return true;
            // A trust that names a role admits that role's sessions.
            var session = AssumedRoleArn.Match(caller.Arn);
            return session.Success && named.StartsWith("arn:" + session.Groups["p"].Value + ":iam::" + session.Groups["a"].Value + ":role/", StringComparison.Ordinal)
                && named.EndsWith("/" + session.Groups["r"].Value, StringComparison.Ordinal);
        }

        private static bool ConditionsHold(JsonElement? condition, IReadOnlyDictionary<string, string> context)
        {
            if (condition is not { ValueKind: JsonValueKind.Object } block) return true;
            foreach (var op in block.EnumerateObject())
            {
                if (op.Value.ValueKind != JsonValueKind.Object) return false;
                foreach (var key in op.Value.EnumerateObject())
                {
                    context.TryGetValue(key.Name, out var actual);
                    if (!Holds(op.Name, actual, PolicyJson.Strings(key.Value))) return false;
                }
            }
            return true;
        }

        private static bool Holds(string op, string? actual, IReadOnlyList<string> expected)
        {
            var ifExists = op.EndsWith("IfExists", StringComparison.Ordinal);
            if (ifExists)
            {
                if (actual == null) return true;
                op = op.Substring(0, op.Length - "IfExists".Length);
            }
            switch (op)
            {
                case "StringEquals": return actual != null && expected.Contains(actual, StringComparer.Ordinal);
                case "StringEqualsIgnoreCase": return actual != null && expected.Contains(actual, StringComparer.OrdinalIgnoreCase);
                case "StringLike": return actual != null && expected.Any(pattern => Like(actual, pattern));
                case "StringNotEquals": return actual != null && !expected.Contains(actual, StringComparer.Ordinal);
                case "Bool": return actual != null && expected.Any(e => string.Equals(e, actual, StringComparison.OrdinalIgnoreCase));
                case "NumericLessThan": return Numeric(actual, expected, (a, e) => a < e);
                case "NumericLessThanEquals": return Numeric(actual, expected, (a, e) => a <= e);
                case "Null":
                    return expected.Any(e => string.Equals(e, "true", StringComparison.OrdinalIgnoreCase) == (actual == null));
                default: return false;
            }
        }

        private static bool Numeric(string? actual, IReadOnlyList<string> expected, Func<double, double, bool> compare) =>
            actual != null && double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && expected.Any(e => double.TryParse(e, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && compare(a, x));

        private static bool Like(string value, string pattern) =>
            Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.CultureInvariant);
    }
}
