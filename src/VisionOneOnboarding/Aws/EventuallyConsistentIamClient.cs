using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Aws
{
    /// <summary>
    /// IAM is eventually consistent: right after this client creates a role, policy or provider, reading or attaching
    /// it may still answer NoSuchEntity; right after it detaches a policy, deleting the role or the policy may still
    /// meet DeleteConflict; and any change may meet ConcurrentModification. Those answers — and only when this client's
    /// own recent change explains them — are retried within a bounded wait, narrated under -Verbose. Everything else
    /// passes through unchanged, so "does not exist" still means what it says about anything this run did not touch.
    /// A trust policy refused with "Invalid principal in policy" (its OIDC provider not yet propagated) is the one signal
    /// retried whoever made the provider. Every wait is a <see cref="BoundedWait"/> on one <see cref="WaitClock"/>.
    /// </summary>
    public sealed class EventuallyConsistentIamClient : IIamClient
    {
        private readonly IIamClient _inner;
        private readonly ILogSink _log;
        private readonly WaitBudget _budget;
        private readonly WaitBudget _invalidPrincipal;
        private readonly WaitClock _clock;
        // "role:NAME", "policy:ARN", "provider:ARN" → when this client created it; "detached-role:NAME", "detached-policy:ARN" → when it detached from it.
        private readonly ConcurrentDictionary<string, DateTimeOffset> _recent = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);

        /// <param name="inner">The IAM client whose answers are waited out.</param>
        /// <param name="log">Told about every wait.</param>
        /// <param name="budget">How long a change of this client explains a stale answer, and how long one call may wait it out; null: <see cref="WaitBudgets.IamEventualConsistency"/>.</param>
        /// <param name="clock">Null: <see cref="WaitClock.System"/>.</param>
        /// <param name="invalidPrincipal">How long a trust policy refused as "Invalid principal in policy" is tried again; null: <see cref="WaitBudgets.InvalidPrincipal"/>.</param>
        public EventuallyConsistentIamClient(IIamClient inner, ILogSink? log = null, WaitBudget? budget = null, WaitClock? clock = null, WaitBudget? invalidPrincipal = null)
        {
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
            _log = log ?? NullLogSink.Instance;
            _budget = budget ?? WaitBudgets.IamEventualConsistency;
            _invalidPrincipal = invalidPrincipal ?? WaitBudgets.InvalidPrincipal;
            _clock = clock ?? WaitClock.System;
        }

        // ---- providers ----
        public Task<IReadOnlyList<string>> ListOpenIdConnectProvidersAsync(CancellationToken cancellationToken) => _inner.ListOpenIdConnectProvidersAsync(cancellationToken);

        public Task<OidcProviderDescription?> GetOpenIdConnectProviderAsync(string arn, CancellationToken cancellationToken) =>
            UntilVisible("GetOpenIDConnectProvider " + arn, "provider:" + arn, () => _inner.GetOpenIdConnectProviderAsync(arn, cancellationToken), cancellationToken);

        public async Task<string> CreateOpenIdConnectProviderAsync(string url, IReadOnlyList<string> clientIds, IReadOnlyList<string> thumbprints, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken)
        {
            var arn = await Settle("CreateOpenIDConnectProvider", () => _inner.CreateOpenIdConnectProviderAsync(url, clientIds, thumbprints, tags, cancellationToken), null, cancellationToken).ConfigureAwait(false);
            Note("provider:" + arn);
            return arn;
        }

        public Task AddClientIdToOpenIdConnectProviderAsync(string arn, string clientId, CancellationToken cancellationToken) =>
            Settle("AddClientIDToOpenIDConnectProvider", () => _inner.AddClientIdToOpenIdConnectProviderAsync(arn, clientId, cancellationToken), NotYetCreated("provider:" + arn), cancellationToken);

        public Task RemoveClientIdFromOpenIdConnectProviderAsync(string arn, string clientId, CancellationToken cancellationToken) =>
            Settle("RemoveClientIDFromOpenIDConnectProvider", () => _inner.RemoveClientIdFromOpenIdConnectProviderAsync(arn, clientId, cancellationToken), NotYetCreated("provider:" + arn), cancellationToken);

        public Task UpdateOpenIdConnectProviderThumbprintAsync(string arn, IReadOnlyList<string> thumbprints, CancellationToken cancellationToken) =>
            Settle("UpdateOpenIDConnectProviderThumbprint", () => _inner.UpdateOpenIdConnectProviderThumbprintAsync(arn, thumbprints, cancellationToken), NotYetCreated("provider:" + arn), cancellationToken);

        public async Task DeleteOpenIdConnectProviderAsync(string arn, CancellationToken cancellationToken)
        {
            await Settle("DeleteOpenIDConnectProvider", () => _inner.DeleteOpenIdConnectProviderAsync(arn, cancellationToken), null, cancellationToken).ConfigureAwait(false);
            Forget("provider:" + arn);
        }

        // ---- policies ----
        public Task<ManagedPolicyDescription?> GetPolicyAsync(string arn, CancellationToken cancellationToken) =>
            UntilVisible("GetPolicy " + arn, "policy:" + arn, () => _inner.GetPolicyAsync(arn, cancellationToken), cancellationToken);

        public async Task<ManagedPolicyDescription> CreatePolicyAsync(string name, string document, string? description, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken)
        {
            var policy = await Settle("CreatePolicy", () => _inner.CreatePolicyAsync(name, document, description, tags, cancellationToken), null, cancellationToken).ConfigureAwait(false);
            Note("policy:" + policy.Arn);
            return policy;
        }

        public Task<PolicyVersionDescription> GetPolicyVersionAsync(string arn, string versionId, CancellationToken cancellationToken) =>
            Settle("GetPolicyVersion", () => _inner.GetPolicyVersionAsync(arn, versionId, cancellationToken), NotYetCreated("policy:" + arn), cancellationToken);

        public Task<IReadOnlyList<PolicyVersionDescription>> ListPolicyVersionsAsync(string arn, CancellationToken cancellationToken) =>
            Settle("ListPolicyVersions", () => _inner.ListPolicyVersionsAsync(arn, cancellationToken), NotYetCreated("policy:" + arn), cancellationToken);

        public Task<PolicyVersionDescription> CreatePolicyVersionAsync(string arn, string document, bool setAsDefault, CancellationToken cancellationToken) =>
            Settle("CreatePolicyVersion", () => _inner.CreatePolicyVersionAsync(arn, document, setAsDefault, cancellationToken), NotYetCreated("policy:" + arn), cancellationToken);

        public Task DeletePolicyVersionAsync(string arn, string versionId, CancellationToken cancellationToken) =>
            Settle("DeletePolicyVersion", () => _inner.DeletePolicyVersionAsync(arn, versionId, cancellationToken), null, cancellationToken);

        public async Task DeletePolicyAsync(string arn, CancellationToken cancellationToken)
        {
            await Settle("DeletePolicy", () => _inner.DeletePolicyAsync(arn, cancellationToken), StillAttached("detached-policy:" + arn), cancellationToken).ConfigureAwait(false);
            Forget("policy:" + arn);
        }

        // ---- roles ----
        public Task<RoleDescription?> GetRoleAsync(string roleName, CancellationToken cancellationToken) =>
            UntilVisible("GetRole " + roleName, "role:" + roleName, () => _inner.GetRoleAsync(roleName, cancellationToken), cancellationToken);

        public Task<IReadOnlyList<RoleDescription>> ListRolesAsync(CancellationToken cancellationToken) => _inner.ListRolesAsync(cancellationToken);

        public async Task<RoleDescription> CreateRoleAsync(string roleName, string assumeRolePolicyDocument, string? description, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken)
        {
            var role = await UntilPrincipalKnown("CreateRole", () =>
                Settle("CreateRole", () => _inner.CreateRoleAsync(roleName, assumeRolePolicyDocument, description, tags, cancellationToken), null, cancellationToken), cancellationToken).ConfigureAwait(false);
            Note("role:" + roleName);
            return role;
        }

        public Task UpdateAssumeRolePolicyAsync(string roleName, string assumeRolePolicyDocument, CancellationToken cancellationToken) =>
            UntilPrincipalKnown("UpdateAssumeRolePolicy", async () =>
            {
                await Settle("UpdateAssumeRolePolicy", () => _inner.UpdateAssumeRolePolicyAsync(roleName, assumeRolePolicyDocument, cancellationToken), NotYetCreated("role:" + roleName), cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken);

        public Task TagRoleAsync(string roleName, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken) =>
            Settle("TagRole", () => _inner.TagRoleAsync(roleName, tags, cancellationToken), NotYetCreated("role:" + roleName), cancellationToken);

        public Task UntagRoleAsync(string roleName, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken) =>
            Settle("UntagRole", () => _inner.UntagRoleAsync(roleName, tagKeys, cancellationToken), NotYetCreated("role:" + roleName), cancellationToken);

        public Task<IReadOnlyList<AttachedPolicyDescription>> ListAttachedRolePoliciesAsync(string roleName, CancellationToken cancellationToken) =>
            Settle("ListAttachedRolePolicies", () => _inner.ListAttachedRolePoliciesAsync(roleName, cancellationToken), NotYetCreated("role:" + roleName), cancellationToken);

        public Task<IReadOnlyList<string>> ListRolePoliciesAsync(string roleName, CancellationToken cancellationToken) =>
            Settle("ListRolePolicies", () => _inner.ListRolePoliciesAsync(roleName, cancellationToken), NotYetCreated("role:" + roleName), cancellationToken);

        public Task AttachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken) =>
            Settle("AttachRolePolicy", () => _inner.AttachRolePolicyAsync(roleName, policyArn, cancellationToken),
                ex => NotYetCreated("role:" + roleName)(ex) || NotYetCreated("policy:" + policyArn)(ex), cancellationToken);

        public async Task DetachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken)
        {
            await Settle("DetachRolePolicy", () => _inner.DetachRolePolicyAsync(roleName, policyArn, cancellationToken), null, cancellationToken).ConfigureAwait(false);
            Note("detached-role:" + roleName);
            Note("detached-policy:" + policyArn);
        }

        public async Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken)
        {
            await Settle("DeleteRolePolicy", () => _inner.DeleteRolePolicyAsync(roleName, policyName, cancellationToken), null, cancellationToken).ConfigureAwait(false);
            Note("detached-role:" + roleName);
        }

        public Task<IReadOnlyList<string>> ListInstanceProfilesForRoleAsync(string roleName, CancellationToken cancellationToken) =>
            _inner.ListInstanceProfilesForRoleAsync(roleName, cancellationToken);

        public Task RemoveRoleFromInstanceProfileAsync(string instanceProfileName, string roleName, CancellationToken cancellationToken) =>
            _inner.RemoveRoleFromInstanceProfileAsync(instanceProfileName, roleName, cancellationToken);

        public Task<IReadOnlyList<ManagedPolicyDescription>> ListLocalPoliciesAsync(CancellationToken cancellationToken) =>
            _inner.ListLocalPoliciesAsync(cancellationToken);

        public async Task DeleteRoleAsync(string roleName, CancellationToken cancellationToken)
        {
            await Settle("DeleteRole", () => _inner.DeleteRoleAsync(roleName, cancellationToken), StillAttached("detached-role:" + roleName), cancellationToken).ConfigureAwait(false);
            Forget("role:" + roleName);
        }

        /// <summary>A question about permissions, not about an entity: nothing to wait out.</summary>
        public Task<IReadOnlyList<PolicySimulationResult>> SimulatePrincipalPolicyAsync(string policySourceArn, IReadOnlyList<string> actionNames, IReadOnlyList<string> resourceArns, CancellationToken cancellationToken) =>
            _inner.SimulatePrincipalPolicyAsync(policySourceArn, actionNames, resourceArns, cancellationToken);

        // ---- the waiting ----

        private void Note(string key) => _recent[key] = _clock.UtcNow;

        /// <summary>What this client deleted is expected to be gone: "no such entity" no longer means "not visible yet".</summary>
        private void Forget(string key) => _recent.TryRemove(key, out _);

        private bool IsRecent(string key) => _recent.TryGetValue(key, out var when) && _clock.UtcNow - when <= _budget.Total;

        private Func<AwsServiceException, bool> NotYetCreated(string key) => ex => ex.IsNoSuchEntity && IsRecent(key);

        private Func<AwsServiceException, bool> StillAttached(string key) => ex => ex.ErrorCode == "DeleteConflict" && IsRecent(key);

        private Task Settle(string action, Func<Task> call, Func<AwsServiceException, bool>? isStale, CancellationToken ct) =>
            Settle(action, async () => { await call().ConfigureAwait(false); return true; }, isStale, ct);

        /// <summary>Runs the call; a stale answer (or ConcurrentModification) is tried again until the bounded wait ends.</summary>
        private Task<T> Settle<T>(string action, Func<Task<T>> call, Func<AwsServiceException, bool>? isStale, CancellationToken ct) =>
            BoundedWait.RetryAsync(_budget, "IAM " + action + " (IAM is eventually consistent)", _clock, _log, call,
                failure => failure is AwsServiceException ex && (ex.ErrorCode == "ConcurrentModification" || (isStale != null && isStale(ex)))
                    ? ex.ErrorCode + " (" + ex.Message + ")"
                    : null, ct);

        /// <summary>
        /// A trust policy naming a provider created seconds ago — by this run or by another command a moment before — can
        /// be refused with "Invalid principal in policy" until IAM has propagated the provider. That one signal is tried
        /// again within its own, longer budget.
        /// </summary>
        private Task<T> UntilPrincipalKnown<T>(string action, Func<Task<T>> call, CancellationToken ct) =>
            BoundedWait.RetryAsync(_invalidPrincipal, "IAM " + action + ": waiting for IAM to see the OIDC provider the trust policy names (it was probably just created)", _clock, _log, call,
                failure => failure is AwsServiceException ex && ex.ErrorCode == "MalformedPolicyDocument" && ex.ServiceMessage.IndexOf("Invalid principal", StringComparison.OrdinalIgnoreCase) >= 0
                    ? "IAM does not see the OIDC provider yet (\"" + ex.ServiceMessage + "\")"
                    : null, ct);

        /// <summary>A Get* that answers "no such entity" (null) for what this client just created is read again until it shows.</summary>
        private Task<T?> UntilVisible<T>(string what, string key, Func<Task<T?>> get, CancellationToken ct) where T : class =>
            BoundedWait.PollAsync(_budget, "IAM " + what + " (IAM is eventually consistent)", _clock, _log, get,
                result => result == null && IsRecent(key) ? "not visible yet right after it was created" : null, ct);
    }
}
