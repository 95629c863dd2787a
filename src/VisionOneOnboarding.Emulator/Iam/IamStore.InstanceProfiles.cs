using System;
using System.Collections.Generic;
using System.Linq;
using VisionOneOnboarding.Emulator.Aws;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>An instance profile: what EC2 passes a role to an instance through. It holds at most one role.</summary>
    public sealed class InstanceProfile
    {
        public string Name { get; set; } = "";
        public string Id { get; set; } = "";
        public string Arn { get; set; } = "";
        public string Path { get; set; } = "/";
        public DateTime CreateDate { get; set; }
        public List<string> RoleNames { get; set; } = new List<string>();

        public InstanceProfile Clone()
        {
            var copy = (InstanceProfile)MemberwiseClone();
            copy.RoleNames = RoleNames.ToList();
            return copy;
        }
    }

    public sealed partial class IamStore
    {
        public InstanceProfile CreateInstanceProfile(string accountId, string name, string? path)
        {
            IamValidation.Name(name, "instanceProfileName", 128);
            path ??= "/";
            IamValidation.Path(path);
            lock (_gate)
            {
                var account = Account(accountId);
                if (account.InstanceProfiles.ContainsKey(name))
                    throw AwsQueryException.AlreadyExists("Instance Profile " + name + " already exists.");
                var profile = new InstanceProfile
                {
                    Name = name,
                    Id = RandomId("AIPA"),
                    Arn = "arn:aws:iam::" + accountId + ":instance-profile" + path + name,
                    Path = path,
                    CreateDate = Now,
                };
                account.InstanceProfiles.Add(name, profile);
                return profile.Clone();
            }
        }

        /// <summary>An instance profile holds one role: a second is LimitExceeded, as in IAM.</summary>
        public void AddRoleToInstanceProfile(string accountId, string profileName, string roleName)
        {
            lock (_gate)
            {
                var account = Account(accountId);
                var role = RoleByName(account, roleName);
                var profile = ProfileByName(account, profileName);
                if (profile.RoleNames.Count > 0)
                    throw AwsQueryException.LimitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
                profile.RoleNames.Add(role.Name);
            }
        }

        public void RemoveRoleFromInstanceProfile(string accountId, string profileName, string roleName)
        {
            lock (_gate)
            {
                var account = Account(accountId);
                var profile = ProfileByName(account, profileName);
                if (profile.RoleNames.RemoveAll(r => string.Equals(r, roleName, StringComparison.OrdinalIgnoreCase)) == 0)
                    throw AwsQueryException.NoSuchEntity("The role with name " + roleName + " cannot be found.");
            }
        }

        public IReadOnlyList<InstanceProfile> ListInstanceProfilesForRole(string accountId, string roleName)
        {
            lock (_gate)
            {
                var account = Account(accountId);
                var role = RoleByName(account, roleName);
                return ProfilesHolding(account, role.Name).Select(p => p.Clone()).ToList();
            }
        }

        public void DeleteInstanceProfile(string accountId, string profileName)
        {
            lock (_gate)
            {
                var account = Account(accountId);
                var profile = ProfileByName(account, profileName);
                if (profile.RoleNames.Count > 0)
                    throw AwsQueryException.DeleteConflict("Cannot delete entity, must remove roles from instance profile first.");
                account.InstanceProfiles.Remove(profile.Name);
            }
        }

        /// <summary>Holds _gate.</summary>
        private static IEnumerable<InstanceProfile> ProfilesHolding(AccountIam account, string roleName) =>
            account.InstanceProfiles.Values.Where(p => p.RoleNames.Contains(roleName, StringComparer.OrdinalIgnoreCase)).OrderBy(p => p.Name, StringComparer.Ordinal);

        private static InstanceProfile ProfileByName(AccountIam account, string name)
        {
            IamValidation.Name(name, "instanceProfileName", 128);
            return account.InstanceProfiles.TryGetValue(name, out var profile)
                ? profile
                : throw AwsQueryException.NoSuchEntity("Instance Profile " + name + " cannot be found.");
        }
    }
}
