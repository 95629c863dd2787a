using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Runs the whole procedure for one AWS account: template, OIDC provider, thumbprints, policies, role, connection and verification.</para>
    /// <para type="description">Every step reads what exists and changes only what differs from what the procedure prescribes, so running it again is always safe and a run that failed halfway is finished by running it again. -WhatIf lists each change it would make (and makes none); -Verbose narrates each call; a progress bar follows its stages (read, plan, change). The template comes from the Vision One API (generateCfnTemplateLinks) unless -TemplatePath names one you downloaded. Replacing the trust policy of an existing role and detaching policies the procedure does not prescribe take away access someone may rely on: they are confirmed as high-impact changes (a session that cannot ask gets VisionOne.ConfirmationRequired) unless -Force or -Confirm:$false. The output is the final state object, including the Cloud Accounts entry and its state.</para>
    /// </summary>
    /// <example>
    ///   <code>Invoke-V1AwsOnboarding -Name 'Payments prod' -BusinessId 1234567890 -V1Region us -ProfileName payments-prod</code>
    ///   <para>Onboards the account of the 'payments-prod' profile, with the API key from Set-V1Credential or $env:VISIONONE_API_KEY.</para>
    /// </example>
    /// <example>
    ///   <code>Invoke-V1AwsOnboarding -Name 'Payments prod' -BusinessId 1234567890 -WhatIf</code>
    ///   <para>Lists every change the onboarding would make, and makes none.</para>
    /// </example>
    /// <example>
    ///   <code>Invoke-V1AwsOnboarding -AllOrganizationAccounts -BusinessId 1234567890 -ProfileName org-management</code>
    ///   <para>Onboards every ACTIVE account of the Organization, 16 at a time, each named '&lt;account name&gt; (&lt;account id&gt;)'; a failure in one account is reported and the others go on; a summary comes last.</para>
    /// </example>
    /// <example>
    ///   <code>Import-Csv accounts.csv | Invoke-V1AwsOnboarding -BusinessId 1234567890 -NameFormat 'AWS {AccountName}' -Shard 2/4</code>
    ///   <para>Onboards the accounts of the AccountId column (with their Name column) that fall in slice 2 of 4 — one job of a four-job CI matrix.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Invoke, "V1AwsOnboarding", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = OneAccountSet, HelpUri = ModuleLinks.ReadmeCmdlets + "invoke-v1awsonboarding")]
    [OutputType(typeof(AwsOnboardingState), typeof(ManyAccountsSummary))]
    public sealed class InvokeV1AwsOnboardingCommand : ManyAccountsCmdletBase
    {
        /// <summary>The account's name in Cloud Accounts: unique there, at most 254 characters. With -AccountId: the AWS account's name, for {AccountName} in -NameFormat (a Name column or Get-ORGAccountList's Name binds to it).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = OneAccountSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = AccountIdSet)]
        [Alias("CloudAccountName")]
        public string Name { get; set; } = "";

        /// <summary>With -AccountId: the AWS account's e-mail address, for {Email} in -NameFormat (binds from the pipeline by property name).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = AccountIdSet)]
        public string? Email { get; set; }

        /// <summary>How each account is named in Cloud Accounts with -AccountId or -AllOrganizationAccounts, from the placeholders {AccountId}, {AccountName} and {Email}. Default: '{AccountName} ({AccountId})'. Names must be unique: an account whose name clashes is reported and left unchanged.</summary>
        [Parameter(ParameterSetName = AccountIdSet)]
        [Parameter(ParameterSetName = OrganizationSet)]
        public string NameFormat { get; set; } = CloudAccountNameFormat.Default;

        /// <summary>Your Vision One business id (the role's trust policy names it). Without it, the one the template names (its VisionOneAccountID, which Vision One fills in for your tenant); VisionOne.BusinessIdRequired when neither does.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
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

        /// <summary>Accept a template whose policies grant actions the documents Trend publishes do not; without it such a template is refused (VisionOne.TemplatePolicyWidened), since Vision One would get more access than the published procedure gives it. Documents that only drop actions or add Deny statements are applied with a warning.</summary>
        [Parameter]
        public SwitchParameter AllowPolicyChanges { get; set; }

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

        /// <summary>
        /// Make the high-impact changes without asking: replace a role trust policy that differs (refused without -Force
        /// on a role this procedure did not create; asked about on one it did), detach policies the procedure does not
        /// prescribe, and re-point a Cloud Accounts entry connected with another role. -WhatIf still changes nothing.
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>How long to keep reading the Cloud Accounts entry back until Vision One reports it managed (default 60 seconds).</summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int VerifyTimeoutSeconds { get; set; } = 60;

        /// <summary>
        /// How long to keep retrying the connection while Vision One cannot assume the role yet (default 90 seconds). Only
        /// when this run created the role or changed its trust policy: AWS can take a minute before it lets Vision One
        /// assume it. Each retry is shown under -Verbose and on the progress bar.
        /// </summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int AssumeRoleTimeoutSeconds { get; set; } = 90;

        private CloudAccountNameFormat? _names;
        private string? _templateText;
        private string? _templateFile;

        internal override string ManyAccountsActivity => "Onboarding";

        /// <summary>-Force: replacing a role's trust policy and detaching policies it should not have are not confirmed.</summary>
        internal override bool SkipConfirmation => Force.IsPresent;

        internal override void ValidateManyAccounts()
        {
            _names = new CloudAccountNameFormat(NameFormat);
            if (!string.IsNullOrEmpty(BusinessId)) InputRules.BusinessId(BusinessId);
            InputRules.CloudAccountDescription(Description);
            if (!string.IsNullOrEmpty(AwsDeploymentRegion)) InputRules.AwsRegion(AwsDeploymentRegion);
            if (!string.IsNullOrEmpty(TemplatePath)) _templateText = ReadTemplateFile(TemplatePath!, out _templateFile);
        }

        internal override async Task<(IAccountOperation Operation, IReadOnlyDictionary<string, Exception>? Refused)> PrepareAsync(
            CamClient cam, AwsAccountContext caller, IReadOnlyList<AccountTarget> accounts, PipelineBridge bridge)
        {
            // The names are decided here, once, and the run's accounts are named by them: what the Organization knows
            // of an account given by id alone (looked up by the run) counts for its name as for the clash check.
            var template = await TemplateForRunAsync(cam, caller, _templateText, _templateFile, NullIfEmpty(AwsDeploymentRegion));
            var named = accounts.Select(a => new KeyValuePair<AccountTarget, string>(a, _names!.NameOf(a))).ToList();
            var existing = accounts.Count == 0 ? new List<V1AwsAccount>() : await cam.ListAwsAccountsAsync(top: 1000, cancellationToken: StopToken);
            var refused = CloudAccountNameFormat.FindClashes(named, existing.Select(e => new KeyValuePair<string, string>(e.Id, e.Name)));
            var request = RequestFor(cam);
            CheckOnceForTheRun(caller, request, template);
            var operation = new OnboardAccountOperation(cam, bridge, request, template, named.ToDictionary(n => n.Key.AccountId, n => n.Value, StringComparer.Ordinal), OnboardingTimings.Verifying(VerifyTimeoutSeconds, AssumeRoleTimeoutSeconds), state =>
            {
                state.EndpointUrl = NullIfEmpty(EndpointUrl);
                state.ProfileName = NullIfEmpty(ProfileName);
            });
            return (operation, refused);
        }

        /// <summary>
        /// This invocation's request, one for both paths: the region the user named (else the issuer's) and where it
        /// came from, for the agreement checks. Over many accounts each account gets its name from -NameFormat.
        /// </summary>
        private OnboardingRequest RequestFor(CamClient cam) => new OnboardingRequest
        {
            Name = Name,
            Description = Description,
            BusinessId = BusinessId,
            V1Region = cam.Connection.NamedRegion?.Code,
            V1RegionSource = cam.Connection.NamedRegionSource,
            AllowCustomIssuer = AllowCustomIssuer.IsPresent,
            AllowPolicyChanges = AllowPolicyChanges.IsPresent,
            WorkloadInstanceId = WorkloadInstanceId,
            RoleName = RoleName,
            AwsDeploymentRegion = NullIfEmpty(AwsDeploymentRegion),
            Force = Force.IsPresent,
        };

        protected override void ProcessRecord() => Guard(() =>
        {
            if (IsManyAccounts)
            {
                if (ParameterSetName == AccountIdSet) CollectAccounts(NullIfEmpty(Name), NullIfEmpty(Email));
                return;
            }
            string? templateText = null, templateFile = null;
            if (!string.IsNullOrEmpty(TemplatePath)) templateText = ReadTemplateFile(TemplatePath!, out templateFile);
            if (!string.IsNullOrEmpty(AwsDeploymentRegion)) InputRules.AwsRegion(AwsDeploymentRegion);

            var activity = "Onboarding AWS account to Vision One as '" + Name + "'";
            var result = RunEngine(async bridge =>
            {
                using var cam = Api.Connect(bridge);
                var (context, template) = await ConnectAwsBesideTemplateAsync(bridge, cam, NullIfEmpty(AwsDeploymentRegion), templateText, templateFile, StopToken);
                var account = new AccountOnboarding(CheckedScopeOf(context), cam, bridge, bridge,
                    OnboardingTimings.Verifying(VerifyTimeoutSeconds, AssumeRoleTimeoutSeconds));
                var outcome = await account.InvokeAsync(RequestFor(cam), template, (stage, name) => bridge.Progress(new ProgressRecord(1, activity, name) { PercentComplete = (stage - 1) * 100 / 4 }), StopToken);
                bridge.Progress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
                var state = new AwsOnboardingState
                {
                    EndpointUrl = NullIfEmpty(EndpointUrl),
                    ProfileName = NullIfEmpty(ProfileName),
                };
                state.FoldIn(outcome);
                return state;
            }, skipConfirmation: Force.IsPresent);
            WriteObject(result);
        });
    }
}
