using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Emulator
{
    /// <summary>When an injected failure strikes, relative to the work of the call.</summary>
    public enum FaultMode
    {
        /// <summary>The call fails before it applies: nothing changed.</summary>
        Before,
        /// <summary>The call applies, then its response is lost: the client sees the fault status (as from a proxy).</summary>
        LoseResponse,
        /// <summary>The call applies, then the connection drops: the client sees no answer at all.</summary>
        DropConnection,
    }

    /// <summary>A fault to answer instead of (or after) doing the work.</summary>
    public sealed class InjectedFault
    {
        public InjectedFault(int status, string code, string message, FaultMode mode = FaultMode.Before)
        {
            Status = status; Code = code; Message = message; Mode = mode;
        }
        public int Status { get; }
        public string Code { get; }
        public string Message { get; }
        public FaultMode Mode { get; }
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
        /// <summary>before (default), lose-response or drop-connection: see <see cref="FaultMode"/>.</summary>
        public string? Mode { get; set; }
        internal int Seen;

        internal FaultMode ParsedMode => Mode switch
        {
            null or "" or "before" => FaultMode.Before,
            "lose-response" => FaultMode.LoseResponse,
            "drop-connection" => FaultMode.DropConnection,
            _ => throw new ArgumentException("mode must be before, lose-response or drop-connection"),
        };
    }

    /// <summary>A rule: for this long after a write action succeeds, the reads it affects still see the state before it.</summary>
    public sealed class LagRule
    {
        public string Service { get; set; } = "";
        /// <summary>The write: CreateRole, CreatePolicy, CreateOpenIDConnectProvider, DetachRolePolicy (iam) or AddAwsAccount (cam).</summary>
        public string Action { get; set; } = "";
        public int LagMs { get; set; }
    }

    /// <summary>
    /// Latency, throttling and "fail the Nth call" faults, shared by every face of the emulator.
    /// Each face asks <see cref="Decide"/> once per call, after it knows the action.
    /// </summary>
    public sealed class FaultInjector
    {
        private readonly object _gate = new object();
        private readonly List<FailNthRule> _rules = new List<FailNthRule>();
        private readonly Dictionary<string, TimeSpan> _lags = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase);
        private readonly List<(string Key, string Write, DateTimeOffset Until)> _recentWrites = new List<(string, string, DateTimeOffset)>();

        /// <summary>
        /// What each write's read-after-write lag affects, as the real services show it: right after a create, IAM
        /// answers NoSuchEntity to reads and attachments of the new entity; right after a detach, deleting the role or
        /// the policy still meets DeleteConflict; right after an add, Cloud Accounts does not yet list the account.
        /// </summary>
        private static readonly Dictionary<string, (string[] Affected, int Status, string Code, string Message)> LagEffects =
            new Dictionary<string, (string[], int, string, string)>(StringComparer.OrdinalIgnoreCase)
            {
                ["iam:CreateRole"] = (new[] { "GetRole", "AttachRolePolicy", "TagRole", "UpdateAssumeRolePolicy", "ListAttachedRolePolicies", "ListRolePolicies" },
                    404, "NoSuchEntity", "The role cannot be found."),
                ["iam:CreatePolicy"] = (new[] { "GetPolicy", "GetPolicyVersion", "ListPolicyVersions", "CreatePolicyVersion", "AttachRolePolicy" },
                    404, "NoSuchEntity", "Policy does not exist or is not attachable."),
                ["iam:CreateOpenIDConnectProvider"] = (new[] { "GetOpenIDConnectProvider", "AddClientIDToOpenIDConnectProvider", "UpdateOpenIDConnectProviderThumbprint" },
                    404, "NoSuchEntity", "OpenIDConnect Provider not found."),
                ["iam:DetachRolePolicy"] = (new[] { "DeleteRole", "DeletePolicy" },
                    409, "DeleteConflict", "Cannot delete entity, must detach all policies first."),
                ["cam:AddAwsAccount"] = (new[] { "GetAwsAccount" }, 404, "NotFound", "The AWS account is not connected to Cloud Accounts."),
            };

        /// <summary>
        /// The emulator's one clock: lag and propagation windows, injected latency, and (through <see cref="EmulatorState"/>)
        /// the IAM and Cloud Accounts stores' timestamps. Tests move it by hand instead of sleeping.
        /// </summary>
        public TimeProvider Clock { get; set; } = TimeProvider.System;

        /// <summary>The injected <see cref="Latency"/>, waited on <see cref="Clock"/>; every face calls it before answering.</summary>
        public Task DelayAsync(CancellationToken cancellationToken) =>
            Latency > TimeSpan.Zero ? Task.Delay(Latency, Clock, cancellationToken) : Task.CompletedTask;

        public void AddLag(LagRule rule)
        {
            if (rule.LagMs < 0) throw new ArgumentException("lagMs must be 0 or more");
            var key = rule.Service + ":" + rule.Action;
            if (!LagEffects.ContainsKey(key)) throw new ArgumentException("no read-after-write lag is known for " + key + "; known: " + string.Join(", ", LagEffects.Keys));
            lock (_gate) { _lags[key] = TimeSpan.FromMilliseconds(rule.LagMs); }
        }

        /// <summary>A write succeeded on these entities (role:NAME, policy:NAME, provider:HOST, account:ID): start its lag, if one is set.</summary>
        public void NoteWrite(string service, string action, IEnumerable<string> entityKeys)
        {
            var write = service + ":" + action;
            lock (_gate)
            {
                if (!_lags.TryGetValue(write, out var lag) || lag <= TimeSpan.Zero) return;
                var until = Clock.GetUtcNow() + lag;
                foreach (var key in entityKeys) _recentWrites.Add((key, write, until));
            }
        }

        /// <summary>The answer of a read that still sees the state before a recent write on one of its entities; null otherwise.</summary>
        public InjectedFault? Lagging(string service, string action, IEnumerable<string> entityKeys)
        {
            lock (_gate)
            {
                if (_recentWrites.Count == 0) return null;
                var now = Clock.GetUtcNow();
                _recentWrites.RemoveAll(w => w.Until <= now);
                foreach (var key in entityKeys)
                {
                    foreach (var write in _recentWrites)
                    {
                        if (write.Key != key || !write.Write.StartsWith(service + ":", StringComparison.OrdinalIgnoreCase)) continue;
                        var effect = LagEffects[write.Write];
                        if (Array.IndexOf(effect.Affected, action) >= 0) return new InjectedFault(effect.Status, effect.Code, effect.Message);
                    }
                }
                return null;
            }
        }
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
        /// <summary>
        /// For this long after a role is created or its trust policy changes, Cloud Accounts refuses to add an account with
        /// it (or to re-point an entry to it): 400 BadRequest "Unable to assume role …", creating nothing — as the real
        /// service does while IAM propagates the role (seconds, sometimes a minute). Zero (the default): off.
        /// </summary>
        public TimeSpan AssumeRoleWindow { get; set; }

        public void AddRule(FailNthRule rule)
        {
            if (rule.Nth < 1) throw new ArgumentException("nth must be 1 or more");
            if (rule.Times < 1) throw new ArgumentException("times must be 1 or more");
            _ = rule.ParsedMode;
            lock (_gate) { _rules.Add(rule); }
        }

        public void Clear()
        {
            lock (_gate)
            {
                _rules.Clear();
                _lags.Clear();
                _recentWrites.Clear();
                Latency = TimeSpan.Zero;
                ThrottleRate = 0;
                ThrottleRetryAfterSeconds = 1;
                PrincipalPropagationDelay = TimeSpan.Zero;
                RolePropagationDelay = TimeSpan.Zero;
                AssumeRoleWindow = TimeSpan.Zero;
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
                        return new InjectedFault(rule.Status, rule.Code ?? DefaultCode(rule.Status), rule.Message ?? "Injected fault.", rule.ParsedMode);
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
