using System;
using System.Threading;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Net
{
    /// <summary>
    /// Retry with jittered exponential back-off ("full jitter"), shared by the AWS and Vision One clients.
    /// Throttling ("slow down": IAM Throttling, HTTP 429) is waited out within a time budget per call
    /// (<see cref="ThrottleBudget"/>, honouring the server's Retry-After): a busy service is not a failure. Other
    /// retryable failures (5xx, connection failures) get a small number of attempts (<see cref="MaxAttempts"/>).
    /// Whether a failure is retryable, and of which kind, is decided by the caller through <see cref="RetryDecision"/>.
    /// </summary>
    public sealed class RetryPolicy
    {
        /// <summary>How long one call may spend waiting out throttling, unless told otherwise: two minutes.</summary>
        public static readonly TimeSpan DefaultThrottleBudget = TimeSpan.FromMinutes(2);

        private readonly WaitClock _clock;
        private readonly Random _random;
        private readonly object _randomGate = new object();

        /// <summary>
        /// <c>maxAttempts</c>: attempts for failures other than throttling. <c>clock</c>: what the waits sleep on and the
        /// throttling budget is measured by, the one clock of every wait (<see cref="BoundedWait"/>); tests pass one that
        /// moves on instead of sleeping. <c>throttleBudget</c>: how long one call may wait out throttling in total
        /// (default two minutes).
        /// </summary>
        public RetryPolicy(int maxAttempts = 5, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null,
            WaitClock? clock = null, int? seed = null, TimeSpan? throttleBudget = null)
        {
            if (maxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(maxAttempts));
            MaxAttempts = maxAttempts;
            BaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(200);
            MaxDelay = maxDelay ?? TimeSpan.FromSeconds(20);
            ThrottleBudget = throttleBudget ?? DefaultThrottleBudget;
            _clock = clock ?? WaitClock.System;
            _random = seed.HasValue ? new Random(seed.Value) : new Random();
        }

        /// <summary>Attempts for retryable failures other than throttling.</summary>
        public int MaxAttempts { get; }
        public TimeSpan BaseDelay { get; }
        public TimeSpan MaxDelay { get; }
        /// <summary>How long one call may spend, in total, before throttling is given up on.</summary>
        public TimeSpan ThrottleBudget { get; }

        /// <summary>
        /// A back-off shared with other clients (a many-account run): every attempt waits for its turn, and a
        /// throttling answer slows them all. Throttled attempts never use up <see cref="MaxAttempts"/>: they are
        /// waited out within <see cref="ThrottleBudget"/>.
        /// </summary>
        public AdaptiveThrottle? Throttle { get; }
        /// <summary>Which API this policy's calls go to, for the throttle's Retry-After pauses ("AWS", "Vision One").</summary>
        public string ThrottleApi { get; } = "";

        /// <summary>The same policy, its attempts to <paramref name="api"/> paced by <paramref name="throttle"/>.</summary>
        public RetryPolicy SharedWith(AdaptiveThrottle throttle, string api) =>
            new RetryPolicy(MaxAttempts, BaseDelay, MaxDelay, _clock, ThrottleBudget, throttle ?? throw new ArgumentNullException(nameof(throttle)), api);

        private RetryPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay, WaitClock clock,
            TimeSpan throttleBudget, AdaptiveThrottle throttle, string api)
            : this(maxAttempts, baseDelay, maxDelay, clock, throttleBudget: throttleBudget)
        {
            Throttle = throttle;
            ThrottleApi = api;
        }

        /// <summary>No retries: for tests and for calls that must not repeat.</summary>
        public static RetryPolicy None { get; } = new RetryPolicy(1, throttleBudget: TimeSpan.Zero);

        /// <summary>The wait before retry number <paramref name="attempt"/> (1-based): random in [0, min(max, base·2^(attempt-1))].</summary>
        public TimeSpan BackoffFor(int attempt)
        {
            double ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
            return TimeSpan.FromMilliseconds(ceiling * NextDouble());
        }

        /// <summary>
        /// A server-requested wait with up to 10 % (at most one second) added at random, so that the many clients the
        /// server slowed down at once do not all come back in the same instant.
        /// </summary>
        public TimeSpan Jittered(TimeSpan retryAfter)
        {
            double spread = Math.Min(1000, retryAfter.TotalMilliseconds * 0.1);
            return retryAfter + TimeSpan.FromMilliseconds(spread * NextDouble());
        }

        private double NextDouble()
        {
            lock (_randomGate) { return _random.NextDouble(); }
        }

        /// <summary>
        /// Runs <paramref name="operation"/> until it succeeds, <paramref name="classify"/> says a failure is final,
        /// the throttling budget is spent (throttled failures) or the attempts run out (other failures); then the last
        /// exception propagates. <paramref name="onRetry"/> is told about each wait before it starts.
        /// </summary>
        public async Task<T> ExecuteAsync<T>(
            Func<int, CancellationToken, Task<T>> operation,
            Func<Exception, RetryDecision> classify,
            Action<RetryNotice>? onRetry,
            CancellationToken cancellationToken)
        {
            var started = _clock.UtcNow;
            TimeSpan Elapsed() => _clock.UtcNow - started;
            int failures = 0;
            int throttles = 0;
            for (int attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Throttle != null) await Throttle.EnterAsync(ThrottleApi, cancellationToken).ConfigureAwait(false);
                bool inThrottle = Throttle != null;
                try
                {
                    var result = await operation(attempt, cancellationToken).ConfigureAwait(false);
                    if (inThrottle) { inThrottle = false; Throttle!.Leave(ThrottleApi, throttled: false); }
                    return result;
                }
                catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
                {
                    var decision = classify(ex);
                    if (inThrottle) { inThrottle = false; Throttle!.Leave(ThrottleApi, decision.IsThrottling, decision.RetryAfter); }
                    if (!decision.Retry) throw;
                    TimeSpan wait;
                    TimeSpan? budgetLeft = null;
                    if (decision.IsThrottling)
                    {
                        throttles++;
                        var left = ThrottleBudget - Elapsed();
                        if (left <= TimeSpan.Zero) throw;
                        wait = decision.RetryAfter.HasValue ? Jittered(decision.RetryAfter.Value) : BackoffFor(throttles);
                        if (wait > left) wait = left;
                        budgetLeft = left - wait;
                    }
                    else
                    {
                        failures++;
                        if (failures >= MaxAttempts) throw;
                        wait = decision.RetryAfter ?? BackoffFor(failures);
                        if (wait > MaxDelay) wait = MaxDelay;
                    }
                    onRetry?.Invoke(new RetryNotice(attempt, ex, wait, decision.IsThrottling, budgetLeft, failures, MaxAttempts));
                    await _clock.DelayAsync(wait, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (inThrottle) Throttle!.Leave(ThrottleApi, throttled: false);
                }
            }
        }
    }

    /// <summary>What a retry is about to do, for narration.</summary>
    public sealed class RetryNotice
    {
        public RetryNotice(int attempt, Exception failure, TimeSpan wait, bool throttled, TimeSpan? budgetLeft, int failures, int maxAttempts)
        {
            Attempt = attempt; Failure = failure; Wait = wait; Throttled = throttled; BudgetLeft = budgetLeft; Failures = failures; MaxAttempts = maxAttempts;
        }

        /// <summary>The attempt that just failed (1-based, all kinds counted).</summary>
        public int Attempt { get; }
        public Exception Failure { get; }
        public TimeSpan Wait { get; }
        /// <summary>The service asked to slow down: the wait comes out of the time budget, not the attempts.</summary>
        public bool Throttled { get; }
        /// <summary>For throttling: what is left of the call's budget after this wait.</summary>
        public TimeSpan? BudgetLeft { get; }
        /// <summary>Failures other than throttling so far, and how many are allowed.</summary>
        public int Failures { get; }
        public int MaxAttempts { get; }

        /// <summary>"waiting 1.2 s (throttled; 118 s of the budget left)" or "retrying in 0.4 s (attempt 2 of 5)".</summary>
        public string Describe() => Throttled
            ? string.Format(System.Globalization.CultureInfo.InvariantCulture, "throttled: waiting {0:0.0} s before trying again ({1:0} s of the call's time budget left)", Wait.TotalSeconds, BudgetLeft?.TotalSeconds ?? 0)
            : string.Format(System.Globalization.CultureInfo.InvariantCulture, "retrying in {0:0.0} s (attempt {1} of {2})", Wait.TotalSeconds, Failures + 1, MaxAttempts);
    }

    public readonly struct RetryDecision
    {
        private RetryDecision(bool retry, TimeSpan? retryAfter, bool throttling) { Retry = retry; RetryAfter = retryAfter; IsThrottling = throttling; }
        public bool Retry { get; }
        /// <summary>A wait the server asked for (Retry-After), used instead of the back-off.</summary>
        public TimeSpan? RetryAfter { get; }
        /// <summary>
        /// The server said "slow down" (AWS Throttling, HTTP 429): retried within the time budget rather than a number
        /// of attempts, and a shared <see cref="AdaptiveThrottle"/> slows every call.
        /// </summary>
        public bool IsThrottling { get; }
        public static RetryDecision Stop => new RetryDecision(false, null, false);
        public static RetryDecision Again(TimeSpan? retryAfter = null) => new RetryDecision(true, retryAfter, false);
        public static RetryDecision Throttled(TimeSpan? retryAfter = null) => new RetryDecision(true, retryAfter, true);
        /// <summary>The same as <see cref="Throttled"/>.</summary>
        public static RetryDecision SlowDown(TimeSpan? retryAfter = null) => Throttled(retryAfter);
    }
}
