using System;
using System.Net;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.VisionOne
{
    /// <summary>Where and as whom to call Vision One, and where each fact came from (for -Debug; never the key itself).</summary>
    public sealed class V1Connection
    {
        private readonly V1Region? _region;

        public V1Connection(V1Region region, Uri apiBaseUrl, SensitiveString apiKey, string regionSource, string apiBaseUrlSource, string apiKeySource)
            : this(region, true, apiBaseUrl, apiKey, regionSource, apiBaseUrlSource, apiKeySource)
        {
        }

        /// <remarks>region: Null when nothing names the region and the API host is in no table.</remarks>
        /// <remarks>named: False when the region is only the built-in default (nothing the user gave named it).</remarks>
        public V1Connection(V1Region? region, bool named, Uri apiBaseUrl, SensitiveString apiKey, string regionSource, string apiBaseUrlSource, string apiKeySource)
        {
            _region = region; NamedRegion = named ? region : null; ApiBaseUrl = apiBaseUrl; ApiKey = apiKey;
            RegionSource = regionSource; ApiBaseUrlSource = apiBaseUrlSource; ApiKeySource = apiKeySource;
        }

        /// <summary>The region the user named (-V1Region, the API host through the region table, the session default); null otherwise.</summary>
        public V1Region? NamedRegion { get; }

        /// <summary>The region for the API: the named one, else the default (us) when no API host was given either.</summary>
        /// <exception cref="VisionOneException">VisionOne.RegionUnknown: the API host is in no table and nothing named the region.</exception>
        public V1Region Region => _region ?? throw new VisionOneException(ErrorCatalogue.RegionUnknown,
            "The Vision One region is not known: the API host " + ApiBaseUrl.Host + " (" + ApiBaseUrlSource + ") is in no region table. " +
            "Pass -V1Region (" + string.Join(", ", V1Regions.Codes) + ") or set one with Set-V1Credential -V1Region.");
        /// <summary>Scheme, host, port and an optional path prefix; always ends with "/".</summary>
        public Uri ApiBaseUrl { get; }
        public SensitiveString ApiKey { get; }
        public string RegionSource { get; }

        /// <summary>Where the named region came from, in the words a message uses ("-V1Region", "the API host …", "Set-V1Credential").</summary>
        public string NamedRegionSource =>
            RegionSource == "parameter" ? "-V1Region" : RegionSource == "session default" ? "the session default (Set-V1Credential -V1Region)" : RegionSource;
        public string ApiBaseUrlSource { get; }
        public string ApiKeySource { get; }

        public override string ToString() => "Vision One " + Region.Code + " at " + ApiBaseUrl + " (API key from " + ApiKeySource + ")";
    }

    /// <summary>
    /// Resolves the API key, the region and the API host.
    /// Key: explicit, session default (<see cref="V1Session"/>), env VISIONONE_API_KEY.
    /// Host: explicit -ApiBaseUrl, session default, env VISIONONE_REGIONAL_FQDN (a host or URL), else the region table.
    /// Region: explicit -V1Region, else the given API host read through the region table in reverse, else the session
    /// default, else — only when no API host was given either — "us". A given host in no table (a proxy, the emulator)
    /// leaves the region unknown until the API's or the template's issuer names it. -V1Region and a host of another
    /// region are a <c>VisionOne.RegionMismatch</c>; so are -V1Region and a session or environment host in no table
    /// (only the same command's -ApiBaseUrl may send the key to such a host).
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

            Uri? givenHost = null;
            string baseUrlSource = "";
            var fqdn = NonEmpty(_environment(RegionalFqdnVariable));
            if (!string.IsNullOrWhiteSpace(explicitApiBaseUrl)) { givenHost = ValidateBaseUrl(explicitApiBaseUrl!, "-ApiBaseUrl"); baseUrlSource = "parameter"; }
            else if (session?.ApiBaseUrl != null) { givenHost = ValidateBaseUrl(session.ApiBaseUrl.ToString(), "the session default"); baseUrlSource = "session default"; }
            else if (fqdn != null)
            {
                var text = fqdn.Contains("://") ? fqdn : "https://" + fqdn;
                givenHost = ValidateBaseUrl(text, "environment variable " + RegionalFqdnVariable);
                baseUrlSource = "environment variable " + RegionalFqdnVariable;
            }
            V1Region? hostRegion = null;
            if (givenHost != null && V1Regions.TryGetByApiHost(givenHost.Host, out var mapped)) hostRegion = mapped;

            V1Region? region;
            string regionSource;
            if (!string.IsNullOrWhiteSpace(explicitRegion))
            {
                region = V1Regions.Get(explicitRegion);
                regionSource = "parameter";
                if (hostRegion != null && hostRegion.Code != region.Code)
                {
                    throw new VisionOneException(ErrorCatalogue.RegionMismatch,
                        "The Vision One region is '" + region.Code + "' (from -V1Region), but the API host " + givenHost!.Host + " (from " +
                        DescribeSource(baseUrlSource) + ") is region '" + hostRegion.Code + "'s. Use one region: drop -V1Region, or point the API at " +
                        region.ApiBaseUrl.Host + ".");
                }
                // An explicit region means that region's API host. A host the session or the environment names that is
                // in no region table (a proxy, a look-alike) is not taken on trust: the key would go to it. Only the
                // same command's -ApiBaseUrl chooses such a host.
                if (hostRegion == null && givenHost != null && baseUrlSource != "parameter")
                {
                    throw new VisionOneException(ErrorCatalogue.RegionMismatch,
                        "The Vision One region is '" + region.Code + "' (from -V1Region), but " + DescribeSource(baseUrlSource) + " names the API host " +
                        givenHost.Host + ", which is no region's API host; the API key was sent nowhere. Drop that setting to use " + region.ApiBaseUrl.Host +
                        ", or pass -ApiBaseUrl " + givenHost.GetLeftPart(UriPartial.Authority) + " on this command if that host is yours.");
                }
            }
            else if (hostRegion != null) { region = hostRegion; regionSource = "the API host " + givenHost!.Host + " (" + DescribeSource(baseUrlSource) + ")"; }
            else if (!string.IsNullOrWhiteSpace(session?.Region)) { region = V1Regions.Get(session!.Region); regionSource = "session default"; }
            else { region = null; regionSource = givenHost == null ? "default" : "unknown"; }

            var named = region != null;
            if (region == null && givenHost == null) region = V1Regions.Get(V1Regions.DefaultCode);
            var baseUrl = givenHost ?? region!.ApiBaseUrl;
            if (givenHost == null) baseUrlSource = "region table (" + region!.Code + ")";

            SensitiveString key;
            string keySource;
            var envKey = NonEmpty(_environment(ApiKeyVariable));
            if (explicitApiKey != null) { key = explicitApiKey; keySource = "parameter"; }
            else if (session?.ApiKey != null) { key = session.ApiKey; keySource = "session default"; }
            else if (envKey != null) { key = SensitiveString.FromPlainText(envKey); keySource = "environment variable " + ApiKeyVariable; }
            else
            {
                throw new VisionOneException(ErrorCatalogue.ApiKeyNotFound,
                    "No Vision One API key was found. Pass -ApiKey (a SecureString), set a session default once with " +
                    "Set-V1Credential -ApiKey, or set the environment variable " + ApiKeyVariable + ".");
            }

            return new V1Connection(region, named, EnsureTrailingSlash(baseUrl), key, regionSource, baseUrlSource, keySource);
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
                throw new VisionOneException(ErrorCatalogue.InvalidEndpoint,
                    "The Vision One API URL from " + source + " ('" + text + "') is not an absolute http(s) URL without query, fragment or user info.");
            }
            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
            {
                throw new VisionOneException(ErrorCatalogue.InsecureEndpoint,
                    "The Vision One API URL from " + source + " ('" + text + "') uses http; API keys are only sent over https. " +
                    "Plain http is accepted for loopback hosts (localhost, 127.0.0.1, ::1) only.");
            }
            return EnsureTrailingSlash(uri);
        }

        private static string DescribeSource(string source) => source == "parameter" ? "-ApiBaseUrl" : source == "session default" ? "Set-V1Credential" : source;

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
