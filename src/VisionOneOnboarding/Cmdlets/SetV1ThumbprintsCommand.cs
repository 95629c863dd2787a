using System.Management.Automation;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Replaces the OIDC provider's thumbprints with the four documented Vision One thumbprints.</para>
    /// <para type="description">Step 2 of the procedure. Reads the provider's thumbprint list and, unless it already holds exactly the wanted thumbprints (compared case-insensitively and in any order), replaces the whole list in one call. With no change needed it makes no call that changes anything. -Thumbprint sets another list (1 to 5 SHA-1 fingerprints of 40 hexadecimal characters). Only a provider of a Vision One issuer (cloudaccounts-REGION.xdr.trendmicro.com) is changed: any other is VisionOne.UntrustedIssuer before any call, unless -AllowCustomIssuer; objects bind by their OidcProviderArn (or ProviderArn) property, never by a bare Arn.</para>
    /// </summary>
    /// <example>
    ///   <code>Set-V1Thumbprints -OidcProviderArn arn:aws:iam::123456789012:oidc-provider/cloudaccounts-us.xdr.trendmicro.com</code>
    ///   <para>Puts the four documented thumbprints on an existing provider.</para>
    /// </example>
    /// <example>
    ///   <code>New-V1OidcProvider -V1Region us | Set-V1Thumbprints -Verbose</code>
    ///   <para>Chained: the provider ARN comes from the pipeline; -Verbose narrates each IAM call.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Set, "V1Thumbprints", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = ModuleLinks.ReadmeCmdlets + "set-v1thumbprints")]
    [OutputType(typeof(AwsOnboardingState))]
    // The singular noun, as admins type it (the manifest's AliasesToExport lists it).
    [Alias("Set-V1Thumbprint")]
    public sealed class SetV1ThumbprintsCommand : AwsCmdletBase
    {
        /// <summary>The state from a previous step, or Get-V1AwsTemplate's output (piped); its facts are carried forward.</summary>
        [Parameter(ValueFromPipeline = true)]
        public object? InputObject { get; set; }

        /// <summary>The ARN of the Vision One OIDC provider.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ProviderArn")]
        public string? OidcProviderArn { get; set; }

        /// <summary>Change a provider whose issuer is not a Vision One issuer (cloudaccounts-REGION.xdr.trendmicro.com); without it such a provider is refused before any call, so piping every provider of an account changes none of GitHub's, EKS's or anyone else's.</summary>
        [Parameter]
        public SwitchParameter AllowCustomIssuer { get; set; }

        /// <summary>The thumbprints to set. Default: the four documented Vision One thumbprints.</summary>
        [Parameter]
        public string[]? Thumbprint { get; set; }

        protected override void ProcessRecord() => Guard(() =>
        {
            var state = ContinueFrom(InputObject);
            var arn = InputRules.ProviderArn(NullIfEmpty(OidcProviderArn) ?? state.OidcProviderArn);
            using (var log = new PipelineBridge(this)) IssuerTrust.RequireProvider(arn, AllowCustomIssuer.IsPresent, "for its thumbprints", log);
            InputRules.Thumbprints(Thumbprint ?? OnboardingDefaults.Thumbprints);

            var result = RunEngine(async bridge =>
            {
                var context = await ConnectAwsAsync(bridge, StopToken);
                RequireSameAccount(state, context);
                var desired = DesiredOnboarding.ForThumbprints(context.AccountId, context.Partition, arn, Thumbprint, state.IsOnlyPlanned(OnboardingSteps.OidcProvider, arn));
                state.FoldIn(await ApplyStepAsync(new AccountOnboarding(ScopeOf(context), null, bridge, bridge), desired));
                return state;
            });
            WriteObject(result);
        });
    }
}
