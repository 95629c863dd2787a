using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using VisionOneOnboarding.Net;
using Xunit;

namespace VisionOneOnboarding.Tests.Net
{
    /// <summary>The one bounded wait every wait of the module is made of, on a clock that does not sleep.</summary>
    public sealed class BoundedWaitTests
    {
        private static readonly WaitBudget TenSeconds = new WaitBudget(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), "a test");

        private sealed class NotYet : Exception { }

        [Fact]
        public async Task Pauses_grow_to_the_longest_and_the_last_is_cut_to_the_deadline_then_the_last_failure_surfaces()
        {
            var clock = new ManualWaitClock();
            int calls = 0;
            await Assert.ThrowsAsync<NotYet>(() => BoundedWait.RetryAsync<int>(TenSeconds, "waiting for a test", clock, NullLogSink.Instance,
                () => { calls++; throw new NotYet(); }, ex => ex is NotYet ? "not yet" : null, default));

            // 1 + 2 + 4 = 7 s, then 3 s left of the 10: the last pause ends on the deadline, where the last call is made.
            Assert.Equal(new[] { 1.0, 2.0, 4.0, 3.0 }, clock.Pauses.Select(p => p.TotalSeconds));
            Assert.Equal(5, calls);
        }

        [Fact]
        public async Task Jitter_shortens_a_pause_by_at_most_a_fifth()
        {
            var clock = new ManualWaitClock(jitter: 0.999);
            var answers = new Queue<int?>(new int?[] { null, 42 });
            var answer = await BoundedWait.PollAsync(TenSeconds, "waiting for a test", clock, NullLogSink.Instance,
                () => Task.FromResult(answers.Dequeue()), a => a == null ? "nothing yet" : null, default);

            Assert.Equal(42, answer);
            var pause = Assert.Single(clock.Pauses);
            Assert.InRange(pause.TotalSeconds, 0.8, 1.0);
        }

        [Fact]
        public async Task A_failure_the_wait_is_not_for_surfaces_at_once_without_a_pause()
        {
            var clock = new ManualWaitClock();
            await Assert.ThrowsAsync<InvalidOperationException>(() => BoundedWait.RetryAsync<int>(TenSeconds, "waiting for a test", clock, NullLogSink.Instance,
                () => throw new InvalidOperationException("other"), ex => ex is NotYet ? "not yet" : null, default));
            Assert.Empty(clock.Pauses);
        }

        [Fact]
        public async Task A_poll_whose_budget_is_spent_returns_the_last_answer()
        {
            var clock = new ManualWaitClock();
            int reads = 0;
            var answer = await BoundedWait.PollAsync(TenSeconds.Within(TimeSpan.FromSeconds(3)), "waiting for a test", clock, NullLogSink.Instance,
                () => Task.FromResult(++reads), _ => "still not", default);

            Assert.Equal(reads, answer);
            Assert.Equal(new[] { 1.0, 2.0 }, clock.Pauses.Select(p => p.TotalSeconds));
        }

        [Fact]
        public async Task Every_pause_is_said_with_its_reason_in_verbose_and_on_the_progress_bar_which_it_leaves_at_the_end()
        {
            var clock = new ManualWaitClock();
            var log = new ProgressRecordingLog();
            var answers = new Queue<string>(new[] { "failed", "failed", "managed" });
            await BoundedWait.PollAsync(TenSeconds, "waiting for the entry to be managed", clock, log,
                () => Task.FromResult(answers.Dequeue()), state => state == "managed" ? null : "it reports '" + state + "'", default);

            Assert.Equal(2, log.Verbose.Count);
            Assert.All(log.Verbose, m => Assert.StartsWith("Waiting for the entry to be managed: it reports 'failed'; trying again in ", m));
            Assert.Equal(3, log.Progress.Count);
            Assert.StartsWith("Waiting for the entry to be managed | it reports 'failed'", log.Progress[0]);
            Assert.EndsWith("| 10%", log.Progress[1]);
            Assert.Equal("Waiting for the entry to be managed | over", log.Progress[2]);
        }

        [Fact]
        public async Task A_wait_that_never_paused_leaves_the_progress_bar_alone()
        {
            var log = new ProgressRecordingLog();
            await BoundedWait.PollAsync(TenSeconds, "waiting for a test", new ManualWaitClock(), log, () => Task.FromResult(1), _ => null, default);
            Assert.Empty(log.Progress);
            Assert.Empty(log.Verbose);
        }
    }
}
