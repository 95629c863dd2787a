using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Emulator;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.Tests.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Tests.Onboarding
{
    /// <summary>Inspection, repair and removal end to end against the in-process emulator (IAM and Vision One).</summary>
    public sealed class LifecycleTests : IAsyncLifetime
    {
        private const string Account = "123456789012";
        private const string BusinessId = "1234567890";
        private const string Host = "cloudaccounts-us.xdr.trendmicro.com";
        private const string ProviderArn = "arn:aws:iam::" + Account + ":oidc-provider/" + Host;
        private const string RoleArn = "arn:aws:iam::" + Account + ":role/VisionOneRole";
        private static string PolicyArn(int part) => "arn:aws:iam::" + Account + ":policy/VisionOnePolicyPart" + part;

        private EmulatorHost _host = null!;
        private AccountScope _scope = null!;
        private CamClient _cam = null!;
        private readonly Log _log = new Log();
        private static readonly OnboardingTimings Timings = new OnboardingTimings { Clock = new ManualWaitClock() };

        public async Task InitializeAsync()
        {
            _host = await EmulatorHost.StartAsync();
            _scope = await EmulatorClients.AccountAsync(_host);
            _cam = EmulatorClients.VisionOne(_host);
        }

        public async Task DisposeAsync()
        {
            _cam.Dispose();
            await _host.DisposeAsync();
        }

        private IIamClient Iam => _scope.Iam;

        private AccountOnboarding Engine(IChangeGate? gate = null) => new AccountOnboarding(_scope, _cam, gate ?? FixedChangeGate.Allow, _log, Timings);

        private async Task<AwsOnboardingState> OnboardAsync(IChangeGate? gate = null, bool force = false)
        {
            var state = new AwsOnboardingState();
            state.FoldIn(await Engine(gate).InvokeAsync(new OnboardingRequest { Name = "Lifecycle", BusinessId = BusinessId, V1Region = "us", Force = force }, null, null, default));
            return state;
        }

        private async Task<IReadOnlyList<OnboardingCheck>> InspectAsync(CamClient? cam = null) =>
            (await new AccountOnboarding(_scope, cam ?? _cam, FixedChangeGate.Deny, _log).TestAsync(new ExpectationRequest { BusinessId = BusinessId, V1Region = "us" }, null, default)).Checks;

        private Task<OnboardingOutcome> RemoveAsync(bool force = false, bool keep = false, IChangeGate? gate = null) =>
            Engine(gate).RemoveAsync(new RemovalRequest { ProviderArn = ProviderArn, IncludeShared = force, KeepAwsResources = keep }, default);

        private List<CallRecord> Mutations() => _host.State.Calls.Snapshot().Where(c => c.Mutating && c.Success && c.Service != "sts").ToList();
        private string[] MutatingActions() => Mutations().Select(c => c.Action).ToArray();
        private string IamDump() => _host.State.Iam.DescribeAccount(Account)!.ToJsonString();

        private static string[] Findings(IEnumerable<OnboardingCheck> checks) =>
            checks.Where(c => c.Kind != CheckStatus.Ok).Select(c => c.Step + " " + c.Item + " " + c.Kind).OrderBy(s => s, StringComparer.Ordinal).ToArray();

        // The Cloud Accounts entry's key is the account id; the change that connects it names the role it connects.
        private static string[] Keys(IEnumerable<OnboardingCheck> checks) =>
            checks.Where(c => c.Kind != CheckStatus.Ok && !(c.Step == OnboardingSteps.CloudAccount && c.Item == "State"))
                .Select(c => c.Step + " " + c.Resource).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray();

        private static string[] Keys(IEnumerable<OnboardingChange> changes) =>
            changes.Select(c => c.Step + " " + (c.Step == OnboardingSteps.CloudAccount ? AwsArns.AccountOf(c.Target) ?? c.Target : c.Target))
                .Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray();

        [Fact]
        public async Task A_fresh_onboarding_passes_every_check()
        {
            await OnboardAsync();
            var checks = await InspectAsync();
            Assert.Empty(Findings(checks));
            // provider URL + audience, 4 thumbprints, 3 policies, role, 6 trust pieces, 3 tags, 3 attachments, entry + role ARN + state
            Assert.Equal(28, checks.Count);
            Assert.All(checks, c => Assert.Equal(Account, c.AccountId));
            Assert.True(new OnboardingCheckSummary(Account, checks).IsCompliant);
            Assert.Contains(checks, c => c.Step == OnboardingSteps.RoleTrust && c.Item.StartsWith("Subject") && c.Expected == TrustPolicy.Subject("us", BusinessId));
        }

        [Fact]
        public async Task An_empty_account_is_one_missing_check_per_missing_resource_and_no_call_changes_anything()
        {
            var before = IamDump();
            var checks = await InspectAsync();
            Assert.Equal(new[]
            {
                "CloudAccount Entry Missing", "OidcProvider Provider Missing", "Policies VisionOnePolicyPart1 Missing", "Policies VisionOnePolicyPart2 Missing",
                "Policies VisionOnePolicyPart3 Missing", "Role Role Missing", "RoleAttachments VisionOnePolicyPart1 Missing",
                "RoleAttachments VisionOnePolicyPart2 Missing", "RoleAttachments VisionOnePolicyPart3 Missing",
            }, Findings(checks));
            Assert.Empty(MutatingActions());
            Assert.Equal(before, IamDump());

            // The plan of a first onboarding is the same list.
            var plan = await OnboardAsync(FixedChangeGate.Deny);
            Assert.Equal(Keys(checks), Keys(plan.Changes));
            Assert.False(new OnboardingCheckSummary(Account, checks).IsCompliant);
        }

        [Fact]
        public async Task Drift_of_every_kind_is_reported_planned_alike_and_repaired_with_only_the_needed_calls()
        {
            await OnboardAsync();
            var provider = (await Iam.GetOpenIdConnectProviderAsync(ProviderArn, default))!;
            await Iam.UpdateOpenIdConnectProviderThumbprintAsync(ProviderArn, provider.Thumbprints.Skip(1).Concat(new[] { new string('a', 40) }).ToList(), default);
            await Iam.CreatePolicyVersionAsync(PolicyArn(3), WithExtraStatement(PublishedPolicies.Load()["VisionOnePolicyPart3"]), true, default);
            await Iam.UpdateAssumeRolePolicyAsync("VisionOneRole", TrustWithSubjects(TrustPolicy.Subject("us", BusinessId), TrustPolicy.Subject("us", "9999999999")), default);
            await Iam.UntagRoleAsync("VisionOneRole", new[] { OnboardingDefaults.FeaturesTagKey }, default);
            await Iam.DetachRolePolicyAsync("VisionOneRole", PolicyArn(2), default);

            var checks = await InspectAsync();
            Assert.Equal(new[]
            {
                "CloudAccount State Drifted", "Policies VisionOnePolicyPart3 Drifted", "RoleAttachments VisionOnePolicyPart2 Missing",
                "RoleTags VisionOneFeatures Missing", "RoleTrust Subject (" + Host + ":sub) Extra", "Thumbprints Thumbprint Extra", "Thumbprints Thumbprint Missing",
            }, Findings(checks));
            Assert.Contains("1 statement(s) not prescribed", checks.Single(c => c.Step == OnboardingSteps.Policies && c.Item == "VisionOnePolicyPart3").Actual);

            var plan = await OnboardAsync(FixedChangeGate.Deny);
            Assert.Equal(Keys(checks), Keys(plan.Changes));

            _host.State.Calls.Clear();
            var repaired = await OnboardAsync();
            // Independent repairs go out side by side, in any order; the attachment waits for the policies' update.
            CallOrder.AssertSameCalls(new[] { "UpdateOpenIDConnectProviderThumbprint", "CreatePolicyVersion", "UpdateAssumeRolePolicy", "TagRole", "AttachRolePolicy" }, MutatingActions());
            CallOrder.AssertBefore(MutatingActions(), "CreatePolicyVersion", "AttachRolePolicy");
            Assert.Equal("managed", repaired.CloudAccountState);
            Assert.Contains(_log.Verbose, m => m.Contains("carries the VisionOneCloudFormationStackName tag"));
            Assert.Empty(Findings(await InspectAsync()));
        }

        [Fact]
        public async Task A_removed_Cloud_Accounts_entry_is_reported_and_reconnected_without_an_IAM_call()
        {
            await OnboardAsync();
            await _cam.DeleteAwsAccountAsync(Account);
            var checks = await InspectAsync();
            Assert.Equal(new[] { "CloudAccount Entry Missing" }, Findings(checks));
            _host.State.Calls.Clear();
            await OnboardAsync();
            Assert.Equal(new[] { "AddAwsAccount" }, MutatingActions());
            Assert.Empty(Findings(await InspectAsync()));
        }

        [Theory]
        [InlineData("extra-statement", "Other statements", CheckStatus.Extra)]
        [InlineData("extra-action", "Actions", CheckStatus.Extra)]
        [InlineData("missing-action", "Actions", CheckStatus.Missing)]
        [InlineData("other-principal", "Principal", CheckStatus.Extra)]
        [InlineData("other-provider", "Principal", CheckStatus.Missing)]
        [InlineData("wrong-aud", "Audience (" + Host + ":aud)", CheckStatus.Drifted)]
        [InlineData("sid", "Other elements", CheckStatus.Drifted)]
        public async Task Trust_drift_is_named_piece_by_piece_and_a_tagged_role_is_repaired_without_force(string drift, string item, CheckStatus status)
        {
            await OnboardAsync();
            var trust = JsonNode.Parse(TrustPolicy.Build(ProviderArn, Host, "arn:aws:iam::" + Account + ":root", "us", BusinessId))!.AsObject();
            var statement = trust["Statement"]![0]!.AsObject();
            switch (drift)
            {
                case "extra-statement":
                    trust["Statement"]!.AsArray().Add(JsonNode.Parse("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + Account + ":root\"},\"Action\":\"sts:AssumeRole\"}"));
                    break;
                case "extra-action": statement["Action"]!.AsArray().Add("sts:TagSession"); break;
                case "missing-action": statement["Action"] = "sts:AssumeRoleWithWebIdentity"; break;
                case "other-principal": statement["Principal"]!["AWS"] = "arn:aws:iam::" + Account + ":root"; break;
                case "other-provider":
                    await Iam.CreateOpenIdConnectProviderAsync("https://cloudaccounts-eu.xdr.trendmicro.com", new[] { "x" }, new[] { new string('b', 40) }, new AwsTag[0], default);
                    statement["Principal"]!["Federated"] = "arn:aws:iam::" + Account + ":oidc-provider/cloudaccounts-eu.xdr.trendmicro.com";
                    break;
                case "wrong-aud": statement["Condition"]!["StringEquals"]![Host + ":aud"] = "sts.amazonaws.com"; break;
                case "sid": statement["Sid"] = "Mine"; break;
            }
            await Iam.UpdateAssumeRolePolicyAsync("VisionOneRole", trust.ToJsonString(), default);

            var trustChecks = (await InspectAsync(cam: null)).Where(c => c.Step == OnboardingSteps.RoleTrust).ToList();
            var named = trustChecks.Single(c => c.Item == item);
            Assert.Equal(status, named.Kind);
            Assert.Equal(RoleArn, named.Resource);

            _host.State.Calls.Clear();
            await OnboardAsync();
            Assert.Contains("UpdateAssumeRolePolicy", MutatingActions());
            Assert.All((await InspectAsync()).Where(c => c.Step == OnboardingSteps.RoleTrust), c => Assert.Equal(CheckStatus.Ok, c.Kind));
        }

        [Fact]
        public async Task An_untagged_role_whose_trust_differs_still_needs_force_and_New_V1Role_keeps_extra_attachments()
        {
            await OnboardAsync();
            await Iam.UntagRoleAsync("VisionOneRole", new[] { OnboardingDefaults.StackNameTagKey }, default);
            await Iam.UpdateAssumeRolePolicyAsync("VisionOneRole", TrustWithSubjects(TrustPolicy.Subject("us", "9999999999")), default);
            _host.State.Calls.Clear();
            var refused = await Assert.ThrowsAsync<VisionOneException>(() => OnboardAsync());
            Assert.Equal("VisionOne.RoleTrustMismatch", refused.ErrorId);
            Assert.DoesNotContain(Mutations(), c => c.Service == "iam");

            await OnboardAsync(force: true);
            var extra = (await Iam.CreatePolicyAsync("Other", PublishedPolicies.Load()["VisionOnePolicyPart3"], null, new AwsTag[0], default)).Arn;
            await Iam.AttachRolePolicyAsync("VisionOneRole", extra, default);
            Assert.Equal(new[] { "RoleAttachments " + extra + " Extra" }, Findings(await InspectAsync()));

            // The single step (New-V1Role) adopts the role as it is; the whole procedure puts back what is prescribed.
            var single = new AccountOnboarding(_scope, null, FixedChangeGate.Allow, _log, Timings);
            var roleStep = await single.ApplyAsync(await single.PlanAsync(DesiredOnboarding.ForRole(Account, "aws", new RoleRequest
            {
                ProviderArn = ProviderArn, V1Region = "us", BusinessId = BusinessId, PolicyArns = new[] { PolicyArn(1), PolicyArn(2), PolicyArn(3) },
                AwsDeploymentRegion = _scope.Region ?? OnboardingDefaults.DefaultAwsRegion,
            }), default), default);
            Assert.Empty(roleStep.Changes);
            _host.State.Calls.Clear();
            await OnboardAsync();
            Assert.Equal(new[] { "DetachRolePolicy" }, MutatingActions());
            Assert.Empty(Findings(await InspectAsync()));
        }

        [Fact]
        public async Task Removal_reverses_the_onboarding_in_safe_order_and_leaves_the_account_as_before()
        {
            var before = IamDump();
            await OnboardAsync();
            // A second policy version, as a repair leaves behind.
            await Iam.CreatePolicyVersionAsync(PolicyArn(3), WithExtraStatement(PublishedPolicies.Load()["VisionOnePolicyPart3"]), true, default);
            _host.State.Calls.Clear();

            var removed = await RemoveAsync();
            // Step after step in the safe order; within a step, the three policies (or attachments) side by side.
            CallOrder.AssertGroups(MutatingActions(),
                new[] { "DeleteAwsAccount" },
                new[] { "DetachRolePolicy", "DetachRolePolicy", "DetachRolePolicy" },
                new[] { "DeletePolicy", "DeletePolicy", "DeletePolicyVersion", "DeletePolicy" },
                new[] { "DeleteRole" },
                new[] { "DeleteOpenIDConnectProvider" });
            CallOrder.AssertBefore(MutatingActions(), "DeletePolicyVersion", "DeletePolicy", lastOf: true);
            Assert.Equal(10, removed.Changes.Count);
            Assert.True(removed.IsComplete);
            Assert.Equal(before, IamDump());
            Assert.Empty(_host.State.Cam.Dump());

            // Everything is gone already: a re-run reads and changes nothing.
            _host.State.Calls.Clear();
            Assert.Empty((await RemoveAsync()).Changes);
            Assert.Empty(Mutations());
        }

        [Fact]
        public async Task A_removal_that_failed_halfway_is_finished_by_running_it_again()
        {
            var before = IamDump();
            await OnboardAsync();
            _host.State.Faults.AddRule(new FailNthRule { Service = "iam", Action = "DeleteRole", Status = 403, Code = "AccessDenied" });
            // An AccessDenied halfway is the catalogue's error naming the action and what this run already changed.
            var failure = await Assert.ThrowsAsync<VisionOneException>(() => RemoveAsync());
            Assert.Same(ErrorCatalogue.AwsAccessDeniedDuringApply, failure.Error);
            Assert.Equal("AccessDenied", Assert.IsType<AwsServiceException>(failure.InnerException).ErrorCode);
            Assert.Contains("iam:DeletePolicy on " + PolicyArn(1), failure.Message);
            Assert.NotNull(await Iam.GetRoleAsync("VisionOneRole", default));
            Assert.Null(await Iam.GetPolicyAsync(PolicyArn(1), default));

            _host.State.Calls.Clear();
            var rerun = await RemoveAsync();
            Assert.Equal(new[] { "DeleteRole", "DeleteOpenIDConnectProvider" }, MutatingActions());
            Assert.Equal(before, IamDump());
            Assert.Empty(_host.State.Cam.Dump());
        }

        [Fact]
        public async Task A_denying_gate_plans_every_removal_call_and_makes_none()
        {
            await OnboardAsync();
            var before = IamDump();
            _host.State.Calls.Clear();
            var plan = await RemoveAsync(gate: FixedChangeGate.Deny);
            Assert.Equal(9, plan.Changes.Count);
            Assert.All(plan.Changes, c => Assert.False(c.Applied));
            Assert.Equal(new[] { OnboardingSteps.CloudAccount, OnboardingSteps.RoleAttachments, OnboardingSteps.Policies, OnboardingSteps.Role, OnboardingSteps.OidcProvider },
                plan.Changes.Select(c => c.Step).Distinct());
            Assert.Empty(Mutations());
            Assert.Equal(before, IamDump());
            Assert.Single(_host.State.Cam.Dump());
        }

        [Fact]
        public async Task KeepAwsResources_only_disconnects()
        {
            await OnboardAsync();
            var before = IamDump();
            _host.State.Calls.Clear();
            await RemoveAsync(keep: true);
            Assert.Equal(new[] { "DeleteAwsAccount" }, MutatingActions());
            Assert.Equal(before, IamDump());
            Assert.Empty(_host.State.Cam.Dump());
        }

        [Theory]
        [InlineData("untagged", "VisionOne.RemovalRoleNotCreatedByProcedure")]
        [InlineData("inline", "VisionOne.RemovalRoleInUse")]
        [InlineData("other-attachment", "VisionOne.RemovalRoleInUse")]
        [InlineData("other-trust", "VisionOne.RemovalRoleInUse")]
        [InlineData("other-audience", "VisionOne.RemovalProviderInUse")]
        [InlineData("other-role", "VisionOne.RemovalProviderInUse")]
        [InlineData("other-connection", "VisionOne.RemovalConnectedWithOtherRole")]
        public async Task Removal_refuses_what_others_use_before_any_change_unless_forced(string setup, string errorId)
        {
            var pristine = IamDump();
            await OnboardAsync();
            switch (setup)
            {
                case "untagged": await Iam.UntagRoleAsync("VisionOneRole", new[] { OnboardingDefaults.StackNameTagKey }, default); break;
                case "inline": await PutInlinePolicyAsync(); break;
                case "other-attachment":
                    var other = await Iam.CreatePolicyAsync("Other", PublishedPolicies.Load()["VisionOnePolicyPart3"], null, new AwsTag[0], default);
                    await Iam.AttachRolePolicyAsync("VisionOneRole", other.Arn, default);
                    break;
                case "other-trust":
                    var trust = JsonNode.Parse(TrustPolicy.Build(ProviderArn, Host, "arn:aws:iam::" + Account + ":root", "us", BusinessId))!.AsObject();
                    trust["Statement"]!.AsArray().Add(JsonNode.Parse("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}"));
                    await Iam.UpdateAssumeRolePolicyAsync("VisionOneRole", trust.ToJsonString(), default);
                    break;
                case "other-audience": await Iam.AddClientIdToOpenIdConnectProviderAsync(ProviderArn, "sts.amazonaws.com", default); break;
                case "other-role":
                    await Iam.CreateRoleAsync("SomeoneElse", TrustWithSubjects("urn:other"), null, new AwsTag[0], default);
                    break;
                case "other-connection":
                    await Iam.CreateRoleAsync("OtherV1Role", TrustWithSubjects(TrustPolicy.Subject("us", BusinessId)), null, new AwsTag[0], default);
                    await _cam.UpdateAwsAccountAsync(Account, (await _cam.GetAwsAccountAsync(Account))!.ETag!, new V1AwsAccountPatch { RoleArn = "arn:aws:iam::" + Account + ":role/OtherV1Role" });
                    break;
            }
            var before = IamDump();
            var accounts = _host.State.Cam.Dump().Count;
            _host.State.Calls.Clear();

            var refused = await Assert.ThrowsAsync<VisionOneException>(() => RemoveAsync());
            Assert.Equal(errorId, refused.ErrorId);
            Assert.Contains("Nothing was changed", refused.Message);
            Assert.Empty(Mutations());
            Assert.Equal(before, IamDump());
            Assert.Equal(accounts, _host.State.Cam.Dump().Count);

            await RemoveAsync(force: true);
            Assert.Null(await Iam.GetRoleAsync("VisionOneRole", default));
            Assert.Null(await Iam.GetOpenIdConnectProviderAsync(ProviderArn, default));
            Assert.Empty(_host.State.Cam.Dump());
            if (setup == "untagged" || setup == "inline" || setup == "other-trust" || setup == "other-audience") Assert.Equal(pristine, IamDump());
        }

        [Fact]
        public async Task A_policy_attached_elsewhere_is_left_in_place_with_a_warning()
        {
            await OnboardAsync();
            await Iam.CreateRoleAsync("SomeoneElse", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}", null, new AwsTag[0], default);
            await Iam.AttachRolePolicyAsync("SomeoneElse", PolicyArn(1), default);
            await RemoveAsync();
            Assert.NotNull(await Iam.GetPolicyAsync(PolicyArn(1), default));
            Assert.Null(await Iam.GetPolicyAsync(PolicyArn(2), default));
            Assert.Null(await Iam.GetRoleAsync("VisionOneRole", default));
            Assert.Contains(_log.Warnings, w => w.Contains("VisionOnePolicyPart1") && w.Contains("left in place"));
        }

        private async Task PutInlinePolicyAsync()
        {
            // IIamClient has no PutRolePolicy (the procedure never writes inline policies): set one up through the store.
            _host.State.Iam.PutRolePolicy(Account, "VisionOneRole", "Extra", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"*\"}]}");
            await Task.CompletedTask;
        }

        private static string TrustWithSubjects(params string[] subjects)
        {
            var trust = JsonNode.Parse(TrustPolicy.Build(ProviderArn, Host, "arn:aws:iam::" + Account + ":root", "us", BusinessId))!.AsObject();
            trust["Statement"]![0]!["Condition"]!["StringEquals"]![Host + ":sub"] = new JsonArray(subjects.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            return trust.ToJsonString();
        }

        private static string WithExtraStatement(string document)
        {
            var doc = JsonNode.Parse(document)!.AsObject();
            doc["Statement"]!.AsArray().Add(JsonNode.Parse("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}"));
            return doc.ToJsonString();
        }

        private sealed class Log : ILogSink
        {
            public List<string> Verbose { get; } = new List<string>();
            public List<string> Warnings { get; } = new List<string>();
            void ILogSink.Verbose(string message) { lock (Verbose) Verbose.Add(message); }
            public void Debug(string message) { }
            public void Warning(string message) { lock (Warnings) Warnings.Add(message); }
        }
    }
}
