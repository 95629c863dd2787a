using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>The facts that decide what the procedure prescribes for one account.</summary>
    public class ExpectationRequest
    {
        public string BusinessId { get; set; } = "";
        /// <summary>
        /// The Vision One region the user named; null when nothing did — then the issuer the API or the template names
        /// decides it. Checked against that issuer and the template's VisionOneRegion.
        /// </summary>
        public string? V1Region { get; set; } = V1Regions.DefaultCode;
        /// <summary>Where <see cref="V1Region"/> came from, for the mismatch message (e.g. "-V1Region").</summary>
        public string V1RegionSource { get; set; } = "the request";
        public string RoleName { get; set; } = OnboardingDefaults.RoleName;
        /// <summary>Null: the credentials' region, else us-east-1.</summary>
        public string? AwsDeploymentRegion { get; set; }
        /// <summary>A template the user downloaded; null: ask the API for the template (or, with no API, use the published policies).</summary>
        public string? TemplateText { get; set; }
        public string? TemplateSource { get; set; }
        /// <summary>Let the template name an issuer that is not Vision One's (see <see cref="IssuerTrust"/>).</summary>
        public bool AllowCustomIssuer { get; set; }
        /// <summary>Let the template's policies grant actions the published documents do not (see <see cref="PolicySource"/>).</summary>
        public bool AllowPolicyChanges { get; set; }
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
            RequireWellFormed(request);
            if (request.V1Region != null) V1Regions.Get(request.V1Region);
            FetchedTemplate? template = null;
            if (request.TemplateText != null)
                template = FetchedTemplate.Given(request.TemplateText, request.TemplateSource);
            else if (cam != null)
                template = await FetchedTemplate.FetchAsync(cam, DeploymentRegion(request, scope.Region), ct).ConfigureAwait(false);
            return Resolve(scope, request, template, log);
        }

        /// <summary>
        /// Bad input fails before the first call. No business id at all is no error yet: the template may name it
        /// (<see cref="V1RegionAgreement.BusinessIdOfTemplate"/>).
        /// </summary>
        public static void RequireWellFormed(ExpectationRequest request)
        {
            if (!string.IsNullOrEmpty(request.BusinessId)) InputRules.BusinessId(request.BusinessId);
            InputRules.RoleName(request.RoleName);
        }

        /// <summary>
        /// The same, with the template already in hand (fetched beside STS, or once for many accounts); null: the
        /// published policies and the region table's issuer.
        /// </summary>
        public static OnboardingExpectation Resolve(AccountScope scope, ExpectationRequest request, FetchedTemplate? template, ILogSink log) =>
            Resolve(scope.AccountId, scope.Partition, scope.Region, request, template, log);

        /// <summary>
        /// The same for an account named, not signed in to (Export-V1AwsOnboardingPlan): its id, partition and, if
        /// known, the credentials' region. No call is made.
        /// </summary>
        public static OnboardingExpectation Resolve(string accountId, string partition, string? credentialsRegion, ExpectationRequest request, FetchedTemplate? template, ILogSink log)
        {
            var givenBusinessId = string.IsNullOrEmpty(request.BusinessId) ? null : InputRules.BusinessId(request.BusinessId);
            var roleName = InputRules.RoleName(request.RoleName);
            var awsRegion = DeploymentRegion(request, credentialsRegion);

            string? issuer = null;
            string issuerSource = "";
            string source;
            IReadOnlyList<KeyValuePair<string, string>> policies;
            IReadOnlyDictionary<string, string?>? parameters = null;
            if (template == null)
            {
                source = "published";
                policies = PolicySource.Published(log);
            }
            else
            {
                source = template.Source;
                issuer = template.IssuerUrl;
                issuerSource = "named by the Vision One API";
                var parsed = VisionOneTemplate.Read(template.Text, PolicySource.ContextFor(accountId, awsRegion, partition));
                if (issuer == null && parsed.OidcProviderUrl != null) { issuer = parsed.OidcProviderUrl; issuerSource = "named by the template " + source; }
                parameters = parsed.Parameters;
                if (issuer != null) issuer = IssuerTrust.Require(issuer, request.AllowCustomIssuer, issuerSource, log);
                policies = PolicySource.FromTemplate(parsed, source, log, request.AllowPolicyChanges);
            }
            // One region from every source that names one, and the template's tenant: any disagreement stops here, before any change.
            var region = V1RegionAgreement.Decide(request.V1Region, request.V1RegionSource, issuer, issuerSource, parameters, source);
            var businessId = givenBusinessId != null
                ? V1RegionAgreement.CheckBusinessId(givenBusinessId, parameters, source)
                : V1RegionAgreement.BusinessIdOfTemplate(parameters, template == null ? null : source, log);
            issuer = InputRules.IssuerUrl(issuer ?? region.OidcProviderUrl);
            log.Verbose("Template " + source + ": issuer " + issuer + ".");
            return new OnboardingExpectation(issuer, region.Code, businessId, roleName, awsRegion, policies, source);
        }

        /// <summary>The region of deployment: as asked, else the credentials' region, else us-east-1 (validated).</summary>
        public static string DeploymentRegion(ExpectationRequest request, string? credentialsRegion) =>
            InputRules.AwsRegion(request.AwsDeploymentRegion ?? credentialsRegion ?? OnboardingDefaults.DefaultAwsRegion);
    }

    /// <summary>
    /// A Vision One template in hand: its text, where it came from, and the issuer the API named beside it. It does not
    /// depend on the account (the account's facts are applied when it is read), so it is fetched beside STS, and once
    /// for any number of accounts of one deployment region.
    /// </summary>
    public sealed class FetchedTemplate
    {
        private FetchedTemplate(string text, string source, string? issuerUrl)
        {
            Text = text; Source = source; IssuerUrl = issuerUrl;
        }

        public string Text { get; }
        public string Source { get; }
        /// <summary>The issuer generateCfnTemplateLinks named; null for a template file.</summary>
        public string? IssuerUrl { get; }
        /// <summary>Sequential calls it took: 2 from the API (links, then download), 0 from a file.</summary>
        public int DependentCalls { get; private set; }

        public static FetchedTemplate Given(string text, string? source) => new FetchedTemplate(text, source ?? "given", null);

        /// <summary>generateCfnTemplateLinks, then the template it links to.</summary>
        public static async Task<FetchedTemplate> FetchAsync(CamClient cam, string awsRegion, CancellationToken ct)
        {
            var links = await cam.GenerateCfnTemplateLinksAsync(awsRegion, cancellationToken: ct).ConfigureAwait(false);
            var text = await cam.DownloadTemplateAsync(links.TemplateUrl, ct).ConfigureAwait(false);
            return new FetchedTemplate(text, links.TemplateUrlForDisplay, string.IsNullOrEmpty(links.VisionOneOidcProviderUrl) ? null : links.VisionOneOidcProviderUrl) { DependentCalls = 2 };
        }
    }
}
