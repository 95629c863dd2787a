using System.Linq;
using System.Management.Automation;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Creates VisionOneRole with the Vision One web-identity trust policy and tags, and attaches the three policies.</para>
    /// <para type="description">Step 4 of the procedure. The trust policy lets the Vision One OIDC provider assume the role (sts:AssumeRoleWithWebIdentity and sts:SetSourceIdentity) when the token's audience is the account root ARN and its subject is urn:visionone:identity:REGION:BUSINESSID:account/BUSINESSID. The role is tagged VisionOneCloudFormationStackName=Vision-One-Cloud-Account-Management, VisionOneCloudFormationStackRegion=the AWS deployment region and VisionOneFeatures=Base. An existing role with the same trust policy is adopted (missing tags and attachments are added); one whose trust policy differs is refused unless -Force. A provider created seconds before can make IAM answer "Invalid principal in policy" until it propagates: the call is retried for up to two minutes, and -Verbose says so.</para>
    /// </summary>
    /// <example>
    ///   <code>New-V1Role -BusinessId 1234567890 -V1Region us -OidcProviderArn arn:aws:iam::123456789012:oidc-provider/cloudaccounts-us.xdr.trendmicro.com -PolicyArn (1..3 | % { "arn:aws:iam::123456789012:policy/VisionOnePolicyPart$_" })</code>
    ///   <para>Creates the role on its own, with every fact given explicitly.</para>
    /// </example>
    /// <example>
    ///   <code>New-V1OidcProvider -V1Region us | New-V1Policies | New-V1Role -BusinessId 1234567890 -AwsDeploymentRegion eu-west-1</code>
    ///   <para>Chained: the provider ARN, the region and the policy ARNs come from the pipeline.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "V1Role", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = ModuleLinks.ReadmeCmdlets + "new-v1role")]
    [OutputType(typeof(AwsOnboardingState))]
    public sealed class NewV1RoleCommand : AwsCmdletBase
    {
        /// <summary>The state from a previous step, or Get-V1AwsTemplate's output (piped); its facts are carried forward.</summary>
        [Parameter(ValueFromPipeline = true)]
        public object? InputObject { get; set; }

        /// <summary>Your Vision One business id (the trust policy's subject names it).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("VisionOneAccountID")]
        public string? BusinessId { get; set; }

        /// <summary>Your Vision One region code. Default: read from the provider's issuer host (cloudaccounts-REGION...).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(V1RegionCompleter))]
        public string? V1Region { get; set; }

        /// <summary>The ARN of the Vision One OIDC provider the role trusts.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ProviderArn")]
        public string? OidcProviderArn { get; set; }

        /// <summary>The ARNs of the policies to attach (the three Vision One policies).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("PolicyArns")]
        public string[]? PolicyArn { get; set; }

        /// <summary>The role's name. Default: VisionOneRole.</summary>
        [Parameter]
        public string RoleName { get; set; } = OnboardingDefaults.RoleName;

        /// <summary>The AWS region recorded in the VisionOneCloudFormationStackRegion tag. Default: -Region, else the resolved AWS region, else us-east-1.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(AwsRegionCompleter))]
        public string? AwsDeploymentRegion { get; set; }

        /// <summary>Trust a provider whose issuer is not a Vision One issuer (cloudaccounts-REGION.xdr.trendmicro.com); without it such a provider, given or piped, is refused before any call, since the role would trust someone else's identity provider.</summary>
        [Parameter]
        public SwitchParameter AllowCustomIssuer { get; set; }

        /// <summary>Replace the trust policy of an existing role whose trust policy differs, without asking (-WhatIf still changes nothing).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord() => Guard(() =>
        {
            var state = ContinueFrom(InputObject);
            var providerArn = InputRules.ProviderArn(NullIfEmpty(OidcProviderArn) ?? state.OidcProviderArn);
            using (var log = new PipelineBridge(this))
                IssuerTrust.RequireProvider(providerArn, AllowCustomIssuer.IsPresent, string.IsNullOrEmpty(OidcProviderArn) ? "from the pipeline" : "-OidcProviderArn", log);
            var businessId = InputRules.BusinessId(NullIfEmpty(BusinessId) ?? state.BusinessId);
            InputRules.RoleName(RoleName);
            var policyArns = PolicyArn != null && PolicyArn.Length > 0 ? PolicyArn.ToArray() : state.PolicyArns.ToArray();
            foreach (var p in policyArns) InputRules.PolicyArn(p);
            var region = NullIfEmpty(V1Region) ?? state.V1Region ?? V1Regions.All.FirstOrDefault(r => string.Equals(r.OidcIssuerHostOrNull, AwsArns.IssuerHostOf(providerArn), System.StringComparison.OrdinalIgnoreCase))?.Code;
            if (region == null)
                throw new VisionOneException(ErrorCatalogue.V1RegionUnknown,
                    "The Vision One region cannot be read from the provider's issuer host: pass -V1Region (us, eu, jp, ...).", providerArn);
            region = V1Regions.Get(region).Code;
            var deployRegion = NullIfEmpty(AwsDeploymentRegion) ?? state.AwsDeploymentRegion;
            if (deployRegion != null) InputRules.AwsRegion(deployRegion);

            var result = RunEngine(async bridge =>
            {
                var context = await ConnectAwsAsync(bridge, StopToken);
                RequireSameAccount(state, context);
                var desired = DesiredOnboarding.ForRole(context.AccountId, context.Partition, new RoleRequest
                {
                    RoleName = RoleName,
                    ProviderArn = providerArn,
                    V1Region = region,
                    BusinessId = businessId,
                    PolicyArns = policyArns,
                    AwsDeploymentRegion = deployRegion ?? context.Region ?? OnboardingDefaults.DefaultAwsRegion,
                    Force = Force.IsPresent,
                });
                state.FoldIn(await ApplyStepAsync(new AccountOnboarding(ScopeOf(context), null, bridge, bridge), desired));
                return state;
            }, skipConfirmation: Force.IsPresent);
            WriteObject(result);
        });
    }
}
