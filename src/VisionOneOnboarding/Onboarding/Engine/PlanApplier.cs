using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>What applying a plan did: a record per change (in plan order), and the changes made.</summary>
    internal sealed class AppliedPlan
    {
        public AppliedPlan(IReadOnlyList<OnboardingChange> records, IReadOnlyList<PlannedChange> changes) { Records = records; Changes = changes; }
        public IReadOnlyList<OnboardingChange> Records { get; }
        public IReadOnlyList<PlannedChange> Changes { get; }
    }

    /// <summary>
    /// Performs a plan. The gate is asked about every change first, in plan order (so -WhatIf lists the plan as it
    /// stands and -Confirm asks before anything moves); then each step starts when the steps it depends on (see
    /// <see cref="StepGraph"/>) are done, its lanes side by side, each lane's changes in order. A change runs only when
    /// the gate said yes and what it depends on was applied; otherwise it is recorded as not applied.
    /// </summary>
    internal sealed class PlanApplier
    {
        private readonly AccountScope? _scope;
        private readonly CamClient? _cam;
        private readonly IChangeGate _gate;
        private readonly ILogSink _log;
        private readonly OnboardingTimings _timings;
        private readonly Func<PlannedChange, DesiredOnboarding, CancellationToken, Task<OnboardingPlan>> _replan;

        /// <summary><paramref name="replan"/> re-reads and re-plans what a create met already there (a retried call that did land, or a concurrent run).</summary>
        public PlanApplier(AccountScope? scope, CamClient? cam, IChangeGate gate, ILogSink log, OnboardingTimings timings,
            Func<PlannedChange, DesiredOnboarding, CancellationToken, Task<OnboardingPlan>> replan)
        {
            _scope = scope; _cam = cam; _gate = gate; _log = log; _timings = timings; _replan = replan;
        }

        private IIamClient Iam => _scope!.Iam;

        /// <summary>The role this run created, or whose trust policy it changed, and when: Vision One may not be let to assume it yet.</summary>
        private sealed class RoleChange
        {
            public RoleChange(string name, string what, DateTimeOffset at) { Name = name; What = what; At = at; }
            public string Name { get; }
            /// <summary>"was created", "had its trust policy changed".</summary>
            public string What { get; }
            public DateTimeOffset At { get; }
        }

        private RoleChange? _roleChange;

        /// <returns>One record per change, in plan order (a re-plan's changes follow the change that caused it), and the changes made.</returns>
        public async Task<AppliedPlan> ApplyAsync(OnboardingPlan plan, CancellationToken ct)
        {
            if (plan.Refusal != null) throw plan.Refusal;
            var changes = plan.Changes;
            var approved = new bool[changes.Count];
            for (int i = 0; i < changes.Count; i++)
            {
                approved[i] = _gate.ShouldChange(changes[i].Resource, changes[i].Action, changes[i].HighImpact);
                if (approved[i]) _log.Verbose(changes[i].Action + ": " + changes[i].Resource);
            }
            var applied = new bool[changes.Count];
            var followUps = new AppliedPlan?[changes.Count];
            var index = changes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);

            // Every Step() call happens synchronously below, before the first await, so the dictionary needs no lock.
            var steps = new Dictionary<string, Task<bool>>(StringComparer.Ordinal);
            Task<bool> Step(string step)
            {
                if (steps.TryGetValue(step, out var running)) return running;
                return steps[step] = RunStepAsync(step);
            }
            async Task<bool> RunStepAsync(string step)
            {
                var prerequisites = await Task.WhenAll(plan.Graph.DependsOn(step).Select(Step)).ConfigureAwait(false);
                bool ready = prerequisites.All(done => done);
                var lanes = changes.Where(c => c.Step == step).GroupBy(c => c.Lane)
                    .Select(lane => RunLaneAsync(lane.ToList(), ready)).ToList();
                var results = await Task.WhenAll(lanes).ConfigureAwait(false);
                return results.All(done => done);
            }
            async Task<bool> RunLaneAsync(IReadOnlyList<PlannedChange> lane, bool ready)
            {
                foreach (var change in lane)
                {
                    int i = index[change];
                    if (!ready || !approved[i])
                    {
                        if (approved[i]) _log.Verbose("Not done, because a change it depends on was not made: " + change.Action + ".");
                        ready = false;
                        continue;
                    }
                    followUps[i] = await PerformAsync(change, plan.Desired, ct).ConfigureAwait(false);
                    applied[i] = true;
                }
                return ready;
            }

            // Start from the steps nothing depends on, so every step of the graph is reached once.
            await Task.WhenAll(plan.Graph.Steps.Select(Step).ToList()).ConfigureAwait(false);

            var records = new List<OnboardingChange>();
            var made = new List<PlannedChange>();
            for (int i = 0; i < changes.Count; i++)
            {
                records.Add(new OnboardingChange(changes[i].Step, changes[i].Action, changes[i].Resource, applied[i]));
                if (applied[i]) made.Add(changes[i]);
                var followUp = followUps[i];
                if (followUp != null)
                {
                    records.AddRange(followUp.Records);
                    made.AddRange(followUp.Changes);
                }
            }
            return new AppliedPlan(records, made);
        }

        /// <returns>The changes of a re-plan, when the change met its object already there; else nothing.</returns>
        private async Task<AppliedPlan?> PerformAsync(PlannedChange change, DesiredOnboarding? desired, CancellationToken ct)
        {
            try
            {
                await CallAsync(change, desired, ct).ConfigureAwait(false);
                return null;
            }
            catch (AwsServiceException ex) when (ex.IsEntityAlreadyExists && desired != null)
            {
                // A retried create whose first attempt did succeed, or a concurrent run: compare with what is there.
                _log.Verbose(change.Item + " appeared meanwhile (" + ex.ServiceMessage + "): reading it and comparing it.");
                var replanned = await _replan(change, desired, ct).ConfigureAwait(false);
                return await ApplyAsync(replanned, ct).ConfigureAwait(false);
            }
            catch (AwsServiceException ex) when (ex.IsNoSuchEntity && IsDelete(change.Kind))
            {
                // A delete whose object is already gone has done its job (a re-run, or a concurrent removal).
                _log.Verbose("Already gone (" + ex.Action + ": " + ex.ServiceMessage + ").");
                return null;
            }
        }

        private static bool IsDelete(ChangeKind kind) =>
            kind == ChangeKind.DetachPolicy || kind == ChangeKind.DeleteInlinePolicy || kind == ChangeKind.RemoveFromInstanceProfile || kind == ChangeKind.DeletePolicyVersion ||
            kind == ChangeKind.DeletePolicy || kind == ChangeKind.DeleteRole || kind == ChangeKind.DeleteProvider;

        private async Task CallAsync(PlannedChange change, DesiredOnboarding? desired, CancellationToken ct)
        {
            var roleName = change.Resource.Substring(change.Resource.LastIndexOf('/') + 1);
            switch (change.Kind)
            {
                case ChangeKind.CreateProvider:
                    await Iam.CreateOpenIdConnectProviderAsync(desired!.IssuerUrl!, new[] { desired.Audience }, change.Values, RoleTags.Ownership, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.AddAudience:
                    await Iam.AddClientIdToOpenIdConnectProviderAsync(change.Resource, change.Argument!, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.UpdateThumbprints:
                    await Iam.UpdateOpenIdConnectProviderThumbprintAsync(change.Resource, change.Values, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.CreatePolicy:
                    await Iam.CreatePolicyAsync(change.Argument!, change.Document!, null, RoleTags.Ownership, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.DeleteOldestPolicyVersion:
                case ChangeKind.DeletePolicyVersion:
                    await Iam.DeletePolicyVersionAsync(change.Resource, change.Argument!, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.CreatePolicyVersion:
                    await Iam.CreatePolicyVersionAsync(change.Resource, change.Document!, true, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.CreateRole:
                    await Iam.CreateRoleAsync(roleName, change.Document!, OnboardingDefaults.RoleDescription, change.Tags, ct).ConfigureAwait(false);
                    _roleChange = new RoleChange(roleName, "was created", _timings.Clock.UtcNow);
                    break;
                case ChangeKind.UpdateTrust:
                    await Iam.UpdateAssumeRolePolicyAsync(roleName, change.Document!, ct).ConfigureAwait(false);
                    _roleChange = new RoleChange(roleName, "had its trust policy changed", _timings.Clock.UtcNow);
                    break;
                case ChangeKind.TagRole:
                    await Iam.TagRoleAsync(roleName, change.Tags, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.AttachPolicy:
                    await Iam.AttachRolePolicyAsync(roleName, change.Argument!, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.DetachPolicy:
                    await Iam.DetachRolePolicyAsync(roleName, change.Argument!, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.DeleteInlinePolicy:
                    await Iam.DeleteRolePolicyAsync(roleName, change.Argument!, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.RemoveFromInstanceProfile:
                    await Iam.RemoveRoleFromInstanceProfileAsync(change.Argument!, roleName, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.DeletePolicy:
                    await Iam.DeletePolicyAsync(change.Resource, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.DeleteRole:
                    await Iam.DeleteRoleAsync(change.Argument!, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.DeleteProvider:
                    await Iam.DeleteOpenIdConnectProviderAsync(change.Resource, ct).ConfigureAwait(false);
                    break;
                case ChangeKind.ConnectAccount:
                case ChangeKind.RepointAccount:
                case ChangeKind.UpdateAccount:
                case ChangeKind.DisconnectAccount:
                    await CloudAccountCallAsync(change, desired?.CloudAccount, ct).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidOperationException("No call for " + change.Kind + ".");
            }
        }

        private async Task CloudAccountCallAsync(PlannedChange change, DesiredCloudAccount? wanted, CancellationToken ct)
        {
            var cam = _cam ?? throw new InvalidOperationException("A Cloud Accounts change needs a Vision One client.");
            switch (change.Kind)
            {
                case ChangeKind.ConnectAccount:
                    if (wanted == null) throw new InvalidOperationException("A connection needs the desired entry.");
                    try
                    {
                        await WhileRoleIsFreshAsync(change.Resource, () => cam.AddAwsAccountAsync(change.Resource, wanted.Name, wanted.Description, wanted.WorkloadInstanceId, ct),
                            async () => await cam.GetAwsAccountAsync(AwsArns.AccountOf(change.Resource)!, ct).ConfigureAwait(false) != null, ct).ConfigureAwait(false);
                    }
                    catch (VisionOneApiException ex) when (ex.StatusCode >= 400 && ex.StatusCode < 500 && ex.StatusCode != 401 && ex.StatusCode != 403 && ex.StatusCode != 429)
                    {
                        // How Cloud Accounts answers a duplicate (409 or 400, which code) is not documented, and a retried
                        // POST whose first attempt landed meets the same answer: the account settles it, not the error code.
                        var accountId = AwsArns.AccountOf(change.Resource)!;
                        var entry = await ReadBackAsync(cam, accountId, ct).ConfigureAwait(false);
                        if (entry == null)
                        {
                            var notYet = NotAssumableYet(ex, change.Resource);
                            if (notYet != null) throw notYet;
                            throw;
                        }
                        _log.Verbose("Vision One answered HTTP " + ex.StatusCode + (ex.ErrorCode != null ? " " + ex.ErrorCode : "") +
                            " to the connection, but lists AWS account " + accountId + ": it is connected already (an earlier attempt or a concurrent run landed).");
                        if (CloudAccountFields.Matches(entry, wanted, change.Resource)) break;
                        if (!string.Equals(entry.RoleArn, change.Resource, StringComparison.Ordinal) && !wanted.Force)
                            throw new VisionOneException(ErrorCatalogue.ConnectedWithOtherRole,
                                $"AWS account {accountId} is already connected to Vision One as '{entry.Name}' with another role ({entry.RoleArn}). Re-run with -Force to point it at {change.Resource}.", accountId);
                        await PatchAsync(cam, accountId, entry, wanted, change.Resource, ct).ConfigureAwait(false);
                    }
                    break;
                case ChangeKind.RepointAccount:
                case ChangeKind.UpdateAccount:
                    {
                        var accountId = AwsArns.AccountOf(change.Resource)!;
                        var current = wanted == null ? null : await cam.GetAwsAccountAsync(accountId, ct).ConfigureAwait(false);
                        if (wanted == null || current == null)
                            await UpdateAsync(cam, accountId, change.Argument, new V1AwsAccountPatch { RoleArn = change.Resource }, ct).ConfigureAwait(false);
                        else
                            await PatchAsync(cam, accountId, current, wanted, change.Resource, ct).ConfigureAwait(false);
                    }
                    break;
                case ChangeKind.DisconnectAccount:
                    if (!await cam.DeleteAwsAccountAsync(change.Resource, ct).ConfigureAwait(false))
                        _log.Verbose("The Cloud Accounts entry of " + change.Resource + " was gone already.");
                    break;
            }
        }

        /// <summary>
        /// PATCH with If-Match. A 412 means the entry changed since it was read — possibly by this very PATCH, retried
        /// after its first attempt landed: read it again; if it already says what was asked, that is the answer,
        /// otherwise patch the version just read.
        /// </summary>
        private async Task PatchAsync(CamClient cam, string accountId, V1AwsAccount entry, DesiredCloudAccount wanted, string roleArn, CancellationToken ct)
        {
            try
            {
                await UpdateAsync(cam, accountId, entry.ETag, CloudAccountFields.Patch(entry, wanted, roleArn), ct).ConfigureAwait(false);
            }
            catch (VisionOneApiException ex) when (ex.StatusCode == 412 || ex.StatusCode == 428)
            {
                var current = await ReadBackAsync(cam, accountId, ct).ConfigureAwait(false);
                if (current == null) throw;
                if (CloudAccountFields.Matches(current, wanted, roleArn))
                {
                    _log.Verbose("Vision One answered HTTP " + ex.StatusCode + " to the update, but the entry already says what was asked: an earlier attempt landed.");
                    return;
                }
                await UpdateAsync(cam, accountId, current.ETag, CloudAccountFields.Patch(current, wanted, roleArn), ct).ConfigureAwait(false);
            }
        }

        /// <summary>The PATCH; one that re-points the entry to a role this run just made waits, like the add, for Vision One to be let to assume it.</summary>
        private async Task UpdateAsync(CamClient cam, string accountId, string? etag, V1AwsAccountPatch patch, CancellationToken ct)
        {
            if (patch.RoleArn == null)
            {
                await cam.UpdateAwsAccountAsync(accountId, etag, patch, ct).ConfigureAwait(false);
                return;
            }
            try
            {
                await WhileRoleIsFreshAsync(patch.RoleArn, async () => { await cam.UpdateAwsAccountAsync(accountId, etag, patch, ct).ConfigureAwait(false); return true; }, null, ct).ConfigureAwait(false);
            }
            catch (VisionOneApiException ex) when (NotAssumableYet(ex, patch.RoleArn) is VisionOneException notYet)
            {
                throw notYet;
            }
        }

        /// <summary>
        /// Vision One checks the role when an account is added or re-pointed, and AWS may not let it assume a role created
        /// (or re-trusted) seconds ago. When this run did that to <paramref name="roleArn"/>'s role, an answer that may mean
        /// so is tried again within <see cref="OnboardingTimings.RoleAssumable"/>, each retry said in -Verbose and on the
        /// progress bar. Otherwise the call is made once. <paramref name="landed"/> (the add) tells a refusal from an earlier
        /// attempt that landed and lost its answer: an entry already listed is not retried but settled by the caller.
        /// </summary>
        private Task<T> WhileRoleIsFreshAsync<T>(string roleArn, Func<Task<T>> call, Func<Task<bool>>? landed, CancellationToken ct)
        {
            var fresh = FreshRole(roleArn);
            if (fresh == null) return call();
            bool hasLanded = false;
            async Task<T> AttemptAsync()
            {
                try
                {
                    return await call().ConfigureAwait(false);
                }
                catch (VisionOneApiException ex) when (landed != null && MayBeRoleRefusal(ex))
                {
                    hasLanded = await landed().ConfigureAwait(false);
                    throw;
                }
            }
            return BoundedWait.RetryAsync(_timings.RoleAssumable, "waiting for AWS to let Vision One assume " + fresh.Name, _timings.Clock, _log, AttemptAsync,
                failure => !hasLanded && failure is VisionOneApiException ex && MayBeRoleRefusal(ex)
                    ? "Vision One answered HTTP " + ex.StatusCode + (ex.ErrorCode != null ? " " + ex.ErrorCode : "") + (ex.ErrorMessage != null ? " (" + ex.ErrorMessage.TrimEnd('.') + ")" : "")
                    : null, ct);
        }

        private RoleChange? FreshRole(string roleArn)
        {
            var change = _roleChange;
            return change != null && string.Equals(roleArn.Substring(roleArn.LastIndexOf('/') + 1), change.Name, StringComparison.Ordinal) ? change : null;
        }

        /// <summary>
        /// A 4xx that may mean "cannot assume the role yet" (the real service says 400 BadRequest "Unable to assume role …"):
        /// not authentication or permission (401, 403), not throttling (429), not an entry that is there or gone or changed
        /// (404, 409, 412, 428), not a size limit (413), and not a rejected field (a code naming one: Invalid…, Duplicate…).
        /// </summary>
        private static bool MayBeRoleRefusal(VisionOneApiException ex) =>
            ex.StatusCode >= 400 && ex.StatusCode < 500 && Array.IndexOf(new[] { 401, 403, 404, 409, 412, 413, 428, 429 }, ex.StatusCode) < 0
            && !NamesAField(ex.ErrorCode) && !NamesAField(ex.InnerErrorCode);

        private static bool NamesAField(string? code) =>
            code != null && (code.StartsWith("Invalid", StringComparison.OrdinalIgnoreCase) || code.IndexOf("Duplicate", StringComparison.OrdinalIgnoreCase) >= 0);

        /// <summary>The error when the wait for Vision One to assume this run's fresh role is spent; null when the answer is not that.</summary>
        private VisionOneException? NotAssumableYet(VisionOneApiException ex, string roleArn)
        {
            var fresh = FreshRole(roleArn);
            if (fresh == null || !MayBeRoleRefusal(ex)) return null;
            var ago = _timings.Clock.UtcNow - fresh.At;
            return new VisionOneException(ErrorCatalogue.RoleNotAssumableYet, string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "Vision One still cannot assume {0}: {1} The role {2} {3:0} s ago, and AWS can take longer than the {4:0} s waited before it lets Vision One assume it. " +
                "The IAM side is in place: run the same command again in a minute, and the re-run will finish the connection.",
                roleArn, ex.Message, fresh.What, ago.TotalSeconds, _timings.RoleAssumable.Total.TotalSeconds), roleArn, ex);
        }

        /// <summary>Reads the entry, allowing for the service's read-after-write lag; null when it stays absent through the bounded wait.</summary>
        private Task<V1AwsAccount?> ReadBackAsync(CamClient cam, string accountId, CancellationToken ct) =>
            BoundedWait.PollAsync(_timings.ReadAfterWrite, "waiting for Vision One to list AWS account " + accountId, _timings.Clock, _log,
                () => cam.GetAwsAccountAsync(accountId, ct), account => account == null ? "not listed yet" : null, ct);
    }
}
