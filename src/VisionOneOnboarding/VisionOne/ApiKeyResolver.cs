using System;
using System.Net;

namespace VisionOneOnboarding.VisionOne
{
    /// <summary>Where and as whom to call Vision One, and where each fact came from (for -Debug; never the key itself).</summary>
    public sealed class V1Connection
    {
        public V1Connection(V1Region region, Uri apiBaseUrl, SensitiveString apiKey, string regionSource, string apiBaseUrlSource, string apiKeySource)
        {
            Region = region; ApiBaseUrl = apiBaseUrl; ApiKey = apiKey;
            RegionSource = regionSource; ApiBaseUrlSource = apiBaseUrlSource; ApiKeySource = apiKeySource;
        }

        public V1Region Region { get; }
        /// <summary>Scheme, host, port and an optional path prefix; always ends with "/".</summary>
        public Uri ApiBaseUrl { get; }
        public SensitiveString ApiKey { get; }
        public string RegionSource { get; }
        public string ApiBaseUrlSource { get; }
        public string ApiKeySource { get; }

        public override string ToString() => "Vision One " + Region.Code + " at " + ApiBaseUrl + " (API key from " + ApiKeySource + ")";
    }

    /// <summary>
    /// Resolves the API key, the region and the API host.
    /// Key: explicit, session default (<see cref="V1Session"/>), env VISIONONE_API_KEY.
    /// Host: explicit -ApiBaseUrl, session default, env VISIONONE_REGIONAL_FQDN (a host or URL), else the region table.
    /// Region: explicit, session default, else "us".
    /// </summary>
    public sealed class ApiKeyResolver
    {
        public const string ApiKeyVariable = "VISIONONE_API_KEY";
        public const string RegionalFqdnVariable = "VISIONONE_REGIONAL_FQDN";

        private readonly Func<string, string?> _environment;
        private readonly Func<V1SessionDefaults?> _session;

        /// <param name="environment">Reads an environment variable; tests inject their own.</param>
        /// <param name="session">Reads the session default (the cmdlets pass their runspace's <see cref="V1Session"/> entry); none when null.</param>
        public ApiKeyResolver(Func<string, string?>? environment = null, Func<V1SessionDefaults?>? session = null)
        {
            _environment = environment ?? Environment.GetEnvironmentVariable;
            _session = session ?? (() => null);
        }

        public V1Connection Resolve(SensitiveString? explicitApiKey, string? explicitRegion, string? explicitApiBaseUrl)
        {
            var session = _session();

            V1Region region;
            string regionSource;
            if (!string.IsNullOrWhiteSpace(explicitRegion)) { region = V1Regions.Get(explicitRegion); regionSource = "parameter"; }
            else if (!string.IsNullOrWhiteSpace(session?.Region)) { region = V1Regions.Get(session!.Region); regionSource = "session default"; }
            else { region = V1Regions.Get(V1Regions.DefaultCode); regionSource = "default"; }

            Uri baseUrl;
            string baseUrlSource;
            var fqdn = NonEmpty(_environment(RegionalFqdnVariable));
            if (!string.IsNullOrWhiteSpace(explicitApiBaseUrl)) { baseUrl = ValidateBaseUrl(explicitApiBaseUrl!, "-ApiBaseUrl"); baseUrlSource = "parameter"; }
            else if (session?.ApiBaseUrl != null) { baseUrl = ValidateBaseUrl(session.ApiBaseUrl.ToString(), "the session default"); baseUrlSource = "session default"; }
            else if (fqdn != null)
            {
                var text = fqdn.Contains("://") ? fqdn : "https://" + fqdn;
                baseUrl = ValidateBaseUrl(text, "environment variable " + RegionalFqdnVariable);
                baseUrlSource = "environment variable " + RegionalFqdnVariable;
            }
            else { baseUrl = region.ApiBaseUrl; baseUrlSource = "region table (" + region.Code + ")"; }

            SensitiveString key;
            string keySource;
            var envKey = NonEmpty(_environment(ApiKeyVariable));
            if (explicitApiKey != null) { key = explicitApiKey; keySource = "parameter"; }
            else if (session?.ApiKey != null) { key = session.ApiKey; keySource = "session default"; }
            else if (envKey != null) { key = SensitiveString.FromPlainText(envKey); keySource = "environment variable " + ApiKeyVariable; }
            else
            {
                throw new VisionOneException("VisionOne.ApiKeyNotFound",
                    "No Vision One API key was found. Pass -ApiKey (a SecureString), set a session default once with " +
                    "Set-V1Credential -ApiKey, or set the environment variable " + ApiKeyVariable + ".");
            }

            return new V1Connection(region, EnsureTrailingSlash(baseUrl), key, regionSource, baseUrlSource, keySource);
        }

        /// <summary>
        /// An absolute http(s) URL with no query or fragment. http only for loopback hosts: a Bearer key over plain
        /// http to anywhere else would be readable on the wire.
        /// </summary>
        public static Uri ValidateBaseUrl(string text, string source)
        {
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            {
                throw new VisionOneException("VisionOne.InvalidEndpoint",
                    "The Vision One API URL from " + source + " ('" + text + "') is not an absolute http(s) URL without query, fragment or user info.");
            }
            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
            {
                throw new VisionOneException("VisionOne.InsecureEndpoint",
                    "The Vision One API URL from " + source + " ('" + text + "') uses http; API keys are only sent over https. " +
                    "Plain http is accepted for loopback hosts (localhost, 127.0.0.1, ::1) only.");
            }
            return EnsureTrailingSlash(uri);
        }

        internal static bool IsLoopback(Uri uri)
        {
            if (uri.IsLoopback) return true;
            return IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip);
        }

        private static Uri EnsureTrailingSlash(Uri uri)
        {
            var text = uri.GetLeftPart(UriPartial.Path);
            return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
        }

        private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
