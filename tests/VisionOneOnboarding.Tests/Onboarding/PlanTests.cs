using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Tests.Onboarding
{
    /// <summary>
    /// The planner alone: desired and observed states built in memory, no emulator, no network. The IAM client given to
    /// the scope throws on any call, so a plan that tried to read would fail. One test per kind of drift.
    /// </summary>
    public sealed class PlanTests
    {
        private const string Account = "123456789012";
        private const string BusinessId = "1234567890";
        private const string Issuer = "https://cloudaccounts-us.xdr.trendmicro.com";
        private const string ProviderArn = "arn:aws:iam::" + Account + ":oidc-provider/cloudaccounts-us.xdr.trendmicro.com";
        private const string RoleArn = "arn:aws:iam::" + Account + ":role/VisionOneRole";
        private static string PolicyArn(int part) => "arn:aws:iam::" + Account + ":policy/VisionOnePolicyPart" + part;

        private static readonly AccountScope Scope = new AccountScope(Account, "aws", NoCalls.Iam(), "us-east-1");

        private static DesiredOnboarding Desired(bool withCloudAccount = true)
        {
            var expected = OnboardingExpectation.Resolve(Scope, new ExpectationRequest { BusinessId = BusinessId, V1Region = "us" }, null, NullLogSink.Instance);
            return DesiredOnboarding.ForProcedure(Account, "aws", expected, force: false,
                withCloudAccount ? new DesiredCloudAccount(RoleArn, "Plan", null, null, force: false) : null);
        }

        /// <summary>The account as the procedure leaves it; each test spoils one piece.</summary>
        private sealed class Account_
        {
            public List<string> Thumbprints = OnboardingDefaults.Thumbprints.ToList();
            public List<string> Audiences = new List<string> { "arn:aws:iam::" + Account + ":root" };
            public Dictionary<int, string> Documents = Enumerable.Range(1, 3).ToDictionary(i => i, i => PublishedPolicies.Load()["VisionOnePolicyPart" + i]);
            public int Versions = 1;
            public string? Trust;
            public List<AwsTag> Tags = RoleTags.Desired("us-east-1").ToList();
            public List<string> Attached = Enumerable.Range(1, 3).Select(PolicyArn).ToList();
            public string EntryRole = RoleArn;
            public bool Provider = true, Policies = true, Role = true, Entry = true;
            /// <summary>What the procedure puts on the provider and the policies it creates; empty: adopted, not created.</summary>
            public List<AwsTag> ProviderTags = RoleTags.Ownership.ToList();

            public ObservedAccount Observe(DesiredOnboarding desired) => new ObservedAccount(Account, "aws", ObservedParts.Provider | ObservedParts.PolicyDocuments | ObservedParts.Role | ObservedParts.CloudAccount,
                Provider ? new OidcProviderDescription { Arn = ProviderArn, Url = Issuer.Substring(8), ClientIds = Audiences, Thumbprints = Thumbprints, Tags = ProviderTags } : null,
                Policies ? Documents.Select(d => new ObservedPolicy(PolicyArn(d.Key), Enumerable.Range(1, Versions).Select(v => new PolicyVersionDescription
                {
                    VersionId = "v" + v, IsDefaultVersion = v == Versions, CreateDate = new DateTime(2026, 1, v),
                }).ToList(), d.Value, null)) : new ObservedPolicy[0],
                Role ? new RoleDescription { Arn = RoleArn, RoleName = "VisionOneRole", AssumeRolePolicyDocument = Trust ?? desired.Role!.Trust, Tags = Tags } : null,
                Role ? Attached : new List<string>(), new string[0], new RoleDescription[0],
                Entry ? new V1AwsAccount { Id = Account, Name = "Plan", RoleArn = EntryRole, State = "managed" } : null, 2);
        }

        private static OnboardingPlan Plan(Account_ account, DesiredOnboarding? desired = null)
        {
            desired ??= Desired();
            return OnboardingPlanner.Plan(desired, account.Observe(desired));
        }

        private static string[] Findings(OnboardingPlan plan) =>
            plan.Checks.Where(c => c.Kind != CheckStatus.Ok).Select(c => c.Step + " " + c.Item + " " + c.Kind).OrderBy(s => s, StringComparer.Ordinal).ToArray();

        private static string[] Kinds(OnboardingPlan plan) => plan.Changes.Select(c => c.Kind.ToString()).ToArray();

        /// <summary>Test and -WhatIf tell the same story: every finding has a change of the same step and resource, and every change a finding.</summary>
        private static void AssertSameStory(OnboardingPlan plan)
        {
            // Vision One's verdicts (the entry's State, the permissions it reports missing) follow the IAM repair: no change of their own.
            var findings = plan.Checks.Where(c => c.Kind != CheckStatus.Ok && !(c.Step == OnboardingSteps.CloudAccount && (c.Item == "State" || c.Item.StartsWith("AWS permission ", StringComparison.Ordinal))))
                .Select(c => c.Step + " " + c.Resource).Distinct().OrderBy(s => s, StringComparer.Ordinal);
            var changes = plan.Changes.Select(c => c.Step + " " + (c.Step == OnboardingSteps.CloudAccount ? AwsArns.AccountOf(c.Resource) ?? c.Resource : c.Resource))
                .Distinct().OrderBy(s => s, StringComparer.Ordinal);
            Assert.Equal(findings, changes);
        }

        [Fact]
        public void Ok_a_compliant_account_is_all_Ok_and_plans_no_change()
        {
            var plan = Plan(new Account_());
            Assert.Equal(28, plan.Checks.Count);   // the Cloud Accounts entry: connected, role, state, name, description, workload instance
            Assert.All(plan.Checks, c => Assert.Equal(CheckStatus.Ok, c.Kind));
            Assert.Empty(plan.Changes);
            Assert.Null(plan.Refusal);
            Assert.Equal(0, plan.Graph.LongestPath(plan.Changes));
        }

        [Fact]
        public void Missing_an_empty_account_is_one_check_per_resource_and_the_changes_that_create_them()
        {
            var plan = Plan(new Account_ { Provider = false, Policies = false, Role = false, Entry = false });
            Assert.Equal(new[]
            {
                "CloudAccount Entry Missing", "OidcProvider Provider Missing", "Policies VisionOnePolicyPart1 Missing", "Policies VisionOnePolicyPart2 Missing",
                "Policies VisionOnePolicyPart3 Missing", "Role Role Missing", "RoleAttachments VisionOnePolicyPart1 Missing",
                "RoleAttachments VisionOnePolicyPart2 Missing", "RoleAttachments VisionOnePolicyPart3 Missing",
            }, Findings(plan));
            Assert.Equal(new[] { "CreateProvider", "CreatePolicy", "CreatePolicy", "CreatePolicy", "CreateRole", "AttachPolicy", "AttachPolicy", "AttachPolicy", "ConnectAccount" }, Kinds(plan));
            AssertSameStory(plan);
            // provider → role → attachments → connection: four calls in a row, the policies beside the provider and the role.
            Assert.Equal(4, plan.Graph.LongestPath(plan.Changes));
            Assert.Equal(OnboardingDefaults.Thumbprints, plan.Changes[0].Values);
            // Creating what is not there takes nothing from anyone: nothing to confirm beyond -Confirm.
            Assert.DoesNotContain(plan.Changes, c => c.HighImpact);
        }

        [Fact]
        public void Missing_a_thumbprint_a_tag_and_an_attachment_are_each_put_back_alone()
        {
            var account = new Account_();
            account.Thumbprints.RemoveAt(0);
            account.Tags.RemoveAll(t => t.Key == OnboardingDefaults.FeaturesTagKey);
            account.Attached.Remove(PolicyArn(2));
            account.Audiences.Clear();
            var plan = Plan(account);
            Assert.Equal(new[] { "OidcProvider Audience Missing", "RoleAttachments VisionOnePolicyPart2 Missing", "RoleTags VisionOneFeatures Missing", "Thumbprints Thumbprint Missing" }, Findings(plan));
            Assert.Equal(new[] { "AddAudience", "UpdateThumbprints", "TagRole", "AttachPolicy" }, Kinds(plan));
            Assert.Equal(new[] { OnboardingDefaults.FeaturesTagKey }, plan.Changes.Single(c => c.Kind == ChangeKind.TagRole).Tags.Select(t => t.Key));
            AssertSameStory(plan);
        }

        [Fact]
        public void Drifted_a_policy_document_gets_a_new_default_version_and_room_is_made_when_five_exist()
        {
            var account = new Account_ { Versions = 5 };
            account.Documents[3] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
            account.EntryRole = RoleArn;
            var plan = Plan(account);
            Assert.Equal(new[] { "Policies VisionOnePolicyPart3 Drifted" }, Findings(plan));
            Assert.Equal(new[] { "DeleteOldestPolicyVersion", "CreatePolicyVersion" }, Kinds(plan));
            Assert.Equal("v1", plan.Changes[0].Argument);
            // Both on the policy's lane: the new version waits for the room.
            Assert.Single(plan.Changes.Select(c => c.Lane).Distinct());
            Assert.Equal(2, plan.Graph.LongestPath(plan.Changes));
            AssertSameStory(plan);
        }

        [Fact]
        public void Drifted_a_tag_value_and_the_Cloud_Accounts_state_are_reported_and_only_the_tag_is_changed()
        {
            var account = new Account_();
            account.Tags[1] = new AwsTag(OnboardingDefaults.StackRegionTagKey, "eu-west-1");
            var desired = Desired();
            var observed = account.Observe(desired);
            observed.CloudAccount!.State = "outdated";
            var plan = OnboardingPlanner.Plan(desired, observed);
            Assert.Equal(new[] { "CloudAccount State Drifted", "RoleTags " + OnboardingDefaults.StackRegionTagKey + " Drifted" }, Findings(plan));
            Assert.Equal(new[] { "TagRole" }, Kinds(plan));
            AssertSameStory(plan);
        }

        [Fact]
        public void Vision_Ones_own_view_shows_beside_the_IAM_checks_its_state_last_sync_and_each_missing_permission()
        {
            var desired = Desired();
            var observed = new Account_().Observe(desired);
            observed.CloudAccount!.State = "outdated";
            observed.CloudAccount.LastSyncedDateTime = new DateTime(2026, 12, 1, 8, 30, 0, DateTimeKind.Utc);
            observed.CloudAccount.Features.Add(new V1AccountFeature { Id = "cloud-posture", MissingAwsPermissions = { "s3:GetBucketPolicy", "iam:GetRole" } });
            observed.CloudAccount.Features.Add(new V1AccountFeature { Id = "file-storage-security" });

            var plan = OnboardingPlanner.Plan(desired, observed);

            Assert.Equal(new[] { "CloudAccount AWS permission iam:GetRole Drifted", "CloudAccount AWS permission s3:GetBucketPolicy Drifted", "CloudAccount State Drifted" }, Findings(plan));
            Assert.Equal("outdated (last synced 2026-12-01T08:30:00Z)", plan.Checks.Single(c => c.Item == "State").Actual);
            Assert.Equal("missing for feature cloud-posture (Vision One reports it)", plan.Checks.Single(c => c.Item == "AWS permission iam:GetRole").Actual);
            Assert.Empty(plan.Changes);
            AssertSameStory(plan);

            observed.CloudAccount.State = "managed";
            observed.CloudAccount.Features.Clear();
            Assert.Empty(Findings(OnboardingPlanner.Plan(desired, observed)));
        }

        [Fact]
        public void Drifted_trust_of_a_tagged_role_is_replaced_and_of_an_untagged_role_refused_unless_forced()
        {
            var account = new Account_ { Trust = TrustPolicy.Build(ProviderArn, "cloudaccounts-us.xdr.trendmicro.com", "arn:aws:iam::" + Account + ":root", "us", "9999999999") };
            var plan = Plan(account);
            Assert.Equal(new[] { "RoleTrust Subject (cloudaccounts-us.xdr.trendmicro.com:sub) Drifted" }, Findings(plan));
            Assert.Equal(new[] { "UpdateTrust" }, Kinds(plan));
            Assert.Null(plan.Refusal);
            Assert.Contains(plan.Notes, n => n.Text.Contains("carries the VisionOneCloudFormationStackName tag"));

            account.Tags.RemoveAll(t => t.Key == OnboardingDefaults.StackNameTagKey);
            var refused = Plan(account);
            Assert.Equal("VisionOne.RoleTrustMismatch", refused.Refusal?.ErrorId);
            // Test still reports the checks of a plan Apply refuses.
            Assert.Contains("RoleTrust Subject (cloudaccounts-us.xdr.trendmicro.com:sub) Drifted", Findings(refused));
        }

        [Fact]
        public void Extra_thumbprint_trust_and_attachment_are_reported_and_the_whole_procedure_removes_them()
        {
            var account = new Account_();
            account.Thumbprints.Add(new string('a', 40));
            account.Attached.Add("arn:aws:iam::" + Account + ":policy/Other");
            var desired = Desired();
            var trust = System.Text.Json.Nodes.JsonNode.Parse(desired.Role!.Trust)!.AsObject();
            trust["Statement"]![0]!["Action"]!.AsArray().Add("sts:TagSession");
            account.Trust = trust.ToJsonString();
            var plan = Plan(account, desired);
            Assert.Equal(new[] { "RoleAttachments arn:aws:iam::" + Account + ":policy/Other Extra", "RoleTrust Actions Extra", "Thumbprints Thumbprint Extra" }, Findings(plan));
            Assert.Equal(new[] { "UpdateThumbprints", "UpdateTrust", "DetachPolicy" }, Kinds(plan));
            // Replacing the trust and taking a policy away are confirmed as high impact; the thumbprints are the procedure's own.
            Assert.Equal(new[] { "UpdateTrust", "DetachPolicy" }, plan.Changes.Where(c => c.HighImpact).Select(c => c.Kind.ToString()).ToArray());
            AssertSameStory(plan);
        }

        [Fact]
        public void A_repair_removes_what_widens_the_trust_and_keeps_the_customers_restrictions()
        {
            var desired = Desired();
            var trust = System.Text.Json.Nodes.JsonNode.Parse(desired.Role!.Trust)!.AsObject();
            var main = trust["Statement"]![0]!.AsObject();
            // Narrowing: a condition ANDed to the procedure's statement, and a Deny statement.
            main["Condition"]!.AsObject()["StringLike"] = new System.Text.Json.Nodes.JsonObject { ["aws:RequestTag/team"] = "payments-*" };
            trust["Statement"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse(
                "{\"Effect\":\"Deny\",\"Principal\":{\"Federated\":\"" + ProviderArn + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}}"));
            var narrowed = trust.ToJsonString();
            var account = new Account_ { Trust = narrowed };
            var onlyNarrowed = Plan(account, desired);
            Assert.Empty(Findings(onlyNarrowed));
            Assert.Empty(onlyNarrowed.Changes);
            var restrictions = onlyNarrowed.Checks.Where(c => c.Item == "Your restriction").Select(c => c.Status + " " + c.Actual).ToList();
            Assert.Equal(2, restrictions.Count);
            Assert.Contains(restrictions, r => r.StartsWith("Ok Deny statement ") && r.Contains("203.0.113.0/24"));
            Assert.Contains("Ok condition StringLike aws:RequestTag/team [\"payments-*\"]", restrictions);

            // Widening as well: a second trusted subject. Only that goes; the confirmation says exactly so.
            const string other = "urn:visionone:identity:us:6666666666:account/6666666666";
            main["Condition"]!["StringEquals"]!["cloudaccounts-us.xdr.trendmicro.com:sub"]!.AsArray().Add(other);
            account.Trust = trust.ToJsonString();
            var plan = Plan(account, desired);
            Assert.Equal(new[] { "RoleTrust Subject (cloudaccounts-us.xdr.trendmicro.com:sub) Extra" }, Findings(plan));
            var replace = Assert.Single(plan.Changes);
            Assert.Equal(ChangeKind.UpdateTrust, replace.Kind);
            Assert.True(replace.HighImpact);
            Assert.Contains("removing sub value " + other + " (keeping your restrictions: Deny statement ", replace.Action);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(replace.Action, "value "));

            // What the repair writes is the narrowed trust: the procedure's statement and every restriction, nothing else.
            Assert.True(PolicyDocument.SemanticallyEqual(narrowed, replace.Document!));
            account.Trust = replace.Document;
            Assert.Empty(Findings(Plan(account, desired)));
        }

        [Theory]
        [InlineData("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::210987654321:root\"},\"Action\":\"sts:AssumeRole\"}", "RoleTrust Other statements Extra", "statement ")]
        [InlineData(null, "RoleTrust Principal Extra", "principal AWS arn:aws:iam::210987654321:root")]
        public void Other_trust_widens_and_is_removed_by_name(string? extraStatement, string finding, string removed)
        {
            var desired = Desired();
            var trust = System.Text.Json.Nodes.JsonNode.Parse(desired.Role!.Trust)!.AsObject();
            if (extraStatement != null) trust["Statement"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse(extraStatement));
            else trust["Statement"]![0]!["Principal"]!.AsObject()["AWS"] = "arn:aws:iam::210987654321:root";
            var plan = Plan(new Account_ { Trust = trust.ToJsonString() }, desired);
            Assert.Equal(new[] { finding }, Findings(plan));
            Assert.Contains("removing " + removed, Assert.Single(plan.Changes).Action);
            Assert.True(PolicyDocument.SemanticallyEqual(desired.Role.Trust, plan.Changes[0].Document!));
        }

        [Fact]
        public void Extra_attachment_stays_when_New_V1Role_plans_the_role_alone()
        {
            var account = new Account_();
            account.Attached.Add("arn:aws:iam::" + Account + ":policy/Other");
            var desired = DesiredOnboarding.ForRole(Account, "aws", new RoleRequest
            {
                ProviderArn = ProviderArn, V1Region = "us", BusinessId = BusinessId, PolicyArns = Enumerable.Range(1, 3).Select(PolicyArn).ToList(), AwsDeploymentRegion = "us-east-1",
            });
            var plan = OnboardingPlanner.Plan(desired, account.Observe(desired));
            Assert.Contains("RoleAttachments arn:aws:iam::" + Account + ":policy/Other Extra", Findings(plan));
            Assert.Empty(plan.Changes);
            Assert.DoesNotContain(plan.Checks, c => c.Step == OnboardingSteps.OidcProvider || c.Step == OnboardingSteps.Policies || c.Step == OnboardingSteps.CloudAccount);
        }

        [Fact]
        public void Drifted_connection_with_another_role_is_refused_unless_forced()
        {
            var account = new Account_ { EntryRole = "arn:aws:iam::" + Account + ":role/Other" };
            var plan = Plan(account);
            Assert.Equal(new[] { "CloudAccount Role ARN Drifted" }, Findings(plan));
            Assert.Equal("VisionOne.ConnectedWithOtherRole", plan.Refusal?.ErrorId);
            Assert.Equal(new[] { "RepointAccount" }, Kinds(plan));
        }

        [Fact]
        public void The_reverse_plan_removes_in_the_safe_order_and_refuses_a_role_in_use()
        {
            var account = new Account_ { Versions = 2 };
            var desired = Desired();
            var request = new RemovalRequest { ProviderArn = ProviderArn };
            var observed = account.Observe(desired);
            var removal = RemovalPlanner.Plan(request, WithUsage(observed));
            Assert.Null(removal.Refusal);
            Assert.Equal(new[] { OnboardingSteps.CloudAccount, OnboardingSteps.RoleAttachments, OnboardingSteps.Policies, OnboardingSteps.Role, OnboardingSteps.OidcProvider },
                removal.Changes.Select(c => c.Step).Distinct());
            Assert.Equal(3 + 3 + 3 + 1 + 1 + 1, removal.Changes.Count);
            // disconnect → detach → (version, policy) → role → provider
            Assert.Equal(6, removal.Graph.LongestPath(removal.Changes));

            account.Attached.Add("arn:aws:iam::" + Account + ":policy/Other");
            var refused = RemovalPlanner.Plan(request, WithUsage(account.Observe(desired)));
            Assert.Equal("VisionOne.RemovalRoleInUse", refused.Refusal?.ErrorId);
        }

        [Fact]
        public void The_reverse_plan_refuses_a_role_in_an_instance_profile_and_with_IncludeShared_takes_it_out_before_deleting_it()
        {
            var desired = Desired();
            var observed = WithUsage(new Account_().Observe(desired), instanceProfiles: new[] { "web-servers" });

            var refused = RemovalPlanner.Plan(new RemovalRequest { ProviderArn = ProviderArn }, observed);
            Assert.Equal("VisionOne.RemovalRoleInUse", refused.Refusal?.ErrorId);
            Assert.Contains("instance profile(s) web-servers", refused.Refusal!.Message);

            var shared = RemovalPlanner.Plan(new RemovalRequest { ProviderArn = ProviderArn, IncludeShared = true }, observed);
            Assert.Null(shared.Refusal);
            var out_ = shared.Changes.Single(c => c.Kind == ChangeKind.RemoveFromInstanceProfile);
            Assert.Equal("web-servers", out_.Argument);
            Assert.True(shared.Changes.ToList().IndexOf(out_) < shared.Changes.ToList().FindIndex(c => c.Kind == ChangeKind.DeleteRole));
            Assert.Equal(OnboardingSteps.RoleAttachments, out_.Step);
        }

        [Fact]
        public void The_reverse_plan_compares_role_ARNs_with_their_path()
        {
            var desired = Desired();
            var account = new Account_ { EntryRole = "arn:aws:iam::" + Account + ":role/security/VisionOneRole" };
            var observed = account.Observe(desired);
            var underPath = new RoleDescription { Arn = account.EntryRole, RoleName = "VisionOneRole", AssumeRolePolicyDocument = observed.Role!.AssumeRolePolicyDocument, Tags = observed.Role.Tags };

            var removal = RemovalPlanner.Plan(new RemovalRequest { ProviderArn = ProviderArn }, WithUsage(observed, role: underPath));

            Assert.Null(removal.Refusal);
            Assert.Contains(removal.Changes, c => c.Kind == ChangeKind.DisconnectAccount);
            Assert.Equal(account.EntryRole, removal.Changes.Single(c => c.Kind == ChangeKind.DeleteRole).Resource);
        }

        [Fact]
        public void The_reverse_plan_leaves_an_adopted_provider_and_policies_without_the_tag_unless_IncludeShared()
        {
            var account = new Account_ { ProviderTags = new List<AwsTag>() };
            var desired = Desired();
            var kept = RemovalPlanner.Plan(new RemovalRequest { ProviderArn = ProviderArn }, WithUsage(account.Observe(desired), policiesTagged: false));
            Assert.Null(kept.Refusal);
            Assert.DoesNotContain(kept.Changes, c => c.Kind == ChangeKind.DeleteProvider || c.Kind == ChangeKind.DeletePolicy);
            Assert.Contains(kept.Changes, c => c.Kind == ChangeKind.DeleteRole);

            var all = RemovalPlanner.Plan(new RemovalRequest { ProviderArn = ProviderArn, IncludeShared = true }, WithUsage(account.Observe(desired), policiesTagged: false));
            Assert.Single(all.Changes, c => c.Kind == ChangeKind.DeleteProvider);
            Assert.Equal(3, all.Changes.Count(c => c.Kind == ChangeKind.DeletePolicy));
        }

        [Fact]
        public void The_floor_of_a_run_adds_sign_in_beside_the_template_the_reads_the_changes_and_the_verification()
        {
            var fresh = Plan(new Account_ { Provider = false, Policies = false, Role = false, Entry = false });
            // max(STS + 1 read, links + download) + provider → role → attach → connect + 1 verification read
            Assert.Equal(2 + 4 + 1, fresh.Graph.RunFloor(templateCalls: 2, dependentReads: 1, fresh.Changes, verifyReads: 1));
            var rerun = Plan(new Account_());
            // STS, then the reads, then the default documents: 3; nothing to change, the entry already read is the verification.
            Assert.Equal(3, rerun.Graph.RunFloor(templateCalls: 2, dependentReads: 2, rerun.Changes, verifyReads: 0));
        }

        /// <summary>The same account as a removal reads it: the policies' attachment counts (our role's attachment only).</summary>
        private static ObservedAccount WithUsage(ObservedAccount observed, bool policiesTagged = true, string[]? instanceProfiles = null, RoleDescription? role = null) => new ObservedAccount(observed.AccountId, observed.Partition,
            observed.Parts | ObservedParts.PolicyUsage | ObservedParts.RoleInline | ObservedParts.TrustingRoles | ObservedParts.InstanceProfiles, observed.Provider,
            observed.Policies.Values.Select(p => new ObservedPolicy(p.Arn, p.Versions, null, 1, policiesTagged ? RoleTags.Ownership : null)), role ?? observed.Role, observed.Attached, observed.Inline,
            new[] { role ?? observed.Role! }, observed.CloudAccount, 1, instanceProfiles);

        /// <summary>An IAM client that fails any call: proof that planning does no I/O.</summary>
        public class NoCalls : DispatchProxy
        {
            public static IIamClient Iam() => Create<IIamClient, NoCalls>();
            protected override object Invoke(MethodInfo? targetMethod, object?[]? args) =>
                throw new InvalidOperationException("Planning called IAM " + targetMethod?.Name + ".");
        }
    }
}
