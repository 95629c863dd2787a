using System;
using System.Threading;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Net
{
    /// <summary>
    /// Retry with jittered exponential back-off ("full jitter"), shared by the AWS and Vision One clients.
    /// Whether a failure is retryable, and whether the server asked for a specific wait (Retry-After),
    /// is decided by the caller through <see cref="RetryDecision"/>; this class only counts and waits.
    /// </summary>
    public sealed class RetryPolicy
    {
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;
        private readonly Random _random;
        private readonly object _randomGate = new object();

        public RetryPolicy(int maxAttempts = 5, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null,
            Func<TimeSpan, CancellationToken, Task>? delay = null, int? seed = null)
        {
            if (maxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(maxAttempts));
            MaxAttempts = maxAttempts;
            BaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(200);
            MaxDelay = maxDelay ?? TimeSpan.FromSeconds(20);
            _delay = delay ?? ((d, ct) => Task.Delay(d, ct));
            _random = seed.HasValue ? new Random(seed.Value) : new Random();
        }

        public int MaxAttempts { get; }
        public TimeSpan BaseDelay { get; }
        public TimeSpan MaxDelay { get; }

        /// <summary>
        /// A back-off shared with other clients (a many-account run): every attempt waits for its turn, and a
        /// throttling answer slows them all. Throttled attempts then do not use up <see cref="MaxAttempts"/>; at most
        /// <see cref="MaxThrottledRetries"/> of them are retried.
        /// </summary>
        public AdaptiveThrottle? Throttle { get; }
        /// <summary>Which API this policy's calls go to, for the throttle's Retry-After pauses ("AWS", "Vision One").</summary>
        public string ThrottleApi { get; } = "";
        public const int MaxThrottledRetries = 12;

        /// <summary>The same policy, its attempts to <paramref name="api"/> paced by <paramref name="throttle"/>.</summary>
        public RetryPolicy SharedWith(AdaptiveThrottle throttle, string api) =>
            new RetryPolicy(MaxAttempts, BaseDelay, MaxDelay, _delay, throttle ?? throw new ArgumentNullException(nameof(throttle)), api);

        private RetryPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay, Func<TimeSpan, CancellationToken, Task> delay, AdaptiveThrottle throttle, string api)
            : this(maxAttempts, baseDelay, maxDelay, delay)
        {
            Throttle = throttle;
            ThrottleApi = api;
        }

        /// <summary>No retries: for tests and for calls that must not repeat.</summary>
        public static RetryPolicy None { get; } = new RetryPolicy(1);

        /// <summary>The wait before retry number <paramref name="attempt"/> (1-based): random in [0, min(max, base·2^(attempt-1))].</summary>
        public TimeSpan BackoffFor(int attempt)
        {
            double ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
            double r;
            lock (_randomGate) { r = _random.NextDouble(); }
            return TimeSpan.FromMilliseconds(ceiling * r);
        }

        /// <summary>
        /// Runs <paramref name="operation"/> until it succeeds, <paramref name="classify"/> says a failure is final,
        /// or the attempts run out (then the last exception propagates). <paramref name="onRetry"/> is told about each wait.
        /// </summary>
        public async Task<T> ExecuteAsync<T>(
            Func<int, CancellationToken, Task<T>> operation,
            Func<Exception, RetryDecision> classify,
            Action<int, Exception, TimeSpan>? onRetry,
            CancellationToken cancellationToken)
        {
            int failures = 0;
            int throttledRetries = 0;
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
                    if (inThrottle) { inThrottle = false; Throttle!.Leave(ThrottleApi, decision.Throttled, decision.RetryAfter); }
                    bool paced = Throttle != null && decision.Throttled && throttledRetries < MaxThrottledRetries;
                    if (paced) throttledRetries++;
                    else failures++;
                    if (!decision.Retry || (!paced && failures >= MaxAttempts)) throw;
                    var wait = decision.RetryAfter ?? BackoffFor(paced ? throttledRetries : failures);
                    if (wait > MaxDelay) wait = MaxDelay;
                    onRetry?.Invoke(attempt, ex, wait);
                    await _delay(wait, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (inThrottle) Throttle!.Leave(ThrottleApi, throttled: false);
                }
            }
        }
    }

    public readonly struct RetryDecision
    {
        private RetryDecision(bool retry, TimeSpan? retryAfter, bool throttled = false) { Retry = retry; RetryAfter = retryAfter; Throttled = throttled; }
        public bool Retry { get; }
        /// <summary>The service said "slow down" (AWS Throttling, HTTP 429): a shared <see cref="AdaptiveThrottle"/> slows every call.</summary>
        public bool Throttled { get; }
        /// <summary>A wait the server asked for (Retry-After), used instead of the back-off.</summary>
        public TimeSpan? RetryAfter { get; }
        public static RetryDecision Stop => new RetryDecision(false, null);
        public static RetryDecision Again(TimeSpan? retryAfter = null) => new RetryDecision(true, retryAfter);
        public static RetryDecision SlowDown(TimeSpan? retryAfter = null) => new RetryDecision(true, retryAfter, throttled: true);
    }
}
