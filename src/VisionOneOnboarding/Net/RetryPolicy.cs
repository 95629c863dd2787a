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
            for (int attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    return await operation(attempt, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
                {
                    var decision = classify(ex);
                    if (!decision.Retry || attempt >= MaxAttempts) throw;
                    var wait = decision.RetryAfter ?? BackoffFor(attempt);
                    if (wait > MaxDelay) wait = MaxDelay;
                    onRetry?.Invoke(attempt, ex, wait);
                    await _delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    public readonly struct RetryDecision
    {
        private RetryDecision(bool retry, TimeSpan? retryAfter) { Retry = retry; RetryAfter = retryAfter; }
        public bool Retry { get; }
        /// <summary>A wait the server asked for (Retry-After), used instead of the back-off.</summary>
        public TimeSpan? RetryAfter { get; }
        public static RetryDecision Stop => new RetryDecision(false, null);
        public static RetryDecision Again(TimeSpan? retryAfter = null) => new RetryDecision(true, retryAfter);
    }
}
