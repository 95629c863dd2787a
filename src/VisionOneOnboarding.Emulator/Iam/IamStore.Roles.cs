using System;
using System.Collections.Generic;
using System.Linq;
using VisionOneOnboarding.Emulator.Aws;

namespace VisionOneOnboarding.Emulator.Iam
{
    public sealed partial class IamStore
    {
        public const int MaxManagedPoliciesPerRole = 10;
        public const int MinSessionDuration = 3600;
        public const int MaxSessionDuration = 43200;

        /// <summary>Web identity providers a trust policy may name without an IAM provider.</summary>
        private static readonly HashSet<string> BuiltInFederatedPrincipals = new HashSet<string>(StringComparer.Ordinal)
        {
            "cognito-identity.amazonaws.com", "www.amazon.com", "graph.facebook.com", "accounts.google.com",
        };

        public Role CreateRole(string accountId, string name, string? path, string trustPolicy, string? description,
            int? maxSessionDuration, IReadOnlyList<IamTag> tags)
        {
            IamValidation.Name(name, "roleName", 64);
            path ??= "/";
            IamValidation.Path(path);
            IamValidation.Description(description);
            var sessionDuration = maxSessionDuration ?? MinSessionDuration;
            ValidateMaxSessionDuration(sessionDuration);
            IamValidation.Tags(tags);
            lock (_gate)
            {
                var account = Account(accountId);
                if (account.Roles.ContainsKey(name))
                {
                    throw AwsQueryException.AlreadyExists("Role with name " + name + " already exists.");
                }
                ValidateTrustPolicy(account, trustPolicy);
                var role = new Role
                {
                    Name = name,
                    Id = RandomId("AROA"),
                    Arn = "arn:aws:iam::" + accountId + ":role" + path + name,
                    Path = path,
                    TrustPolicy = trustPolicy,
                    Description = description,
                    MaxSessionDuration = sessionDuration,
                    Tags = tags.ToList(),
                    CreateDate = Now,
                    TrustChanged = Now,
                };
                account.Roles.Add(name, role);
                return role.Clone();
            }
        }

        public Role GetRole(string accountId, string name)
        {
            lock (_gate)
            {
                return RoleByName(Account(accountId), name).Clone();
            }
        }

        public IReadOnlyList<Role> ListRoles(string accountId, string? pathPrefix)
        {
            if (pathPrefix != null) IamValidation.Length(pathPrefix, "pathPrefix", 1, 512);
            lock (_gate)
            {
                return Account(accountId).Roles.Values
                    .Where(r => pathPrefix == null || r.Path.StartsWith(pathPrefix, StringComparison.Ordinal))
                    .OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
                    .Select(r => r.Clone())
                    .ToList();
            }
        }

        public void UpdateAssumeRolePolicy(string accountId, string name, string trustPolicy)
        {
            lock (_gate)
            {
                var account = Account(accountId);
                var role = RoleByName(account, name);
                ValidateTrustPolicy(account, trustPolicy);
                role.TrustPolicy = trustPolicy;
                role.TrustChanged = Now;
            }
        }

        /// <summary>Adds tags, replacing the value of a key that is already there (keys compare case-insensitively).</summary>
        public void TagRole(string accountId, string name, IReadOnlyList<IamTag> tags)
        {
            IamValidation.Tags(tags);
            lock (_gate)
            {
                var role = RoleByName(Account(accountId), name);
                var merged = role.Tags.Where(t => !tags.Any(n => string.Equals(n.Key, t.Key, StringComparison.OrdinalIgnoreCase))).Concat(tags).ToList();
                if (merged.Count > IamValidation.MaxTags)
                {
                    throw AwsQueryException.LimitExceeded("The number of tags has reached the maximum limit.");
                }
                role.Tags = merged;
            }
        }

        public void UntagRole(string accountId, string name, IReadOnlyList<string> keys)
        {
            if (keys.Count > IamValidation.MaxTags)
            {
                throw AwsQueryException.Constraint("tagKeys", null, "Member must have length less than or equal to " + IamValidation.MaxTags);
            }
            for (int i = 0; i < keys.Count; i++) IamValidation.Length(keys[i], "tagKeys." + (i + 1) + ".member", 1, 128);
            lock (_gate)
            {
                var role = RoleByName(Account(accountId), name);
                role.Tags.RemoveAll(t => keys.Contains(t.Key, StringComparer.OrdinalIgnoreCase));
            }
        }

        public IReadOnlyList<IamTag> ListRoleTags(string accountId, string name)
        {
            lock (_gate)
            {
                return RoleByName(Account(accountId), name).Tags.ToList();
            }
        }

        public IReadOnlyList<string> ListAttachedRolePolicies(string accountId, string name)
        {
            lock (_gate)
            {
                return RoleByName(Account(accountId), name).AttachedPolicyArns.ToList();
            }
        }

        public IReadOnlyList<string> ListRolePolicies(string accountId, string name)
        {
            lock (_gate)
            {
                return RoleByName(Account(accountId), name).InlinePolicies.Keys.ToList();
            }
        }

        /// <summary>Attaching a policy that is already attached changes nothing, as in IAM.</summary>
        public void AttachRolePolicy(string accountId, string name, string policyArn)
        {
            lock (_gate)
            {
                var account = Account(accountId);
                var role = RoleByName(account, name);
                var policy = PolicyByArn(account, policyArn);
                if (role.AttachedPolicyArns.Contains(policy.Arn, StringComparer.Ordinal)) return;
                if (role.AttachedPolicyArns.Count >= MaxManagedPoliciesPerRole)
                {
                    throw AwsQueryException.LimitExceeded("Cannot exceed quota for PoliciesPerRole: " + MaxManagedPoliciesPerRole);
                }
                role.AttachedPolicyArns.Add(policy.Arn);
            }
        }

        public void DetachRolePolicy(string accountId, string name, string policyArn)
        {
            IamValidation.Arn(policyArn, "policyArn");
            lock (_gate)
            {
                var role = RoleByName(Account(accountId), name);
                if (!role.AttachedPolicyArns.Remove(policyArn))
                {
                    throw AwsQueryException.NoSuchEntity("Policy " + policyArn + " was not found.");
                }
            }
        }

        /// <summary>An inline policy: the only way a role gets one here, so removal's refusal can be exercised.</summary>
        public void PutRolePolicy(string accountId, string name, string policyName, string document)
        {
            IamValidation.Name(policyName, "policyName", 128);
            PolicyDocuments.ValidateManaged(document);
            lock (_gate)
            {
                var role = RoleByName(Account(accountId), name);
                var total = role.InlinePolicies.Where(p => p.Key != policyName).Sum(p => PolicyDocuments.CountedSize(p.Value))
                    + PolicyDocuments.CountedSize(document);
                if (total > PolicyDocuments.InlineRolePoliciesQuota)
                {
                    throw AwsQueryException.LimitExceeded("Maximum policy size of " + PolicyDocuments.InlineRolePoliciesQuota +
                        " bytes exceeded for role " + role.Name);
                }
                role.InlinePolicies[policyName] = document;
            }
        }

        public void DeleteRolePolicy(string accountId, string name, string policyName)
        {
            IamValidation.Name(policyName, "policyName", 128);
            lock (_gate)
            {
                if (!RoleByName(Account(accountId), name).InlinePolicies.Remove(policyName))
                {
                    throw AwsQueryException.NoSuchEntity("The role policy with name " + policyName + " cannot be found.");
                }
            }
        }

        public void DeleteRole(string accountId, string name)
        {
            lock (_gate)
            {
                var account = Account(accountId);
                var role = RoleByName(account, name);
                if (role.AttachedPolicyArns.Count > 0)
                {
                    throw AwsQueryException.DeleteConflict("Cannot delete entity, must detach all policies first.");
                }
                if (role.InlinePolicies.Count > 0)
                {
                    throw AwsQueryException.DeleteConflict("Cannot delete entity, must delete policies first.");
                }
                if (ProfilesHolding(account, role.Name).Any())
                {
                    throw AwsQueryException.DeleteConflict("Cannot delete entity, must remove roles from instance profile first.");
                }
                account.Roles.Remove(role.Name);
            }
        }

        private static Role RoleByName(AccountIam account, string name)
        {
            IamValidation.Name(name, "roleName", 64);
            return account.Roles.TryGetValue(name, out var role)
                ? role
                : throw AwsQueryException.NoSuchEntity("The role with name " + name + " cannot be found.");
        }

        private static void ValidateMaxSessionDuration(int seconds)
        {
            if (seconds < MinSessionDuration)
            {
                throw AwsQueryException.Constraint("maxSessionDuration", seconds.ToString(), "Member must have value greater than or equal to " + MinSessionDuration);
            }
            if (seconds > MaxSessionDuration)
            {
                throw AwsQueryException.Constraint("maxSessionDuration", seconds.ToString(), "Member must have value less than or equal to " + MaxSessionDuration);
            }
        }

        private void ValidateTrustPolicy(AccountIam account, string document) =>
            PolicyDocuments.ValidateTrust(document, principal => FederatedPrincipalKnown(account, principal));

        /// <summary>
        /// An OIDC provider of this account, once the principal propagation delay since its creation has passed
        /// (real IAM answers "Invalid principal in policy" for a few seconds after creating a provider).
        /// </summary>
        private bool FederatedPrincipalKnown(AccountIam account, string principal)
        {
            if (BuiltInFederatedPrincipals.Contains(principal)) return true;
            var prefix = "arn:aws:iam::" + account.Id + ":oidc-provider/";
            return principal.StartsWith(prefix, StringComparison.Ordinal)
                && account.Providers.TryGetValue(principal.Substring(prefix.Length), out var provider)
                && Now - provider.CreateDate >= _faults.PrincipalPropagationDelay;
        }
    }
}
