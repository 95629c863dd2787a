using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>What Remove-V1AwsOnboarding needs to know for one account.</summary>
    public sealed class RemovalRequest
    {
        public string RoleName { get; set; } = OnboardingDefaults.RoleName;
        /// <summary>The ARN of the Vision One OIDC provider the procedure created.</summary>
        public string ProviderArn { get; set; } = "";
        /// <summary>Remove a role or provider that others use too (other trust, attachments, inline policies, audiences, roles), or a role without the procedure's tag.</summary>
        public bool Force { get; set; }
        /// <summary>Only disconnect the Cloud Accounts entry; leave every IAM object in place.</summary>
        public bool KeepAwsResources { get; set; }
    }

    /// <summary>
    /// Takes an onboarding back out, in the safe order: disconnect the Cloud Accounts entry, detach the three
    /// policies, delete their non-default versions and the policies, delete the role, delete the provider.
    /// It removes only what the procedure creates — the three policies by name, the role only when it carries the
    /// procedure's tag — and refuses, before any change, to remove what others use unless Force. Everything is read
    /// first and every delete treats "already gone" as done, so a run that failed halfway is finished by running again.
    /// </summary>
    public sealed class OnboardingRemoval
    {
        private readonly AccountScope _scope;
        private readonly CamClient? _cam;
        private readonly ChangeRecorder _changes;
        private readonly ILogSink _log;

        /// <param name="scope">The account to clean up.</param>
        /// <param name="cam">Null: the Cloud Accounts entry is left alone.</param>
        /// <param name="gate">Asked before every call that changes something.</param>
        /// <param name="log">Told each step, and what was gone already.</param>
        public OnboardingRemoval(AccountScope scope, CamClient? cam, IChangeGate gate, ILogSink log)
        {
            _scope = scope; _cam = cam; _changes = new ChangeRecorder(gate, log); _log = log;
        }

        private IIamClient Iam => _scope.Iam;

        /// <returns>A state whose Changes list every removal, made (Applied) or only planned.</returns>
        public async Task<AwsOnboardingState> RemoveAsync(RemovalRequest request, CancellationToken ct)
        {
            var roleName = InputRules.RoleName(request.RoleName);
            var providerArn = InputRules.ProviderArn(request.ProviderArn);
            if (AwsArns.AccountOf(providerArn) != _scope.AccountId)
                throw new OnboardingException("VisionOne.AccountMismatch", FailureKind.InvalidArgument,
                    $"{providerArn} belongs to account {AwsArns.AccountOf(providerArn)}, but the credentials act in account {_scope.AccountId}.", providerArn);
            var roleArn = AwsArns.Role(_scope.Partition, _scope.AccountId, roleName);
            var policyArns = OnboardingDefaults.PolicyNames.Select(n => AwsArns.Policy(_scope.Partition, _scope.AccountId, n)).ToList();
            var state = new AwsOnboardingState
            {
                AccountId = _scope.AccountId, Partition = _scope.Partition, RoleName = roleName, RoleArn = roleArn,
                OidcProviderArn = providerArn, PolicyArns = policyArns.ToArray(),
            };

            // Read everything and refuse before the first change.
            var entry = _cam == null ? null : await _cam.GetAwsAccountAsync(_scope.AccountId, ct).ConfigureAwait(false);
            if (entry != null && !string.Equals(entry.RoleArn, roleArn, StringComparison.Ordinal) && !request.Force)
                throw new OnboardingException("VisionOne.RemovalConnectedWithOtherRole", FailureKind.InvalidOperation,
                    $"AWS account {_scope.AccountId} is connected to Vision One with another role ({entry.RoleArn}), not {roleArn}. Nothing was changed. Pass the -RoleName it uses, or -Force to disconnect it anyway.", _scope.AccountId);

            RoleFacts? role = null;
            string? providerUrl = null;
            var policies = new List<ManagedPolicyDescription>();
            if (!request.KeepAwsResources)
            {
                role = await ReadRoleAsync(roleName, providerArn, policyArns, request.Force, ct).ConfigureAwait(false);
                providerUrl = await ReadProviderAsync(providerArn, roleName, request.Force, ct).ConfigureAwait(false);
                foreach (var arn in policyArns)
                {
                    var policy = await Iam.GetPolicyAsync(arn, ct).ConfigureAwait(false);
                    if (policy == null) { _log.Verbose("Policy " + arn + " does not exist: nothing to delete."); continue; }
                    int ours = role != null && role.Attached.Contains(arn, StringComparer.Ordinal) ? 1 : 0;
                    if (policy.AttachmentCount > ours)
                        _log.Warning($"Policy {arn} is attached to {policy.AttachmentCount - ours} other role(s), user(s) or group(s): it is left in place.");
                    else
                        policies.Add(policy);
                }
            }

            if (entry != null)
            {
                if (Change(state, OnboardingSteps.CloudAccount, "Disconnect AWS account " + _scope.AccountId + " from Vision One Cloud Accounts", _scope.AccountId)
                    && !await _cam!.DeleteAwsAccountAsync(_scope.AccountId, ct).ConfigureAwait(false))
                    _log.Verbose("The Cloud Accounts entry of " + _scope.AccountId + " was gone already.");
            }
            else if (_cam != null)
            {
                _log.Verbose("AWS account " + _scope.AccountId + " is not connected to Vision One: nothing to disconnect.");
            }
            if (request.KeepAwsResources)
            {
                _log.Verbose("-KeepAwsResources: the OIDC provider, the policies and the role stay in AWS.");
                return state;
            }

            if (role != null)
            {
                // With -Force, whatever else is attached or inline goes too: IAM deletes no role that still has any.
                foreach (var arn in role.Attached.Where(a => policyArns.Contains(a, StringComparer.Ordinal) || request.Force))
                {
                    if (Change(state, OnboardingSteps.RoleAttachments, "Detach policy " + arn + " from " + roleName, role.Arn))
                        await Gone(() => Iam.DetachRolePolicyAsync(roleName, arn, ct)).ConfigureAwait(false);
                }
                foreach (var inline in role.Inline)
                {
                    if (Change(state, OnboardingSteps.RoleAttachments, "Delete inline policy " + inline + " of " + roleName, role.Arn))
                        await Gone(() => Iam.DeleteRolePolicyAsync(roleName, inline, ct)).ConfigureAwait(false);
                }
            }

            foreach (var policy in policies)
            {
                var versions = await Iam.ListPolicyVersionsAsync(policy.Arn, ct).ConfigureAwait(false);
                foreach (var version in versions.Where(v => !v.IsDefaultVersion))
                {
                    if (Change(state, OnboardingSteps.Policies, "Delete version " + version.VersionId + " of IAM policy " + policy.PolicyName, policy.Arn))
                        await Gone(() => Iam.DeletePolicyVersionAsync(policy.Arn, version.VersionId, ct)).ConfigureAwait(false);
                }
                if (Change(state, OnboardingSteps.Policies, "Delete IAM policy " + policy.PolicyName, policy.Arn))
                    await Gone(() => Iam.DeletePolicyAsync(policy.Arn, ct)).ConfigureAwait(false);
            }

            if (role != null && Change(state, OnboardingSteps.Role, "Delete IAM role " + roleName, role.Arn))
                await Gone(() => Iam.DeleteRoleAsync(roleName, ct)).ConfigureAwait(false);

            if (providerUrl != null && Change(state, OnboardingSteps.OidcProvider, "Delete IAM OIDC provider " + providerUrl, providerArn))
                await Gone(() => Iam.DeleteOpenIdConnectProviderAsync(providerArn, ct)).ConfigureAwait(false);

            _log.Verbose(state.Changes.Count == 0
                ? "Nothing of the onboarding is left in account " + _scope.AccountId + "."
                : "Account " + _scope.AccountId + ": " + string.Join("; ", state.Changes.Select(c => c.ToString())) + ".");
            return state;
        }

        private sealed class RoleFacts
        {
            public string Arn = "";
            public IReadOnlyList<string> Attached = new string[0];
            public IReadOnlyList<string> Inline = new string[0];
        }

        private async Task<RoleFacts?> ReadRoleAsync(string roleName, string providerArn, IReadOnlyList<string> policyArns, bool force, CancellationToken ct)
        {
            var role = await Iam.GetRoleAsync(roleName, ct).ConfigureAwait(false);
            if (role == null)
            {
                _log.Verbose("Role " + roleName + " does not exist: nothing to delete.");
                return null;
            }
            var facts = new RoleFacts
            {
                Arn = role.Arn,
                Attached = (await Iam.ListAttachedRolePoliciesAsync(roleName, ct).ConfigureAwait(false)).Select(a => a.PolicyArn).ToList(),
                Inline = await Iam.ListRolePoliciesAsync(roleName, ct).ConfigureAwait(false),
            };
            if (force) return facts;

            if (!IamOnboarding.CarriesProcedureTag(role.Tags))
                throw new OnboardingException("VisionOne.RemovalRoleNotCreatedByProcedure", FailureKind.InvalidOperation,
                    $"The role {roleName} does not carry the {OnboardingDefaults.StackNameTagKey}={OnboardingDefaults.StackNameTagValue} tag, so this procedure did not create it. Nothing was changed. Pass the -RoleName of the Vision One role, or -Force to remove it anyway.", role.Arn);
            var reasons = new List<string>();
            var otherPrincipals = OtherPrincipals(role.AssumeRolePolicyDocument, providerArn);
            if (otherPrincipals.Count > 0) reasons.Add("its trust policy also trusts " + string.Join(", ", otherPrincipals));
            var otherPolicies = facts.Attached.Where(a => !policyArns.Contains(a, StringComparer.Ordinal)).ToList();
            if (otherPolicies.Count > 0) reasons.Add("other policies are attached (" + string.Join(", ", otherPolicies) + ")");
            if (facts.Inline.Count > 0) reasons.Add("it has inline policies (" + string.Join(", ", facts.Inline) + ")");
            if (reasons.Count > 0)
                throw new OnboardingException("VisionOne.RemovalRoleInUse", FailureKind.InvalidOperation,
                    $"The role {roleName} is used for more than Vision One: {string.Join("; ", reasons)}. Nothing was changed. Remove those first, or re-run with -Force to delete the role with them.", role.Arn);
            return facts;
        }

        /// <returns>The provider's URL, or null when it does not exist.</returns>
        private async Task<string?> ReadProviderAsync(string providerArn, string roleName, bool force, CancellationToken ct)
        {
            var provider = await Iam.GetOpenIdConnectProviderAsync(providerArn, ct).ConfigureAwait(false);
            if (provider == null)
            {
                _log.Verbose("OIDC provider " + providerArn + " does not exist: nothing to delete.");
                return null;
            }
            var url = "https://" + provider.Url;
            if (force) return url;

            var reasons = new List<string>();
            var audience = AwsArns.AccountRoot(_scope.Partition, _scope.AccountId);
            var otherAudiences = provider.ClientIds.Where(c => c != audience).ToList();
            if (otherAudiences.Count > 0) reasons.Add("it has other audiences (" + string.Join(", ", otherAudiences) + ")");
            var trusting = (await Iam.ListRolesAsync(ct).ConfigureAwait(false))
                .Where(r => r.RoleName != roleName && TrustsProvider(r.AssumeRolePolicyDocument, providerArn))
                .Select(r => r.RoleName).ToList();
            if (trusting.Count > 0) reasons.Add("other roles trust it (" + string.Join(", ", trusting) + ")");
            if (reasons.Count > 0)
                throw new OnboardingException("VisionOne.RemovalProviderInUse", FailureKind.InvalidOperation,
                    $"The OIDC provider {providerArn} is used for more than this Vision One role: {string.Join("; ", reasons)}. Nothing was changed. Re-run with -Force to delete it anyway.", providerArn);
            return url;
        }

        /// <summary>Every principal the trust policy names besides the provider (any statement, any principal type).</summary>
        private static List<string> OtherPrincipals(string trustJson, string providerArn)
        {
            var others = new List<string>();
            foreach (var (type, value) in Principals(trustJson))
            {
                if (!(type == "Federated" && value == providerArn)) others.Add(type + " " + value);
            }
            return others.Distinct().ToList();
        }

        private static bool TrustsProvider(string trustJson, string providerArn) =>
            Principals(trustJson).Any(p => p.Type == "Federated" && p.Value == providerArn);

        private static IEnumerable<(string Type, string Value)> Principals(string trustJson)
        {
            var document = JsonNode.Parse(PolicyDocument.Canonicalize(trustJson)) as JsonObject;
            var statements = document?["Statement"] as JsonArray ?? new JsonArray();
            foreach (var statement in statements.OfType<JsonObject>())
            {
                foreach (var key in new[] { "Principal", "NotPrincipal" })
                {
                    if (!statement.TryGetPropertyValue(key, out var principal) || principal == null) continue;
                    if (principal is JsonObject byType)
                    {
                        foreach (var member in byType)
                            foreach (var value in member.Value as JsonArray ?? new JsonArray())
                                yield return (member.Key, value?.ToString() ?? "");
                    }
                    else
                    {
                        yield return (key, principal.ToJsonString());
                    }
                }
            }
        }

        /// <summary>A delete whose object is already gone has done its job (a re-run, or a concurrent removal).</summary>
        private async Task Gone(Func<Task> delete)
        {
            try { await delete().ConfigureAwait(false); }
            catch (AwsServiceException ex) when (ex.IsNoSuchEntity)
            {
                _log.Verbose("Already gone (" + ex.Action + ": " + ex.Message + ").");
            }
        }

        private bool Change(AwsOnboardingState state, string step, string action, string target) => _changes.Propose(state, step, action, target);
    }
}
