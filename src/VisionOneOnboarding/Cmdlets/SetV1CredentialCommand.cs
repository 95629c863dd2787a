using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Sets the Vision One API key (and optionally region and API host) used by this session's Vision One cmdlets.</para>
    /// <para type="description">In the spirit of AWS.Tools' Set-AWSCredential: set the key once, and Get-V1AwsTemplate, Connect-V1AwsAccount, Get-V1AwsAccount, Disconnect-V1AwsAccount and Invoke-V1AwsOnboarding use it when they are not given -ApiKey. The key is held as a SecureString-backed value for this PowerShell session (runspace) only — another runspace of the same process does not see it; it is never written to output, logs or files. Without a session key, the cmdlets read $env:VISIONONE_API_KEY (and $env:VISIONONE_REGIONAL_FQDN for the host). Clear-V1Credential forgets it.</para>
    /// </summary>
    /// <example>
    ///   <code>Set-V1Credential -ApiKey (Read-Host -AsSecureString 'Vision One API key') -V1Region eu</code>
    ///   <para>Asks for the key without echoing it, and makes it and the eu region the session defaults.</para>
    /// </example>
    /// <example>
    ///   <code>Set-V1Credential -ApiKey (Get-Secret VisionOneKey) -ApiBaseUrl https://api.xdr.trendmicro.com</code>
    ///   <para>Takes the key from a SecretManagement vault.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "V1Credential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = ModuleLinks.ReadmeCmdlets + "set-v1credential")]
    public sealed class SetV1CredentialCommand : V1CmdletBase
    {
        /// <summary>The Vision One API key, as a SecureString.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public SecureString ApiKey { get; set; } = null!;

        /// <summary>The default Vision One region code for this session.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(V1RegionCompleter))]
        public string? V1Region { get; set; }

        /// <summary>The default Vision One API base URL for this session (http only for loopback addresses).</summary>
        [Parameter]
        public string? ApiBaseUrl { get; set; }

        protected override void ProcessRecord() => Guard(() =>
        {
            if (V1Region != null) V1Regions.Get(V1Region);
            Uri? baseUrl = string.IsNullOrEmpty(ApiBaseUrl) ? null : ApiKeyResolver.ValidateBaseUrl(ApiBaseUrl!, "-ApiBaseUrl");
            if (!ShouldProcess("this PowerShell session", "Set the Vision One API key" + (V1Region != null ? ", region " + V1Region : "") + (baseUrl != null ? ", API " + baseUrl : ""))) return;
            var key = ApiKey.Copy();
            key.MakeReadOnly();
            V1Session.Set(Runspace.DefaultRunspace, new SensitiveString(() => V1ApiParameters.Reveal(key)), V1Region, baseUrl);
            WriteDebug("Vision One session defaults set (the key itself is not shown).");
        });
    }

    /// <summary>
    /// <para type="synopsis">Forgets the session's Vision One API key, region and API host set by Set-V1Credential.</para>
    /// <para type="description">After this, the Vision One cmdlets need -ApiKey or $env:VISIONONE_API_KEY again.</para>
    /// </summary>
    /// <example>
    ///   <code>Clear-V1Credential</code>
    ///   <para>Removes the session defaults.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Clear, "V1Credential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = ModuleLinks.ReadmeCmdlets + "clear-v1credential")]
    public sealed class ClearV1CredentialCommand : V1CmdletBase
    {
        protected override void ProcessRecord()
        {
            if (ShouldProcess("this PowerShell session", "Forget the Vision One API key")) V1Session.Clear(Runspace.DefaultRunspace);
        }
    }
}
