using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>The facts that decide what the procedure prescribes for one account.</summary>
    public sealed class ExpectationRequest
    {
        public string BusinessId { get; set; } = "";
        /// <summary>Vision One region code; selects the issuer when the template does not name one.</summary>
        public string V1Region { get; set; } = V1Regions.DefaultCode;
        public string RoleName { get; set; } = OnboardingDefaults.RoleName;
        /// <summary>Null: the credentials' region, else us-east-1.</summary>
        public string? AwsDeploymentRegion { get; set; }
        /// <summary>A template the user downloaded; null: ask the API for the template (or, with no API, use the published policies).</summary>
        public string? TemplateText { get; set; }
        public string? TemplateSource { get; set; }
    }

    /// <summary>
    /// What the procedure prescribes for one account, resolved once: the issuer, the trust facts, the tags' region
    /// and the three policy documents. The onboarding applies it; the inspection compares an account with it, so
    /// both always speak of the same desired state.
    /// </summary>
    public sealed class OnboardingExpectation
    {
        private OnboardingExpectation(string issuerUrl, string v1Region, string businessId, string roleName, string awsDeploymentRegion,
            IReadOnlyList<KeyValuePair<string, string>> policies, string source)
        {
            IssuerUrl = issuerUrl; V1Region = v1Region; BusinessId = businessId; RoleName = roleName;
            AwsDeploymentRegion = awsDeploymentRegion; Policies = policies; Source = source;
        }

        /// <summary>https://host, normalised as IAM stores it.</summary>
        public string IssuerUrl { get; }
        public string IssuerHost => InputRules.IssuerHost(IssuerUrl);
        public string V1Region { get; }
        public string BusinessId { get; }
        public string RoleName { get; }
        /// <summary>The region recorded in the role's VisionOneCloudFormationStackRegion tag.</summary>
        public string AwsDeploymentRegion { get; }
        public IReadOnlyList<string> Thumbprints => OnboardingDefaults.Thumbprints;
        /// <summary>VisionOnePolicyPart1..3 → document.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Policies { get; }
        /// <summary>Where the policies came from: the template URL, a template file, or the published documents.</summary>
        public string Source { get; }

        /// <summary>
        /// Resolves the expectation: a given template, else the template the Vision One API hands out (its issuer URL
        /// wins), else — when there is no API client — the published policies and the region table's issuer.
        /// Bad input fails here, before any change.
        /// </summary>
        public static async Task<OnboardingExpectation> ResolveAsync(AccountScope scope, CamClient? cam, ExpectationRequest request, ILogSink log, CancellationToken ct)
        {
            var businessId = InputRules.BusinessId(request.BusinessId);
            var roleName = InputRules.RoleName(request.RoleName);
            var region = V1Regions.Get(request.V1Region);
            var awsRegion = InputRules.AwsRegion(request.AwsDeploymentRegion ?? scope.Region ?? OnboardingDefaults.DefaultAwsRegion);

            string? issuer = null;
            string source;
            IReadOnlyList<KeyValuePair<string, string>> policies;
            if (request.TemplateText == null && cam == null)
            {
                source = "published";
                policies = PolicySource.Published(log);
            }
            else
            {
                string templateText;
                if (request.TemplateText != null)
                {
                    templateText = request.TemplateText;
                    source = request.TemplateSource ?? "given";
                }
                else
                {
                    var links = await cam!.GenerateCfnTemplateLinksAsync(awsRegion, cancellationToken: ct).ConfigureAwait(false);
                    templateText = await cam.DownloadTemplateAsync(links.TemplateUrl, ct).ConfigureAwait(false);
                    source = links.TemplateUrl;
                    issuer = string.IsNullOrEmpty(links.VisionOneOidcProviderUrl) ? null : links.VisionOneOidcProviderUrl;
                }
                var template = VisionOneTemplate.Read(templateText, PolicySource.ContextFor(scope.AccountId, awsRegion, scope.Partition));
                issuer ??= template.OidcProviderUrl;
                policies = PolicySource.FromTemplate(template, source, log);
            }
            issuer = InputRules.IssuerUrl(issuer ?? region.OidcProviderUrl);
            log.Verbose("Template " + source + ": issuer " + issuer + ".");
            return new OnboardingExpectation(issuer, region.Code, businessId, roleName, awsRegion, policies, source);
        }
    }
}
