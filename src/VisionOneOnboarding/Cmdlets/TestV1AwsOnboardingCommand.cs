using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Checks, without changing anything, whether an AWS account still matches what the Vision One onboarding procedure prescribes.</para>
    /// <para type="description">Reads the OIDC provider (URL, audience, the four thumbprints: missing and extra ones, case-insensitively), each of the three policies' default document (compared semantically, not as text), the role's trust policy (principal, actions, aud, sub; any other statement or sub value is trust the procedure did not ask for, reported as Extra), its three tags and three attachments (other attachments are Extra), and the Cloud Accounts entry (connected, with the same role ARN, state managed). It writes one VisionOneOnboarding.OnboardingCheck per check (Step, Resource, Item, Expected, Actual, Status: Ok, Drifted, Missing or Extra) and nothing else, so Where-Object and Export-Csv read every row alike. With -Summary it writes instead one VisionOneOnboarding.OnboardingCheckSummary per account (counts, and IsCompliant: true when every check is Ok); with -Quiet only $true or $false. Each check that is not Ok is a change Invoke-V1AwsOnboarding makes (same Step and Resource; its -WhatIf lists them); the Cloud Accounts State follows the IAM checks, since Vision One re-reads the role. The expected policies come from -TemplatePath, else from the template the Vision One API hands out, as with Invoke-V1AwsOnboarding. Accepts the state objects of the other cmdlets from the pipeline, one account per input object.</para>
    /// </summary>
    /// <example>
    ///   <code>Test-V1AwsOnboarding -BusinessId 1234567890 -V1Region us -ProfileName payments-prod</code>
    ///   <para>Lists every check of the account of the 'payments-prod' profile.</para>
    /// </example>
    /// <example>
    ///   <code>Test-V1AwsOnboarding -BusinessId 1234567890 -ProfileName payments-prod -Summary</code>
    ///   <para>Only the summary: how many checks are Ok, Drifted, Missing or Extra, and IsCompliant.</para>
    /// </example>
    /// <example>
    ///   <code>if (-not (Test-V1AwsOnboarding -BusinessId 1234567890 -Quiet)) { Invoke-V1AwsOnboarding -Name 'Payments prod' -BusinessId 1234567890 }</code>
    ///   <para>A runbook step: repair the account only when it drifted.</para>
    /// </example>
    /// <example>
    ///   <code>Import-Csv accounts.csv | Test-V1AwsOnboarding | Where-Object Status -ne Ok</code>
    ///   <para>Checks many accounts (columns ProfileName and BusinessId) and keeps only what differs.</para>
    /// </example>
    /// <example>
    ///   <code>Test-V1AwsOnboarding -AllOrganizationAccounts -BusinessId 1234567890 -ProfileName org-management | Where-Object { $_ -is [VisionOneOnboarding.OnboardingCheckSummary] -and -not $_.IsCompliant }</code>
    ///   <para>Checks every ACTIVE account of the Organization (assuming OrganizationAccountAccessRole in each) and keeps the accounts that drifted.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "V1AwsOnboarding", DefaultParameterSetName = OneAccountSet, HelpUri = ModuleLinks.ReadmeCmdlets + "test-v1awsonboarding")]
    [OutputType(typeof(OnboardingCheck), typeof(OnboardingCheckSummary), typeof(bool), typeof(ManyAccountsSummary))]
    public sealed class TestV1AwsOnboardingCommand : ManyAccountsCmdletBase
    {
        /// <summary>A state object from another cmdlet of this module (piped): its business id, region, role name and deployment region are the defaults.</summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = OneAccountSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = AccountIdSet)]
        public AwsOnboardingState? InputObject { get; set; }

        /// <summary>Your Vision One business id (the role's trust policy names it). Default: the piped state's.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("VisionOneAccountID")]
        public string? BusinessId { get; set; }

        /// <summary>The role's name. Default: the piped state's, else VisionOneRole.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? RoleName { get; set; }

        /// <summary>The AWS region expected in the VisionOneCloudFormationStackRegion tag. Default: the piped state's, else -Region, else the resolved AWS region, else us-east-1.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(AwsRegionCompleter))]
        public string? AwsDeploymentRegion { get; set; }

        /// <summary>A Vision One CloudFormation template you downloaded (JSON or YAML), for the expected policies. Default: ask the Vision One API for it.</summary>
        [Parameter]
        public string? TemplatePath { get; set; }

        /// <summary>Accept a template whose OIDC issuer is not a Vision One issuer (cloudaccounts-REGION.xdr.trendmicro.com); without it such a template is refused, since VisionOneRole would trust someone else's identity provider.</summary>
        [Parameter]
        public SwitchParameter AllowCustomIssuer { get; set; }

        /// <summary>Accept a template whose policies grant actions the documents Trend publishes do not; without it such a template is refused (VisionOne.TemplatePolicyWidened), since Vision One would get more access than the published procedure gives it. Documents that only drop actions or add Deny statements are applied with a warning.</summary>
        [Parameter]
        public SwitchParameter AllowPolicyChanges { get; set; }

        /// <summary>Write only $true (compliant) or $false for each account; with -AccountId or -AllOrganizationAccounts, one $true when every account is compliant.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Write one summary per account (the counts and IsCompliant) instead of the checks.</summary>
        [Parameter]
        public SwitchParameter Summary { get; set; }
        private string? _templateText;
        private string? _templateFile;

        internal override string ManyAccountsActivity => "Checking";

        internal override void ValidateManyAccounts()
        {
            if (string.IsNullOrEmpty(BusinessId))
                throw new VisionOneException(ErrorCatalogue.BusinessIdRequired,
                    "-BusinessId is needed to check many accounts: the role's trust policy names it. Pass your Vision One business id.");
            InputRules.BusinessId(BusinessId);
            InputRules.RoleName(NullIfEmpty(RoleName) ?? OnboardingDefaults.RoleName);
            if (!string.IsNullOrEmpty(AwsDeploymentRegion)) InputRules.AwsRegion(AwsDeploymentRegion);
            if (!string.IsNullOrEmpty(TemplatePath)) _templateText = ReadTemplateFile(TemplatePath!, out _templateFile);
        }

        internal override async Task<(IAccountOperation Operation, IReadOnlyDictionary<string, Exception>? Refused)> PrepareAsync(
            CamClient cam, AwsAccountContext caller, IReadOnlyList<AccountTarget> accounts, PipelineBridge bridge)
        {
            var template = await TemplateForRunAsync(cam, caller, _templateText, _templateFile, NullIfEmpty(AwsDeploymentRegion));
            var request = RequestFor(cam, BusinessId!, NullIfEmpty(RoleName) ?? OnboardingDefaults.RoleName, NullIfEmpty(AwsDeploymentRegion));
            CheckOnceForTheRun(caller, request, template);
            return (new TestAccountOperation(cam, request, template, quiet: Quiet.IsPresent), null);
        }

        /// <summary>What the checks expect, one for both paths: the region the user named (else the issuer's) and where it came from.</summary>
        private ExpectationRequest RequestFor(CamClient cam, string businessId, string roleName, string? deployRegion) => new ExpectationRequest
        {
            BusinessId = businessId,
            V1Region = cam.Connection.NamedRegion?.Code,
            V1RegionSource = cam.Connection.NamedRegionSource,
            RoleName = roleName,
            AwsDeploymentRegion = deployRegion,
            AllowCustomIssuer = AllowCustomIssuer.IsPresent,
            AllowPolicyChanges = AllowPolicyChanges.IsPresent,
        };

        internal override void WriteSummary(ManyAccountsSummary summary)
        {
            if (Quiet) WriteObject(summary.Failed == 0 && summary.Changed == 0);
            else WriteObject(summary);
        }

        protected override void ProcessRecord() => Guard(() =>
        {
            if (!IsPipedState(InputObject) && IsManyAccounts)
            {
                if (ParameterSetName == AccountIdSet) CollectAccounts();
                return;
            }
            var state = ContinueFrom(InputObject);
            // No business id at all: the template names it (checked by the engine, VisionOne.BusinessIdRequired when it does not).
            var businessId = NullIfEmpty(BusinessId) ?? state.BusinessId ?? "";
            if (businessId.Length > 0) InputRules.BusinessId(businessId);
            var roleName = InputRules.RoleName(NullIfEmpty(RoleName) ?? state.RoleName ?? OnboardingDefaults.RoleName);
            var deployRegion = NullIfEmpty(AwsDeploymentRegion) ?? state.AwsDeploymentRegion;
            if (deployRegion != null) InputRules.AwsRegion(deployRegion);
            string? templateText = null, templateFile = null;
            if (!string.IsNullOrEmpty(TemplatePath)) templateText = ReadTemplateFile(TemplatePath!, out templateFile);

            var summary = RunEngine(async bridge =>
            {
                using var cam = Api.Connect(bridge, state.V1Region);
                var (context, template) = await ConnectAwsBesideTemplateAsync(bridge, cam, deployRegion, templateText, templateFile, StopToken);
                RequireSameAccount(state, context);
                var plan = await new AccountOnboarding(CheckedScopeOf(context), cam, bridge, bridge).TestAsync(RequestFor(cam, businessId, roleName, deployRegion), template, StopToken);
                return new OnboardingCheckSummary(context.AccountId, plan.Checks);
            });

            if (Quiet)
            {
                WriteObject(summary.IsCompliant);
                return;
            }
            if (Summary)
            {
                WriteObject(summary);
                return;
            }
            foreach (var check in summary.Checks) WriteObject(check);
        });
    }
}
