using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Tests.Emulator;

namespace VisionOneOnboarding.Tests.Net
{
    /// <summary>
    /// A clock that does not sleep: a pause moves its time on by the pause and is recorded. Its jitter is fixed, so the
    /// pauses a wait makes are known in advance. With <c>sleepFor</c>, each pause also sleeps that long for real (for an
    /// emulator whose own lag runs on real time) while the clock still moves on by the whole pause. With
    /// <c>emulator</c>, it is the emulator's clock too: module and emulator see the same time, and neither sleeps.
    /// </summary>
    internal sealed class ManualWaitClock : WaitClock
    {
        private readonly TimeSpan? _sleepFor;
        private readonly ManualClock _time;
        private readonly Action<TimeSpan>? _onPause;
        private readonly List<TimeSpan> _pauses = new List<TimeSpan>();

        /// <param name="onPause">Told of each pause before the clock checks for cancellation (a test may cancel there).</param>
        public ManualWaitClock(double jitter = 0, TimeSpan? sleepFor = null, ManualClock? emulator = null, Action<TimeSpan>? onPause = null)
        {
            Jitter = jitter;
            _sleepFor = sleepFor;
            _onPause = onPause;
            _time = emulator ?? new ManualClock(new DateTimeOffset(2026, 12, 6, 6, 0, 0, TimeSpan.Zero));
        }

        public double Jitter { get; set; }

        public IReadOnlyList<TimeSpan> Pauses { get { lock (_pauses) return _pauses.ToArray(); } }

        public override DateTimeOffset UtcNow { get { lock (_pauses) return _time.Now; } }

        public void Advance(TimeSpan by) { lock (_pauses) _time.Now += by; }

        public override async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            lock (_pauses) { _pauses.Add(delay); _time.Now += delay; }
            _onPause?.Invoke(delay);
            cancellationToken.ThrowIfCancellationRequested();
            if (_sleepFor.HasValue) await Task.Delay(_sleepFor.Value, cancellationToken).ConfigureAwait(false);
            else await Task.Yield();
        }

        public override double NextJitter() => Jitter;
    }

    /// <summary>A log sink that also shows progress, as the cmdlets' does: what a host would see.</summary>
    internal sealed class ProgressRecordingLog : ILogSink, IWaitProgress
    {
        public List<string> Verbose { get; } = new List<string>();
        public List<string> Progress { get; } = new List<string>();
        void ILogSink.Verbose(string message) { lock (Verbose) Verbose.Add(message); }
        public void Debug(string message) { }
        public void Warning(string message) { }
        public void Waiting(string reason, string status, int percentComplete) { lock (Progress) Progress.Add(reason + " | " + status + " | " + percentComplete + "%"); }
        public void WaitOver(string reason) { lock (Progress) Progress.Add(reason + " | over"); }
    }
}
