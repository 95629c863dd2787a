using System;
using System.Threading;

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
    /// The process-wide Vision One default, set once by a cmdlet in the spirit of AWS.Tools' Set-AWSCredential.
    /// This is the module's one deliberate piece of session state: everything account-specific travels in
    /// per-call objects. A single slot: API keys are regional and one session talks to one tenant.
    /// </summary>
    public static class V1Session
    {
        private static V1SessionDefaults? _current;

        public static V1SessionDefaults? Current => Volatile.Read(ref _current);

        /// <summary>Replaces the default. Validates region and URL so a bad default fails when set, not later.</summary>
        public static void Set(SensitiveString? apiKey, string? region, Uri? apiBaseUrl)
        {
            if (region != null) region = V1Regions.Get(region).Code;
            if (apiBaseUrl != null) apiBaseUrl = ApiKeyResolver.ValidateBaseUrl(apiBaseUrl.ToString(), "the session default");
            Volatile.Write(ref _current, new V1SessionDefaults(apiKey, region, apiBaseUrl));
        }

        public static void Clear() => Volatile.Write(ref _current, null);
    }
}
