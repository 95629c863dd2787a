using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Emulator;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.Tests.Emulator;
using VisionOneOnboarding.Tests.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Tests.Onboarding
{
    /// <summary>
    /// Vision One checks the role when an account is added, and AWS may not let it assume a role created (or re-trusted)
    /// seconds ago: the real service answers 400 BadRequest "Unable to assume role …" and creates nothing. The emulator
    /// does so for a window after the role's creation or trust change; module and emulator share one manual clock, so
    /// nothing here sleeps.
    /// </summary>
    public sealed class RoleNotAssumableYetTests : IAsyncLifetime
    {
        private const string Account = "123456789012";
        private const string BusinessId = "1234567890";
        private EmulatorHost _host = null!;
        private AccountScope _scope = null!;
        private CamClient _cam = null!;
        private ManualWaitClock _clock = null!;
        private readonly ProgressRecordingLog _log = new ProgressRecordingLog();

        public async Task InitializeAsync()
        {
            _host = await EmulatorHost.StartAsync();
            var time = new ManualClock(DateTimeOffset.UtcNow);
            _host.State.Iam.Clock = time;
            _clock = new ManualWaitClock(emulator: time);
            _scope = await EmulatorClients.AccountAsync(_host);
            _cam = EmulatorClients.VisionOne(_host);
        }

        public async Task DisposeAsync()
        {
            _cam.Dispose();
            await _host.DisposeAsync();
        }

        private Task<OnboardingOutcome> OnboardAsync(bool force = false) =>
            new AccountOnboarding(_scope, _cam, FixedChangeGate.Allow, _log, new OnboardingTimings { Clock = _clock })
                .InvokeAsync(new OnboardingRequest { Name = "Fresh", BusinessId = BusinessId, V1Region = "us", Force = force }, null, null, default);

        private List<CallRecord> Calls(string action) => _host.State.Calls.Snapshot().Where(c => c.Service == "cam" && c.Action == action).ToList();

        [Fact]
        public async Task A_fresh_onboarding_under_a_20_s_window_is_managed_in_one_run_the_add_retried_with_growing_pauses()
        {
            _host.State.Faults.AssumeRoleWindow = TimeSpan.FromSeconds(20);

            var outcome = await OnboardAsync();

            Assert.Equal("managed", outcome.CloudAccount!.State);
            var adds = Calls("AddAwsAccount");
            Assert.Equal(new[] { 400, 400, 400, 201 }, adds.Select(c => c.Status));
            Assert.All(adds.Take(3), c => Assert.Equal("BadRequest", c.ErrorCode));
            // Trend's provider waits 5, 10 and 20 s: the same pauses, on the clock.
            Assert.Equal(new[] { 5.0, 10.0, 20.0 }, _clock.Pauses.Select(p => p.TotalSeconds));
            Assert.Equal(3, _log.Verbose.Count(m => m.StartsWith("Waiting for AWS to let Vision One assume VisionOneRole: Vision One answered HTTP 400 BadRequest (Unable to assume role")));
            Assert.Contains(_log.Progress, p => p.StartsWith("Waiting for AWS to let Vision One assume VisionOneRole | "));
            Assert.Equal("Waiting for AWS to let Vision One assume VisionOneRole | over", _log.Progress.Last());
        }

        [Fact]
        public async Task A_window_longer_than_the_budget_fails_saying_when_the_role_was_created_and_a_re_run_finishes()
        {
            _host.State.Faults.AssumeRoleWindow = TimeSpan.FromSeconds(300);

            var failed = await Assert.ThrowsAsync<VisionOneException>(() => OnboardAsync());

            Assert.Equal(ErrorCatalogue.RoleNotAssumableYet.Id, failed.ErrorId);
            // 90 s of retries, then the read-back's 10 s: nothing was created.
            Assert.Contains("Vision One still cannot assume arn:aws:iam::" + Account + ":role/VisionOneRole", failed.Message);
            Assert.Contains("The role was created 100 s ago", failed.Message);
            Assert.Contains("run the same command again", failed.Message);
            Assert.Equal("5 10 20 20 20 15 | 0.5 1 2 2 2 2 0.5", string.Join(" ", _clock.Pauses.Take(6).Select(p => p.TotalSeconds)) + " | " + string.Join(" ", _clock.Pauses.Skip(6).Select(p => p.TotalSeconds)));
            Assert.Empty(_host.State.Cam.Dump());

            _clock.Advance(TimeSpan.FromSeconds(300));
            _host.State.Calls.Clear();
            var rerun = await OnboardAsync();
            Assert.Equal("managed", rerun.CloudAccount!.State);
            Assert.Equal(new[] { 201 }, Calls("AddAwsAccount").Select(c => c.Status));
        }

        [Fact]
        public async Task The_PATCH_re_pointing_an_entry_to_a_role_this_run_created_waits_the_same_way()
        {
            // The entry exists with another role; this run creates VisionOneRole and, with -Force, re-points the entry to it.
            await _cam.AddAwsAccountAsync("arn:aws:iam::" + Account + ":role/OtherV1Role", "Fresh");
            _host.State.Faults.AssumeRoleWindow = TimeSpan.FromSeconds(12);

            var outcome = await OnboardAsync(force: true);

            Assert.Equal("managed", outcome.CloudAccount!.State);
            Assert.Equal("arn:aws:iam::" + Account + ":role/VisionOneRole", outcome.CloudAccount.RoleArn);
            Assert.Equal(new[] { 400, 400, 204 }, Calls("UpdateAwsAccount").Select(c => c.Status));
            Assert.DoesNotContain(Calls("AddAwsAccount"), c => c.Status != 201);
        }

        [Fact]
        public async Task A_refusal_when_this_run_did_not_touch_the_role_is_not_waited_for()
        {
            await OnboardAsync();
            await _cam.DeleteAwsAccountAsync(Account);
            // Someone else just changed the trust policy (same document): this run did not, so it does not wait.
            var role = await _scope.Iam.GetRoleAsync("VisionOneRole", default);
            _host.State.Faults.AssumeRoleWindow = TimeSpan.FromSeconds(60);
            await _scope.Iam.UpdateAssumeRolePolicyAsync("VisionOneRole", role!.AssumeRolePolicyDocument, default);
            var pausesBefore = _clock.Pauses.Count;

            var failed = await Assert.ThrowsAsync<VisionOneApiException>(() => OnboardAsync());

            Assert.Equal(400, failed.StatusCode);
            Assert.Single(Calls("AddAwsAccount"), c => c.Status == 400);
            // Only the read-back waited (10 s); no retry of the add.
            Assert.Equal(10, _clock.Pauses.Skip(pausesBefore).Sum(p => p.TotalSeconds), 3);
        }
    }
}
