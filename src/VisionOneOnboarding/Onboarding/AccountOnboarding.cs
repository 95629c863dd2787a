// The per-account entry point of the engine: observe → plan → apply, for one AWS account.
//
//   var account = new AccountOnboarding(scope, cam, gate, log, timings);   // one per account; holds no process-wide state
//   var outcome = await account.InvokeAsync(request, template, progress, ct);   // whole procedure: plan, apply, verify
//   var plan    = await account.TestAsync(expectationRequest, template, ct);    // plan only: plan.Checks is Test's output
//   var removed = await account.RemoveAsync(removalRequest, ct);                // the reverse plan, applied
//   var step    = await account.ApplyAsync(await account.PlanAsync(DesiredOnboarding.ForRole(...), ct), ct);   // one step
//
// Everything it touches is passed in: the account's scope (id, partition, IAM client), the Vision One client, the
// change gate (ShouldProcess) and the log. Instances for different accounts share nothing and may run side by side;
// a FetchedTemplate does not depend on the account and may be shared by all of them (fetch it once per region).
// It never touches a pipeline state object: it returns an OnboardingOutcome, which the cmdlets fold into theirs.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding.Permissions;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>What one engine run established for one account: the facts the cmdlets fold into their state, and the changes.</summary>
    public sealed class OnboardingOutcome
    {
        internal OnboardingOutcome(OnboardingPlan plan, IReadOnlyList<OnboardingChange> changes)
        {
            Plan = plan;
            Changes = changes;
            AccountId = plan.AccountId;
            Partition = plan.Observed.Partition;
        }

        public OnboardingPlan Plan { get; }
        /// <summary>Every change, made (Applied) or only planned / declined.</summary>
        public IReadOnlyList<OnboardingChange> Changes { get; }
        public string AccountId { get; }
        public string Partition { get; }
        public string? OidcProviderArn { get; internal set; }
        public string? OidcProviderUrl { get; internal set; }
        public string? Audience { get; internal set; }
        public IReadOnlyList<string>? Thumbprints { get; internal set; }
        public IReadOnlyList<string>? PolicyArns { get; internal set; }
        public string? RoleName { get; internal set; }
        public string? RoleArn { get; internal set; }
        public string? BusinessId { get; internal set; }
        public string? V1Region { get; internal set; }
        public string? AwsDeploymentRegion { get; internal set; }
        public string? TemplateSource { get; internal set; }
        public string? ApiBaseUrl { get; internal set; }
        public string? CloudAccountName { get; internal set; }
        /// <summary>The Cloud Accounts entry as last read (after the verification), if the plan covered it.</summary>
        public V1AwsAccount? CloudAccount { get; internal set; }
        /// <summary>The fewest dependent round trips the run's work needed (its floor), from <see cref="StepGraph"/>.</summary>
        public int DependentRoundTrips { get; internal set; }
        public bool IsComplete => Changes.All(c => c.Applied);
        internal IReadOnlyList<PlannedChange> AppliedChanges { get; set; } = new PlannedChange[0];
        internal int VerifyReads { get; set; }
    }

    /// <summary>
    /// Onboards, checks or removes one AWS account with one model: <see cref="AccountObserver"/> reads, a pure planner
    /// (<see cref="OnboardingPlanner"/>, <see cref="RemovalPlanner"/>) compares, <see cref="PlanApplier"/> changes
    /// through the gate in dependency order. See the comment at the top of this file.
    /// </summary>
    public sealed class AccountOnboarding
    {
        private readonly string _accountId;
        private readonly string _partition;
        private readonly AccountScope? _scope;
        private readonly CamClient? _cam;
        private readonly IChangeGate _gate;
        private readonly ILogSink _log;
        private readonly OnboardingTimings _timings;

        /// <param name="scope">The account: its id, partition and IAM client.</param>
        /// <param name="cam">Null: the Cloud Accounts entry is neither read nor changed.</param>
        /// <param name="gate">Asked before every change.</param>
        /// <param name="log">Told what is read, planned and changed.</param>
        /// <param name="timings">Waits (propagation, verification); null: the defaults.</param>
        public AccountOnboarding(AccountScope scope, CamClient? cam, IChangeGate gate, ILogSink log, OnboardingTimings? timings = null)
            : this(scope.AccountId, scope.Partition, scope, cam, gate, log, timings)
        {
        }

        /// <summary>For the Cloud Accounts step alone (Connect-V1AwsAccount): no AWS credentials involved.</summary>
        public AccountOnboarding(string accountId, string partition, CamClient cam, IChangeGate gate, ILogSink log, OnboardingTimings? timings = null)
            : this(accountId, partition, null, cam, gate, log, timings)
        {
        }

        private AccountOnboarding(string accountId, string partition, AccountScope? scope, CamClient? cam, IChangeGate gate, ILogSink log, OnboardingTimings? timings)
        {
            _accountId = accountId;
            _partition = partition;
            _scope = scope;
            _cam = cam;
            _gate = gate;
            _log = log;
            _timings = timings ?? new OnboardingTimings();
        }

        public Task<ObservedAccount> ObserveAsync(ObservationRequest request, CancellationToken ct) =>
            new AccountObserver(_accountId, _partition, _scope?.Iam, _cam, _log).ObserveAsync(request, ct);

        /// <summary>Observe what <paramref name="desired"/> covers, then plan. Changes nothing.</summary>
        public async Task<OnboardingPlan> PlanAsync(DesiredOnboarding desired, CancellationToken ct)
        {
            var observed = await ObserveAsync(desired.Observation(), ct).ConfigureAwait(false);
            return OnboardingPlanner.Plan(desired, observed);
        }

        /// <summary>
        /// Apply <paramref name="plan"/> through the gate (a refusal throws before any change), then, when it covers
        /// the Cloud Accounts entry, verify the entry: read back until managed, within the verification wait.
        /// </summary>
        public async Task<OnboardingOutcome> ApplyAsync(OnboardingPlan plan, CancellationToken ct)
        {
            foreach (var note in plan.Notes)
            {
                if (note.IsWarning) _log.Warning(note.Text);
                else _log.Verbose(note.Text);
            }
            if (plan.Refusal == null) await PreflightAsync(OperatorPermissions.ForPlan(plan), plan.Desired == null ? "removal" : "onboarding", ct).ConfigureAwait(false);
            var applied = await new PlanApplier(Journaled(plan), _cam, _gate, _log, _timings, ReplanAsync).ApplyAsync(plan, ct).ConfigureAwait(false);
            var outcome = new OnboardingOutcome(plan, applied.Records) { ApiBaseUrl = _cam?.Connection.ApiBaseUrl.ToString().TrimEnd('/') };
            if (plan.Desired?.CloudAccount != null)
                outcome.VerifyReads = await VerifyAsync(plan, applied, outcome, ct).ConfigureAwait(false);
            Describe(plan, applied, outcome);
            outcome.AppliedChanges = applied.Changes;
            outcome.DependentRoundTrips = plan.Graph.RunFloor(0, plan.Observed.DependentReads, applied.Changes, outcome.VerifyReads);
            return outcome;
        }

        /// <summary>
        /// The whole procedure: expectation, plan, apply, verify. A refusal stops it before any change. The
        /// <paramref name="template"/> is the template's fetch, possibly still running (started beside STS, or once for
        /// many accounts); null: a template in the request, else it is fetched beside the account's reads. <paramref name="progress"/> is told the stage
        /// number (1-4) and its name as each starts.
        /// </summary>
        public async Task<OnboardingOutcome> InvokeAsync(OnboardingRequest request, Task<FetchedTemplate>? template, Action<int, string>? progress, CancellationToken ct)
        {
            // Check what can be checked before the first call.
            var name = InputRules.CloudAccountName(request.Name);
            var description = InputRules.CloudAccountDescription(request.Description);
            if (request.V1Region != null) V1Regions.Get(request.V1Region);
            var scope = _scope ?? throw new InvalidOperationException("The whole procedure needs the account's IAM client.");
            var cam = _cam ?? throw new InvalidOperationException("The whole procedure needs a Vision One client.");

            await PreflightAsync(ProcedureReads(request), "onboarding", ct).ConfigureAwait(false);
            progress?.Invoke(1, "Reading the account and the Vision One template");
            var (expected, observed, templateCalls) = await ExpectAndObserveAsync(request, template, desiredFor: e =>
                DesiredOnboarding.ForProcedure(_accountId, _partition, e, request.Force,
                    new DesiredCloudAccount(RoleArnOf(e), name, description, request.WorkloadInstanceId, request.Force)), ct).ConfigureAwait(false);

            progress?.Invoke(2, "Planning");
            var plan = OnboardingPlanner.Plan(observed.Desired, observed.Observed);
            progress?.Invoke(3, plan.IsEmpty ? "Nothing to change" : "Making " + plan.Changes.Count + " change(s)");
            var outcome = await ApplyAsync(plan, ct).ConfigureAwait(false);
            outcome.TemplateSource = expected.Source;
            outcome.V1Region = expected.V1Region;
            outcome.DependentRoundTrips = plan.Graph.RunFloor(templateCalls, plan.Observed.DependentReads, outcome.AppliedChanges, outcome.VerifyReads);
            _log.Verbose(outcome.Changes.Count == 0
                ? "Account " + _accountId + " already matched what the procedure prescribes: nothing was changed."
                : "Account " + _accountId + ": " + outcome.Changes.Count + " change(s) to match what the procedure prescribes, and nothing else: " +
                  string.Join("; ", outcome.Changes.Select(c => c.ToString())) + ".");
            return outcome;
        }

        /// <summary>Test-V1AwsOnboarding: the plan of the whole procedure, of which the checks are the report. Changes nothing.</summary>
        public async Task<OnboardingPlan> TestAsync(ExpectationRequest request, Task<FetchedTemplate>? template, CancellationToken ct)
        {
            _log.Verbose("Checking account " + _accountId + " against the procedure.");
            await PreflightAsync(ProcedureReads(request), "check", ct).ConfigureAwait(false);
            var (_, observed, _) = await ExpectAndObserveAsync(request, template, desiredFor: e =>
                DesiredOnboarding.ForProcedure(_accountId, _partition, e, force: false,
                    _cam == null ? null : new DesiredCloudAccount(RoleArnOf(e), "", null, null, force: false)), ct).ConfigureAwait(false);
            return OnboardingPlanner.Plan(observed.Desired, observed.Observed);
        }

        /// <summary>Remove-V1AwsOnboarding: the reverse plan, applied. Everything is read and every refusal made before the first change.</summary>
        public async Task<OnboardingOutcome> RemoveAsync(RemovalRequest request, CancellationToken ct)
        {
            var checkedRequest = new RemovalRequest
            {
                RoleName = InputRules.RoleName(request.RoleName),
                ProviderArn = InputRules.ProviderArn(request.ProviderArn),
                IncludeShared = request.IncludeShared,
                KeepAwsResources = request.KeepAwsResources,
            };
            if (AwsArns.AccountOf(checkedRequest.ProviderArn) != _accountId)
                throw new VisionOneException(ErrorCatalogue.AccountMismatch,
                    $"{checkedRequest.ProviderArn} belongs to account {AwsArns.AccountOf(checkedRequest.ProviderArn)}, but the credentials act in account {_accountId}.", checkedRequest.ProviderArn);
            var reads = RemovalPlanner.Observation(_partition, _accountId, checkedRequest);
            await PreflightAsync(OperatorPermissions.ForObservation(reads, _partition, _accountId), "removal", ct).ConfigureAwait(false);
            var observed = await ObserveAsync(reads, ct).ConfigureAwait(false);
            var plan = RemovalPlanner.Plan(checkedRequest, observed);
            var outcome = await ApplyAsync(plan, ct).ConfigureAwait(false);
            outcome.RoleName = checkedRequest.RoleName;
            outcome.RoleArn = AwsArns.Role(_partition, _accountId, checkedRequest.RoleName);
            outcome.OidcProviderArn = checkedRequest.ProviderArn;
            outcome.PolicyArns = OnboardingDefaults.PolicyNames.Select(n => AwsArns.Policy(_partition, _accountId, n)).ToList();
            _log.Verbose(outcome.Changes.Count == 0
                ? "Nothing of the onboarding is left in account " + _accountId + "."
                : "Account " + _accountId + ": " + string.Join("; ", outcome.Changes.Select(c => c.ToString())) + ".");
            return outcome;
        }

        /// <summary>The scope's preflight, when it has one (Invoke, Test, Remove): refuses before anything is read or changed.</summary>
        private Task PreflightAsync(IReadOnlyList<ActionNeed> needs, string work, CancellationToken ct) =>
            _scope?.Preflight == null ? Task.CompletedTask : _scope.Preflight.CheckAsync(needs, work, _accountId, _log, ct);

        /// <summary>
        /// What the whole procedure (and its check) reads: the region's provider, the three policies' documents, the role.
        /// The provider is the named region's (else the default's) — a guess that checks nothing itself: the region is
        /// checked, with its agreement with the template, where the procedure resolves it.
        /// </summary>
        private IReadOnlyList<ActionNeed> ProcedureReads(ExpectationRequest request)
        {
            OnboardingExpectation.RequireWellFormed(request);
            return OperatorPermissions.ForObservation(new ObservationRequest
            {
                Parts = ObservedParts.Provider | ObservedParts.PolicyDocuments | ObservedParts.Role,
                ProviderArn = AwsArns.OidcProvider(_partition, _accountId,
                    V1Regions.All.FirstOrDefault(r => r.Code == request.V1Region)?.OidcIssuerHostOrNull ?? V1Regions.Get(V1Regions.DefaultCode).OidcIssuerHost),
                PolicyArns = OnboardingDefaults.PolicyNames.Select(n => AwsArns.Policy(_partition, _accountId, n)).ToList(),
                RoleName = InputRules.RoleName(request.RoleName),
            }, _partition, _accountId);
        }

        /// <summary>
        /// The scope the plan is applied in: its IAM client notes each change, so an AccessDenied names what this run had
        /// already changed (in a removal, the Cloud Accounts disconnection comes before every IAM change).
        /// </summary>
        private AccountScope? Journaled(OnboardingPlan plan)
        {
            if (_scope == null) return null;
            var journal = new AccessDeniedJournal(_scope.Iam, _partition, _accountId, () => plan.Graph == StepGraph.Removal
                ? plan.Changes.Where(c => c.Kind == ChangeKind.DisconnectAccount).Select(c => c.Action).ToList()
                : (IReadOnlyList<string>)new string[0]);
            return new AccountScope(_accountId, _partition, journal, _scope.Region);
        }

        private string RoleArnOf(OnboardingExpectation expected) => AwsArns.Role(_partition, _accountId, expected.RoleName);

        private sealed class Observation
        {
            public Observation(DesiredOnboarding desired, ObservedAccount observed) { Desired = desired; Observed = observed; }
            public DesiredOnboarding Desired { get; }
            public ObservedAccount Observed { get; }
        }

        /// <summary>
        /// The reads of the whole procedure start at once, beside the template's fetch (or download) when it is still
        /// running: the reads need only names known before the template, and the template does not need the reads.
        /// </summary>
        private async Task<(OnboardingExpectation, Observation, int)> ExpectAndObserveAsync(ExpectationRequest request,
            Task<FetchedTemplate>? template, Func<OnboardingExpectation, DesiredOnboarding> desiredFor, CancellationToken ct)
        {
            var scope = _scope ?? throw new InvalidOperationException("The procedure needs the account's IAM client.");
            OnboardingExpectation.RequireWellFormed(request);
            // Only a first guess of where to read the provider: when nothing named the region, the issuer in the template
            // decides it, and the provider is read again below if that guess was wrong. Nothing is changed from a guess.
            var region = V1Regions.Get(request.V1Region ?? V1Regions.DefaultCode);
            var awsRegion = OnboardingExpectation.DeploymentRegion(request, scope.Region);
            if (template == null && request.TemplateText != null) template = Task.FromResult(FetchedTemplate.Given(request.TemplateText, request.TemplateSource));
            if (template == null && _cam != null) template = FetchedTemplate.FetchAsync(_cam, awsRegion, ct);
            if (template == null || template.IsCompleted)
            {
                var inHand = template == null ? null : await template.ConfigureAwait(false);
                var known = OnboardingExpectation.Resolve(scope, request, inHand, _log);
                var wanted = desiredFor(known);
                return (known, new Observation(wanted, await ObserveAsync(wanted.Observation(), ct).ConfigureAwait(false)), inHand?.DependentCalls ?? 0);
            }

            // The issuer host is the one fact the template may change: the provider is read by the region's issuer now,
            // and read again only if the template names another.
            var regionProvider = AwsArns.OidcProvider(_partition, _accountId, InputRules.IssuerHost(region.OidcProviderUrl));
            var reading = ObserveAsync(new ObservationRequest
            {
                Parts = ObservedParts.Provider | ObservedParts.PolicyDocuments | ObservedParts.Role | ObservedParts.CloudAccount,
                ProviderArn = regionProvider,
                PolicyArns = OnboardingDefaults.PolicyNames.Select(n => AwsArns.Policy(_partition, _accountId, n)).ToList(),
                RoleName = request.RoleName,
            }, ct);
            // The template is read (parsed, resolved) as soon as it arrives, while the policies' documents are still on the way.
            var expecting = ResolveWhenFetchedAsync(scope, request, template);
            await Task.WhenAll(reading, expecting).ConfigureAwait(false);
            var expected = expecting.Result;
            var desired = desiredFor(expected);
            var observed = reading.Result;
            if (desired.ProviderArn != regionProvider)
            {
                _log.Verbose("The template names the issuer " + expected.IssuerUrl + ": reading the account for its provider.");
                observed = await ObserveAsync(desired.Observation(), ct).ConfigureAwait(false);
            }
            return (expected, new Observation(desired, observed), template.Result.DependentCalls);
        }

        private async Task<OnboardingExpectation> ResolveWhenFetchedAsync(AccountScope scope, ExpectationRequest request, Task<FetchedTemplate> template) =>
            OnboardingExpectation.Resolve(scope, request, await template.ConfigureAwait(false), _log);

        /// <summary>A create met its object already there: read it again and plan that resource alone.</summary>
        private async Task<OnboardingPlan> ReplanAsync(PlannedChange change, DesiredOnboarding desired, CancellationToken ct)
        {
            DesiredOnboarding narrowed;
            switch (change.Kind)
            {
                case ChangeKind.CreateProvider: narrowed = desired.Narrowed(new[] { OnboardingSteps.OidcProvider, OnboardingSteps.Thumbprints }); break;
                case ChangeKind.CreatePolicy: narrowed = desired.Narrowed(new[] { OnboardingSteps.Policies }, change.Argument); break;
                // The original plan's attachments still follow; attaching an attached policy changes nothing.
                case ChangeKind.CreateRole: narrowed = desired.Narrowed(new[] { OnboardingSteps.Role, OnboardingSteps.RoleTrust, OnboardingSteps.RoleTags }); break;
                default: throw new InvalidOperationException("Nothing to re-plan for " + change.Kind + ".");
            }
            var plan = await PlanAsync(narrowed, ct).ConfigureAwait(false);
            if (change.Kind == ChangeKind.CreatePolicy && plan.Observed.Policies.Count == 0 && _scope != null)
                await RefusePolicyUnderOtherPathAsync(_scope.Iam, change.Argument!, change.Resource, ct).ConfigureAwait(false);
            if (change.Kind == ChangeKind.CreateProvider && plan.Observed.Provider == null ||
                change.Kind == ChangeKind.CreateRole && plan.Observed.Role == null ||
                change.Kind == ChangeKind.CreatePolicy && plan.Observed.Policies.Count == 0)
                throw new VisionOneException(change.Kind == ChangeKind.CreateProvider ? ErrorCatalogue.OidcProviderNotFound : change.Kind == ChangeKind.CreateRole ? ErrorCatalogue.RoleNotFound : ErrorCatalogue.PolicyNotFound,
                    "IAM reports " + change.Resource + " as existing but cannot return it. Run the command again.", change.Resource);
            return plan;
        }

        /// <summary>
        /// A policy name is unique per account whatever the path, while the procedure's policies live at the root path:
        /// when the name is taken under another path, say so, with that policy's ARN — a re-run would not help.
        /// </summary>
        private async Task RefusePolicyUnderOtherPathAsync(IIamClient iam, string policyName, string wantedArn, CancellationToken ct)
        {
            IReadOnlyList<ManagedPolicyDescription> local;
            try
            {
                local = await iam.ListLocalPoliciesAsync(ct).ConfigureAwait(false);
            }
            catch (AwsServiceException ex) when (ex.ErrorCode == "AccessDenied")
            {
                _log.Verbose("Could not look for " + policyName + " under other paths (iam:ListPolicies: " + ex.ServiceMessage + ").");
                return;
            }
            var elsewhere = local.FirstOrDefault(p => string.Equals(p.PolicyName, policyName, StringComparison.OrdinalIgnoreCase) && p.Arn != wantedArn);
            if (elsewhere != null)
                throw new VisionOneException(ErrorCatalogue.PolicyUnderOtherPath,
                    "The IAM policy " + elsewhere.PolicyName + " already exists under the path " + elsewhere.Path + " (" + elsewhere.Arn + "), and IAM allows one policy of a name per account whatever the path, " +
                    "so " + wantedArn + " cannot be created. Nothing more was changed for it. Delete or rename that policy if it is an old copy, then run the command again.", elsewhere.Arn);
        }

        /// <summary>
        /// Reads the entry back. A role created seconds ago may not be assumable yet, so a state other than managed is
        /// re-read within a bounded wait before it is reported; when a change was not made (-WhatIf, -Confirm), Vision
        /// One would still see the old role, so it is read once and not waited for.
        /// </summary>
        /// <returns>How many reads it made.</returns>
        private async Task<int> VerifyAsync(OnboardingPlan plan, AppliedPlan applied, OnboardingOutcome outcome, CancellationToken ct)
        {
            var records = applied.Records;
            var connect = plan.Changes.FirstOrDefault(c => c.Kind == ChangeKind.ConnectAccount || c.Kind == ChangeKind.RepointAccount || c.Kind == ChangeKind.UpdateAccount);
            bool connected = connect != null && applied.Changes.Contains(connect);
            if (connect != null && !connected)
            {
                outcome.CloudAccount = plan.Observed.CloudAccount;
                return 0;
            }
            if (connect == null && plan.Observed.CloudAccount == null) return 0;
            // The entry read with the account is the first reading, unless a change since may have changed Vision One's verdict.
            var firstReading = records.Any(r => r.Applied) ? null : plan.Observed.CloudAccount;
            if (connect == null)
                _log.Verbose("AWS account " + _accountId + " is already connected with " + plan.Observed.CloudAccount!.RoleArn + " (as '" + plan.Observed.CloudAccount.Name + "'): nothing to change.");
            var budget = records.All(r => r.Applied) ? _timings.ConnectVerification : _timings.ConnectVerification.Within(TimeSpan.Zero);
            int reads = 0;
            var listed = new BoundedWait(_timings.ReadAfterWrite, "waiting for Vision One to list AWS account " + _accountId, _timings.Clock, _log);
            var managed = new BoundedWait(budget, "waiting for Vision One to report AWS account " + _accountId + " managed (IAM changes can take a while to propagate)", _timings.Clock, _log);
            try
            {
                while (true)
                {
                    V1AwsAccount? account = firstReading;
                    if (account == null)
                    {
                        reads++;
                        account = await _cam!.GetAwsAccountAsync(_accountId, ct).ConfigureAwait(false);
                        if (account == null)
                        {
                            // Listed a moment after it was added (read-after-write lag): read again within a bounded wait.
                            if (!listed.HasTimeLeft)
                                throw new VisionOneException(ErrorCatalogue.CloudAccountNotFound,
                                    $"Vision One does not list AWS account {_accountId} after connecting it. Run the command again; if it persists, check the API key's Cloud Accounts permissions.", _accountId);
                            await listed.PauseAsync("not listed yet", ct).ConfigureAwait(false);
                            continue;
                        }
                    }
                    firstReading = null;
                    outcome.CloudAccount = account;
                    if (string.Equals(account.State, "managed", StringComparison.OrdinalIgnoreCase))
                    {
                        _log.Verbose("Verified: AWS account " + _accountId + " is managed by Vision One.");
                        return reads;
                    }
                    if (!managed.HasTimeLeft)
                    {
                        var missing = account.MissingPieces
                            .Concat(account.Features.SelectMany(f => f.MissingAwsPermissions.Select(p => "feature " + f.Id + " lacks " + p))).ToList();
                        var message = $"AWS account {_accountId} is connected but Vision One reports it '{account.State}'" +
                            (missing.Count > 0 ? ": " + string.Join("; ", missing) : "") +
                            ". Fix the IAM side (Test-V1AwsOnboarding shows what differs) and run the onboarding again.";
                        // Every change made and still not managed: the onboarding did not succeed, and a runbook must hear it.
                        // When changes were only planned (-WhatIf, declined), Vision One still sees the old state: say so, no more.
                        if (records.All(r => r.Applied)) throw new VisionOneException(ErrorCatalogue.CloudAccountNotManaged, message, _accountId);
                        _log.Warning(message);
                        return reads;
                    }
                    await managed.PauseAsync("Vision One reports it '" + account.State + "'", ct).ConfigureAwait(false);
                }
            }
            finally
            {
                listed.End();
                managed.End();
            }
        }

        /// <summary>The facts the run established, for the cmdlets to fold into their state.</summary>
        private static void Describe(OnboardingPlan plan, AppliedPlan applied, OnboardingOutcome outcome)
        {
            var desired = plan.Desired;
            var observed = plan.Observed;
            if (desired == null) return;
            bool Applied(ChangeKind kind) => applied.Changes.Any(c => c.Kind == kind);
            if (desired.Covers(OnboardingSteps.OidcProvider))
            {
                outcome.OidcProviderArn = desired.ProviderArn;
                outcome.OidcProviderUrl = desired.IssuerUrl;
                outcome.Audience = desired.Audience;
                outcome.Thumbprints = observed.Provider?.Thumbprints ?? desired.Thumbprints;
            }
            if (desired.Covers(OnboardingSteps.Thumbprints))
            {
                outcome.OidcProviderArn = desired.ProviderArn;
                if (observed.Provider != null)
                {
                    outcome.OidcProviderUrl ??= "https://" + observed.Provider.Url;
                    outcome.Thumbprints = Applied(ChangeKind.UpdateThumbprints) ? desired.Thumbprints : observed.Provider.Thumbprints;
                }
            }
            if (desired.Covers(OnboardingSteps.Policies)) outcome.PolicyArns = desired.PolicyArns;
            if (desired.Role != null)
            {
                outcome.RoleName = desired.Role.Name;
                outcome.RoleArn = observed.Role?.Arn ?? desired.Role.Arn;
                outcome.BusinessId = desired.Role.BusinessId;
                outcome.V1Region = desired.Role.V1Region;
                outcome.AwsDeploymentRegion = desired.Role.AwsDeploymentRegion;
                outcome.OidcProviderArn = desired.Role.ProviderArn;
                outcome.PolicyArns = desired.Role.PolicyArns;
            }
            if (desired.CloudAccount != null)
            {
                outcome.RoleArn ??= desired.CloudAccount.RoleArn;
                outcome.CloudAccountName = outcome.CloudAccount?.Name ?? desired.CloudAccount.Name;
            }
        }
    }
}
