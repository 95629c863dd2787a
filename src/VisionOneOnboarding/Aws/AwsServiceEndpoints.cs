using System;
using System.Collections.Generic;
using System.Threading;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Aws
{
    /// <summary>An AWS service as the standard endpoint settings name it.</summary>
    public sealed class AwsServiceId
    {
        private AwsServiceId(string environmentSuffix, string configKey) { EnvironmentSuffix = environmentSuffix; ConfigKey = configKey; }

        /// <summary>The part after AWS_ENDPOINT_URL_ (IAM, STS, SSO, SSO_OIDC, ORGANIZATIONS).</summary>
        public string EnvironmentSuffix { get; }
        /// <summary>The key inside a [services NAME] section (iam, sts, sso, sso_oidc, organizations).</summary>
        public string ConfigKey { get; }

        public static AwsServiceId Iam { get; } = new AwsServiceId("IAM", "iam");
        public static AwsServiceId Sts { get; } = new AwsServiceId("STS", "sts");
        public static AwsServiceId Sso { get; } = new AwsServiceId("SSO", "sso");
        public static AwsServiceId SsoOidc { get; } = new AwsServiceId("SSO_OIDC", "sso_oidc");
        public static AwsServiceId Organizations { get; } = new AwsServiceId("ORGANIZATIONS", "organizations");

        public override string ToString() => EnvironmentSuffix;
    }

    /// <summary>An endpoint chosen for a service, and which setting chose it (for -Debug).</summary>
    public sealed class AwsServiceEndpoint
    {
        public AwsServiceEndpoint(Uri url, string source) { Url = url; Source = source; }
        public Uri Url { get; }
        public string Source { get; }
    }

    /// <summary>
    /// The AWS standard endpoint settings, in their documented order: -EndpointUrl (IAM and STS only),
    /// AWS_ENDPOINT_URL_&lt;SERVICE&gt;, AWS_ENDPOINT_URL, the profile's <c>services</c> section, the profile's
    /// <c>endpoint_url</c>; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / <c>ignore_configured_endpoint_urls</c> turn the
    /// configured ones off. Every URL passes <see cref="AwsEndpoints.ValidateEndpointUrl"/> (http only to loopback).
    /// One instance answers for the module's own calls and — through <see cref="AwsEndpointScope"/> — for the STS
    /// and SSO calls the SDK's credential providers make, so both always go to the same place.
    /// </summary>
    public sealed class AwsServiceEndpoints
    {
        private readonly Func<string, string?> _environment;
        private readonly string _profileName;
        private readonly Uri? _explicit;
        private readonly Lazy<AwsConfigFile[]> _files;

        /// <param name="environment">Reads an environment variable.</param>
        /// <param name="profileName">The profile in effect (the one named, else AWS_PROFILE, else default).</param>
        /// <param name="profileLocation">-ProfileLocation: a credentials file also searched for the profile's settings.</param>
        /// <param name="explicitEndpointUrl">-EndpointUrl; wins for IAM and STS.</param>
        public AwsServiceEndpoints(Func<string, string?> environment, string profileName, string? profileLocation, string? explicitEndpointUrl)
        {
            _environment = environment ?? throw new ArgumentNullException(nameof(environment));
            _profileName = profileName;
            _explicit = string.IsNullOrWhiteSpace(explicitEndpointUrl) ? null : AwsEndpoints.ValidateEndpointUrl(explicitEndpointUrl!);
            _files = new Lazy<AwsConfigFile[]>(() => new[] { AwsConfigFile.Read(AwsConfigFile.ConfigPath(_environment, profileLocation)), AwsConfigFile.Read(profileLocation) });
        }

        /// <summary>The process environment and the default profile, no override: what a bare SDK client would use.</summary>
        public static AwsServiceEndpoints Default()
        {
            var env = (Func<string, string?>)Environment.GetEnvironmentVariable;
            var profile = env("AWS_PROFILE");
            return new AwsServiceEndpoints(env, string.IsNullOrWhiteSpace(profile) ? "default" : profile!, null, null);
        }

        /// <summary>The endpoint configured for <paramref name="service"/>, or null for the service's AWS endpoint.</summary>
        /// <exception cref="VisionOneException">A configured URL is malformed or plain http to another machine.</exception>
        public AwsServiceEndpoint? For(AwsServiceId service)
        {
            // -EndpointUrl is for the module's own calls (IAM, STS, Organizations), not the SSO portal the credential providers ask.
            if (_explicit != null && (service == AwsServiceId.Iam || service == AwsServiceId.Sts || service == AwsServiceId.Organizations))
                return new AwsServiceEndpoint(_explicit, "-EndpointUrl");
            if (IsTrue(_environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) || IsTrue(Setting("ignore_configured_endpoint_urls"))) return null;

            var specific = "AWS_ENDPOINT_URL_" + service.EnvironmentSuffix;
            var candidates = new List<KeyValuePair<string, string?>>
            {
                new KeyValuePair<string, string?>("environment variable " + specific, _environment(specific)),
                new KeyValuePair<string, string?>("environment variable AWS_ENDPOINT_URL", _environment("AWS_ENDPOINT_URL")),
            };
            var servicesSection = Setting("services");
            if (servicesSection != null)
            {
                foreach (var file in _files.Value)
                {
                    candidates.Add(new KeyValuePair<string, string?>("[services " + servicesSection + "] " + service.ConfigKey + ".endpoint_url of profile '" + _profileName + "'",
                        file.ServiceSetting(servicesSection, service.ConfigKey, "endpoint_url")));
                }
            }
            candidates.Add(new KeyValuePair<string, string?>("endpoint_url of profile '" + _profileName + "'", Setting("endpoint_url")));
            foreach (var candidate in candidates)
            {
                if (!string.IsNullOrWhiteSpace(candidate.Value))
                    return new AwsServiceEndpoint(AwsEndpoints.ValidateEndpointUrl(candidate.Value!), candidate.Key);
            }
            return null;
        }

        /// <summary>
        /// Whether AWS's FIPS endpoints are asked for, in the SDKs' order: AWS_USE_FIPS_ENDPOINT, else the profile's
        /// <c>use_fips_endpoint</c>. Every client the module builds follows it, and the SDK's credential providers with
        /// them, so one run never mixes FIPS and non-FIPS hosts. An endpoint configured for a service still wins.
        /// </summary>
        public bool UseFips => FipsSource != null;

        /// <summary>The setting that asked for FIPS endpoints (for -Debug); null when none did.</summary>
        public string? FipsSource
        {
            get
            {
                var environment = _environment("AWS_USE_FIPS_ENDPOINT");
                if (!string.IsNullOrWhiteSpace(environment)) return IsTrue(environment) ? "environment variable AWS_USE_FIPS_ENDPOINT" : null;
                return IsTrue(Setting("use_fips_endpoint")) ? "use_fips_endpoint of profile '" + _profileName + "'" : null;
            }
        }

        /// <summary>A setting of the profile in effect, from the config file or the -ProfileLocation file.</summary>
        internal string? Setting(string key) => SettingOf(_profileName, key);

        /// <summary>A setting of any profile in the same files (a source profile's duration_seconds, say).</summary>
        internal string? SettingOf(string profileName, string key)
        {
            foreach (var file in _files.Value)
            {
                var value = file.ProfileSetting(profileName, key);
                if (value != null) return value;
            }
            return null;
        }

        private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The endpoint settings in force for the credential work of one account. The SDK's credential providers create
    /// their STS/SSO clients deep inside (AWSSDK.Core asks a process-wide registry); this flows with the async call
    /// that creates or refreshes credentials, so each account's providers use that account's settings.
    /// </summary>
    public static class AwsEndpointScope
    {
        private static readonly AsyncLocal<AwsServiceEndpoints?> CurrentValue = new AsyncLocal<AwsServiceEndpoints?>();

        /// <summary>The settings of the credential work in progress; the process defaults outside any.</summary>
        public static AwsServiceEndpoints Current => CurrentValue.Value ?? AwsServiceEndpoints.Default();

        /// <summary>Sets the settings until the returned object is disposed.</summary>
        public static IDisposable Enter(AwsServiceEndpoints endpoints)
        {
            var previous = CurrentValue.Value;
            CurrentValue.Value = endpoints;
            return new Restore(previous);
        }

        private sealed class Restore : IDisposable
        {
            private readonly AwsServiceEndpoints? _previous;
            public Restore(AwsServiceEndpoints? previous) { _previous = previous; }
            public void Dispose() => CurrentValue.Value = _previous;
        }
    }
}
