using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Takes an onboarding back out: disconnects the account from Vision One and deletes the role, policies and OIDC provider the procedure created.</para>
    /// <para type="description">Works in the safe order: disconnect the Cloud Accounts entry, detach the three Vision One policies from the role, delete their non-default versions and the policies, delete the role, delete the OIDC provider. It removes only what the procedure creates: VisionOnePolicyPart1/2/3 by name (a policy still attached elsewhere is left in place, with a warning), and the role only when it carries the VisionOneCloudFormationStackName tag. Everything is read before the first change, and it refuses — with nothing changed — to delete a role that carries other trust, other attachments or inline policies (VisionOne.RemovalRoleInUse) or lacks the procedure's tag (VisionOne.RemovalRoleNotCreatedByProcedure), a provider that has other audiences or that other roles trust (VisionOne.RemovalProviderInUse), or to disconnect an entry that uses another role (VisionOne.RemovalConnectedWithOtherRole), unless -Force. Objects already gone count as removed, so a run that failed halfway is finished by running it again. High impact: it asks for confirmation unless -Force; -WhatIf lists every call and makes none. -KeepAwsResources only disconnects the entry.</para>
    /// </summary>
    /// <example>
    ///   <code>Remove-V1AwsOnboarding -ProfileName payments-prod -WhatIf</code>
    ///   <para>Lists every call the removal would make in the account of the 'payments-prod' profile.</para>
    /// </example>
    /// <example>
    ///   <code>Remove-V1AwsOnboarding -ProfileName payments-prod -Force</code>
    ///   <para>Disconnects the account and deletes the IAM objects without asking.</para>
    /// </example>
    /// <example>
    ///   <code>Remove-V1AwsOnboarding -ProfileName payments-prod -KeepAwsResources</code>
    ///   <para>Only disconnects the account from Vision One Cloud Accounts; the IAM objects stay.</para>
    /// </example>
    /// <example>
    ///   <code>Remove-V1AwsOnboarding -AccountId 210987654321, 310987654321 -ProfileName org-management -Force</code>
    ///   <para>Takes the onboarding out of two member accounts, assuming OrganizationAccountAccessRole in each; a summary comes last.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "V1AwsOnboarding", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = OneAccountSet, HelpUri = ModuleLinks.ReadmeCmdlets + "remove-v1awsonboarding")]
    [OutputType(typeof(OnboardingChange), typeof(ManyAccountsSummary))]
    public sealed class RemoveV1AwsOnboardingCommand : ManyAccountsCmdletBase
    {
        /// <summary>A state object from another cmdlet of this module (piped): its role name and provider ARN are the defaults.</summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = OneAccountSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = AccountIdSet)]
        public AwsOnboardingState? InputObject { get; set; }

        /// <summary>The role's name. Default: the piped state's, else VisionOneRole.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? RoleName { get; set; }

        /// <summary>The ARN of the Vision One OIDC provider to delete. Default: the piped state's, else the provider of the Vision One region's issuer.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = OneAccountSet)]
        [Alias("ProviderArn")]
        public string? OidcProviderArn { get; set; }

        /// <summary>Only disconnect the account from Vision One Cloud Accounts; leave the OIDC provider, the policies and the role in AWS.</summary>
        [Parameter]
        public SwitchParameter KeepAwsResources { get; set; }

        /// <summary>Also remove what others use (a role or provider with other trust, attachments, inline policies, audiences or trusting roles) and what the procedure did not create (a role, provider or policy without its VisionOneCloudFormationStackName tag). Without it, such a role or provider is refused and such a provider or policy is left in place.</summary>
        [Parameter]
        public SwitchParameter IncludeShared { get; set; }

        /// <summary>Do not ask for confirmation. Nothing else: removing what others use or what the procedure did not create needs -IncludeShared.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write each removal made (or, with -WhatIf, planned) as an OnboardingChange.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        internal override string ManyAccountsActivity => "Removing";

        internal override bool SkipConfirmation => Force.IsPresent;

        internal override void ValidateManyAccounts() => InputRules.RoleName(NullIfEmpty(RoleName) ?? OnboardingDefaults.RoleName);

        internal override Task<(IAccountOperation Operation, IReadOnlyDictionary<string, Exception>? Refused)> PrepareAsync(
            CamClient cam, AwsAccountContext caller, IReadOnlyList<AccountTarget> accounts, PipelineBridge bridge) =>
            Task.FromResult<(IAccountOperation, IReadOnlyDictionary<string, Exception>?)>((new RemoveAccountOperation(cam, bridge, new RemovalRequest
            {
                RoleName = NullIfEmpty(RoleName) ?? OnboardingDefaults.RoleName,
                IncludeShared = IncludeShared.IsPresent,
                KeepAwsResources = KeepAwsResources.IsPresent,
            }, PassThru.IsPresent), null));

        protected override void ProcessRecord() => Guard(() =>
        {
            if (!IsPipedState(InputObject) && IsManyAccounts)
            {
                if (ParameterSetName == AccountIdSet) CollectAccounts();
                return;
            }
            var state = ContinueFrom(InputObject);
            var roleName = InputRules.RoleName(NullIfEmpty(RoleName) ?? state.RoleName ?? OnboardingDefaults.RoleName);
            var providerArn = NullIfEmpty(OidcProviderArn) ?? state.OidcProviderArn;
            if (providerArn != null) InputRules.ProviderArn(providerArn);

            var result = RunEngine(async bridge =>
            {
                using var cam = Api.Connect(bridge, state.V1Region);
                var context = await ConnectAwsAsync(bridge, StopToken);
                RequireSameAccount(state, context);
                return await new AccountOnboarding(CheckedScopeOf(context), cam, bridge, bridge).RemoveAsync(new RemovalRequest
                {
                    RoleName = roleName,
                    ProviderArn = providerArn ?? await ProviderArnOfTenantAsync(cam, context, bridge, StopToken),
                    IncludeShared = IncludeShared.IsPresent,
                    KeepAwsResources = KeepAwsResources.IsPresent,
                }, StopToken);
            }, skipConfirmation: Force.IsPresent);
            if (PassThru) WriteObject(result.Changes, enumerateCollection: true);
        });

        /// <summary>
        /// The provider of the tenant's issuer: of the region the user named, else of the issuer the Vision One API names —
        /// never of a default region, which would leave the real provider behind or remove another tenant's.
        /// </summary>
        private static async Task<string> ProviderArnOfTenantAsync(CamClient cam, AwsAccountContext context, ILogSink log, CancellationToken ct)
        {
            if (cam.Connection.NamedRegion != null)
                return AwsArns.OidcProvider(context.Partition, context.AccountId, cam.Connection.NamedRegion.OidcIssuerHost);
            var links = await cam.GenerateCfnTemplateLinksAsync(context.Region, cancellationToken: ct).ConfigureAwait(false);
            if (string.IsNullOrEmpty(links.VisionOneOidcProviderUrl))
                throw new VisionOneException(ErrorCatalogue.RegionUnknown,
                    "The Vision One region is not known and the API names no issuer. Pass -V1Region or -OidcProviderArn.");
            var issuerHost = InputRules.IssuerHost(links.VisionOneOidcProviderUrl!);
            log.Verbose("The Vision One API names the issuer " + issuerHost + ": that is the provider to remove.");
            return AwsArns.OidcProvider(context.Partition, context.AccountId, issuerHost);
        }
    }
}
