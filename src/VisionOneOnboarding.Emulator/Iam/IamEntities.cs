using System;
using System.Collections.Generic;
using System.Linq;

namespace VisionOneOnboarding.Emulator.Iam
{
    public sealed class IamTag
    {
        public IamTag(string key, string value) { Key = key; Value = value; }
        public string Key { get; }
        public string Value { get; }
    }

    /// <summary>Who signed a request: an IAM user's long-term key or an assumed role's session.</summary>
    public sealed class CallerPrincipal
    {
        public CallerPrincipal(string accountId, string arn, string userId, bool isAssumedRole)
        {
            AccountId = accountId; Arn = arn; UserId = userId; IsAssumedRole = isAssumedRole;
        }
        public string AccountId { get; }
        public string Arn { get; }
        public string UserId { get; }
        public bool IsAssumedRole { get; }
    }

    /// <summary>A key pair the emulator accepts; temporary ones carry a session token and an expiry.</summary>
    public sealed class IssuedCredential
    {
        public IssuedCredential(string accessKeyId, string secretAccessKey, string? sessionToken, DateTime? expiration, CallerPrincipal principal)
        {
            AccessKeyId = accessKeyId; SecretAccessKey = secretAccessKey; SessionToken = sessionToken; Expiration = expiration; Principal = principal;
        }
        public string AccessKeyId { get; }
        public string SecretAccessKey { get; }
        public string? SessionToken { get; }
        public DateTime? Expiration { get; }
        public CallerPrincipal Principal { get; }

        public override string ToString() => "IssuedCredential " + AccessKeyId + " for " + Principal.Arn;
    }

    // The mutable entities below live inside IamStore's lock; callers only ever get Clone()s.

    public sealed class OidcProvider
    {
        public string Arn { get; set; } = "";
        /// <summary>The URL without https://, as IAM returns it.</summary>
        public string Url { get; set; } = "";
        public List<string> ClientIds { get; set; } = new List<string>();
        public List<string> Thumbprints { get; set; } = new List<string>();
        public List<IamTag> Tags { get; set; } = new List<IamTag>();
        public DateTime CreateDate { get; set; }

        public OidcProvider Clone() => new OidcProvider
        {
            Arn = Arn, Url = Url, ClientIds = ClientIds.ToList(), Thumbprints = Thumbprints.ToList(), Tags = Tags.ToList(), CreateDate = CreateDate,
        };
    }

    public sealed class PolicyVersion
    {
        public string VersionId { get; set; } = "";
        public string Document { get; set; } = "";
        public bool IsDefaultVersion { get; set; }
        public DateTime CreateDate { get; set; }

        public PolicyVersion Clone() => (PolicyVersion)MemberwiseClone();
    }

    public sealed class ManagedPolicy
    {
        public string Name { get; set; } = "";
        public string Id { get; set; } = "";
        public string Arn { get; set; } = "";
        public string Path { get; set; } = "/";
        public string? Description { get; set; }
        /// <summary>Oldest first.</summary>
        public List<PolicyVersion> Versions { get; set; } = new List<PolicyVersion>();
        /// <summary>Version ids are never reused: v1, v2, … even after deletions.</summary>
        public int LastVersionNumber { get; set; }
        public List<IamTag> Tags { get; set; } = new List<IamTag>();
        public DateTime CreateDate { get; set; }
        public DateTime UpdateDate { get; set; }
        /// <summary>Filled in when the store hands out a copy.</summary>
        public int AttachmentCount { get; set; }

        public PolicyVersion DefaultVersion => Versions.First(v => v.IsDefaultVersion);

        public ManagedPolicy Clone()
        {
            var copy = (ManagedPolicy)MemberwiseClone();
            copy.Versions = Versions.Select(v => v.Clone()).ToList();
            copy.Tags = Tags.ToList();
            return copy;
        }
    }

    public sealed class Role
    {
        public string Name { get; set; } = "";
        public string Id { get; set; } = "";
        public string Arn { get; set; } = "";
        public string Path { get; set; } = "/";
        /// <summary>Decoded trust policy, as sent.</summary>
        public string TrustPolicy { get; set; } = "";
        public string? Description { get; set; }
        public int MaxSessionDuration { get; set; } = 3600;
        public List<IamTag> Tags { get; set; } = new List<IamTag>();
        public List<string> AttachedPolicyArns { get; set; } = new List<string>();
        public SortedDictionary<string, string> InlinePolicies { get; set; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
        public DateTime CreateDate { get; set; }
        /// <summary>When the trust policy was last set (CreateRole, UpdateAssumeRolePolicy): what an outside service waits on to assume it.</summary>
        public DateTime TrustChanged { get; set; }

        public Role Clone()
        {
            var copy = (Role)MemberwiseClone();
            copy.Tags = Tags.ToList();
            copy.AttachedPolicyArns = AttachedPolicyArns.ToList();
            copy.InlinePolicies = new SortedDictionary<string, string>(InlinePolicies, StringComparer.Ordinal);
            return copy;
        }
    }

    public sealed class IamUser
    {
        public string Name { get; set; } = "";
        public string Id { get; set; } = "";
        public string Arn { get; set; } = "";
        public string Path { get; set; } = "/";
        public List<string> AttachedPolicyArns { get; set; } = new List<string>();
        public SortedDictionary<string, string> InlinePolicies { get; set; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
        public DateTime CreateDate { get; set; }
    }

    /// <summary>One AWS account's IAM: names are unique case-insensitively, as in IAM.</summary>
    internal sealed class AccountIam
    {
        public AccountIam(string id) { Id = id; }
        public string Id { get; }
        /// <summary>Keyed by URL without https://.</summary>
        public Dictionary<string, OidcProvider> Providers { get; } = new Dictionary<string, OidcProvider>(StringComparer.Ordinal);
        public Dictionary<string, ManagedPolicy> Policies { get; } = new Dictionary<string, ManagedPolicy>(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, Role> Roles { get; } = new Dictionary<string, Role>(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, IamUser> Users { get; } = new Dictionary<string, IamUser>(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, InstanceProfile> InstanceProfiles { get; } = new Dictionary<string, InstanceProfile>(StringComparer.OrdinalIgnoreCase);
    }
}
