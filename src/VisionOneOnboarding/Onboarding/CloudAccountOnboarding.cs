using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>What Connect-V1AwsAccount needs to know.</summary>
    public sealed class ConnectRequest
    {
        public string RoleArn { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string? WorkloadInstanceId { get; set; }
        /// <summary>Re-point an entry that is connected with another role.</summary>
        public bool Force { get; set; }
    }

    /// <summary>
    /// The Vision One half of the procedure: connect the account in Cloud Accounts (or adopt the entry that is
    /// already there), then verify it by reading it back until Vision One reports it managed.
    /// </summary>
    public sealed class CloudAccountOnboarding
    {
        private readonly CamClient _cam;
        private readonly ChangeRecorder _changes;
        private readonly ILogSink _log;
        private readonly OnboardingTimings _timings;

        public CloudAccountOnboarding(CamClient cam, IChangeGate gate, ILogSink log, OnboardingTimings? timings = null)
        {
            _cam = cam; _changes = new ChangeRecorder(gate, log); _log = log; _timings = timings ?? new OnboardingTimings();
        }

        public async Task ConnectAsync(AwsOnboardingState state, ConnectRequest request, CancellationToken ct)
        {
            var roleArn = InputRules.RoleArn(request.RoleArn);
            var name = InputRules.CloudAccountName(request.Name);
            var description = InputRules.CloudAccountDescription(request.Description);
            var accountId = AwsArns.AccountOf(roleArn)!;
            if (!string.IsNullOrEmpty(state.AccountId) && state.AccountId != accountId)
                throw new OnboardingException("VisionOne.AccountMismatch", FailureKind.InvalidArgument,
                    $"The role {roleArn} belongs to account {accountId}, but the input describes account {state.AccountId}.", roleArn);
            state.AccountId = accountId;
            state.RoleArn = roleArn;
            state.CloudAccountName = name;
            state.ApiBaseUrl = _cam.Connection.ApiBaseUrl.ToString().TrimEnd('/');

            var existing = await _cam.GetAwsAccountAsync(accountId, ct).ConfigureAwait(false);
            if (existing == null)
            {
                var action = "Connect AWS account " + accountId + " to Vision One Cloud Accounts as '" + name + "'";
                if (!Record(state, action, roleArn)) return;
                try
                {
                    await _cam.AddAwsAccountAsync(roleArn, name, description, request.WorkloadInstanceId, ct).ConfigureAwait(false);
                }
                catch (VisionOneApiException ex) when (ex.StatusCode == 409 && ex.ErrorCode != null && ex.ErrorCode.IndexOf("Name", StringComparison.OrdinalIgnoreCase) < 0)
                {
                    // Connected meanwhile (a concurrent run, or a retried POST whose first attempt did land): read it back below.
                    _log.Verbose("Vision One reports the account as connected already (" + ex.ErrorCode + "): reading it back.");
                }
            }
            else if (string.Equals(existing.RoleArn, roleArn, StringComparison.Ordinal))
            {
                _log.Verbose("AWS account " + accountId + " is already connected with " + roleArn + " (as '" + existing.Name + "'): nothing to change.");
                // The entry just read is the first reading of the verification: no second GET for it.
                await VerifyAsync(state, accountId, ct, existing).ConfigureAwait(false);
                return;
            }
            else
            {
                if (!request.Force)
                    throw new OnboardingException("VisionOne.ConnectedWithOtherRole", FailureKind.ResourceExists,
                        $"AWS account {accountId} is already connected to Vision One as '{existing.Name}' with another role ({existing.RoleArn}). Nothing was changed. Re-run with -Force to point it at {roleArn}.", accountId);
                if (!Record(state, "Point the Cloud Accounts entry of " + accountId + " at " + roleArn + " (was " + existing.RoleArn + ")", roleArn)) return;
                await _cam.UpdateAwsAccountAsync(accountId, existing.ETag ?? "", new V1AwsAccountPatch { RoleArn = roleArn }, ct).ConfigureAwait(false);
            }

            await VerifyAsync(state, accountId, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Reads the entry back. A role created seconds ago may not be assumable yet, so a state other than
        /// managed is re-read within a bounded wait before it is reported.
        /// </summary>
        /// <param name="state">Receives the entry and its state.</param>
        /// <param name="accountId">The AWS account id of the entry.</param>
        /// <param name="ct">Cancels in-flight calls.</param>
        /// <param name="firstReading">An entry read just before, used instead of reading it again.</param>
        public async Task VerifyAsync(AwsOnboardingState state, string accountId, CancellationToken ct, V1AwsAccount? firstReading = null)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var account = firstReading ?? await _cam.GetAwsAccountAsync(accountId, ct).ConfigureAwait(false)
                    ?? throw new OnboardingException("VisionOne.CloudAccountNotFound", FailureKind.ObjectNotFound,
                        $"Vision One does not list AWS account {accountId} after connecting it. Run the command again; if it persists, check the API key's Cloud Accounts permissions.", accountId);
                firstReading = null;
                state.CloudAccount = account;
                state.CloudAccountState = account.State;
                state.CloudAccountName = account.Name;
                if (string.Equals(account.State, "managed", StringComparison.OrdinalIgnoreCase))
                {
                    _log.Verbose("Verified: AWS account " + accountId + " is managed by Vision One.");
                    return;
                }
                if (clock.Elapsed >= _timings.ConnectVerificationTimeout)
                {
                    _log.Warning($"AWS account {accountId} is connected but Vision One reports it '{account.State}'" +
                        (account.MissingPieces.Count > 0 ? ": " + string.Join("; ", account.MissingPieces) : "") +
                        ". Fix the IAM side (Test-V1AwsOnboarding shows what differs) and run the onboarding again.");
                    return;
                }
                _log.Verbose($"Vision One reports AWS account {accountId} '{account.State}'; IAM changes can take a while to propagate. Checking again in {_timings.ConnectVerificationInterval.TotalSeconds:0.#} s.");
                await _timings.Delay(_timings.ConnectVerificationInterval, ct).ConfigureAwait(false);
            }
        }

        private bool Record(AwsOnboardingState state, string action, string target) => _changes.Propose(state, "CloudAccount", action, target);
    }
}
