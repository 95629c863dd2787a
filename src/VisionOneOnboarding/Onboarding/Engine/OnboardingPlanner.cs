using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// The one comparison of an account with what the procedure prescribes. Pure: it reads nothing and changes nothing,
    /// so it is tested without any I/O. Every piece becomes a check (Ok, Drifted, Missing or Extra); every check that
    /// is not Ok becomes a change of the same step and resource, except the Cloud Accounts State, Vision One's verdict
    /// on the IAM side, which follows their repair. A resource missing as a whole is one check; its parts are only
    /// checked when it exists.
    /// </summary>
    public static class OnboardingPlanner
    {
        private const string None = "(none)";

        public static OnboardingPlan Plan(DesiredOnboarding desired, ObservedAccount observed)
        {
            var plan = new PlanBuilder(observed.AccountId);
            if (desired.Covers(OnboardingSteps.OidcProvider) || desired.Covers(OnboardingSteps.Thumbprints)) PlanProvider(plan, desired, observed);
            if (desired.Covers(OnboardingSteps.Policies)) PlanPolicies(plan, desired, observed);
            if (desired.Role != null) PlanRole(plan, desired, desired.Role, observed);
            if (desired.CloudAccount != null) PlanCloudAccount(plan, desired.CloudAccount, observed);
            return plan.Build(desired, observed, StepGraph.Onboarding);
        }

        private static void PlanProvider(PlanBuilder plan, DesiredOnboarding desired, ObservedAccount observed)
        {
            var arn = desired.ProviderArn!;
            var provider = observed.Provider;
            if (provider == null)
            {
                if (!desired.Covers(OnboardingSteps.OidcProvider))
                {
                    if (desired.ProviderOnlyPlanned)
                        plan.Note("The provider " + arn + " is only planned (not created): it would be created with the thumbprints " + string.Join(", ", desired.Thumbprints) + ".");
                    else
                        plan.Refuse(new VisionOneException(ErrorCatalogue.OidcProviderNotFound,
                            $"The OIDC provider {arn} does not exist in account {observed.AccountId}. Create it first with New-V1OidcProvider.", arn));
                    return;
                }
                plan.Check(OnboardingSteps.OidcProvider, arn, "Provider", desired.IssuerUrl!, None, CheckStatus.Missing);
                plan.Change(ChangeKind.CreateProvider, OnboardingSteps.OidcProvider, arn, "Provider", desired.IssuerUrl!, None,
                    "Create IAM OIDC provider for " + desired.IssuerUrl + " (audience " + desired.Audience + ")").Values = desired.Thumbprints;
                return;
            }

            if (desired.Covers(OnboardingSteps.OidcProvider))
            {
                var url = "https://" + provider.Url;
                plan.Check(OnboardingSteps.OidcProvider, arn, "URL", desired.IssuerUrl!, url,
                    string.Equals(url, desired.IssuerUrl, StringComparison.OrdinalIgnoreCase) ? CheckStatus.Ok : CheckStatus.Drifted);
                // Other audiences are someone else's business: the role's trust pins the aud it accepts.
                bool hasAudience = provider.ClientIds.Contains(desired.Audience, StringComparer.Ordinal);
                plan.Check(OnboardingSteps.OidcProvider, arn, "Audience", desired.Audience, List(provider.ClientIds), hasAudience ? CheckStatus.Ok : CheckStatus.Missing);
                if (!hasAudience)
                    plan.Change(ChangeKind.AddAudience, OnboardingSteps.OidcProvider, arn, "Audience", desired.Audience, List(provider.ClientIds),
                        "Add audience " + desired.Audience + " to OIDC provider").Argument = desired.Audience;
            }

            if (desired.Covers(OnboardingSteps.Thumbprints))
            {
                bool same = true;
                foreach (var wanted in desired.Thumbprints)
                {
                    var found = provider.Thumbprints.FirstOrDefault(t => string.Equals(t, wanted, StringComparison.OrdinalIgnoreCase));
                    same &= found != null;
                    plan.Check(OnboardingSteps.Thumbprints, arn, "Thumbprint", wanted, found ?? None, found != null ? CheckStatus.Ok : CheckStatus.Missing);
                }
                foreach (var extra in provider.Thumbprints.Where(t => !desired.Thumbprints.Contains(t, StringComparer.OrdinalIgnoreCase)))
                {
                    same = false;
                    plan.Check(OnboardingSteps.Thumbprints, arn, "Thumbprint", None, extra, CheckStatus.Extra);
                }
                if (!same)
                    plan.Change(ChangeKind.UpdateThumbprints, OnboardingSteps.Thumbprints, arn, "Thumbprints", List(desired.Thumbprints), List(provider.Thumbprints),
                        "Replace thumbprints (" + string.Join(", ", provider.Thumbprints) + ") with (" + string.Join(", ", desired.Thumbprints) + ")").Values = desired.Thumbprints;
            }
        }

        private static void PlanPolicies(PlanBuilder plan, DesiredOnboarding desired, ObservedAccount observed)
        {
            var expectedText = "the document of " + desired.PolicySource;
            foreach (var wanted in desired.Policies)
            {
                var name = wanted.Key;
                var arn = AwsArns.Policy(desired.Partition, desired.AccountId, name);
                if (!observed.Policies.TryGetValue(arn, out var policy))
                {
                    plan.Check(OnboardingSteps.Policies, arn, name, expectedText, None, CheckStatus.Missing);
                    var create = plan.Change(ChangeKind.CreatePolicy, OnboardingSteps.Policies, arn, name, expectedText, None, "Create IAM policy " + name);
                    create.Argument = name;
                    create.Document = wanted.Value;
                    continue;
                }
                bool same = policy.DefaultDocument != null && PolicyDocument.SemanticallyEqual(policy.DefaultDocument, wanted.Value);
                var actual = "default version " + policy.DefaultVersionId + (same ? ": the same document" : ": " + DescribeDifference(policy.DefaultDocument, wanted.Value));
                plan.Check(OnboardingSteps.Policies, arn, name, expectedText, actual, same ? CheckStatus.Ok : CheckStatus.Drifted);
                if (same) continue;
                if (policy.Versions.Count >= 5)
                {
                    // IAM keeps at most five versions: make room by deleting the oldest one that is not the default.
                    var oldest = policy.Versions.Where(v => !v.IsDefaultVersion)
                        .OrderBy(v => v.CreateDate ?? DateTime.MinValue).ThenBy(v => VersionNumber(v.VersionId)).First();
                    plan.Change(ChangeKind.DeleteOldestPolicyVersion, OnboardingSteps.Policies, arn, name, expectedText, actual,
                        "Delete oldest non-default version " + oldest.VersionId + " of " + name + " (IAM keeps five)").Argument = oldest.VersionId;
                }
                plan.Change(ChangeKind.CreatePolicyVersion, OnboardingSteps.Policies, arn, name, expectedText, actual,
                    "Set a new default version of " + name + " with the prescribed document").Document = wanted.Value;
            }
        }

        private static void PlanRole(PlanBuilder plan, DesiredOnboarding desired, DesiredRole wanted, ObservedAccount observed)
        {
            var role = observed.Role;
            if (role == null)
            {
                plan.Check(OnboardingSteps.Role, wanted.Arn, "Role", wanted.Name, None, CheckStatus.Missing);
                var create = plan.Change(ChangeKind.CreateRole, OnboardingSteps.Role, wanted.Arn, "Role", wanted.Name, None,
                    "Create IAM role " + wanted.Name + " trusting " + wanted.ProviderArn);
                create.Document = wanted.Trust;
                create.Tags = wanted.Tags;
                foreach (var p in wanted.PolicyArns)
                {
                    plan.Check(OnboardingSteps.RoleAttachments, wanted.Arn, NameOf(p), "attached", None, CheckStatus.Missing);
                    plan.Change(ChangeKind.AttachPolicy, OnboardingSteps.RoleAttachments, wanted.Arn, NameOf(p), "attached", None,
                        "Attach policy " + p + " to " + wanted.Name, lane: p).Argument = p;
                }
                return;
            }

            var roleArn = role.Arn;
            plan.Check(OnboardingSteps.Role, roleArn, "Role", wanted.Name, role.RoleName, CheckStatus.Ok);

            var trustChecks = TrustComparison.Checks(plan, roleArn, role.AssumeRolePolicyDocument, wanted);
            if (trustChecks.Any(c => c.Kind != CheckStatus.Ok))
            {
                bool createdByProcedure = RoleTags.CarryProcedureTag(role.Tags);
                if (!wanted.Force && !(wanted.RepairDrift && createdByProcedure))
                    plan.Refuse(new VisionOneException(ErrorCatalogue.RoleTrustMismatch,
                        $"The role {wanted.Name} already exists with a trust policy that differs from the one Vision One needs. Nothing was changed. Re-run with -Force to replace its trust policy, or pass -RoleName to use another role.", roleArn));
                else if (!wanted.Force)
                    plan.Note("Role " + wanted.Name + " carries the " + OnboardingDefaults.StackNameTagKey + " tag, so this procedure created it: its drifted trust policy may be replaced once you confirm (or with -Force).");
                // The customer's restrictions (Deny statements, extra conditions) stay; only what widens the trust goes.
                var kept = TrustComparison.Restrictions(role.AssumeRolePolicyDocument, wanted);
                var replace = plan.Change(ChangeKind.UpdateTrust, OnboardingSteps.RoleTrust, roleArn, "Trust policy", "the prescribed trust policy", "a different trust policy",
                    "Replace the trust policy of " + wanted.Name + ", removing " + string.Join("; ", TrustComparison.Removals(role.AssumeRolePolicyDocument, wanted)) +
                    (kept.Count == 0 ? "" : " (keeping your restrictions: " + string.Join("; ", kept) + ")"));
                replace.Document = TrustComparison.Repaired(role.AssumeRolePolicyDocument, wanted);
                // Whoever the role trusts today loses access: that is asked about, even on a role the procedure created.
                replace.HighImpact = true;
            }

            var missingTags = new List<AwsTag>();
            foreach (var tag in wanted.Tags)
            {
                var found = role.Tags.FirstOrDefault(t => string.Equals(t.Key, tag.Key, StringComparison.OrdinalIgnoreCase));
                var status = found == null ? CheckStatus.Missing : found.Value == tag.Value ? CheckStatus.Ok : CheckStatus.Drifted;
                plan.Check(OnboardingSteps.RoleTags, roleArn, tag.Key, tag.Value, found?.Value ?? None, status);
                if (status != CheckStatus.Ok) missingTags.Add(tag);
            }
            if (missingTags.Count > 0)
                plan.Change(ChangeKind.TagRole, OnboardingSteps.RoleTags, roleArn, string.Join(", ", missingTags.Select(t => t.Key)), string.Join(", ", missingTags), None,
                    "Tag role " + wanted.Name + " with " + string.Join(", ", missingTags)).Tags = missingTags;

            foreach (var p in wanted.PolicyArns)
            {
                bool isAttached = observed.Attached.Contains(p, StringComparer.Ordinal);
                plan.Check(OnboardingSteps.RoleAttachments, roleArn, NameOf(p), "attached", isAttached ? "attached" : "not attached", isAttached ? CheckStatus.Ok : CheckStatus.Missing);
                if (!isAttached)
                    plan.Change(ChangeKind.AttachPolicy, OnboardingSteps.RoleAttachments, roleArn, NameOf(p), "attached", "not attached",
                        "Attach policy " + p + " to " + wanted.Name, lane: p).Argument = p;
            }
            foreach (var p in observed.Attached.Where(p => !wanted.PolicyArns.Contains(p, StringComparer.Ordinal)))
            {
                plan.Check(OnboardingSteps.RoleAttachments, roleArn, p, "not attached", "attached", CheckStatus.Extra);
                // A managed policy the procedure does not prescribe widens what Vision One may do in the account.
                if (wanted.RepairDrift)
                {
                    var detach = plan.Change(ChangeKind.DetachPolicy, OnboardingSteps.RoleAttachments, roleArn, p, "not attached", "attached",
                        "Detach policy " + p + " from " + wanted.Name + " (not prescribed)", lane: p);
                    detach.Argument = p;
                    // Someone attached it on purpose, perhaps for another use of the role: asked about like a removal.
                    detach.HighImpact = true;
                }
            }
        }

        private static void PlanCloudAccount(PlanBuilder plan, DesiredCloudAccount wanted, ObservedAccount observed)
        {
            var id = observed.AccountId;
            var roleArn = observed.Role?.Arn ?? wanted.RoleArn;
            var entry = observed.CloudAccount;
            if (entry == null)
            {
                plan.Check(OnboardingSteps.CloudAccount, id, "Entry", "connected", "not connected", CheckStatus.Missing);
                plan.Change(ChangeKind.ConnectAccount, OnboardingSteps.CloudAccount, roleArn, "Entry", "connected", "not connected",
                    "Connect AWS account " + id + " to Vision One Cloud Accounts as '" + wanted.Name + "'");
                return;
            }
            plan.Check(OnboardingSteps.CloudAccount, id, "Entry", "connected", "connected as '" + entry.Name + "'", CheckStatus.Ok);
            bool sameRole = string.Equals(entry.RoleArn, roleArn, StringComparison.Ordinal);
            plan.Check(OnboardingSteps.CloudAccount, id, "Role ARN", roleArn, entry.RoleArn, sameRole ? CheckStatus.Ok : CheckStatus.Drifted);
            bool managed = string.Equals(entry.State, "managed", StringComparison.OrdinalIgnoreCase);
            plan.Check(OnboardingSteps.CloudAccount, id, "State", "managed",
                entry.State + (managed ? "" : LastSynced(entry) + (entry.MissingPieces.Count == 0 ? "" : ": " + string.Join("; ", entry.MissingPieces))),
                managed ? CheckStatus.Ok : CheckStatus.Drifted);
            // Vision One's own report of AWS permissions its role lacks, per feature: its verdict, which a repair of the
            // IAM side answers (like State), so a check and no change of its own.
            foreach (var feature in entry.Features)
            {
                foreach (var permission in feature.MissingAwsPermissions.Where(p => !string.IsNullOrWhiteSpace(p)))
                    plan.Check(OnboardingSteps.CloudAccount, id, "AWS permission " + permission, "granted",
                        "missing for feature " + feature.Id + " (Vision One reports it)", CheckStatus.Drifted);
            }
            // Name, description and workload instance: compared when asked for (Test- without them reports what is there).
            var fields = CloudAccountFields.Differences(entry, wanted);
            var rename = CloudAccountFields.Compare(entry, wanted).FirstOrDefault(f => f.Item == "Name" && f.Differs);
            if (rename.Differs)
                plan.Warn($"The Cloud Accounts entry of {id} is named '{rename.Actual}'; this run renames it to '{rename.Expected}', the name people see in the Vision One console. Pass -Name '{rename.Actual}' to keep it.");
            foreach (var (item, expected, actual, differs) in CloudAccountFields.Compare(entry, wanted))
                plan.Check(OnboardingSteps.CloudAccount, id, item, expected, actual, differs ? CheckStatus.Drifted : CheckStatus.Ok);
            if (!sameRole)
            {
                if (!wanted.Force)
                    plan.Refuse(new VisionOneException(ErrorCatalogue.ConnectedWithOtherRole,
                        $"AWS account {id} is already connected to Vision One as '{entry.Name}' with another role ({entry.RoleArn}). Nothing was changed. Re-run with -Force to point it at {roleArn}.", id));
                plan.Change(ChangeKind.RepointAccount, OnboardingSteps.CloudAccount, roleArn, "Role ARN", roleArn, entry.RoleArn,
                    "Point the Cloud Accounts entry of " + id + " at " + roleArn + " (was " + entry.RoleArn + ")" + (fields.Count > 0 ? "; " + string.Join("; ", fields) : "")).Argument = entry.ETag ?? "";
                return;
            }
            if (fields.Count > 0)
                plan.Change(ChangeKind.UpdateAccount, OnboardingSteps.CloudAccount, roleArn, "Entry", "as asked", string.Join("; ", fields),
                    "Update the Cloud Accounts entry of " + id + ": " + string.Join("; ", fields)).Argument = entry.ETag ?? "";
        }

        private static string LastSynced(V1AwsAccount entry) =>
            entry.LastSyncedDateTime == null
                ? " (never synced)"
                : " (last synced " + entry.LastSyncedDateTime.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + ")";

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
            new HashSet<string>(((TrustComparison.Member(TrustComparison.Canonical(json), "Statement") as JsonArray) ?? new JsonArray())
                .Select(s => s?.ToJsonString(PolicyDocument.CompactJson) ?? "null"), StringComparer.Ordinal);

        private static int VersionNumber(string versionId) =>
            int.TryParse(versionId.TrimStart('v', 'V'), out var n) ? n : int.MaxValue;

        internal static string List(IEnumerable<string> values)
        {
            var text = string.Join(", ", values);
            return text.Length == 0 ? None : text;
        }

        private static string NameOf(string arn) => arn.Substring(arn.LastIndexOf('/') + 1);
    }

    /// <summary>
    /// The trust policy, piece by piece. Trust the procedure did not ask for — another principal, another action,
    /// another aud or sub value, another Allow statement — widens who may assume the role: Extra, the security-relevant
    /// kind of drift, removed by a repair. The customer's restrictions — Deny statements, and conditions on the
    /// procedure's Allow statement beyond its aud/sub StringEquals — can only narrow it (an explicit Deny wins; IAM ANDs
    /// the condition operators and keys of a statement): they are reported Ok, naming each, and kept by every repair.
    /// </summary>
    internal static class TrustComparison
    {
        private const string None = "(none)";

        public static List<OnboardingCheck> Checks(PlanBuilder plan, string roleArn, string actualJson, DesiredRole wanted)
        {
            var step = OnboardingSteps.RoleTrust;
            var providerArn = wanted.ProviderArn;
            var issuerHost = wanted.IssuerHost;
            var actual = Canonical(actualJson);
            var expected = Canonical(wanted.Trust);
            var statements = (Member(actual, "Statement") as JsonArray)?.OfType<JsonObject>().ToList() ?? new List<JsonObject>();
            var main = MainStatement(actual, providerArn);
            var wantedStatement = (JsonObject)((JsonArray)Member(expected, "Statement")!)[0]!;

            var checks = new List<OnboardingCheck>();
            if (main == null)
            {
                checks.Add(plan.Check(step, roleArn, "Principal", "Federated " + providerArn,
                    statements.Count == 0 ? None : string.Join("; ", statements.Select(s => Compact(Member(s, "Principal")))), CheckStatus.Missing));
            }
            else
            {
                var principal = Member(main, "Principal");
                bool exact = principal is JsonObject p && p.Count == 1 && Texts(Member(p, "Federated")).SequenceEqual(new[] { providerArn });
                checks.Add(plan.Check(step, roleArn, "Principal", "Federated " + providerArn, Compact(principal), exact ? CheckStatus.Ok : CheckStatus.Extra));
            }
            checks.Add(SetCheck(plan, roleArn, "Actions", Texts(Member(wantedStatement, "Action")), main == null ? null : Texts(Member(main, "Action"))));
            var equals = main == null ? null : Member(Member(main, "Condition"), "StringEquals");
            checks.Add(SetCheck(plan, roleArn, "Audience (" + issuerHost + ":aud)", new[] { wanted.Audience }, main == null ? null : Texts(Member(equals, issuerHost + ":aud"))));
            checks.Add(SetCheck(plan, roleArn, "Subject (" + issuerHost + ":sub)", new[] { wanted.Subject }, main == null ? null : Texts(Member(equals, issuerHost + ":sub"))));

            var others = statements.Where(s => !ReferenceEquals(s, main) && !IsDeny(s)).ToList();
            checks.Add(plan.Check(step, roleArn, "Other statements", None,
                others.Count == 0 ? None : others.Count + ": " + Shorten(string.Join(" ", others.Select(Compact))), others.Count == 0 ? CheckStatus.Ok : CheckStatus.Extra));
            foreach (var restriction in Restrictions(actual, main, issuerHost))
                checks.Add(plan.Check(step, roleArn, "Your restriction", "kept", restriction, CheckStatus.Ok));

            if (main != null)
            {
                // Whatever the checks above did not look at (Effect, Sid, other conditions, Version) must match as well.
                var actualRest = Rest(actual, main, issuerHost);
                var wantedRest = Rest(expected, wantedStatement, issuerHost);
                checks.Add(plan.Check(step, roleArn, "Other elements", wantedRest, Shorten(actualRest),
                    actualRest == wantedRest ? CheckStatus.Ok : CheckStatus.Drifted));
            }
            return checks;
        }

        private static OnboardingCheck SetCheck(PlanBuilder plan, string roleArn, string item, IReadOnlyList<string> wanted, IReadOnlyList<string>? found)
        {
            CheckStatus status;
            if (found == null || found.Count == 0) status = CheckStatus.Missing;
            else if (new HashSet<string>(found, StringComparer.Ordinal).SetEquals(wanted)) status = CheckStatus.Ok;
            else if (wanted.All(found.Contains)) status = CheckStatus.Extra;
            else if (found.All(wanted.Contains)) status = CheckStatus.Missing;
            else status = CheckStatus.Drifted;
            return plan.Check(OnboardingSteps.RoleTrust, roleArn, item, OnboardingPlanner.List(wanted), found == null || found.Count == 0 ? None : OnboardingPlanner.List(found), status);
        }

        /// <summary>The document with the checked statement in place of all statements, and the checked pieces (and the customer's conditions) taken out.</summary>
        private static string Rest(JsonObject document, JsonObject statement, string issuerHost)
        {
            var rest = (JsonObject)document.DeepClone();
            var stripped = (JsonObject)statement.DeepClone();
            stripped.Remove("Principal");
            stripped.Remove("Action");
            stripped.Remove("Condition");
            rest["Statement"] = stripped;
            return rest.ToJsonString(PolicyDocument.CompactJson);
        }

        private static bool IsDeny(JsonObject statement) => Texts(Member(statement, "Effect")).SequenceEqual(new[] { "Deny" });

        /// <summary>The procedure's statement in a document: the Allow statement whose Federated principal is the provider.</summary>
        private static JsonObject? MainStatement(JsonObject canonical, string providerArn) =>
            ((Member(canonical, "Statement") as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
                .FirstOrDefault(s => Texts(Member(s, "Effect")).SequenceEqual(new[] { "Allow" }) && Texts(Member(Member(s, "Principal"), "Federated")).Contains(providerArn));

        /// <summary>The conditions of the procedure's statement beyond its aud/sub StringEquals: operator → key → values.</summary>
        private static JsonObject ExtraConditions(JsonObject? main, string issuerHost)
        {
            var extra = (Member(main, "Condition") as JsonObject)?.DeepClone() as JsonObject ?? new JsonObject();
            if (Member(extra, "StringEquals") is JsonObject equals)
            {
                equals.Remove(issuerHost + ":aud");
                equals.Remove(issuerHost + ":sub");
                if (equals.Count == 0) extra.Remove("StringEquals");
            }
            return extra;
        }

        /// <summary>The customer's restrictions in a trust policy, each named: its Deny statements and the extra conditions of the procedure's statement.</summary>
        public static IReadOnlyList<string> Restrictions(string actualJson, DesiredRole wanted)
        {
            var actual = Canonical(actualJson);
            return Restrictions(actual, MainStatement(actual, wanted.ProviderArn), wanted.IssuerHost);
        }

        private static IReadOnlyList<string> Restrictions(JsonObject actual, JsonObject? main, string issuerHost)
        {
            var named = new List<string>();
            foreach (var deny in ((Member(actual, "Statement") as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>()).Where(IsDeny))
                named.Add("Deny statement " + Shorten(Compact(deny)));
            if (main != null)
                foreach (var op in ExtraConditions(main, issuerHost))
                    foreach (var key in (op.Value as JsonObject) ?? new JsonObject())
                        named.Add("condition " + op.Key + " " + key.Key + " " + Compact(key.Value));
            return named;
        }

        /// <summary>What a repair of the trust removes, each named: the pieces that widen who may assume the role.</summary>
        public static IReadOnlyList<string> Removals(string actualJson, DesiredRole wanted)
        {
            var actual = Canonical(actualJson);
            var main = MainStatement(actual, wanted.ProviderArn);
            var expected = (JsonObject)((JsonArray)Member(Canonical(wanted.Trust), "Statement")!)[0]!;
            var removed = new List<string>();
            foreach (var other in ((Member(actual, "Statement") as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>()).Where(st => !ReferenceEquals(st, main) && !IsDeny(st)))
                removed.Add("statement " + Shorten(Compact(other)));
            if (main == null) return removed.Count == 0 ? new[] { "a trust policy without the procedure's statement" } : removed;

            var principal = Member(main, "Principal") as JsonObject;
            foreach (var entry in principal ?? new JsonObject())
                foreach (var value in Texts(entry.Value).Where(v => entry.Key != "Federated" || v != wanted.ProviderArn))
                    removed.Add("principal " + entry.Key + " " + value);
            var wantedActions = Texts(Member(expected, "Action"));
            removed.AddRange(Texts(Member(main, "Action")).Where(a => !wantedActions.Contains(a)).Select(a => "action " + a));
            var equals = Member(Member(main, "Condition"), "StringEquals");
            removed.AddRange(Texts(Member(equals, wanted.IssuerHost + ":aud")).Where(v => v != wanted.Audience).Select(v => "aud value " + v));
            removed.AddRange(Texts(Member(equals, wanted.IssuerHost + ":sub")).Where(v => v != wanted.Subject).Select(v => "sub value " + v));
            var actualRest = Rest(actual, main, wanted.IssuerHost);
            if (actualRest != Rest(Canonical(wanted.Trust), expected, wanted.IssuerHost)) removed.Add("other elements " + Shorten(actualRest));
            return removed.Count == 0 ? new[] { "nothing that widens it (the prescribed pieces are restored)" } : removed;
        }

        /// <summary>
        /// The trust a repair writes: the procedure's statement with the customer's extra conditions, followed by the
        /// customer's Deny statements — everything that widens the trust is gone, everything that narrows it stays.
        /// </summary>
        public static string Repaired(string actualJson, DesiredRole wanted)
        {
            var actual = Canonical(actualJson);
            var main = MainStatement(actual, wanted.ProviderArn);
            var document = (JsonObject)JsonNode.Parse(wanted.Trust)!;
            var statements = (JsonArray)document["Statement"]!;
            var condition = (JsonObject)statements[0]!["Condition"]!;
            foreach (var op in ExtraConditions(main, wanted.IssuerHost).ToList())
            {
                if (condition[op.Key] is JsonObject existing)
                    foreach (var key in ((JsonObject)op.Value!).ToList()) existing[key.Key] = key.Value?.DeepClone();
                else condition[op.Key] = op.Value?.DeepClone();
            }
            foreach (var deny in ((Member(actual, "Statement") as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>()).Where(IsDeny))
                statements.Add(deny.DeepClone());
            return document.ToJsonString(PolicyDocument.CompactJson);
        }

        public static JsonObject Canonical(string json) => (JsonObject)JsonNode.Parse(PolicyDocument.Canonicalize(json))!;

        public static JsonNode? Member(JsonNode? node, string name) =>
            node is JsonObject o && o.TryGetPropertyValue(name, out var value) ? value : null;

        /// <summary>The values of a canonical set (always an array there), as text.</summary>
        private static IReadOnlyList<string> Texts(JsonNode? node)
        {
            IEnumerable<JsonNode?> items = node is JsonArray a ? a : node == null ? Enumerable.Empty<JsonNode?>() : new[] { node };
            return items.Select(i => i is JsonValue v && v.TryGetValue<string>(out var s) ? s : i?.ToJsonString(PolicyDocument.CompactJson) ?? "null").ToList();
        }

        private static string Compact(JsonNode? node) => node == null ? None : node.ToJsonString(PolicyDocument.CompactJson);

        private static string Shorten(string text) => text.Length <= 300 ? text : text.Substring(0, 297) + "...";
    }
}
