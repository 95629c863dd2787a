using System.Linq;
using System.Management.Automation;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Gets the Vision One CloudFormation template for an AWS account and reads the OIDC issuer and the three policy documents from it.</para>
    /// <para type="description">Step 0 of the procedure. Calls the Cloud Accounts API's generateCfnTemplateLinks for -AwsDeploymentRegion, downloads the template it points to, and reads it (JSON or YAML, long- and short-form intrinsics resolved where the values are known). With -Path, reads a template you downloaded from the console instead, and calls nothing. The output pipes into New-V1OidcProvider (the issuer URL), which carries the template on to New-V1Policies (the policies). Documents that name the AWS account (AWS::AccountId) are resolved by New-V1Policies once the account is known, or here with -AccountId.</para>
    /// </summary>
    /// <example>
    ///   <code>Get-V1AwsTemplate -V1Region us -AwsDeploymentRegion us-east-1</code>
    ///   <para>Asks Vision One for the template and shows its URL, issuer and policies.</para>
    /// </example>
    /// <example>
    ///   <code>Get-V1AwsTemplate -Path ./vision-one-template.yaml -V1Region eu | New-V1OidcProvider | Set-V1Thumbprints | New-V1Policies</code>
    ///   <para>Works from a downloaded template, without calling the Vision One API.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "V1AwsTemplate", HelpUri = ModuleLinks.ReadmeCmdlets + "get-v1awstemplate")]
    [OutputType(typeof(V1AwsTemplate))]
    public sealed class GetV1AwsTemplateCommand : V1ApiCmdletBase
    {
        /// <summary>The AWS region where the resources are deployed (the template call's awsRegion), named as in the other cmdlets (alias AwsRegion). Default: us-east-1.</summary>
        [Parameter]
        [Alias("AwsRegion")]
        [ArgumentCompleter(typeof(AwsRegionCompleter))]
        public string AwsDeploymentRegion { get; set; } = OnboardingDefaults.DefaultAwsRegion;

        /// <summary>A template file downloaded from the Vision One console, read instead of calling the API.</summary>
        [Parameter(Position = 0)]
        public string? Path { get; set; }

        /// <summary>Accept a template whose OIDC issuer is not a Vision One issuer (cloudaccounts-REGION.xdr.trendmicro.com); without it such a template is refused, since VisionOneRole would trust someone else's identity provider.</summary>
        [Parameter]
        public SwitchParameter AllowCustomIssuer { get; set; }

        /// <summary>The 12-digit AWS account id, to resolve AWS::AccountId in the policy documents here rather than in New-V1Policies.</summary>
        [Parameter]
        public string? AccountId { get; set; }

        protected override void ProcessRecord() => Guard(() =>
        {
            InputRules.AwsRegion(AwsDeploymentRegion);
            if (AccountId != null) InputRules.AccountId(AccountId);
            var output = new V1AwsTemplate { AwsRegion = AwsDeploymentRegion };
            if (!string.IsNullOrEmpty(Api.V1Region)) output.V1Region = V1Regions.Get(Api.V1Region).Code;

            if (!string.IsNullOrEmpty(Path))
            {
                output.TemplateText = ReadTemplateFile(Path!, out var file);
                output.Path = file;
                if (output.V1Region != null) output.OidcProviderUrl = V1Regions.Get(output.V1Region).OidcProviderUrl;
            }
            else
            {
                RunEngine(async bridge =>
                {
                    using var cam = Api.Connect(bridge);
                    output.ApiBaseUrl = cam.Connection.ApiBaseUrl.ToString().TrimEnd('/');
                    var links = await cam.GenerateCfnTemplateLinksAsync(AwsDeploymentRegion, cancellationToken: StopToken);
                    output.TemplateUrl = links.TemplateUrlForDisplay;
                    output.CreateStackUrl = links.CreateStackUrlForDisplay;
                    output.OidcProviderUrl = string.IsNullOrEmpty(links.VisionOneOidcProviderUrl) ? null : links.VisionOneOidcProviderUrl;
                    // The region the user named must be the issuer's; when nothing named one, the issuer's it is.
                    output.V1Region = V1RegionAgreement.Decide(cam.Connection.NamedRegion?.Code, cam.Connection.NamedRegionSource,
                        output.OidcProviderUrl, "named by the Vision One API", null, links.TemplateUrl).Code;
                    output.TemplateText = await cam.DownloadTemplateAsync(links.TemplateUrl, StopToken);
                    return true;
                });
            }

            Read(output);
            WriteObject(output);
        });

        private void Read(V1AwsTemplate output)
        {
            VisionOneTemplate template;
            try
            {
                template = VisionOneTemplate.Read(output.TemplateText!, PolicySource.ContextFor(AccountId, AwsDeploymentRegion));
            }
            catch (TemplateException ex) when (ex.Error == ErrorCatalogue.TemplateUnresolvable && AccountId == null && (ex.Intrinsic ?? "").Contains("AWS::AccountId"))
            {
                WriteWarning("The template's policy documents name the AWS account (AWS::AccountId): New-V1Policies resolves them once it knows the account. Pass -AccountId to see them here.");
                template = VisionOneTemplate.ReadWithoutPolicies(output.TemplateText!, PolicySource.ContextFor(AccountId, AwsDeploymentRegion));
            }
            output.OidcProviderUrl ??= template.OidcProviderUrl;
            if (output.OidcProviderUrl != null)
            {
                using var bridge = new PipelineBridge(this);
                output.OidcProviderUrl = IssuerTrust.Require(output.OidcProviderUrl, AllowCustomIssuer.IsPresent, "named by the template " + (output.Path ?? output.TemplateUrl), bridge);
            }
            foreach (var p in template.Policies.Where(p => OnboardingDefaults.PolicyNames.Contains(p.Key))) output.Policies[p.Key] = p.Value;
            foreach (var p in template.Parameters) output.Parameters[p.Key] = p.Value;
        }
    }
}
