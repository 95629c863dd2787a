using System;
using System.Management.Automation;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Runs the whole procedure for one AWS account: template, OIDC provider, thumbprints, policies, role, connection and verification.</para>
    /// <para type="description">Every step reads what exists and changes only what differs from what the procedure prescribes, so running it again is always safe and a run that failed halfway is finished by running it again. -WhatIf lists each change it would make (and makes none); -Verbose narrates each call; a progress bar follows its stages (read, plan, change). The template comes from the Vision One API (generateCfnTemplateLinks) unless -TemplatePath names one you downloaded. The output is the final state object, including the Cloud Accounts entry and its state.</para>
    /// </summary>
    /// <example>
    ///   <code>Invoke-V1AwsOnboarding -Name 'Payments prod' -BusinessId 1234567890 -V1Region us -ProfileName payments-prod</code>
    ///   <para>Onboards the account of the 'payments-prod' profile, with the API key from Set-V1Credential or $env:VISIONONE_API_KEY.</para>
    /// </example>
    /// <example>
    ///   <code>Invoke-V1AwsOnboarding -Name 'Payments prod' -BusinessId 1234567890 -WhatIf</code>
    ///   <para>Lists every change the onboarding would make, and makes none.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Invoke, "V1AwsOnboarding", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AwsOnboardingState))]
    public sealed class InvokeV1AwsOnboardingCommand : AwsAndV1CmdletBase
    {
        /// <summary>The account's name in Cloud Accounts: unique there, at most 254 characters.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("CloudAccountName")]
        public string Name { get; set; } = "";

        /// <summary>Your Vision One business id (the role's trust policy names it).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("VisionOneAccountID")]
        public string BusinessId { get; set; } = "";

        /// <summary>The account's description in Cloud Accounts (at most 254 characters).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Description { get; set; }

        /// <summary>A Vision One CloudFormation template you downloaded (JSON or YAML). Default: ask the Vision One API for it.</summary>
        [Parameter]
        public string? TemplatePath { get; set; }

        /// <summary>Accept a template whose OIDC issuer is not a Vision One issuer (cloudaccounts-REGION.xdr.trendmicro.com); without it such a template is refused, since VisionOneRole would trust someone else's identity provider.</summary>
        [Parameter]
        public SwitchParameter AllowCustomIssuer { get; set; }

        /// <summary>The Server &amp; Workload Protection instance id to associate (only one per AWS account).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? WorkloadInstanceId { get; set; }

        /// <summary>The role's name. Default: VisionOneRole.</summary>
        [Parameter]
        public string RoleName { get; set; } = OnboardingDefaults.RoleName;

        /// <summary>The AWS region of deployment (template call and the VisionOneCloudFormationStackRegion tag). Default: -Region, else the resolved AWS region, else us-east-1.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(AwsRegionCompleter))]
        public string? AwsDeploymentRegion { get; set; }

        /// <summary>Replace a role trust policy that differs, and re-point a Cloud Accounts entry connected with another role.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>How long to keep reading the Cloud Accounts entry back until Vision One reports it managed (default 60 seconds).</summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int VerifyTimeoutSeconds { get; set; } = 60;

        protected override void ProcessRecord() => Guard(() =>
        {
            string? templateText = null, templateFile = null;
            if (!string.IsNullOrEmpty(TemplatePath)) templateText = ReadTemplateFile(TemplatePath!, out templateFile);
            if (!string.IsNullOrEmpty(AwsDeploymentRegion)) InputRules.AwsRegion(AwsDeploymentRegion);

            var activity = "Onboarding AWS account to Vision One as '" + Name + "'";
            var result = RunEngine(async bridge =>
            {
                using var cam = Api.Connect(bridge);
                var (context, template) = await ConnectAwsBesideTemplateAsync(bridge, cam, NullIfEmpty(AwsDeploymentRegion), templateText, templateFile, StopToken);
                var account = new AccountOnboarding(ScopeOf(context), cam, bridge, bridge,
                    new OnboardingTimings { ConnectVerificationTimeout = TimeSpan.FromSeconds(VerifyTimeoutSeconds) });
                var outcome = await account.InvokeAsync(new OnboardingRequest
                {
                    Name = Name,
                    Description = Description,
                    BusinessId = BusinessId,
                    V1Region = cam.Connection.Region.Code,
                    AllowCustomIssuer = AllowCustomIssuer.IsPresent,
                    WorkloadInstanceId = WorkloadInstanceId,
                    RoleName = RoleName,
                    AwsDeploymentRegion = AwsDeploymentRegion,
                    Force = Force.IsPresent,
                }, template, (stage, name) => bridge.Progress(new ProgressRecord(1, activity, name) { PercentComplete = (stage - 1) * 100 / 4 }), StopToken);
                bridge.Progress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
                var state = new AwsOnboardingState
                {
                    EndpointUrl = NullIfEmpty(EndpointUrl),
                    ProfileName = NullIfEmpty(ProfileName),
                };
                state.FoldIn(outcome);
                return state;
            });
            WriteObject(result);
        });
    }
}
