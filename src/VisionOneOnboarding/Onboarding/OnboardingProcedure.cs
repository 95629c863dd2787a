using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>What Invoke-V1AwsOnboarding needs to know for one account.</summary>
    public sealed class OnboardingRequest
    {
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string BusinessId { get; set; } = "";
        /// <summary>Vision One region code; selects the issuer when the template does not name one.</summary>
        public string V1Region { get; set; } = V1Regions.DefaultCode;
        /// <summary>A template the user downloaded; null: ask the API for the template.</summary>
        public string? TemplateText { get; set; }
        public string? TemplateSource { get; set; }
        public string? WorkloadInstanceId { get; set; }
        public string RoleName { get; set; } = OnboardingDefaults.RoleName;
        public string? AwsDeploymentRegion { get; set; }
        /// <summary>Replace a differing trust policy, and re-point a Cloud Accounts entry connected with another role.</summary>
        public bool Force { get; set; }
    }

    /// <summary>
    /// The whole procedure for one account: template → provider → thumbprints → policies → role → connect → verify.
    /// Every step is idempotent and asks the gate before each change, so -WhatIf lists the complete plan.
    /// </summary>
    public sealed class OnboardingProcedure
    {
        private readonly AccountScope _scope;
        private readonly CamClient _cam;
        private readonly IChangeGate _gate;
        private readonly ILogSink _log;
        private readonly OnboardingTimings _timings;

        public OnboardingProcedure(AccountScope scope, CamClient cam, IChangeGate gate, ILogSink log, OnboardingTimings? timings = null)
        {
            _scope = scope; _cam = cam; _gate = gate; _log = log; _timings = timings ?? new OnboardingTimings();
        }

        /// <param name="request">The account's onboarding facts.</param>
        /// <param name="progress">Told the step number (1-6) and its name as each step starts.</param>
        /// <param name="ct">Cancels in-flight calls.</param>
        public async Task<AwsOnboardingState> RunAsync(OnboardingRequest request, System.Action<int, string>? progress, CancellationToken ct)
        {
            // Check what can be checked before the first call.
            InputRules.CloudAccountName(request.Name);
            InputRules.CloudAccountDescription(request.Description);
            InputRules.BusinessId(request.BusinessId);
            InputRules.RoleName(request.RoleName);
            var region = V1Regions.Get(request.V1Region);
            var awsRegion = InputRules.AwsRegion(request.AwsDeploymentRegion ?? _scope.Region ?? OnboardingDefaults.DefaultAwsRegion);

            var state = new AwsOnboardingState { V1Region = region.Code, ApiBaseUrl = _cam.Connection.ApiBaseUrl.ToString().TrimEnd('/') };
            var iam = new IamOnboarding(_scope, _gate, _log, _timings);

            progress?.Invoke(1, "Reading the Vision One template");
            string templateText, source;
            string? issuer = null;
            if (request.TemplateText != null)
            {
                templateText = request.TemplateText;
                source = request.TemplateSource ?? "given";
            }
            else
            {
                var links = await _cam.GenerateCfnTemplateLinksAsync(awsRegion, cancellationToken: ct).ConfigureAwait(false);
                templateText = await _cam.DownloadTemplateAsync(links.TemplateUrl, ct).ConfigureAwait(false);
                source = links.TemplateUrl;
                issuer = string.IsNullOrEmpty(links.VisionOneOidcProviderUrl) ? null : links.VisionOneOidcProviderUrl;
            }
            state.TemplateUrl = source;
            var template = VisionOneTemplate.Read(templateText, PolicySource.ContextFor(_scope.AccountId, awsRegion, _scope.Partition));
            issuer ??= template.OidcProviderUrl ?? region.OidcProviderUrl;
            _log.Verbose("Template " + source + ": issuer " + issuer + ".");

            progress?.Invoke(2, "OIDC provider");
            await iam.EnsureOidcProviderAsync(state, issuer, null, ct).ConfigureAwait(false);
            progress?.Invoke(3, "Thumbprints");
            await iam.EnsureThumbprintsAsync(state, state.OidcProviderArn!, null, ct).ConfigureAwait(false);
            progress?.Invoke(4, "Policies");
            await iam.EnsurePoliciesAsync(state, PolicySource.FromTemplate(template, source, _log), ct).ConfigureAwait(false);
            progress?.Invoke(5, "Role");
            await iam.EnsureRoleAsync(state, new RoleRequest
            {
                RoleName = request.RoleName,
                ProviderArn = state.OidcProviderArn!,
                V1Region = region.Code,
                BusinessId = request.BusinessId,
                PolicyArns = state.PolicyArns,
                AwsDeploymentRegion = awsRegion,
                Force = request.Force,
            }, ct).ConfigureAwait(false);
            progress?.Invoke(6, "Connecting to Vision One");
            await new CloudAccountOnboarding(_cam, _gate, _log, _timings).ConnectAsync(state, new ConnectRequest
            {
                RoleArn = state.RoleArn!,
                Name = request.Name,
                Description = request.Description,
                WorkloadInstanceId = request.WorkloadInstanceId,
                Force = request.Force,
            }, ct).ConfigureAwait(false);
            return state;
        }
    }
}
