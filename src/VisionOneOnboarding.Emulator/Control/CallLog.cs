using System;
using System.Collections.Generic;
using System.Linq;

namespace VisionOneOnboarding.Emulator
{
    /// <summary>One call the emulator served. Tests assert on these (e.g. "a re-run mutates nothing").</summary>
    public sealed class CallRecord
    {
        public long Sequence { get; set; }
        /// <summary>"iam", "sts" or "cam".</summary>
        public string Service { get; set; } = "";
        public string Action { get; set; } = "";
        public string Account { get; set; } = "";
        public bool Mutating { get; set; }
        public bool Success { get; set; }
        public int Status { get; set; }
        public string? ErrorCode { get; set; }
        public DateTime Time { get; set; }
    }

    public sealed class CallLog
    {
        private readonly object _gate = new object();
        private readonly List<CallRecord> _calls = new List<CallRecord>();
        private long _next;

        public void Add(CallRecord record)
        {
            lock (_gate)
            {
                record.Sequence = ++_next;
                record.Time = DateTime.UtcNow;
                _calls.Add(record);
            }
        }

        public IReadOnlyList<CallRecord> Snapshot()
        {
            lock (_gate) { return _calls.ToList(); }
        }

        public void Clear()
        {
            lock (_gate) { _calls.Clear(); }
        }
    }
}
