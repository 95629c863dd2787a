using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// The Vision One API parameters, declared once and offered as dynamic parameters by every cmdlet that
    /// calls the Cloud Accounts API (so cmdlets that also take the AWS parameters need not repeat them).
    /// </summary>
    public sealed class V1ApiParameters
    {
        /// <summary>The Vision One API key (a SecureString). Default: the session key set by Set-V1Credential, else $env:VISIONONE_API_KEY. Never written to any output.</summary>
        [Parameter]
        public SecureString? ApiKey { get; set; }

        /// <summary>Your Vision One region code (us, eu, jp, sg, au, in, mea, uk, ca, za, id, br, usgov): selects the API host and the OIDC issuer.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(V1RegionCompleter))]
        public string? V1Region { get; set; }

        /// <summary>Send Vision One calls to this base URL instead of the region's API host (e.g. the bundled emulator). http is allowed for loopback addresses only. Default: Set-V1Credential's, else $env:VISIONONE_REGIONAL_FQDN, else the region's host. Never taken from piped objects: the API key goes where this points.</summary>
        // Deliberately not ValueFromPipelineByPropertyName: a column of a piped CSV must never decide where the key is sent.
        [Parameter]
        public string? ApiBaseUrl { get; set; }

        /// <summary>Which Cloud Accounts path family to call: v3.0 (default, generally available), beta (/beta/cam) or beta-xdr (/beta/xdr/cam, as in the manual procedure's sample).</summary>
        [Parameter]
        [ValidateSet("v3.0", "beta", "beta-xdr")]
        public string ApiVersion { get; set; } = "v3.0";

        // Read when the cmdlet is made, on the pipeline thread, where the runspace is known: Connect runs on the
        // thread pool, where it is not.
        private readonly V1SessionDefaults? _session = V1Session.Get(System.Management.Automation.Runspaces.Runspace.DefaultRunspace);

        /// <summary>Resolves key, host and region (explicit, session, environment, region table) and opens a client.</summary>
        /// <param name="log">Where the client narrates.</param>
        /// <param name="fallbackRegion">The region when neither -V1Region nor the session names one.</param>
        /// <param name="retry">Null: the client's default policy (a many-account run passes one paced by its shared throttle).</param>
        internal CamClient Connect(ILogSink log, string? fallbackRegion = null, RetryPolicy? retry = null)
        {
            var key = ApiKey == null ? null : new SensitiveString(() => Reveal(ApiKey));
            var connection = new ApiKeyResolver(session: () => _session).Resolve(key, string.IsNullOrEmpty(V1Region) ? fallbackRegion : V1Region,
                string.IsNullOrEmpty(ApiBaseUrl) ? null : ApiBaseUrl);
            log.Debug("Vision One: region " + (connection.NamedRegion?.Code ?? "not named by the user") + " (" + connection.RegionSource + "), API at " + connection.ApiBaseUrl +
                " (" + connection.ApiBaseUrlSource + "), API key from " + connection.ApiKeySource + ".");
            return new CamClient(connection, ApiVersions.Parse(ApiVersion), retryPolicy: retry, log: log);
        }

        /// <summary>Turns the SecureString into text only for the moment a request is signed.</summary>
        internal static string Reveal(SecureString secure)
        {
            IntPtr ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try { return Marshal.PtrToStringUni(ptr) ?? ""; }
            finally { Marshal.ZeroFreeGlobalAllocUnicode(ptr); }
        }
    }

    /// <summary>Base of the cmdlets that call only the Vision One API.</summary>
    public abstract class V1ApiCmdletBase : V1CmdletBase, IDynamicParameters
    {
        internal V1ApiParameters Api { get; } = new V1ApiParameters();
        public object GetDynamicParameters() => Api;
    }

    /// <summary>Base of the cmdlets that call both AWS and the Vision One API.</summary>
    public abstract class AwsAndV1CmdletBase : AwsCmdletBase, IDynamicParameters
    {
        internal V1ApiParameters Api { get; } = new V1ApiParameters();
        public object GetDynamicParameters() => Api;
    }
}
