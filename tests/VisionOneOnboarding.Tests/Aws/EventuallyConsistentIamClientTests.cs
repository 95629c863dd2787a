using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Emulator;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Tests.Net;
using VisionOneOnboarding.Tests.Onboarding;
using Xunit;

namespace VisionOneOnboarding.Tests.Aws
{
    /// <summary>
    /// The wrapper waits out IAM's read-after-write lag only where its own recent change explains a stale answer. The
    /// emulator shows the lag real IAM has (a role just created reads as NoSuchEntity for a while); the waits are
    /// counted, not slept.
    /// </summary>
    public sealed class EventuallyConsistentIamClientTests : IAsyncLifetime
    {
        private const string Trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}";
        private EmulatorHost _host = null!;
        private IIamClient _raw = null!;
        // The emulator's lag runs on real time: each pause sleeps 50 ms for real, and is recorded.
        private readonly ManualWaitClock _clock = new ManualWaitClock(sleepFor: TimeSpan.FromMilliseconds(50));

        public async Task InitializeAsync()
        {
            _host = await EmulatorHost.StartAsync();
            _raw = EmulatorClients.RawIam(_host);
        }

        public async Task DisposeAsync() => await _host.DisposeAsync();

        private EventuallyConsistentIamClient Client() => new EventuallyConsistentIamClient(_raw, clock: _clock);

        [Fact]
        public async Task A_role_it_just_created_is_read_again_until_visible_and_one_it_just_deleted_is_not_waited_for()
        {
            _host.State.Faults.AddLag(new LagRule { Service = "iam", Action = "CreateRole", LagMs = 300 });
            var client = Client();
            await client.CreateRoleAsync("Lagging", Trust, null, Array.Empty<AwsTag>(), default);

            Assert.NotNull(await client.GetRoleAsync("Lagging", default));
            Assert.NotEmpty(_clock.Pauses);

            var paused = _clock.Pauses.Count;
            await client.DeleteRoleAsync("Lagging", default);
            Assert.Null(await client.GetRoleAsync("Lagging", default));
            Assert.Equal(paused, _clock.Pauses.Count);
        }

        [Fact]
        public async Task By_default_a_role_it_just_created_is_waited_for_a_minute_then_reported_absent()
        {
            // IAM documents "seconds, sometimes a minute": the default budget is that minute, spent on the clock, not slept.
            _host.State.Faults.AddLag(new LagRule { Service = "iam", Action = "CreateRole", LagMs = 600_000 });
            var clock = new ManualWaitClock();
            var client = new EventuallyConsistentIamClient(_raw, clock: clock);
            await client.CreateRoleAsync("Slow", Trust, null, Array.Empty<AwsTag>(), default);

            Assert.Null(await client.GetRoleAsync("Slow", default));
            Assert.Equal(TimeSpan.FromMinutes(1), TimeSpan.FromTicks(clock.Pauses.Sum(p => p.Ticks)));
        }

        [Fact]
        public async Task A_role_it_did_not_touch_that_does_not_exist_is_answered_at_once()
        {
            Assert.Null(await Client().GetRoleAsync("NeverCreated", default));
            Assert.Empty(_clock.Pauses);
        }
    }
}
