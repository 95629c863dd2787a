using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
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
    /// </summary>
    public sealed class EventuallyConsistentIamClient : IIamClient
    {
        /// <summary>How long a change of this client explains a stale answer, and how long one call may wait it out.</summary>
        public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromSeconds(30);

        private static readonly TimeSpan FirstInterval = TimeSpan.FromMilliseconds(250);
        private static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(2);

        private readonly IIamClient _inner;
        private readonly ILogSink _log;
        private readonly TimeSpan _maxWait;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        // "role:NAME", "policy:ARN", "provider:ARN" → when this client created it; "detached-role:NAME", "detached-policy:ARN" → when it detached from it.
        private readonly ConcurrentDictionary<string, TimeSpan> _recent = new ConcurrentDictionary<string, TimeSpan>(StringComparer.Ordinal);

        public EventuallyConsistentIamClient(IIamClient inner, ILogSink? log = null, TimeSpan? maxWait = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
        {
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
            _log = log ?? NullLogSink.Instance;
            _maxWait = maxWait ?? DefaultMaxWait;
            _delay = delay ?? ((d, ct) => Task.Delay(d, ct));
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
            var role = await Settle("CreateRole", () => _inner.CreateRoleAsync(roleName, assumeRolePolicyDocument, description, tags, cancellationToken), null, cancellationToken).ConfigureAwait(false);
            Note("role:" + roleName);
            return role;
        }

        public Task UpdateAssumeRolePolicyAsync(string roleName, string assumeRolePolicyDocument, CancellationToken cancellationToken) =>
            Settle("UpdateAssumeRolePolicy", () => _inner.UpdateAssumeRolePolicyAsync(roleName, assumeRolePolicyDocument, cancellationToken), NotYetCreated("role:" + roleName), cancellationToken);

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

        public async Task DeleteRoleAsync(string roleName, CancellationToken cancellationToken)
        {
            await Settle("DeleteRole", () => _inner.DeleteRoleAsync(roleName, cancellationToken), StillAttached("detached-role:" + roleName), cancellationToken).ConfigureAwait(false);
            Forget("role:" + roleName);
        }

        // ---- the waiting ----

        private void Note(string key) => _recent[key] = _clock.Elapsed;

        /// <summary>What this client deleted is expected to be gone: "no such entity" no longer means "not visible yet".</summary>
        private void Forget(string key) => _recent.TryRemove(key, out _);

        private bool IsRecent(string key) => _recent.TryGetValue(key, out var when) && _clock.Elapsed - when <= _maxWait;

        private Func<AwsServiceException, bool> NotYetCreated(string key) => ex => ex.IsNoSuchEntity && IsRecent(key);

        private Func<AwsServiceException, bool> StillAttached(string key) => ex => ex.ErrorCode == "DeleteConflict" && IsRecent(key);

        private Task Settle(string action, Func<Task> call, Func<AwsServiceException, bool>? isStale, CancellationToken ct) =>
            Settle(action, async () => { await call().ConfigureAwait(false); return true; }, isStale, ct);

        /// <summary>Runs the call; a stale answer (or ConcurrentModification) is tried again until the bounded wait ends.</summary>
        private async Task<T> Settle<T>(string action, Func<Task<T>> call, Func<AwsServiceException, bool>? isStale, CancellationToken ct)
        {
            var started = Stopwatch.StartNew();
            var interval = FirstInterval;
            while (true)
            {
                try
                {
                    return await call().ConfigureAwait(false);
                }
                catch (AwsServiceException ex) when ((ex.ErrorCode == "ConcurrentModification" || (isStale != null && isStale(ex))) && started.Elapsed + interval <= _maxWait)
                {
                    _log.Verbose(string.Format(CultureInfo.InvariantCulture,
                        "IAM {0}: {1} ({2}); IAM is eventually consistent, trying again in {3:0.0} s.", action, ex.ErrorCode, ex.Message, interval.TotalSeconds));
                    await _delay(interval, ct).ConfigureAwait(false);
                    interval = interval + interval > MaxInterval ? MaxInterval : interval + interval;
                }
            }
        }

        /// <summary>A Get* that answers "no such entity" (null) for what this client just created is read again until it shows.</summary>
        private async Task<T?> UntilVisible<T>(string what, string key, Func<Task<T?>> get, CancellationToken ct) where T : class
        {
            var started = Stopwatch.StartNew();
            var interval = FirstInterval;
            while (true)
            {
                var result = await get().ConfigureAwait(false);
                if (result != null || !IsRecent(key) || started.Elapsed + interval > _maxWait) return result;
                _log.Verbose(string.Format(CultureInfo.InvariantCulture,
                    "IAM {0}: not visible yet right after it was created; IAM is eventually consistent, reading again in {1:0.0} s.", what, interval.TotalSeconds));
                await _delay(interval, ct).ConfigureAwait(false);
                interval = interval + interval > MaxInterval ? MaxInterval : interval + interval;
            }
        }
    }
}
