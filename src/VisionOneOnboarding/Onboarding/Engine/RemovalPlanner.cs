using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>What Remove-V1AwsOnboarding needs to know.</summary>
    public sealed class RemovalRequest
    {
        public string RoleName { get; set; } = OnboardingDefaults.RoleName;
        /// <summary>The ARN of the Vision One OIDC provider the procedure created.</summary>
        public string ProviderArn { get; set; } = "";
        /// <summary>
        /// Remove what others use too (other trust, attachments, inline policies, instance profiles, audiences, trusting roles) and what the
        /// procedure did not create (a role, provider or policy without its tag). Not implied by -Force, which only
        /// skips the confirmation.
        /// </summary>
        public bool IncludeShared { get; set; }
        /// <summary>Only disconnect the Cloud Accounts entry; leave every IAM object in place.</summary>
        public bool KeepAwsResources { get; set; }
    }

    /// <summary>
    /// The reverse plan: takes an onboarding back out, in the safe order of <see cref="StepGraph.Removal"/>. It removes
    /// only what the procedure creates — the three policies by name, the role only when it carries the procedure's tag —
    /// and refuses, before any change, to remove what others use unless Force. Pure, like <see cref="OnboardingPlanner"/>.
    /// </summary>
    public static class RemovalPlanner
    {
        /// <summary>The reads a removal needs: the entry, the role with its attachments and inline policies, the provider (and who else trusts it), the policies' use.</summary>
        public static ObservationRequest Observation(string partition, string accountId, RemovalRequest request)
        {
            var parts = ObservedParts.CloudAccount;
            if (!request.KeepAwsResources)
            {
                parts |= ObservedParts.Provider | ObservedParts.PolicyUsage | ObservedParts.Role | ObservedParts.RoleInline | ObservedParts.InstanceProfiles;
                if (!request.IncludeShared) parts |= ObservedParts.TrustingRoles;
            }
            return new ObservationRequest
            {
                Parts = parts,
                ProviderArn = request.ProviderArn,
                PolicyArns = PolicyArns(partition, accountId),
                RoleName = request.RoleName,
            };
        }

        public static OnboardingPlan Plan(RemovalRequest request, ObservedAccount observed)
        {
            var plan = new PlanBuilder(observed.AccountId);
            var accountId = observed.AccountId;
            var roleName = request.RoleName;
            // Role names are unique whatever the path, and ARNs carry the path: the role as read names itself.
            var roleArn = observed.Role?.Arn ?? AwsArns.Role(observed.Partition, accountId, roleName);
            var providerArn = request.ProviderArn;
            var policyArns = PolicyArns(observed.Partition, accountId);

            var entry = observed.CloudAccount;
            if (entry != null && !string.Equals(entry.RoleArn, roleArn, StringComparison.Ordinal) && !request.IncludeShared)
                plan.Refuse(new VisionOneException(ErrorCatalogue.RemovalConnectedWithOtherRole,
                    $"AWS account {accountId} is connected to Vision One with another role ({entry.RoleArn}), not {roleArn}. Nothing was changed. Pass the -RoleName it uses, or -IncludeShared to disconnect it anyway.", accountId));

            var role = observed.Role;
            var provider = observed.Provider;
            var policies = new List<ObservedPolicy>();
            if (!request.KeepAwsResources)
            {
                if (role == null) plan.Note("Role " + roleName + " does not exist: nothing to delete.");
                else if (!request.IncludeShared) RefuseRoleInUse(plan, role, observed, providerArn, policyArns);
                if (provider == null) plan.Note("OIDC provider " + providerArn + " does not exist: nothing to delete.");
                else if (!request.IncludeShared) RefuseProviderInUse(plan, provider, observed, providerArn, roleName);
                foreach (var arn in policyArns)
                {
                    if (!observed.Policies.TryGetValue(arn, out var policy)) { plan.Note("Policy " + arn + " does not exist: nothing to delete."); continue; }
                    int ours = role != null && observed.Attached.Contains(arn, StringComparer.Ordinal) ? 1 : 0;
                    if (policy.AttachmentCount > ours)
                        plan.Warn($"Policy {arn} is attached to {policy.AttachmentCount - ours} other role(s), user(s) or group(s): it is left in place.");
                    else if (!request.IncludeShared && !RoleTags.CarryProcedureTag(policy.Tags))
                        plan.Warn($"Policy {arn} does not carry the {OnboardingDefaults.StackNameTagKey} tag, so this procedure did not create it: it is left in place (-IncludeShared removes it).");
                    else
                        policies.Add(policy);
                }
            }

            if (entry != null)
                plan.Change(ChangeKind.DisconnectAccount, OnboardingSteps.CloudAccount, accountId, "Entry", "not connected", "connected as '" + entry.Name + "'",
                    "Disconnect AWS account " + accountId + " from Vision One Cloud Accounts");
            else if (observed.Has(ObservedParts.CloudAccount))
                plan.Note("AWS account " + accountId + " is not connected to Vision One: nothing to disconnect.");
            if (request.KeepAwsResources)
            {
                plan.Note("-KeepAwsResources: the OIDC provider, the policies and the role stay in AWS.");
                return plan.Build(null, observed, StepGraph.Removal);
            }

            if (role != null)
            {
                // With IncludeShared, whatever else is attached or inline goes too: IAM deletes no role that still has any.
                foreach (var arn in observed.Attached.Where(a => policyArns.Contains(a, StringComparer.Ordinal) || request.IncludeShared))
                    plan.Change(ChangeKind.DetachPolicy, OnboardingSteps.RoleAttachments, role.Arn, arn, "not attached", "attached",
                        "Detach policy " + arn + " from " + roleName, lane: arn).Argument = arn;
                foreach (var inline in observed.Inline)
                    plan.Change(ChangeKind.DeleteInlinePolicy, OnboardingSteps.RoleAttachments, role.Arn, inline, "absent", "present",
                        "Delete inline policy " + inline + " of " + roleName, lane: "inline:" + inline).Argument = inline;
                foreach (var profile in observed.InstanceProfiles)
                    plan.Change(ChangeKind.RemoveFromInstanceProfile, OnboardingSteps.RoleAttachments, role.Arn, profile, "not in it", "in it",
                        "Remove " + roleName + " from instance profile " + profile, lane: "profile:" + profile).Argument = profile;
            }
            foreach (var policy in policies)
            {
                foreach (var version in policy.Versions.Where(v => !v.IsDefaultVersion))
                    plan.Change(ChangeKind.DeletePolicyVersion, OnboardingSteps.Policies, policy.Arn, version.VersionId, "absent", "present",
                        "Delete version " + version.VersionId + " of IAM policy " + policy.Name).Argument = version.VersionId;
                plan.Change(ChangeKind.DeletePolicy, OnboardingSteps.Policies, policy.Arn, policy.Name, "absent", "present", "Delete IAM policy " + policy.Name);
            }
            if (role != null)
                plan.Change(ChangeKind.DeleteRole, OnboardingSteps.Role, role.Arn, roleName, "absent", "present", "Delete IAM role " + roleName).Argument = roleName;
            if (provider != null && !request.IncludeShared && !RoleTags.CarryProcedureTag(provider.Tags))
                plan.Warn($"The OIDC provider {providerArn} does not carry the {OnboardingDefaults.StackNameTagKey} tag, so this procedure did not create it: it is left in place (-IncludeShared removes it).");
            else if (provider != null)
                plan.Change(ChangeKind.DeleteProvider, OnboardingSteps.OidcProvider, providerArn, "Provider", "absent", "present",
                    "Delete IAM OIDC provider https://" + provider.Url);
            return plan.Build(null, observed, StepGraph.Removal);
        }

        private static IReadOnlyList<string> PolicyArns(string partition, string accountId) =>
            OnboardingDefaults.PolicyNames.Select(n => AwsArns.Policy(partition, accountId, n)).ToList();

        private static void RefuseRoleInUse(PlanBuilder plan, RoleDescription role, ObservedAccount observed, string providerArn, IReadOnlyList<string> policyArns)
        {
            if (!RoleTags.CarryProcedureTag(role.Tags))
            {
                plan.Refuse(new VisionOneException(ErrorCatalogue.RemovalRoleNotCreatedByProcedure,
                    $"The role {role.RoleName} does not carry the {OnboardingDefaults.StackNameTagKey}={OnboardingDefaults.StackNameTagValue} tag, so this procedure did not create it. Nothing was changed. Pass the -RoleName of the Vision One role, or -IncludeShared to remove it anyway.", role.Arn));
                return;
            }
            var reasons = new List<string>();
            var otherPrincipals = OtherPrincipals(role.AssumeRolePolicyDocument, providerArn);
            if (otherPrincipals.Count > 0) reasons.Add("its trust policy also trusts " + string.Join(", ", otherPrincipals));
            var otherPolicies = observed.Attached.Where(a => !policyArns.Contains(a, StringComparer.Ordinal)).ToList();
            if (otherPolicies.Count > 0) reasons.Add("other policies are attached (" + string.Join(", ", otherPolicies) + ")");
            if (observed.Inline.Count > 0) reasons.Add("it has inline policies (" + string.Join(", ", observed.Inline) + ")");
            if (observed.InstanceProfiles.Count > 0) reasons.Add("it is in instance profile(s) " + string.Join(", ", observed.InstanceProfiles) + ", which EC2 instances may use (IAM deletes no role that is in one)");
            if (reasons.Count > 0)
                plan.Refuse(new VisionOneException(ErrorCatalogue.RemovalRoleInUse,
                    $"The role {role.RoleName} is used for more than Vision One: {string.Join("; ", reasons)}. Nothing was changed. Remove those first, or re-run with -IncludeShared to delete the role with them.", role.Arn));
        }

        private static void RefuseProviderInUse(PlanBuilder plan, OidcProviderDescription provider, ObservedAccount observed, string providerArn, string roleName)
        {
            var reasons = new List<string>();
            var audience = AwsArns.AccountRoot(observed.Partition, observed.AccountId);
            var otherAudiences = provider.ClientIds.Where(c => c != audience).ToList();
            if (otherAudiences.Count > 0) reasons.Add("it has other audiences (" + string.Join(", ", otherAudiences) + ")");
            var trusting = observed.Roles
                .Where(r => r.RoleName != roleName && TrustsProvider(r.AssumeRolePolicyDocument, providerArn))
                .Select(r => r.RoleName).ToList();
            if (trusting.Count > 0) reasons.Add("other roles trust it (" + string.Join(", ", trusting) + ")");
            if (reasons.Count > 0)
                plan.Refuse(new VisionOneException(ErrorCatalogue.RemovalProviderInUse,
                    $"The OIDC provider {providerArn} is used for more than this Vision One role: {string.Join("; ", reasons)}. Nothing was changed. Re-run with -IncludeShared to delete it anyway.", providerArn));
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
    }
}
