using System.Management.Automation;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Creates the IAM OpenID Connect provider that lets Vision One sign in to the account, or adopts the existing one.</para>
    /// <para type="description">Step 1 of the procedure. The provider URL is the Vision One issuer of your region (https://cloudaccounts-REGION.xdr.trendmicro.com), given by -V1Region, by -Url, or piped from Get-V1AwsTemplate. The audience is the account's root ARN (arn:PARTITION:iam::ACCOUNT:root), the account id coming from STS. A new provider is created with the four documented Vision One thumbprints (or -Thumbprint). When a provider for the same URL exists it is adopted instead, and the audience is added if it is missing; its thumbprints are left for Set-V1Thumbprints. Safe to re-run: a second run makes no change.</para>
    /// </summary>
    /// <example>
    ///   <code>New-V1OidcProvider -V1Region us</code>
    ///   <para>Creates (or adopts) the provider for https://cloudaccounts-us.xdr.trendmicro.com with the account's default AWS credentials.</para>
    /// </example>
    /// <example>
    ///   <code>New-V1OidcProvider -V1Region eu -ProfileName prod -WhatIf</code>
    ///   <para>Shows what would be created in the account of the 'prod' profile, and changes nothing.</para>
    /// </example>
    /// <example>
    ///   <code>New-V1OidcProvider -V1Region us | Set-V1Thumbprints | New-V1Policies | New-V1Role -BusinessId 1234567890</code>
    ///   <para>The IAM half of the procedure as one pipeline.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "V1OidcProvider", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = ModuleLinks.ReadmeCmdlets + "new-v1oidcprovider")]
    [OutputType(typeof(AwsOnboardingState))]
    public sealed class NewV1OidcProviderCommand : AwsCmdletBase
    {
        /// <summary>The state from a previous step, or Get-V1AwsTemplate's output (piped); its facts are carried forward.</summary>
        [Parameter(ValueFromPipeline = true)]
        public object? InputObject { get; set; }

        /// <summary>Your Vision One region code (us, eu, jp, sg, au, in, mea, uk, ...): selects the issuer URL.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(V1RegionCompleter))]
        public string? V1Region { get; set; }

        /// <summary>The issuer URL, e.g. https://cloudaccounts-us.xdr.trendmicro.com (a bare host is accepted). Wins over -V1Region.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("OidcProviderUrl", "IssuerUrl", "VisionOneOidcProviderUrl")]
        public string? Url { get; set; }

        /// <summary>Accept an issuer that is not a Vision One issuer (cloudaccounts-REGION.xdr.trendmicro.com); without it such a -Url (or a piped template's issuer) is refused, since the role would trust someone else's identity provider.</summary>
        [Parameter]
        public SwitchParameter AllowCustomIssuer { get; set; }

        /// <summary>Thumbprints to create the provider with. Default: the four documented Vision One thumbprints.</summary>
        [Parameter]
        public string[]? Thumbprint { get; set; }

        protected override void ProcessRecord() => Guard(() =>
        {
            var state = ContinueFrom(InputObject);
            var region = NullIfEmpty(V1Region) ?? state.V1Region;
            string url;
            if (!string.IsNullOrEmpty(Url)) url = Url!;
            else if (region != null) url = V1Regions.Get(region).OidcProviderUrl;
            else throw new VisionOneException(ErrorCatalogue.IssuerUnknown,
                "The Vision One issuer is unknown: pass -V1Region (us, eu, jp, ...) or -Url, or pipe Get-V1AwsTemplate's output.");
            using (var log = new PipelineBridge(this)) url = IssuerTrust.Require(url, AllowCustomIssuer.IsPresent, string.IsNullOrEmpty(Url) ? "of region " + region : "-Url", log);
            if (Thumbprint != null) InputRules.Thumbprints(Thumbprint);
            if (region != null) state.V1Region = V1Regions.Get(region).Code;

            var result = RunEngine(async bridge =>
            {
                var context = await ConnectAwsAsync(bridge, StopToken);
                RequireSameAccount(state, context);
                var desired = DesiredOnboarding.ForProvider(context.AccountId, context.Partition, url, Thumbprint);
                state.FoldIn(await ApplyStepAsync(new AccountOnboarding(ScopeOf(context), null, bridge, bridge), desired));
                return state;
            });
            WriteObject(result);
        });
    }
}
