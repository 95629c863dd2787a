using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>What New-V1Role needs to know.</summary>
    public sealed class RoleRequest
    {
        public string RoleName { get; set; } = OnboardingDefaults.RoleName;
        public string ProviderArn { get; set; } = "";
        public string V1Region { get; set; } = "";
        public string BusinessId { get; set; } = "";
        public IReadOnlyList<string> PolicyArns { get; set; } = new string[0];
        public string AwsDeploymentRegion { get; set; } = OnboardingDefaults.DefaultAwsRegion;
        /// <summary>Replace the trust policy of an existing role that trusts something else.</summary>
        public bool Force { get; set; }
        /// <summary>
        /// Set by the whole procedure (Invoke-V1AwsOnboarding), which puts back whatever drifted: a role carrying the
        /// procedure's VisionOneCloudFormationStackName tag was created by it, so a trust policy that differs is
        /// repaired without -Force; and managed policies the procedure does not prescribe are detached. New-V1Role
        /// leaves it off: there an existing role whose trust differs is refused unless -Force, and nothing is detached.
        /// </summary>
        public bool RepairDrift { get; set; }
    }

    /// <summary>Waits the engine may need; tests shorten them.</summary>
    public sealed class OnboardingTimings
    {
        /// <summary>How long to keep retrying "Invalid principal in policy" after a provider was just created (IAM propagation).</summary>
        public TimeSpan PrincipalPropagationTimeout { get; set; } = TimeSpan.FromMinutes(2);
        public TimeSpan PrincipalPropagationInterval { get; set; } = TimeSpan.FromSeconds(2);
        /// <summary>How long to keep re-reading a just-connected Cloud Accounts entry that is not yet managed.</summary>
        public TimeSpan ConnectVerificationTimeout { get; set; } = TimeSpan.FromSeconds(60);
        public TimeSpan ConnectVerificationInterval { get; set; } = TimeSpan.FromSeconds(3);
        public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = (d, ct) => Task.Delay(d, ct);
    }

    /// <summary>
    /// The IAM half of the procedure: provider, thumbprints, policies, role. Each step reads what exists,
    /// compares it semantically with what the procedure prescribes, and changes only what differs —
    /// each change behind <see cref="IChangeGate"/>. Re-running is always safe.
    /// </summary>
    public sealed class IamOnboarding
    {
        private readonly AccountScope _scope;
        private readonly ChangeRecorder _changes;
        private readonly ILogSink _log;
        private readonly OnboardingTimings _timings;

        public IamOnboarding(AccountScope scope, IChangeGate gate, ILogSink log, OnboardingTimings? timings = null)
        {
            _scope = scope; _changes = new ChangeRecorder(gate, log); _log = log; _timings = timings ?? new OnboardingTimings();
        }

        private IIamClient Iam => _scope.Iam;

        /// <summary>Creates the OIDC provider for <paramref name="issuerUrl"/>, or adopts the existing one (adding a missing audience).</summary>
        public async Task EnsureOidcProviderAsync(AwsOnboardingState state, string issuerUrl, IReadOnlyList<string>? thumbprints, CancellationToken ct)
        {
            var url = InputRules.IssuerUrl(issuerUrl);
            var wanted = InputRules.Thumbprints(thumbprints ?? OnboardingDefaults.Thumbprints);
            var host = InputRules.IssuerHost(url);
            var arn = AwsArns.OidcProvider(_scope.Partition, _scope.AccountId, host);
            var audience = AwsArns.AccountRoot(_scope.Partition, _scope.AccountId);
            Stamp(state);
            state.OidcProviderArn = arn;
            state.OidcProviderUrl = url;
            state.Audience = audience;

            var existing = await Iam.GetOpenIdConnectProviderAsync(arn, ct).ConfigureAwait(false);
            if (existing == null)
            {
                if (!Change(state, OnboardingSteps.OidcProvider, "Create IAM OIDC provider for " + url + " (audience " + audience + ")", arn))
                {
                    state.Thumbprints = wanted.ToArray();
                    return;
                }
                try
                {
                    state.OidcProviderArn = await Iam.CreateOpenIdConnectProviderAsync(url, new[] { audience }, wanted, new AwsTag[0], ct).ConfigureAwait(false);
                    state.Thumbprints = wanted.ToArray();
                    return;
                }
                catch (AwsServiceException ex) when (ex.IsEntityAlreadyExists)
                {
                    // A retried create whose first attempt did succeed, or a concurrent run: adopt what is there.
                    _log.Verbose("The provider appeared meanwhile (" + ex.Message + "): adopting it.");
                    existing = await Iam.GetOpenIdConnectProviderAsync(arn, ct).ConfigureAwait(false)
                        ?? throw new OnboardingException("VisionOne.OidcProviderNotFound", FailureKind.ObjectNotFound, "IAM reports the provider " + arn + " as existing but cannot return it. Run the command again.", arn, ex);
                }
            }

            _log.Verbose("OIDC provider " + arn + " already exists: adopting it.");
            state.Thumbprints = existing.Thumbprints.ToArray();
            if (!existing.ClientIds.Contains(audience, StringComparer.Ordinal))
            {
                if (Change(state, OnboardingSteps.OidcProvider, "Add audience " + audience + " to OIDC provider", arn))
                    await Iam.AddClientIdToOpenIdConnectProviderAsync(arn, audience, ct).ConfigureAwait(false);
            }
        }

        /// <summary>Replaces the provider's thumbprints with <paramref name="thumbprints"/> unless they already match (case-insensitively, in any order).</summary>
        public async Task EnsureThumbprintsAsync(AwsOnboardingState state, string providerArn, IReadOnlyList<string>? thumbprints, CancellationToken ct)
        {
            var arn = InputRules.ProviderArn(providerArn);
            var wanted = InputRules.Thumbprints(thumbprints ?? OnboardingDefaults.Thumbprints);
            RequireSameAccount(arn);
            Stamp(state);
            state.OidcProviderArn = arn;

            var existing = await Iam.GetOpenIdConnectProviderAsync(arn, ct).ConfigureAwait(false);
            if (existing == null && state.Changes.Any(c => !c.Applied && c.Step == OnboardingSteps.OidcProvider && c.Target == arn))
            {
                _log.Verbose("The provider " + arn + " is only planned (not created): it would be created with the thumbprints " + string.Join(", ", wanted) + ".");
                return;
            }
            if (existing == null)
                throw new OnboardingException("VisionOne.OidcProviderNotFound", FailureKind.ObjectNotFound,
                    $"The OIDC provider {arn} does not exist in account {_scope.AccountId}. Create it first with New-V1OidcProvider.", arn);
            state.OidcProviderUrl ??= "https://" + existing.Url;

            if (SameThumbprints(existing.Thumbprints, wanted))
            {
                _log.Verbose("Thumbprints of " + arn + " already match: nothing to change.");
                state.Thumbprints = existing.Thumbprints.ToArray();
                return;
            }
            if (Change(state, OnboardingSteps.Thumbprints, "Replace thumbprints (" + string.Join(", ", existing.Thumbprints) + ") with (" + string.Join(", ", wanted) + ")", arn))
            {
                await Iam.UpdateOpenIdConnectProviderThumbprintAsync(arn, wanted, ct).ConfigureAwait(false);
                state.Thumbprints = wanted.ToArray();
            }
            else
            {
                state.Thumbprints = existing.Thumbprints.ToArray();
            }
        }

        public static bool SameThumbprints(IEnumerable<string> a, IEnumerable<string> b) =>
            new HashSet<string>(a, StringComparer.OrdinalIgnoreCase).SetEquals(b);

        /// <summary>
        /// Creates or updates each named managed policy. Every document is validated before the first call,
        /// so an oversized or malformed one changes nothing.
        /// </summary>
        public async Task EnsurePoliciesAsync(AwsOnboardingState state, IReadOnlyList<KeyValuePair<string, string>> documents, CancellationToken ct)
        {
            foreach (var d in documents)
            {
                InputRules.PolicyName(d.Key);
                PolicyDocument.Validate(d.Key, d.Value);
            }
            Stamp(state);
            var arns = new List<string>();
            foreach (var d in documents)
            {
                arns.Add(await EnsurePolicyAsync(state, d.Key, d.Value, ct).ConfigureAwait(false));
            }
            state.PolicyArns = arns.ToArray();
        }

        private async Task<string> EnsurePolicyAsync(AwsOnboardingState state, string name, string document, CancellationToken ct)
        {
            var arn = AwsArns.Policy(_scope.Partition, _scope.AccountId, name);
            var existing = await Iam.GetPolicyAsync(arn, ct).ConfigureAwait(false);
            if (existing == null)
            {
                if (!Change(state, OnboardingSteps.Policies, "Create IAM policy " + name, arn)) return arn;
                try
                {
                    return (await Iam.CreatePolicyAsync(name, document, null, new AwsTag[0], ct).ConfigureAwait(false)).Arn;
                }
                catch (AwsServiceException ex) when (ex.IsEntityAlreadyExists)
                {
                    // A retried create whose first attempt did succeed, or a concurrent run: compare with what is there.
                    _log.Verbose("Policy " + name + " appeared meanwhile: comparing its document.");
                    existing = await Iam.GetPolicyAsync(arn, ct).ConfigureAwait(false)
                        ?? throw new OnboardingException("VisionOne.PolicyNotFound", FailureKind.ObjectNotFound, "IAM reports the policy " + arn + " as existing but cannot return it. Run the command again.", arn, ex);
                }
            }

            var current = await Iam.GetPolicyVersionAsync(arn, existing.DefaultVersionId, ct).ConfigureAwait(false);
            if (current.Document != null && PolicyDocument.SemanticallyEqual(current.Document, document))
            {
                _log.Verbose("Policy " + name + " already has this document (version " + existing.DefaultVersionId + "): adopting it.");
                return arn;
            }

            _log.Verbose("Policy " + name + " exists with a different document: a new default version is needed.");
            var versions = await Iam.ListPolicyVersionsAsync(arn, ct).ConfigureAwait(false);
            if (versions.Count >= 5)
            {
                // IAM keeps at most five versions: make room by deleting the oldest one that is not the default.
                var oldest = versions.Where(v => !v.IsDefaultVersion)
                    .OrderBy(v => v.CreateDate ?? DateTime.MinValue).ThenBy(v => VersionNumber(v.VersionId)).First();
                if (Change(state, OnboardingSteps.Policies, "Delete oldest non-default version " + oldest.VersionId + " of " + name + " (IAM keeps five)", arn))
                    await Iam.DeletePolicyVersionAsync(arn, oldest.VersionId, ct).ConfigureAwait(false);
                else
                    return arn;
            }
            if (Change(state, OnboardingSteps.Policies, "Set a new default version of " + name + " with the prescribed document", arn))
                await Iam.CreatePolicyVersionAsync(arn, document, true, ct).ConfigureAwait(false);
            return arn;
        }

        private static int VersionNumber(string versionId) =>
            int.TryParse(versionId.TrimStart('v', 'V'), out var n) ? n : int.MaxValue;

        /// <summary>Creates or checks the role: trust policy, tags, attachments.</summary>
        public async Task EnsureRoleAsync(AwsOnboardingState state, RoleRequest request, CancellationToken ct)
        {
            var roleName = InputRules.RoleName(request.RoleName);
            var providerArn = InputRules.ProviderArn(request.ProviderArn);
            RequireSameAccount(providerArn);
            var businessId = InputRules.BusinessId(request.BusinessId);
            var awsRegion = InputRules.AwsRegion(request.AwsDeploymentRegion);
            var policyArns = request.PolicyArns.Select(InputRules.PolicyArn).Distinct(StringComparer.Ordinal).ToList();
            if (policyArns.Count == 0)
                throw new OnboardingException("VisionOne.PolicyArnsMissing", FailureKind.InvalidArgument,
                    "No policy to attach. Pipe New-V1Policies' output into New-V1Role, or pass -PolicyArn with the three Vision One policy ARNs.");
            var host = AwsArns.IssuerHostOf(providerArn)!;
            var trust = TrustPolicy.Build(providerArn, host, AwsArns.AccountRoot(_scope.Partition, _scope.AccountId), request.V1Region, businessId);
            var tags = DesiredTags(awsRegion);

            Stamp(state);
            var arn = AwsArns.Role(_scope.Partition, _scope.AccountId, roleName);
            state.RoleName = roleName;
            state.RoleArn = arn;
            state.BusinessId = businessId;
            state.V1Region = request.V1Region;
            state.AwsDeploymentRegion = awsRegion;
            state.OidcProviderArn = providerArn;
            state.PolicyArns = policyArns.ToArray();

            var role = await Iam.GetRoleAsync(roleName, ct).ConfigureAwait(false);
            IReadOnlyList<string> attached;
            bool created = false;
            if (role == null)
            {
                if (!Change(state, OnboardingSteps.Role, "Create IAM role " + roleName + " trusting " + providerArn, arn))
                {
                    foreach (var p in policyArns) Change(state, OnboardingSteps.RoleAttachments, "Attach policy " + p + " to " + roleName, arn);
                    return;
                }
                try
                {
                    role = await WithPrincipalPropagationAsync(() => Iam.CreateRoleAsync(roleName, trust, OnboardingDefaults.RoleDescription, tags, ct), ct).ConfigureAwait(false);
                    created = true;
                }
                catch (AwsServiceException ex) when (ex.IsEntityAlreadyExists)
                {
                    // A retried create whose first attempt did succeed, or a concurrent run: check what is there.
                    _log.Verbose("Role " + roleName + " appeared meanwhile: checking it.");
                    role = await Iam.GetRoleAsync(roleName, ct).ConfigureAwait(false)
                        ?? throw new OnboardingException("VisionOne.RoleNotFound", FailureKind.ObjectNotFound, "IAM reports the role " + roleName + " as existing but cannot return it. Run the command again.", arn, ex);
                }
            }

            state.RoleArn = role.Arn;
            if (created)
            {
                attached = new string[0];
            }
            else
            {
                if (!PolicyDocument.SemanticallyEqual(role.AssumeRolePolicyDocument, trust))
                {
                    bool createdByProcedure = CarriesProcedureTag(role.Tags);
                    if (!request.Force && !(request.RepairDrift && createdByProcedure))
                        throw new OnboardingException("VisionOne.RoleTrustMismatch", FailureKind.ResourceExists,
                            $"The role {roleName} already exists with a trust policy that differs from the one Vision One needs. Nothing was changed. Re-run with -Force to replace its trust policy, or pass -RoleName to use another role.", role.Arn);
                    if (!request.Force)
                        _log.Verbose("Role " + roleName + " carries the " + OnboardingDefaults.StackNameTagKey + " tag, so this procedure created it: its drifted trust policy is repaired without -Force.");
                    if (Change(state, OnboardingSteps.RoleTrust, "Replace the trust policy of " + roleName, role.Arn))
                        await WithPrincipalPropagationAsync(async () => { await Iam.UpdateAssumeRolePolicyAsync(roleName, trust, ct).ConfigureAwait(false); return true; }, ct).ConfigureAwait(false);
                }
                else
                {
                    _log.Verbose("Role " + roleName + " already trusts " + providerArn + " as prescribed.");
                }

                var missingTags = tags.Where(t => !role.Tags.Any(e => string.Equals(e.Key, t.Key, StringComparison.OrdinalIgnoreCase) && e.Value == t.Value)).ToList();
                if (missingTags.Count > 0 && Change(state, OnboardingSteps.RoleTags, "Tag role " + roleName + " with " + string.Join(", ", missingTags), role.Arn))
                    await Iam.TagRoleAsync(roleName, missingTags, ct).ConfigureAwait(false);

                attached = (await Iam.ListAttachedRolePoliciesAsync(roleName, ct).ConfigureAwait(false)).Select(a => a.PolicyArn).ToList();
            }

            foreach (var p in policyArns.Where(p => !attached.Contains(p, StringComparer.Ordinal)))
            {
                if (Change(state, OnboardingSteps.RoleAttachments, "Attach policy " + p + " to " + roleName, state.RoleArn!))
                    await Iam.AttachRolePolicyAsync(roleName, p, ct).ConfigureAwait(false);
            }
            if (!request.RepairDrift) return;
            // A managed policy the procedure does not prescribe widens what Vision One may do in the account.
            foreach (var p in attached.Where(p => !policyArns.Contains(p, StringComparer.Ordinal)))
            {
                if (Change(state, OnboardingSteps.RoleAttachments, "Detach policy " + p + " from " + roleName + " (not prescribed)", state.RoleArn!))
                    await Iam.DetachRolePolicyAsync(roleName, p, ct).ConfigureAwait(false);
            }
        }

        /// <summary>True when the tags include VisionOneCloudFormationStackName=Vision-One-Cloud-Account-Management: the procedure's mark on what it created.</summary>
        public static bool CarriesProcedureTag(IEnumerable<AwsTag> tags) =>
            tags.Any(t => string.Equals(t.Key, OnboardingDefaults.StackNameTagKey, StringComparison.OrdinalIgnoreCase) && t.Value == OnboardingDefaults.StackNameTagValue);

        public static IReadOnlyList<AwsTag> DesiredTags(string awsRegion) => new[]
        {
            new AwsTag(OnboardingDefaults.StackNameTagKey, OnboardingDefaults.StackNameTagValue),
            new AwsTag(OnboardingDefaults.StackRegionTagKey, awsRegion),
            new AwsTag(OnboardingDefaults.FeaturesTagKey, OnboardingDefaults.FeaturesTagValue),
        };

        /// <summary>
        /// A trust policy naming a provider created seconds ago can be refused with "Invalid principal in policy"
        /// until IAM has propagated it. Retry that one signal, within a bounded wait, and say so.
        /// </summary>
        private async Task<T> WithPrincipalPropagationAsync<T>(Func<Task<T>> call, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return await call().ConfigureAwait(false);
                }
                catch (AwsServiceException ex) when (IsInvalidPrincipal(ex) && clock.Elapsed < _timings.PrincipalPropagationTimeout)
                {
                    _log.Verbose($"IAM does not see the OIDC provider yet (\"{ex.Message}\"); it was probably just created. Waiting {_timings.PrincipalPropagationInterval.TotalSeconds:0.#} s and retrying (attempt {attempt + 1}, at most {_timings.PrincipalPropagationTimeout.TotalSeconds:0} s in all).");
                    await _timings.Delay(_timings.PrincipalPropagationInterval, ct).ConfigureAwait(false);
                }
            }
        }

        private static bool IsInvalidPrincipal(AwsServiceException ex) =>
            ex.ErrorCode == "MalformedPolicyDocument" && ex.Message.IndexOf("Invalid principal", StringComparison.OrdinalIgnoreCase) >= 0;

        private void RequireSameAccount(string arn)
        {
            var account = AwsArns.AccountOf(arn);
            if (account != _scope.AccountId)
                throw new OnboardingException("VisionOne.AccountMismatch", FailureKind.InvalidArgument,
                    $"{arn} belongs to account {account}, but the credentials act in account {_scope.AccountId}. Use credentials for account {account}, or an ARN of account {_scope.AccountId}.", arn);
        }

        private void Stamp(AwsOnboardingState state)
        {
            state.AccountId = _scope.AccountId;
            state.Partition = _scope.Partition;
        }

        private bool Change(AwsOnboardingState state, string step, string action, string target) => _changes.Propose(state, step, action, target);
    }
}
