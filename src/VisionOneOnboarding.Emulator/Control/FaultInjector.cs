using System;
using System.Collections.Generic;

namespace VisionOneOnboarding.Emulator
{
    /// <summary>A fault to answer instead of doing the work.</summary>
    public sealed class InjectedFault
    {
        public InjectedFault(int status, string code, string message) { Status = status; Code = code; Message = message; }
        public int Status { get; }
        public string Code { get; }
        public string Message { get; }
    }

    /// <summary>A rule: fail the Nth call (1-based, counted from when the rule was set) of an action.</summary>
    public sealed class FailNthRule
    {
        public string Service { get; set; } = "";
        public string Action { get; set; } = "";
        public int Nth { get; set; } = 1;
        /// <summary>How many consecutive calls fail from the Nth on (default 1).</summary>
        public int Times { get; set; } = 1;
        public int Status { get; set; } = 500;
        public string? Code { get; set; }
        public string? Message { get; set; }
        internal int Seen;
    }

    /// <summary>
    /// Latency, throttling and "fail the Nth call" faults, shared by every face of the emulator.
    /// Each face asks <see cref="Decide"/> once per call, after it knows the action.
    /// </summary>
    public sealed class FaultInjector
    {
        private readonly object _gate = new object();
        private readonly List<FailNthRule> _rules = new List<FailNthRule>();
        private readonly Random _random = new Random(12345);

        /// <summary>Added to every call before it is answered.</summary>
        public TimeSpan Latency { get; set; }
        /// <summary>0..1: the share of AWS calls answered with Throttling "Rate exceeded" (Vision One: 429).</summary>
        public double ThrottleRate { get; set; }
        /// <summary>The Retry-After (seconds) a throttled Vision One call is answered with; real services say 1 or more, tests say 0 to run fast.</summary>
        public int ThrottleRetryAfterSeconds { get; set; } = 1;
        /// <summary>How long after its creation an OIDC provider is still an "Invalid principal in policy" in trust policies.</summary>
        public TimeSpan PrincipalPropagationDelay { get; set; }
        /// <summary>For this long after a role is created, Vision One cannot assume it (the connection check sees no role).</summary>
        public TimeSpan RolePropagationDelay { get; set; }

        public void AddRule(FailNthRule rule)
        {
            if (rule.Nth < 1) throw new ArgumentException("nth must be 1 or more");
            if (rule.Times < 1) throw new ArgumentException("times must be 1 or more");
            lock (_gate) { _rules.Add(rule); }
        }

        public void Clear()
        {
            lock (_gate)
            {
                _rules.Clear();
                Latency = TimeSpan.Zero;
                ThrottleRate = 0;
                ThrottleRetryAfterSeconds = 1;
                PrincipalPropagationDelay = TimeSpan.Zero;
                RolePropagationDelay = TimeSpan.Zero;
            }
        }

        /// <summary>Null: serve the call normally. Otherwise: answer with this fault.</summary>
        public InjectedFault? Decide(string service, string action)
        {
            lock (_gate)
            {
                foreach (var rule in _rules)
                {
                    if (!string.Equals(rule.Service, service, StringComparison.OrdinalIgnoreCase)) continue;
                    if (!string.Equals(rule.Action, action, StringComparison.OrdinalIgnoreCase)) continue;
                    rule.Seen++;
                    if (rule.Seen >= rule.Nth && rule.Seen < rule.Nth + rule.Times)
                    {
                        return new InjectedFault(rule.Status, rule.Code ?? DefaultCode(rule.Status), rule.Message ?? "Injected fault.");
                    }
                }
                if (ThrottleRate > 0 && _random.NextDouble() < ThrottleRate)
                {
                    return service == "cam"
                        ? new InjectedFault(429, "TooManyRequests", "Too many requests.")
                        : new InjectedFault(400, "Throttling", "Rate exceeded");
                }
                return null;
            }
        }

        private static string DefaultCode(int status) => status switch
        {
            400 => "Throttling",
            404 => "NoSuchEntity",
            409 => "ConcurrentModification",
            429 => "TooManyRequests",
            503 => "ServiceUnavailable",
            _ => "ServiceFailure",
        };
    }
}
