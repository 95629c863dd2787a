using System.Management.Automation;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Disconnects an AWS account from Vision One Cloud Accounts (the IAM objects stay).</para>
    /// <para type="description">Deletes the Cloud Accounts entry of the account. High impact: it asks for confirmation unless -Force (or -Confirm:$false). An account that is not connected counts as disconnected already. The OIDC provider, policies and role stay in AWS.</para>
    /// </summary>
    /// <example>
    ///   <code>Disconnect-V1AwsAccount -AccountId 123456789012 -Force</code>
    ///   <para>Disconnects without asking.</para>
    /// </example>
    /// <example>
    ///   <code>Get-V1AwsAccount -Filter "state eq 'failed'" | Disconnect-V1AwsAccount -WhatIf</code>
    ///   <para>Shows which failed accounts would be disconnected.</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Disconnect, "V1AwsAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = ModuleLinks.ReadmeCmdlets + "disconnect-v1awsaccount")]
    [OutputType(typeof(bool))]
    public sealed class DisconnectV1AwsAccountCommand : V1ApiCmdletBase
    {
        /// <summary>The 12-digit AWS account id to disconnect.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        public string AccountId { get; set; } = "";

        /// <summary>Do not ask for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write $true when an entry was deleted, $false when there was none.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord() => Guard(() =>
        {
            InputRules.AccountId(AccountId);
            if (!PipelineBridge.ShouldProcess(this, AccountId, "Disconnect AWS account " + AccountId + " from Vision One Cloud Accounts", Force.IsPresent)) return;
            var deleted = RunEngine(async bridge =>
            {
                using var cam = Api.Connect(bridge);
                bridge.Verbose("Disconnecting AWS account " + AccountId + ".");
                var found = await cam.DeleteAwsAccountAsync(AccountId, StopToken);
                if (!found) bridge.Verbose("AWS account " + AccountId + " was not connected: nothing to disconnect.");
                return found;
            });
            if (PassThru) WriteObject(deleted);
        });
    }
}
