using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Emulator.Aws;

namespace VisionOneOnboarding.Emulator.Iam
{
    public sealed partial class IamStore
    {
        public const int MaxPolicyVersions = 5;
        private static readonly Regex PolicyPathPattern = new Regex(@"^((/[A-Za-z0-9\.,\+@=_-]+)*)/$", RegexOptions.CultureInvariant);
        private static readonly string[] PolicyScopes = { "All", "AWS", "Local" };

        public ManagedPolicy CreatePolicy(string accountId, string name, string? path, string document, string? description, IReadOnlyList<IamTag> tags)
        {
            IamValidation.Name(name, "policyName", 128);
            path ??= "/";
            ValidatePolicyPath(path, "path");
            if (description != null) IamValidation.Length(description, "description", 0, 1000);
            PolicyDocuments.ValidateManaged(document);
            IamValidation.Tags(tags);
            lock (_gate)
            {
                var account = Account(accountId);
                if (account.Policies.ContainsKey(name))
                {
                    throw AwsQueryException.AlreadyExists("A policy called " + name + " already exists. Duplicate names are not allowed.");
                }
                var now = Now;
                var policy = new ManagedPolicy
                {
                    Name = name,
                    Id = RandomId("ANPA"),
                    Arn = "arn:aws:iam::" + accountId + ":policy" + path + name,
                    Path = path,
                    Description = description,
                    LastVersionNumber = 1,
                    Versions = { new PolicyVersion { VersionId = "v1", Document = document, IsDefaultVersion = true, CreateDate = now } },
                    Tags = tags.ToList(),
                    CreateDate = now,
                    UpdateDate = now,
                };
                account.Policies.Add(name, policy);
                return Snapshot(account, policy);
            }
        }

        public ManagedPolicy GetPolicy(string accountId, string arn)
        {
            lock (_gate)
            {
                var account = Account(accountId);
                return Snapshot(account, PolicyByArn(account, arn));
            }
        }

        public PolicyVersion GetPolicyVersion(string accountId, string arn, string versionId)
        {
            IamValidation.VersionId(versionId);
            lock (_gate)
            {
                return VersionOf(PolicyByArn(Account(accountId), arn), versionId).Clone();
            }
        }

        /// <summary>Newest first, as IAM lists them.</summary>
        public IReadOnlyList<PolicyVersion> ListPolicyVersions(string accountId, string arn)
        {
            lock (_gate)
            {
                var policy = PolicyByArn(Account(accountId), arn);
                return policy.Versions.AsEnumerable().Reverse().Select(v => v.Clone()).ToList();
            }
        }

        public PolicyVersion CreatePolicyVersion(string accountId, string arn, string document, bool setAsDefault)
        {
            lock (_gate)
            {
                var policy = PolicyByArn(Account(accountId), arn);
                PolicyDocuments.ValidateManaged(document);
                if (policy.Versions.Count >= MaxPolicyVersions)
                {
                    throw AwsQueryException.LimitExceeded("A managed policy can have up to " + MaxPolicyVersions +
                        " versions. Before you create a new version, you must delete an existing version.");
                }
                policy.LastVersionNumber++;
                var version = new PolicyVersion
                {
                    VersionId = "v" + policy.LastVersionNumber.ToString(CultureInfo.InvariantCulture),
                    Document = document,
                    CreateDate = Now,
                };
                policy.Versions.Add(version);
                if (setAsDefault) MakeDefault(policy, version);
                return version.Clone();
            }
        }

        public void DeletePolicyVersion(string accountId, string arn, string versionId)
        {
            IamValidation.VersionId(versionId);
            lock (_gate)
            {
                var policy = PolicyByArn(Account(accountId), arn);
                var version = VersionOf(policy, versionId);
                if (version.IsDefaultVersion)
                {
                    throw AwsQueryException.DeleteConflict("Cannot delete the default version of a policy.");
                }
                policy.Versions.Remove(version);
            }
        }

        public void SetDefaultPolicyVersion(string accountId, string arn, string versionId)
        {
            IamValidation.VersionId(versionId);
            lock (_gate)
            {
                var policy = PolicyByArn(Account(accountId), arn);
                MakeDefault(policy, VersionOf(policy, versionId));
            }
        }

        public void DeletePolicy(string accountId, string arn)
        {
            lock (_gate)
            {
                var account = Account(accountId);
                var policy = PolicyByArn(account, arn);
                if (AttachmentCount(account, policy) > 0)
                {
                    throw AwsQueryException.DeleteConflict("Cannot delete a policy attached to entities.");
                }
                if (policy.Versions.Count > 1)
                {
                    throw AwsQueryException.DeleteConflict("This policy has more than one version. Before you delete a policy, " +
                        "you must delete the policy's versions. The default version is deleted with the policy.");
                }
                account.Policies.Remove(policy.Name);
            }
        }

        /// <summary>The account's customer managed policies by name; the emulator holds no AWS managed ones.</summary>
        public IReadOnlyList<ManagedPolicy> ListPolicies(string accountId, string? scope, bool onlyAttached, string? pathPrefix)
        {
            scope ??= "All";
            if (!PolicyScopes.Contains(scope, StringComparer.Ordinal))
            {
                throw AwsQueryException.Constraint("scope", scope, "Member must satisfy enum value set: [All, AWS, Local]");
            }
            if (pathPrefix != null) ValidatePolicyPath(pathPrefix, "pathPrefix");
            lock (_gate)
            {
                var account = Account(accountId);
                if (scope == "AWS") return new List<ManagedPolicy>();
                return account.Policies.Values
                    .Where(p => pathPrefix == null || p.Path.StartsWith(pathPrefix, StringComparison.Ordinal))
                    .Select(p => Snapshot(account, p))
                    .Where(p => !onlyAttached || p.AttachmentCount > 0)
                    .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
                    .ToList();
            }
        }

        private static void ValidatePolicyPath(string path, string field)
        {
            IamValidation.Length(path, field, 1, 512);
            if (!PolicyPathPattern.IsMatch(path))
            {
                throw AwsQueryException.Constraint(field, path, @"Member must satisfy regular expression pattern: ((/[A-Za-z0-9\.,\+@=_-]+)*)/");
            }
        }

        private void MakeDefault(ManagedPolicy policy, PolicyVersion version)
        {
            foreach (var v in policy.Versions) v.IsDefaultVersion = ReferenceEquals(v, version);
            policy.UpdateDate = Now;
        }

        private static PolicyVersion VersionOf(ManagedPolicy policy, string versionId) =>
            policy.Versions.FirstOrDefault(v => v.VersionId == versionId)
            ?? throw AwsQueryException.NoSuchEntity("Policy " + policy.Arn + " version " + versionId + " does not exist or is not attachable.");

        private static ManagedPolicy PolicyByArn(AccountIam account, string arn)
        {
            IamValidation.Arn(arn, "policyArn");
            return account.Policies.Values.FirstOrDefault(p => p.Arn == arn)
                ?? throw AwsQueryException.NoSuchEntity("Policy " + arn + " does not exist or is not attachable.");
        }

        private static int AttachmentCount(AccountIam account, ManagedPolicy policy) =>
            account.Roles.Values.Count(r => r.AttachedPolicyArns.Contains(policy.Arn, StringComparer.Ordinal));

        private static ManagedPolicy Snapshot(AccountIam account, ManagedPolicy policy)
        {
            var copy = policy.Clone();
            copy.AttachmentCount = AttachmentCount(account, policy);
            return copy;
        }
    }
}
