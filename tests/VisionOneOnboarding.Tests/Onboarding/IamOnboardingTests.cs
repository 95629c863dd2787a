using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Emulator;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.Tests.Net;

namespace VisionOneOnboarding.Tests.Onboarding
{
    /// <summary>The IAM engine end to end through our Query client against the in-process emulator.</summary>
    public sealed class IamOnboardingTests : IAsyncLifetime
    {
        private const string Issuer = "https://cloudaccounts-us.xdr.trendmicro.com";
        private EmulatorHost _host = null!;
        private AccountScope _scope = null!;
        private readonly RecordingLog _log = new RecordingLog();

        public async Task InitializeAsync()
        {
            _host = await EmulatorHost.StartAsync();
            _scope = await EmulatorClients.AccountAsync(_host);
        }

        public async Task DisposeAsync() => await _host.DisposeAsync();

        private AccountOnboarding Engine(IChangeGate? gate = null, OnboardingTimings? timings = null) =>
            new AccountOnboarding(_scope, null, gate ?? FixedChangeGate.Allow, _log, timings);

        /// <summary>One step, as its cmdlet runs it: plan the step, apply the plan, fold the outcome into the state.</summary>
        private static async Task StepAsync(AccountOnboarding engine, AwsOnboardingState state, DesiredOnboarding desired) =>
            state.FoldIn(await engine.ApplyAsync(await engine.PlanAsync(desired, default), default));

        private DesiredOnboarding Provider(IReadOnlyList<string>? thumbprints = null) => DesiredOnboarding.ForProvider(_scope.AccountId, _scope.Partition, Issuer, thumbprints);
        private DesiredOnboarding Thumbprints(AwsOnboardingState state) =>
            DesiredOnboarding.ForThumbprints(_scope.AccountId, _scope.Partition, state.OidcProviderArn!, null, state.IsOnlyPlanned(OnboardingSteps.OidcProvider, state.OidcProviderArn!));
        private DesiredOnboarding Policies(IReadOnlyList<KeyValuePair<string, string>> documents) => DesiredOnboarding.ForPolicies(_scope.AccountId, _scope.Partition, documents, "published");
        private DesiredOnboarding Role(RoleRequest request) => DesiredOnboarding.ForRole(_scope.AccountId, _scope.Partition, request);

        private static IReadOnlyList<KeyValuePair<string, string>> Published() =>
            PublishedPolicies.Load().OrderBy(p => p.Key).Select(p => new KeyValuePair<string, string>(p.Key, p.Value)).ToList();

        /// <summary>The IAM half step by step, as the chained single-step cmdlets run it.</summary>
        private async Task<AwsOnboardingState> RunAllAsync(AccountOnboarding engine)
        {
            var state = new AwsOnboardingState();
            await StepAsync(engine, state, Provider());
            await StepAsync(engine, state, Thumbprints(state));
            await StepAsync(engine, state, Policies(Published()));
            await StepAsync(engine, state, Role(new RoleRequest { ProviderArn = state.OidcProviderArn!, V1Region = "us", BusinessId = "1234567890", PolicyArns = state.PolicyArns }));
            return state;
        }

        private IReadOnlyList<CallRecord> Mutations() => _host.State.Calls.Snapshot().Where(c => c.Service == "iam" && c.Mutating && c.Success).ToList();

        [Fact]
        public async Task First_run_creates_everything_and_second_run_changes_nothing()
        {
            var first = await RunAllAsync(Engine());
            Assert.Equal(new[] { "CreateOpenIDConnectProvider", "CreatePolicy", "CreatePolicy", "CreatePolicy", "CreateRole", "AttachRolePolicy", "AttachRolePolicy", "AttachRolePolicy" },
                Mutations().Select(c => c.Action));
            Assert.Equal(8, first.Changes.Count);
            Assert.True(first.IsComplete);

            _host.State.Calls.Clear();
            var second = await RunAllAsync(Engine());
            Assert.Empty(Mutations());
            Assert.Empty(second.Changes);
            Assert.Equal(first.RoleArn, second.RoleArn);
            Assert.Equal(first.PolicyArns, second.PolicyArns);
        }

        [Fact]
        public async Task A_denying_gate_plans_every_change_and_makes_none()
        {
            var state = await RunAllAsync(Engine(FixedChangeGate.Deny));
            Assert.Empty(Mutations());
            Assert.All(state.Changes, c => Assert.False(c.Applied));
            Assert.Equal(8, state.Changes.Count);
            Assert.Equal("arn:aws:iam::123456789012:role/VisionOneRole", state.RoleArn);
        }

        [Fact]
        public async Task Oversized_policy_is_refused_before_any_call()
        {
            var big = "{\"Version\":\"2012-10-17\",\"Statement\":[" + string.Join(",", Enumerable.Range(0, 150).Select(i => "{\"Effect\":\"Allow\",\"Action\":\"ec2:DescribeThingNumber" + i + "\",\"Resource\":\"*\"}")) + "]}";
            var docs = Published().Take(2).Concat(new[] { new KeyValuePair<string, string>("VisionOnePolicyPart3", big) }).ToList();
            _host.State.Calls.Clear();
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => StepAsync(Engine(), new AwsOnboardingState(), Policies(docs)));
            Assert.Contains("6,144", ex.Message);
            Assert.Empty(_host.State.Calls.Snapshot());
        }

        [Fact]
        public async Task Thumbprints_compare_case_insensitively()
        {
            var state = new AwsOnboardingState();
            await StepAsync(Engine(), state, Provider(OnboardingDefaults.Thumbprints.Select(t => t.ToUpperInvariant()).ToList()));
            _host.State.Calls.Clear();
            await StepAsync(Engine(), state, Thumbprints(state));
            Assert.Empty(Mutations());
        }

        [Fact]
        public async Task Role_with_other_trust_is_refused_unless_forced()
        {
            var state = await RunAllAsync(Engine());
            var other = new RoleRequest { ProviderArn = state.OidcProviderArn!, V1Region = "us", BusinessId = "999", PolicyArns = state.PolicyArns };
            _host.State.Calls.Clear();
            var ex = await Assert.ThrowsAsync<VisionOneException>(() => StepAsync(Engine(), new AwsOnboardingState(), Role(other)));
            Assert.Equal("VisionOne.RoleTrustMismatch", ex.ErrorId);
            Assert.Empty(Mutations());

            other.Force = true;
            await StepAsync(Engine(), new AwsOnboardingState(), Role(other));
            Assert.Equal(new[] { "UpdateAssumeRolePolicy" }, Mutations().Select(c => c.Action));
        }

        [Fact]
        public async Task Invalid_principal_is_retried_while_the_provider_propagates()
        {
            // Long enough that the role is always created before IAM sees the provider, even on a busy machine.
            _host.State.Faults.PrincipalPropagationDelay = TimeSpan.FromMilliseconds(1500);
            // The emulator's propagation runs on real time: the pauses sleep for real (100 ms each), and are recorded.
            var clock = new ManualWaitClock(sleepFor: TimeSpan.FromMilliseconds(100));
            var scope = await EmulatorClients.AccountAsync(_host, _log, clock, WaitBudgets.InvalidPrincipal);
            var state = await RunAllAsync(new AccountOnboarding(scope, null, FixedChangeGate.Allow, _log));
            Assert.NotNull(state.RoleArn);
            Assert.NotEmpty(clock.Pauses);
            Assert.Contains(_log.Verbose, m => m.Contains("does not see the OIDC provider yet"));
            Assert.Contains(_host.State.Calls.Snapshot(), c => c.Action == "CreateRole" && !c.Success && c.ErrorCode == "MalformedPolicyDocument");
        }

        [Fact]
        public async Task Invalid_principal_past_the_bounded_wait_surfaces_the_IAM_error()
        {
            _host.State.Faults.PrincipalPropagationDelay = TimeSpan.FromMinutes(10);
            var clock = new ManualWaitClock();
            var scope = await EmulatorClients.AccountAsync(_host, _log, clock, WaitBudgets.InvalidPrincipal);
            var ex = await Assert.ThrowsAsync<AwsServiceException>(() => RunAllAsync(new AccountOnboarding(scope, null, FixedChangeGate.Allow, _log)));
            Assert.Equal("MalformedPolicyDocument", ex.ErrorCode);
            // The whole budget was waited (on the clock, not for real), and no longer.
            Assert.Equal(WaitBudgets.InvalidPrincipal.Total, TimeSpan.FromTicks(clock.Pauses.Sum(p => p.Ticks)));
        }

        [Fact]
        public async Task Policy_update_makes_room_when_five_versions_exist()
        {
            var state = await RunAllAsync(Engine());
            var arn = state.PolicyArns[2];
            for (int i = 0; i < 4; i++)
                await _scope.Iam.CreatePolicyVersionAsync(arn, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject" + i + "\",\"Resource\":\"*\"}]}", true, default);
            _host.State.Calls.Clear();
            await StepAsync(Engine(), new AwsOnboardingState(), Policies(Published()));
            Assert.Equal(new[] { "DeletePolicyVersion", "CreatePolicyVersion" }, Mutations().Select(c => c.Action));
            var versions = await _scope.Iam.ListPolicyVersionsAsync(arn, default);
            Assert.Equal(5, versions.Count);
            Assert.DoesNotContain(versions, v => v.VersionId == "v1");
        }

        private sealed class RecordingLog : ILogSink
        {
            public List<string> Verbose { get; } = new List<string>();
            void ILogSink.Verbose(string message) { lock (Verbose) Verbose.Add(message); }
            public void Debug(string message) { }
            public void Warning(string message) { }
        }
    }
}
