using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>Invoke-V1AwsOnboarding for one account of many: the whole procedure, named by -NameFormat, with the run's one template.</summary>
    public sealed class OnboardAccountOperation : IAccountOperation
    {
        private readonly CamClient _cam;
        private readonly IChangeGate _gate;
        private readonly OnboardingRequest _request;
        private readonly Task<FetchedTemplate> _template;
        private readonly IReadOnlyDictionary<string, string> _names;
        private readonly OnboardingTimings _timings;
        private readonly Action<AwsOnboardingState> _complete;

        /// <param name="cam">The run's one Vision One client.</param>
        /// <param name="gate">Asked before every change.</param>
        /// <param name="request">Everything but the name, which <paramref name="names"/> gives per account.</param>
        /// <param name="template">The run's one template.</param>
        /// <param name="names">Account id → its Cloud Accounts name (from -NameFormat, with what the Organization knows of it).</param>
        /// <param name="timings">Waits (verification).</param>
        /// <param name="complete">Adds what the cmdlet knows to each emitted state (endpoint, profile).</param>
        public OnboardAccountOperation(CamClient cam, IChangeGate gate, OnboardingRequest request, FetchedTemplate template,
            IReadOnlyDictionary<string, string> names, OnboardingTimings timings, Action<AwsOnboardingState> complete)
        {
            _cam = cam; _gate = gate; _request = request; _template = Task.FromResult(template); _names = names; _timings = timings; _complete = complete;
        }

        public string Activity => "Onboarding";

        public async Task<AccountWorkResult> RunAsync(AccountScope scope, AccountTarget account, ILogSink log, CancellationToken ct)
        {
            var outcome = await new AccountOnboarding(scope, _cam, _gate, log, _timings).InvokeAsync(_request.Named(_names[account.AccountId]), _template, null, ct).ConfigureAwait(false);
            var state = new AwsOnboardingState();
            state.FoldIn(outcome);
            _complete(state);
            return new AccountWorkResult(outcome.Changes.Count > 0, new object[] { state });
        }
    }

    /// <summary>Test-V1AwsOnboarding for one account of many: its checks and summary (none with -Quiet); "changed" means not compliant.</summary>
    public sealed class TestAccountOperation : IAccountOperation
    {
        private readonly CamClient _cam;
        private readonly ExpectationRequest _request;
        private readonly Task<FetchedTemplate> _template;
        private readonly bool _quiet;

        public TestAccountOperation(CamClient cam, ExpectationRequest request, FetchedTemplate template, bool quiet)
        {
            _cam = cam; _request = request; _template = Task.FromResult(template); _quiet = quiet;
        }

        public string Activity => "Checking";

        public async Task<AccountWorkResult> RunAsync(AccountScope scope, AccountTarget account, ILogSink log, CancellationToken ct)
        {
            var plan = await new AccountOnboarding(scope, _cam, FixedChangeGate.Deny, log).TestAsync(_request, _template, ct).ConfigureAwait(false);
            var summary = new OnboardingCheckSummary(scope.AccountId, plan.Checks);
            var output = new List<object>();
            if (!_quiet)
            {
                output.AddRange(plan.Checks);
                output.Add(summary);
            }
            return new AccountWorkResult(!summary.IsCompliant, output);
        }
    }

    /// <summary>Remove-V1AwsOnboarding for one account of many: the reverse plan, with the provider of the run's Vision One region.</summary>
    public sealed class RemoveAccountOperation : IAccountOperation
    {
        private readonly CamClient _cam;
        private readonly IChangeGate _gate;
        private readonly RemovalRequest _request;
        private readonly bool _passThru;

        /// <param name="cam">The run's one Vision One client.</param>
        /// <param name="gate">Asked before every change.</param>
        /// <param name="request">Role name and switches; the provider ARN is worked out per account.</param>
        /// <param name="passThru">Write each account's changes.</param>
        public RemoveAccountOperation(CamClient cam, IChangeGate gate, RemovalRequest request, bool passThru)
        {
            _cam = cam; _gate = gate; _request = request; _passThru = passThru;
        }

        public string Activity => "Removing";

        public async Task<AccountWorkResult> RunAsync(AccountScope scope, AccountTarget account, ILogSink log, CancellationToken ct)
        {
            var outcome = await new AccountOnboarding(scope, _cam, _gate, log).RemoveAsync(new RemovalRequest
            {
                RoleName = _request.RoleName,
                ProviderArn = AwsArns.OidcProvider(scope.Partition, scope.AccountId, _cam.Connection.Region.OidcIssuerHost),
                IncludeShared = _request.IncludeShared,
                KeepAwsResources = _request.KeepAwsResources,
            }, ct).ConfigureAwait(false);
            var output = _passThru ? (object[])System.Linq.Enumerable.ToArray(outcome.Changes) : Array.Empty<object>();
            return new AccountWorkResult(outcome.Changes.Count > 0, output);
        }
    }
}
