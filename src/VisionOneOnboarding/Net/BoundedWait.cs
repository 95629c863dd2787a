// One way to wait: every bounded wait of the module (IAM's eventual consistency, "Invalid principal in policy",
// Vision One assuming a fresh role, the Cloud Accounts read-back) is a BoundedWait over a WaitBudget, on a WaitClock.
//
//   var wait = new BoundedWait(WaitBudgets.CloudAccountManaged, "waiting for Vision One to manage AWS account 1234…", clock, log);
//   while (!done) { if (!wait.HasTimeLeft) break; await wait.PauseAsync("it reports 'failed'", ct); }
//   wait.End();
//
// or, for the two shapes every caller has, BoundedWait.RetryAsync (a call that fails with a "not yet" signal) and
// BoundedWait.PollAsync (a read whose answer is "not yet"). The deadline is the budget's Total from the wait's start;
// the pauses grow from FirstPause to LongestPause with jitter and are cut to the deadline, so the last attempt lands on
// it. Each pause is said in -Verbose and, where the log sink can show progress (IWaitProgress), on the progress bar.
using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Net
{
    /// <summary>
    /// The time every bounded wait reads and sleeps on. The module uses <see cref="System"/>; tests pass a clock whose
    /// <see cref="DelayAsync"/> moves its <see cref="UtcNow"/> on instead of sleeping.
    /// </summary>
    public class WaitClock
    {
        private readonly Random _random = new Random();
        private readonly object _randomGate = new object();

        /// <summary>Real time, real sleeps.</summary>
        public static WaitClock System { get; } = new WaitClock();

        public virtual DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

        public virtual Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, cancellationToken);

        /// <summary>A number in [0, 1) that spreads the pauses of many waits started together.</summary>
        public virtual double NextJitter()
        {
            lock (_randomGate) { return _random.NextDouble(); }
        }
    }

    /// <summary>
    /// How long a wait may last in all (<see cref="Total"/>), how its pauses grow, and the fact the figures come from
    /// (<see cref="Basis"/>). The named budgets are in <see cref="WaitBudgets"/>.
    /// </summary>
    public sealed class WaitBudget
    {
        public WaitBudget(TimeSpan total, TimeSpan firstPause, TimeSpan longestPause, string basis)
        {
            if (total < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(total));
            if (firstPause <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(firstPause));
            if (longestPause < firstPause) throw new ArgumentOutOfRangeException(nameof(longestPause));
            Total = total;
            FirstPause = firstPause;
            LongestPause = longestPause;
            Basis = basis ?? "";
        }

        public TimeSpan Total { get; }
        public TimeSpan FirstPause { get; }
        /// <summary>Pauses double from <see cref="FirstPause"/> up to this.</summary>
        public TimeSpan LongestPause { get; }
        /// <summary>Where the figures come from (a documented fact, a peer's practice).</summary>
        public string Basis { get; }

        /// <summary>The same budget with another total (a user's -VerifyTimeoutSeconds, a test's short wait).</summary>
        public WaitBudget Within(TimeSpan total) => new WaitBudget(total, FirstPause, LongestPause, Basis);

        /// <summary>The same budget with other pauses (a test that must not sleep long).</summary>
        public WaitBudget Pausing(TimeSpan firstPause, TimeSpan longestPause) => new WaitBudget(Total, firstPause, longestPause, Basis);
    }

    /// <summary>
    /// A log sink that can also show a wait on the progress bar (the cmdlets' <c>PipelineBridge</c>). A sink that does
    /// not implement it still hears every pause in <see cref="ILogSink.Verbose"/>.
    /// </summary>
    internal interface IWaitProgress
    {
        /// <summary>A wait is pausing: <paramref name="reason"/> is what it waits for, <paramref name="status"/> why and how long.</summary>
        void Waiting(string reason, string status, int percentComplete);

        /// <summary>The wait that was shown is over (done, or its budget spent).</summary>
        void WaitOver(string reason);
    }

    /// <summary>One bounded wait: a deadline, growing pauses with jitter, a reason said at each pause, one clock.</summary>
    internal sealed class BoundedWait
    {
        private readonly WaitBudget _budget;
        private readonly WaitClock _clock;
        private readonly ILogSink _log;
        private readonly DateTimeOffset _started;
        private TimeSpan _nextPause;

        /// <param name="budget">The deadline (from now) and the pauses.</param>
        /// <param name="reason">What is waited for, said at every pause ("waiting for AWS to let Vision One assume VisionOneRole").</param>
        /// <param name="clock">Read for the deadline, slept on for the pauses.</param>
        /// <param name="log">Told about every pause; shows it on the progress bar too when it is an <see cref="IWaitProgress"/>.</param>
        public BoundedWait(WaitBudget budget, string reason, WaitClock clock, ILogSink log)
        {
            _budget = budget ?? throw new ArgumentNullException(nameof(budget));
            _clock = clock ?? WaitClock.System;
            _log = log ?? NullLogSink.Instance;
            Reason = reason;
            _started = _clock.UtcNow;
            _nextPause = budget.FirstPause;
        }

        public string Reason { get; }
        public TimeSpan Budget => _budget.Total;
        public TimeSpan Elapsed => _clock.UtcNow - _started;
        public TimeSpan Left => _budget.Total - Elapsed;
        /// <summary>Pauses made so far: the retries or re-reads the wait allowed.</summary>
        public int Pauses { get; private set; }
        /// <summary>False once the deadline has passed: the caller's last attempt was its last.</summary>
        public bool HasTimeLeft => Left > TimeSpan.Zero;

        /// <summary>
        /// Says why it waits (<paramref name="why"/>: the answer that was not yet the one hoped for), then pauses: the
        /// next of the growing pauses, up to a fifth shorter at random, and never past the deadline.
        /// </summary>
        public async Task PauseAsync(string why, CancellationToken ct)
        {
            var left = Left;
            if (left <= TimeSpan.Zero) return;
            var pause = TimeSpan.FromTicks((long)(_nextPause.Ticks * (1 - 0.2 * _clock.NextJitter())));
            if (pause > left) pause = left;
            var doubled = TimeSpan.FromTicks(_nextPause.Ticks * 2);
            _nextPause = doubled > _budget.LongestPause ? _budget.LongestPause : doubled;
            Pauses++;
            var status = string.Format(CultureInfo.InvariantCulture, "{0}; trying again in {1:0.0} s ({2:0} s of {3:0} s waited)",
                why, pause.TotalSeconds, Elapsed.TotalSeconds, _budget.Total.TotalSeconds);
            _log.Verbose(Capitalised(Reason) + ": " + status + ".");
            if (_log is IWaitProgress progress)
            {
                var percent = _budget.Total <= TimeSpan.Zero ? 100 : (int)Math.Min(100, 100 * Elapsed.Ticks / _budget.Total.Ticks);
                progress.Waiting(Capitalised(Reason), status, percent);
            }
            await _clock.DelayAsync(pause, ct).ConfigureAwait(false);
        }

        /// <summary>Takes the wait off the progress bar, if it was shown there.</summary>
        public void End()
        {
            if (Pauses > 0 && _log is IWaitProgress progress) progress.WaitOver(Capitalised(Reason));
        }

        private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        /// <summary>
        /// Runs <paramref name="call"/> until it succeeds. A failure <paramref name="notYet"/> describes (non-null) is
        /// tried again within the budget; any other failure, or the last one when the budget is spent, propagates.
        /// </summary>
        public static async Task<T> RetryAsync<T>(WaitBudget budget, string reason, WaitClock clock, ILogSink log,
            Func<Task<T>> call, Func<Exception, string?> notYet, CancellationToken ct)
        {
            var wait = new BoundedWait(budget, reason, clock, log);
            try
            {
                while (true)
                {
                    string? why = null;
                    try
                    {
                        return await call().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (wait.HasTimeLeft && (why = notYet(ex)) != null)
                    {
                    }
                    await wait.PauseAsync(why!, ct).ConfigureAwait(false);
                }
            }
            finally
            {
                wait.End();
            }
        }

        /// <summary>
        /// Reads until <paramref name="notYet"/> has nothing to say of the answer (null), or the budget is spent; returns
        /// the last answer either way.
        /// </summary>
        public static async Task<T> PollAsync<T>(WaitBudget budget, string reason, WaitClock clock, ILogSink log,
            Func<Task<T>> read, Func<T, string?> notYet, CancellationToken ct)
        {
            var wait = new BoundedWait(budget, reason, clock, log);
            try
            {
                while (true)
                {
                    var answer = await read().ConfigureAwait(false);
                    var why = notYet(answer);
                    if (why == null || !wait.HasTimeLeft) return answer;
                    await wait.PauseAsync(why, ct).ConfigureAwait(false);
                }
            }
            finally
            {
                wait.End();
            }
        }
    }
}
