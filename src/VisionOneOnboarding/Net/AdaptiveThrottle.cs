using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Net
{
    /// <summary>
    /// One back-off shared by every call of a many-account run, to AWS and to Vision One alike: when any call is
    /// throttled, the whole run slows down instead of each account hammering on until its retries run out.
    /// Additive increase, multiplicative decrease of the calls allowed in flight (halved on each throttling answer,
    /// grown by one per "limit" successes), and a pause of every new call to the same API while its Retry-After runs
    /// (a rate limit holds for the whole tenant, so every account's next call would meet it too).
    /// </summary>
    public sealed class AdaptiveThrottle
    {
        private readonly object _gate = new object();
        private readonly Queue<TaskCompletionSource<bool>> _waiting = new Queue<TaskCompletionSource<bool>>();
        private readonly WaitClock _clock;
        private double _limit;
        private int _inFlight;
        private readonly Dictionary<string, DateTime> _pausedUntil = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        private int _throttledCount;

        /// <param name="maxInFlight">The most calls in flight when nothing is throttled.</param>
        /// <param name="clock">What Retry-After pauses are measured by and slept on, the one clock of every wait; tests pass one that moves on instead of sleeping.</param>
        public AdaptiveThrottle(int maxInFlight, WaitClock? clock = null)
        {
            if (maxInFlight < 1) throw new ArgumentOutOfRangeException(nameof(maxInFlight));
            MaxInFlight = maxInFlight;
            _limit = maxInFlight;
            _clock = clock ?? WaitClock.System;
        }

        public int MaxInFlight { get; }

        /// <summary>The calls allowed in flight now (1 … <see cref="MaxInFlight"/>).</summary>
        public int CurrentLimit
        {
            get { lock (_gate) { return (int)Math.Floor(_limit); } }
        }

        /// <summary>How many throttling answers the run has seen.</summary>
        public int ThrottledCount
        {
            get { lock (_gate) { return _throttledCount; } }
        }

        /// <summary>
        /// Waits for a Retry-After pause of <paramref name="api"/> to end and for a free slot; every entry must be
        /// followed by one <see cref="Leave"/>.
        /// </summary>
        public async Task EnterAsync(string api, CancellationToken cancellationToken)
        {
            while (true)
            {
                TimeSpan pause;
                lock (_gate) { pause = (_pausedUntil.TryGetValue(api, out var until) ? until : DateTime.MinValue) - _clock.UtcNow.UtcDateTime; }
                if (pause <= TimeSpan.Zero) break;
                await _clock.DelayAsync(pause, cancellationToken).ConfigureAwait(false);
            }

            TaskCompletionSource<bool> turn;
            lock (_gate)
            {
                if (_inFlight < Math.Max(1, (int)Math.Floor(_limit)))
                {
                    _inFlight++;
                    return;
                }
                turn = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Enqueue(turn);
            }
            using (cancellationToken.Register(() => turn.TrySetCanceled()))
            {
                await turn.Task.ConfigureAwait(false);
            }
        }

        /// <summary>Ends a call to <paramref name="api"/>. <paramref name="throttled"/>: the service said "slow down" (optionally for <paramref name="retryAfter"/>).</summary>
        public void Leave(string api, bool throttled, TimeSpan? retryAfter = null)
        {
            lock (_gate)
            {
                _inFlight--;
                if (throttled)
                {
                    _throttledCount++;
                    _limit = Math.Max(1, _limit / 2);
                    if (retryAfter.HasValue && retryAfter.Value > TimeSpan.Zero)
                    {
                        var until = _clock.UtcNow.UtcDateTime + retryAfter.Value;
                        if (!_pausedUntil.TryGetValue(api, out var current) || until > current) _pausedUntil[api] = until;
                    }
                }
                else
                {
                    _limit = Math.Min(MaxInFlight, _limit + 1 / _limit);
                }
                WakeWaiting();
            }
        }

        private void WakeWaiting()
        {
            while (_waiting.Count > 0 && _inFlight < Math.Max(1, (int)Math.Floor(_limit)))
            {
                var next = _waiting.Dequeue();
                if (next.TrySetResult(true)) _inFlight++;
            }
        }
    }
}
