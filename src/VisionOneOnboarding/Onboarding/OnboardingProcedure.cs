using System.Linq;
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
    /// Every step is idempotent and asks the gate before each change, so -WhatIf lists the complete plan. On an
    /// account onboarded before, it puts back exactly what drifted (see <see cref="RoleRequest.RepairDrift"/>): the
    /// changes it makes are the checks <see cref="OnboardingInspection"/> reports as not Ok, step by step.
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
            InputRules.AwsRegion(request.AwsDeploymentRegion ?? _scope.Region ?? OnboardingDefaults.DefaultAwsRegion);

            var state = new AwsOnboardingState { V1Region = region.Code, ApiBaseUrl = _cam.Connection.ApiBaseUrl.ToString().TrimEnd('/') };
            var iam = new IamOnboarding(_scope, _gate, _log, _timings);

            progress?.Invoke(1, "Reading the Vision One template");
            var expected = await OnboardingExpectation.ResolveAsync(_scope, _cam, new ExpectationRequest
            {
                BusinessId = request.BusinessId,
                V1Region = region.Code,
                RoleName = request.RoleName,
                AwsDeploymentRegion = request.AwsDeploymentRegion,
                TemplateText = request.TemplateText,
                TemplateSource = request.TemplateSource,
            }, _log, ct).ConfigureAwait(false);
            state.TemplateUrl = expected.Source;

            progress?.Invoke(2, "OIDC provider");
            await iam.EnsureOidcProviderAsync(state, expected.IssuerUrl, expected.Thumbprints, ct).ConfigureAwait(false);
            progress?.Invoke(3, "Thumbprints");
            await iam.EnsureThumbprintsAsync(state, state.OidcProviderArn!, expected.Thumbprints, ct).ConfigureAwait(false);
            progress?.Invoke(4, "Policies");
            await iam.EnsurePoliciesAsync(state, expected.Policies, ct).ConfigureAwait(false);
            progress?.Invoke(5, "Role");
            await iam.EnsureRoleAsync(state, new RoleRequest
            {
                RoleName = expected.RoleName,
                ProviderArn = state.OidcProviderArn!,
                V1Region = expected.V1Region,
                BusinessId = expected.BusinessId,
                PolicyArns = state.PolicyArns,
                AwsDeploymentRegion = expected.AwsDeploymentRegion,
                Force = request.Force,
                RepairDrift = true,
            }, ct).ConfigureAwait(false);
            progress?.Invoke(6, "Connecting to Vision One");
            // A planned or declined IAM change means Vision One would still see the old role: read the entry once, do not wait for it.
            var connectTimings = state.IsComplete ? _timings : new OnboardingTimings { ConnectVerificationTimeout = System.TimeSpan.Zero, Delay = _timings.Delay };
            await new CloudAccountOnboarding(_cam, _gate, _log, connectTimings).ConnectAsync(state, new ConnectRequest
            {
                RoleArn = state.RoleArn!,
                Name = request.Name,
                Description = request.Description,
                WorkloadInstanceId = request.WorkloadInstanceId,
                Force = request.Force,
            }, ct).ConfigureAwait(false);
            _log.Verbose(state.Changes.Count == 0
                ? "Account " + state.AccountId + " already matched what the procedure prescribes: nothing was changed."
                : "Account " + state.AccountId + ": " + state.Changes.Count + " change(s) to match what the procedure prescribes, and nothing else: " +
                  string.Join("; ", state.Changes.Select(c => c.ToString())) + ".");
            return state;
        }
    }
}
