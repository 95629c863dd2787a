using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// Compares one account with what the procedure prescribes, piece by piece, and changes nothing. Every check
    /// that is not Ok corresponds to a change the procedure would make (same Step, same resource), so
    /// Test-V1AwsOnboarding and Invoke-V1AwsOnboarding -WhatIf tell the same story. The one exception is the Cloud
    /// Accounts State: it is Vision One's verdict on the IAM side, and follows the repair of the IAM checks.
    /// A resource that is missing as a whole is one check; its parts are only checked when it exists.
    /// </summary>
    public sealed class OnboardingInspection
    {
        private const string None = "(none)";
        private readonly AccountScope _scope;
        private readonly CamClient? _cam;
        private readonly ILogSink _log;

        /// <param name="scope">The account to read.</param>
        /// <param name="cam">Null: the Cloud Accounts entry is not checked.</param>
        /// <param name="log">Told what is read.</param>
        public OnboardingInspection(AccountScope scope, CamClient? cam, ILogSink log)
        {
            _scope = scope; _cam = cam; _log = log;
        }

        private IIamClient Iam => _scope.Iam;

        public async Task<IReadOnlyList<OnboardingCheck>> InspectAsync(OnboardingExpectation expected, CancellationToken ct)
        {
            var checks = new List<OnboardingCheck>();
            var providerArn = AwsArns.OidcProvider(_scope.Partition, _scope.AccountId, expected.IssuerHost);
            _log.Verbose("Checking account " + _scope.AccountId + " against the procedure (policies from " + expected.Source + ").");
            await CheckProviderAsync(checks, providerArn, expected, ct).ConfigureAwait(false);
            var policyArns = await CheckPoliciesAsync(checks, expected, ct).ConfigureAwait(false);
            var roleArn = await CheckRoleAsync(checks, providerArn, policyArns, expected, ct).ConfigureAwait(false);
            if (_cam != null) await CheckCloudAccountAsync(checks, roleArn, ct).ConfigureAwait(false);
            return checks;
        }

        private async Task CheckProviderAsync(List<OnboardingCheck> checks, string arn, OnboardingExpectation expected, CancellationToken ct)
        {
            var step = OnboardingSteps.OidcProvider;
            var provider = await Iam.GetOpenIdConnectProviderAsync(arn, ct).ConfigureAwait(false);
            if (provider == null)
            {
                checks.Add(Check(step, arn, "Provider", expected.IssuerUrl, None, CheckStatus.Missing));
                return;
            }
            var url = "https://" + provider.Url;
            checks.Add(Check(step, arn, "URL", expected.IssuerUrl, url,
                string.Equals(url, expected.IssuerUrl, StringComparison.OrdinalIgnoreCase) ? CheckStatus.Ok : CheckStatus.Drifted));
            // Other audiences are someone else's business: the role's trust pins the aud it accepts.
            var audience = AwsArns.AccountRoot(_scope.Partition, _scope.AccountId);
            checks.Add(Check(step, arn, "Audience", audience, List(provider.ClientIds),
                provider.ClientIds.Contains(audience, StringComparer.Ordinal) ? CheckStatus.Ok : CheckStatus.Missing));

            foreach (var wanted in expected.Thumbprints)
            {
                var found = provider.Thumbprints.FirstOrDefault(t => string.Equals(t, wanted, StringComparison.OrdinalIgnoreCase));
                checks.Add(Check(OnboardingSteps.Thumbprints, arn, "Thumbprint", wanted, found ?? None, found != null ? CheckStatus.Ok : CheckStatus.Missing));
            }
            foreach (var extra in provider.Thumbprints.Where(t => !expected.Thumbprints.Contains(t, StringComparer.OrdinalIgnoreCase)))
                checks.Add(Check(OnboardingSteps.Thumbprints, arn, "Thumbprint", None, extra, CheckStatus.Extra));
        }

        private async Task<IReadOnlyList<string>> CheckPoliciesAsync(List<OnboardingCheck> checks, OnboardingExpectation expected, CancellationToken ct)
        {
            var arns = new List<string>();
            foreach (var wanted in expected.Policies)
            {
                var arn = AwsArns.Policy(_scope.Partition, _scope.AccountId, wanted.Key);
                arns.Add(arn);
                var policy = await Iam.GetPolicyAsync(arn, ct).ConfigureAwait(false);
                var expectedText = "the document of " + expected.Source;
                if (policy == null)
                {
                    checks.Add(Check(OnboardingSteps.Policies, arn, wanted.Key, expectedText, None, CheckStatus.Missing));
                    continue;
                }
                var current = await Iam.GetPolicyVersionAsync(arn, policy.DefaultVersionId, ct).ConfigureAwait(false);
                bool same = current.Document != null && PolicyDocument.SemanticallyEqual(current.Document, wanted.Value);
                checks.Add(Check(OnboardingSteps.Policies, arn, wanted.Key, expectedText,
                    "default version " + policy.DefaultVersionId + (same ? ": the same document" : ": " + DescribeDifference(current.Document, wanted.Value)),
                    same ? CheckStatus.Ok : CheckStatus.Drifted));
            }
            return arns;
        }

        private async Task<string> CheckRoleAsync(List<OnboardingCheck> checks, string providerArn, IReadOnlyList<string> policyArns, OnboardingExpectation expected, CancellationToken ct)
        {
            var roleArn = AwsArns.Role(_scope.Partition, _scope.AccountId, expected.RoleName);
            var role = await Iam.GetRoleAsync(expected.RoleName, ct).ConfigureAwait(false);
            if (role == null)
            {
                checks.Add(Check(OnboardingSteps.Role, roleArn, "Role", expected.RoleName, None, CheckStatus.Missing));
                foreach (var p in policyArns) checks.Add(Check(OnboardingSteps.RoleAttachments, roleArn, NameOf(p), "attached", None, CheckStatus.Missing));
                return roleArn;
            }
            roleArn = role.Arn;
            checks.Add(Check(OnboardingSteps.Role, roleArn, "Role", expected.RoleName, role.RoleName, CheckStatus.Ok));

            var audience = AwsArns.AccountRoot(_scope.Partition, _scope.AccountId);
            var trust = TrustPolicy.Build(providerArn, expected.IssuerHost, audience, expected.V1Region, expected.BusinessId);
            checks.AddRange(TrustChecks(roleArn, role.AssumeRolePolicyDocument, trust, providerArn, expected.IssuerHost,
                audience, TrustPolicy.Subject(expected.V1Region, expected.BusinessId)));

            foreach (var tag in IamOnboarding.DesiredTags(expected.AwsDeploymentRegion))
            {
                var found = role.Tags.FirstOrDefault(t => string.Equals(t.Key, tag.Key, StringComparison.OrdinalIgnoreCase));
                var status = found == null ? CheckStatus.Missing : found.Value == tag.Value ? CheckStatus.Ok : CheckStatus.Drifted;
                checks.Add(Check(OnboardingSteps.RoleTags, roleArn, tag.Key, tag.Value, found?.Value ?? None, status));
            }

            var attached = (await Iam.ListAttachedRolePoliciesAsync(role.RoleName, ct).ConfigureAwait(false)).Select(a => a.PolicyArn).ToList();
            foreach (var p in policyArns)
            {
                bool isAttached = attached.Contains(p, StringComparer.Ordinal);
                checks.Add(Check(OnboardingSteps.RoleAttachments, roleArn, NameOf(p), "attached", isAttached ? "attached" : "not attached",
                    isAttached ? CheckStatus.Ok : CheckStatus.Missing));
            }
            foreach (var p in attached.Where(p => !policyArns.Contains(p, StringComparer.Ordinal)))
                checks.Add(Check(OnboardingSteps.RoleAttachments, roleArn, p, "not attached", "attached", CheckStatus.Extra));
            return roleArn;
        }

        private async Task CheckCloudAccountAsync(List<OnboardingCheck> checks, string roleArn, CancellationToken ct)
        {
            var step = OnboardingSteps.CloudAccount;
            var id = _scope.AccountId;
            var entry = await _cam!.GetAwsAccountAsync(id, ct).ConfigureAwait(false);
            if (entry == null)
            {
                checks.Add(Check(step, id, "Entry", "connected", "not connected", CheckStatus.Missing));
                return;
            }
            checks.Add(Check(step, id, "Entry", "connected", "connected as '" + entry.Name + "'", CheckStatus.Ok));
            checks.Add(Check(step, id, "Role ARN", roleArn, entry.RoleArn,
                string.Equals(entry.RoleArn, roleArn, StringComparison.Ordinal) ? CheckStatus.Ok : CheckStatus.Drifted));
            bool managed = string.Equals(entry.State, "managed", StringComparison.OrdinalIgnoreCase);
            checks.Add(Check(step, id, "State", "managed",
                entry.State + (managed || entry.MissingPieces.Count == 0 ? "" : ": " + string.Join("; ", entry.MissingPieces)),
                managed ? CheckStatus.Ok : CheckStatus.Drifted));
        }

        /// <summary>
        /// The trust policy, piece by piece: every piece Ok exactly when the document is semantically the prescribed
        /// one. Trust the procedure did not ask for — another principal, another action, another aud or sub value, another
        /// statement — is Extra: the security-relevant kind of drift.
        /// </summary>
        private List<OnboardingCheck> TrustChecks(string roleArn, string actualJson, string expectedJson, string providerArn, string issuerHost, string audience, string subject)
        {
            var step = OnboardingSteps.RoleTrust;
            var actual = Canonical(actualJson);
            var wanted = Canonical(expectedJson);
            var statements = (Member(actual, "Statement") as JsonArray)?.OfType<JsonObject>().ToList() ?? new List<JsonObject>();
            var main = statements.FirstOrDefault(s => Texts(Member(s, "Effect")).SequenceEqual(new[] { "Allow" }) &&
                                                      Texts(Member(Member(s, "Principal"), "Federated")).Contains(providerArn));
            var wantedStatement = (JsonObject)((JsonArray)Member(wanted, "Statement")!)[0]!;

            var checks = new List<OnboardingCheck>();
            if (main == null)
            {
                checks.Add(Check(step, roleArn, "Principal", "Federated " + providerArn,
                    statements.Count == 0 ? None : string.Join("; ", statements.Select(s => Compact(Member(s, "Principal")))), CheckStatus.Missing));
            }
            else
            {
                var principal = Member(main, "Principal");
                bool exact = principal is JsonObject p && p.Count == 1 && Texts(Member(p, "Federated")).SequenceEqual(new[] { providerArn });
                checks.Add(Check(step, roleArn, "Principal", "Federated " + providerArn, Compact(principal), exact ? CheckStatus.Ok : CheckStatus.Extra));
            }
            checks.Add(SetCheck(roleArn, "Actions", Texts(Member(wantedStatement, "Action")), main == null ? null : Texts(Member(main, "Action"))));
            var equals = main == null ? null : Member(Member(main, "Condition"), "StringEquals");
            checks.Add(SetCheck(roleArn, "Audience (" + issuerHost + ":aud)", new[] { audience }, main == null ? null : Texts(Member(equals, issuerHost + ":aud"))));
            checks.Add(SetCheck(roleArn, "Subject (" + issuerHost + ":sub)", new[] { subject }, main == null ? null : Texts(Member(equals, issuerHost + ":sub"))));

            var others = statements.Where(s => !ReferenceEquals(s, main)).ToList();
            checks.Add(Check(step, roleArn, "Other statements", None,
                others.Count == 0 ? None : others.Count + ": " + Shorten(string.Join(" ", others.Select(Compact))), others.Count == 0 ? CheckStatus.Ok : CheckStatus.Extra));

            if (main != null)
            {
                // Whatever the checks above did not look at (Effect, Sid, other conditions, Version) must match as well.
                var actualRest = Rest(actual, main, issuerHost);
                var wantedRest = Rest(wanted, wantedStatement, issuerHost);
                checks.Add(Check(step, roleArn, "Other elements", wantedRest, Shorten(actualRest),
                    actualRest == wantedRest ? CheckStatus.Ok : CheckStatus.Drifted));
            }
            return checks;
        }

        private OnboardingCheck SetCheck(string roleArn, string item, IReadOnlyList<string> wanted, IReadOnlyList<string>? found)
        {
            CheckStatus status;
            if (found == null || found.Count == 0) status = CheckStatus.Missing;
            else if (new HashSet<string>(found, StringComparer.Ordinal).SetEquals(wanted)) status = CheckStatus.Ok;
            else if (wanted.All(found.Contains)) status = CheckStatus.Extra;
            else if (found.All(wanted.Contains)) status = CheckStatus.Missing;
            else status = CheckStatus.Drifted;
            return Check(OnboardingSteps.RoleTrust, roleArn, item, List(wanted), found == null || found.Count == 0 ? None : List(found), status);
        }

        /// <summary>The document with the checked statement in place of all statements, and the checked pieces taken out.</summary>
        private static string Rest(JsonObject document, JsonObject statement, string issuerHost)
        {
            var rest = (JsonObject)document.DeepClone();
            var stripped = (JsonObject)statement.DeepClone();
            stripped.Remove("Principal");
            stripped.Remove("Action");
            if (Member(stripped, "Condition") is JsonObject condition)
            {
                if (Member(condition, "StringEquals") is JsonObject equals)
                {
                    equals.Remove(issuerHost + ":aud");
                    equals.Remove(issuerHost + ":sub");
                    if (equals.Count == 0) condition.Remove("StringEquals");
                }
                if (condition.Count == 0) stripped.Remove("Condition");
            }
            rest["Statement"] = stripped;
            return rest.ToJsonString(PolicyDocument.CompactJson);
        }

        /// <summary>A short account of how a policy document differs from the prescribed one, by canonical statement.</summary>
        private static string DescribeDifference(string? actualJson, string expectedJson)
        {
            if (actualJson == null) return "IAM returned no document";
            var actual = StatementTexts(actualJson);
            var wanted = StatementTexts(expectedJson);
            int absent = wanted.Count(s => !actual.Contains(s));
            int extra = actual.Count(s => !wanted.Contains(s));
            return absent == 0 && extra == 0
                ? "a different document (outside its statements)"
                : absent + " prescribed statement(s) absent or changed, " + extra + " statement(s) not prescribed";
        }

        private static HashSet<string> StatementTexts(string json) =>
            new HashSet<string>(((Member(Canonical(json), "Statement") as JsonArray) ?? new JsonArray())
                .Select(s => s?.ToJsonString(PolicyDocument.CompactJson) ?? "null"), StringComparer.Ordinal);

        private static JsonObject Canonical(string json) => (JsonObject)JsonNode.Parse(PolicyDocument.Canonicalize(json))!;

        private static JsonNode? Member(JsonNode? node, string name) =>
            node is JsonObject o && o.TryGetPropertyValue(name, out var value) ? value : null;

        /// <summary>The values of a canonical set (always an array there), as text.</summary>
        private static IReadOnlyList<string> Texts(JsonNode? node)
        {
            IEnumerable<JsonNode?> items = node is JsonArray a ? a : node == null ? Enumerable.Empty<JsonNode?>() : new[] { node };
            return items.Select(i => i is JsonValue v && v.TryGetValue<string>(out var s) ? s : i?.ToJsonString(PolicyDocument.CompactJson) ?? "null").ToList();
        }

        private static string Compact(JsonNode? node) => node == null ? None : node.ToJsonString(PolicyDocument.CompactJson);

        private static string Shorten(string text) => text.Length <= 300 ? text : text.Substring(0, 297) + "...";

        private static string List(IEnumerable<string> values)
        {
            var text = string.Join(", ", values);
            return text.Length == 0 ? None : text;
        }

        private static string NameOf(string arn) => arn.Substring(arn.LastIndexOf('/') + 1);

        private OnboardingCheck Check(string step, string resource, string item, string expected, string actual, CheckStatus status) =>
            new OnboardingCheck(_scope.AccountId, step, resource, item, expected, actual, status);
    }
}
