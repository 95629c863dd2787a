using System;
using System.Runtime.CompilerServices;

namespace VisionOneOnboarding.VisionOne
{
    /// <summary>What a session default holds. Immutable: a new one replaces the old as a whole.</summary>
    public sealed class V1SessionDefaults
    {
        public V1SessionDefaults(SensitiveString? apiKey, string? region, Uri? apiBaseUrl)
        {
            ApiKey = apiKey; Region = region; ApiBaseUrl = apiBaseUrl;
        }

        public SensitiveString? ApiKey { get; }
        public string? Region { get; }
        public Uri? ApiBaseUrl { get; }

        public override string ToString() =>
            "ApiKey=" + (ApiKey == null ? "(none)" : "***") + " Region=" + (Region ?? "(none)") +
            " ApiBaseUrl=" + (ApiBaseUrl?.ToString() ?? "(none)");
    }

    /// <summary>
    /// The Vision One session default, set by a cmdlet in the spirit of AWS.Tools' Set-AWSCredential — one per
    /// PowerShell session (runspace), never per process: two runspaces of one process (a runbook host, a
    /// ForEach-Object -Parallel, a hosted PowerShell) each keep their own key. The owner is whatever object stands
    /// for the session (the cmdlets pass their runspace); the entry goes when the owner does. This is the module's
    /// one deliberate piece of session state: everything account-specific travels in per-call objects.
    /// </summary>
    public static class V1Session
    {
        private static readonly ConditionalWeakTable<object, V1SessionDefaults> Defaults = new ConditionalWeakTable<object, V1SessionDefaults>();

        /// <summary>The default of <paramref name="owner"/>'s session; null when none was set (or there is no session).</summary>
        public static V1SessionDefaults? Get(object? owner)
        {
            if (owner == null) return null;
            return Defaults.TryGetValue(owner, out var current) ? current : null;
        }

        /// <summary>Replaces the session's default. Validates region and URL so a bad default fails when set, not later.</summary>
        public static void Set(object owner, SensitiveString? apiKey, string? region, Uri? apiBaseUrl)
        {
            if (owner == null) throw new ArgumentNullException(nameof(owner));
            if (region != null) region = V1Regions.Get(region).Code;
            if (apiBaseUrl != null) apiBaseUrl = ApiKeyResolver.ValidateBaseUrl(apiBaseUrl.ToString(), "the session default");
            var value = new V1SessionDefaults(apiKey, region, apiBaseUrl);
            lock (Defaults)
            {
                Defaults.Remove(owner);
                Defaults.Add(owner, value);
            }
        }

        public static void Clear(object owner)
        {
            if (owner == null) throw new ArgumentNullException(nameof(owner));
            lock (Defaults) { Defaults.Remove(owner); }
        }
    }
}
