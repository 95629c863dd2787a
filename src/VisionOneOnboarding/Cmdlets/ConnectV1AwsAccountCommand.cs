using System;
using System.Management.Automation;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Connects the AWS account to Vision One Cloud Accounts with VisionOneRole, then verifies it.</para>
    /// <para type="description">Step 5 of the procedure. POSTs the role ARN, a name unique in Cloud Accounts, a description, empty features (core features only) and, with -WorkloadInstanceId, the Server &amp; Workload Protection instance to associate. The account id is the one in the role ARN. When the account is already connected with the same role nothing is sent and the entry is returned; when it is connected with another role the command refuses unless -Force, which updates the entry (PATCH with If-Match). Afterwards it reads the entry back until Vision One reports it managed, for up to -VerifyTimeoutSeconds, since a just-created role may not be assumable yet.</para>
    /// </summary>
    /// <example>
    ///   <code>Connect-V1AwsAccount -Name 'Payments prod' -RoleArn arn:aws:iam::123456789012:role/VisionOneRole -V1Region us</code>
    ///   <para>Connects one account on its own.</para>
    /// </example>
    /// <example>
    ///   <code>Get-V1AwsTemplate | New-V1OidcProvider | Set-V1Thumbprints | New-V1Policies | New-V1Role -BusinessId 1234567890 | Connect-V1AwsAccount -Name 'Payments prod'</code>
    ///   <para>The whole procedure as one pipeline.</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Connect, "V1AwsAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = ModuleLinks.ReadmeCmdlets + "connect-v1awsaccount")]
    [OutputType(typeof(AwsOnboardingState))]
    public sealed class ConnectV1AwsAccountCommand : V1ApiCmdletBase
    {
        /// <summary>The state from a previous step (piped); its facts are carried forward.</summary>
        [Parameter(ValueFromPipeline = true)]
        public object? InputObject { get; set; }

        /// <summary>The account's name in Cloud Accounts: unique there, at most 254 characters.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("CloudAccountName")]
        public string? Name { get; set; }

        /// <summary>The account's description in Cloud Accounts (at most 254 characters).</summary>
        [Parameter]
        public string? Description { get; set; }

        /// <summary>The ARN of VisionOneRole in the account to connect.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? RoleArn { get; set; }

        /// <summary>The Server &amp; Workload Protection instance id to associate (only one per AWS account).</summary>
        [Parameter]
        public string? WorkloadInstanceId { get; set; }

        /// <summary>Re-point an entry that is connected with another role.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>How long to keep reading the entry back until Vision One reports it managed (default 60 seconds; 0 reads it once).</summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int VerifyTimeoutSeconds { get; set; } = 60;

        protected override void ProcessRecord() => Guard(() =>
        {
            var state = StateFrom(InputObject);
            var request = new ConnectRequest
            {
                RoleArn = InputRules.RoleArn(string.IsNullOrEmpty(RoleArn) ? state.RoleArn : RoleArn),
                Name = InputRules.CloudAccountName(string.IsNullOrEmpty(Name) ? state.CloudAccountName : Name),
                Description = InputRules.CloudAccountDescription(Description),
                WorkloadInstanceId = string.IsNullOrEmpty(WorkloadInstanceId) ? null : WorkloadInstanceId,
                Force = Force.IsPresent,
            };
            var timings = OnboardingTimings.Verifying(VerifyTimeoutSeconds);
            var result = RunEngine(async bridge =>
            {
                using var cam = Api.Connect(bridge, state.V1Region);
                var desired = DesiredOnboarding.ForCloudAccount(state.Partition, request);
                if (!string.IsNullOrEmpty(state.AccountId) && state.AccountId != desired.AccountId)
                    throw new VisionOneException(ErrorCatalogue.AccountMismatch,
                        $"The role {request.RoleArn} belongs to account {desired.AccountId}, but the input describes account {state.AccountId}.", request.RoleArn);
                state.FoldIn(await ApplyStepAsync(new AccountOnboarding(desired.AccountId, state.Partition, cam, bridge, bridge, timings), desired));
                return state;
            });
            WriteObject(result);
        });
    }
}
