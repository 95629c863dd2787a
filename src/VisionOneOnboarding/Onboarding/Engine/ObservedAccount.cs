using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>The parts of an account a plan looks at; the observer reads exactly these.</summary>
    [Flags]
    public enum ObservedParts
    {
        None = 0,
        /// <summary>The OIDC provider (GetOpenIDConnectProvider).</summary>
        Provider = 1,
        /// <summary>Each policy's versions and default document (ListPolicyVersions, then GetPolicyVersion).</summary>
        PolicyDocuments = 2,
        /// <summary>Each policy's versions and attachment count (ListPolicyVersions, GetPolicy): what removal needs.</summary>
        PolicyUsage = 4,
        /// <summary>The role and its attached policies (GetRole, ListAttachedRolePolicies, side by side).</summary>
        Role = 8,
        /// <summary>The role's inline policies (ListRolePolicies).</summary>
        RoleInline = 16,
        /// <summary>Every role of the account, to find who else trusts the provider (ListRoles).</summary>
        TrustingRoles = 32,
        /// <summary>The Cloud Accounts entry (GET awsAccounts/{id}).</summary>
        CloudAccount = 64,
        /// <summary>The instance profiles the role is in (ListInstanceProfilesForRole): IAM deletes no role that is in one.</summary>
        InstanceProfiles = 128,
    }

    /// <summary>What to read: the parts, and which provider, policies and role they are.</summary>
    public sealed class ObservationRequest
    {
        public ObservedParts Parts { get; set; }
        public string? ProviderArn { get; set; }
        public IReadOnlyList<string> PolicyArns { get; set; } = new string[0];
        public string? RoleName { get; set; }
    }

    /// <summary>One managed policy as read: its versions and, when asked, its default document and attachment count.</summary>
    public sealed class ObservedPolicy
    {
        public ObservedPolicy(string arn, IReadOnlyList<PolicyVersionDescription> versions, string? defaultDocument, int? attachmentCount, IReadOnlyList<AwsTag>? tags = null)
        {
            Arn = arn;
            Tags = tags ?? new AwsTag[0];
            Versions = versions.ToArray();
            DefaultVersionId = Versions.FirstOrDefault(v => v.IsDefaultVersion)?.VersionId ?? "";
            DefaultDocument = defaultDocument;
            AttachmentCount = attachmentCount;
        }

        public string Arn { get; }
        public string Name => Arn.Substring(Arn.LastIndexOf('/') + 1);
        public IReadOnlyList<PolicyVersionDescription> Versions { get; }
        public string DefaultVersionId { get; }
        /// <summary>Null when not read (removal does not need it) or when IAM returned none.</summary>
        public string? DefaultDocument { get; }
        /// <summary>Null when not read.</summary>
        public int? AttachmentCount { get; }
        /// <summary>The policy's tags, read with its use (removal: the procedure's tag marks what it created).</summary>
        public IReadOnlyList<AwsTag> Tags { get; }
    }

    /// <summary>
    /// Everything relevant about one account, read once (see <see cref="AccountObserver"/>). Immutable: the planner
    /// compares it with the desired state, and nothing reads the account again to decide.
    /// </summary>
    public sealed class ObservedAccount
    {
        public ObservedAccount(string accountId, string partition, ObservedParts parts, OidcProviderDescription? provider,
            IEnumerable<ObservedPolicy> policies, RoleDescription? role, IEnumerable<string> attached, IEnumerable<string> inline,
            IEnumerable<RoleDescription> roles, V1AwsAccount? cloudAccount, int dependentReads, IEnumerable<string>? instanceProfiles = null)
        {
            AccountId = accountId;
            Partition = partition;
            Parts = parts;
            Provider = provider;
            Policies = policies.ToDictionary(p => p.Arn, StringComparer.Ordinal);
            Role = role;
            Attached = attached.ToArray();
            Inline = inline.ToArray();
            Roles = roles.ToArray();
            CloudAccount = cloudAccount;
            DependentReads = dependentReads;
            InstanceProfiles = instanceProfiles?.ToArray() ?? new string[0];
        }

        public string AccountId { get; }
        public string Partition { get; }
        /// <summary>What was read; a part not read tells nothing.</summary>
        public ObservedParts Parts { get; }
        public OidcProviderDescription? Provider { get; }
        /// <summary>The policies that exist, by ARN.</summary>
        public IReadOnlyDictionary<string, ObservedPolicy> Policies { get; }
        public RoleDescription? Role { get; }
        /// <summary>ARNs of the managed policies attached to the role.</summary>
        public IReadOnlyList<string> Attached { get; }
        /// <summary>Names of the role's inline policies.</summary>
        public IReadOnlyList<string> Inline { get; }
        /// <summary>Every role of the account (only with <see cref="ObservedParts.TrustingRoles"/>).</summary>
        public IReadOnlyList<RoleDescription> Roles { get; }
        public V1AwsAccount? CloudAccount { get; }
        /// <summary>Names of the instance profiles the role is in (only with <see cref="ObservedParts.InstanceProfiles"/>).</summary>
        public IReadOnlyList<string> InstanceProfiles { get; }
        /// <summary>How many reads had to wait for another (1, or 2 when a policy's default document was read after its version list).</summary>
        public int DependentReads { get; }

        public bool Has(ObservedParts part) => (Parts & part) == part;

        /// <summary>Nothing at all: what a plan for a resource that does not exist yet starts from.</summary>
        public static ObservedAccount Empty(string accountId, string partition) =>
            new ObservedAccount(accountId, partition, ObservedParts.None, null, new ObservedPolicy[0], null, new string[0], new string[0], new RoleDescription[0], null, 0);
    }

    /// <summary>
    /// Reads what a plan needs, once, every independent read side by side: the provider, the three policies' version
    /// lists, the role and its attachments (listed without waiting for the role: a missing role lists as nothing) and
    /// the Cloud Accounts entry all go out together; only a policy's default document waits, for its version id.
    /// </summary>
    public sealed class AccountObserver
    {
        private readonly string _accountId;
        private readonly string _partition;
        private readonly IIamClient? _iam;
        private readonly CamClient? _cam;
        private readonly ILogSink _log;

        /// <summary>An <paramref name="iam"/> of null: only the Cloud Accounts entry can be read (Connect-V1AwsAccount); a <paramref name="cam"/> of null: the entry is not read.</summary>
        public AccountObserver(string accountId, string partition, IIamClient? iam, CamClient? cam, ILogSink log)
        {
            _accountId = accountId;
            _partition = partition;
            _iam = iam;
            _cam = cam;
            _log = log;
        }

        private IIamClient Iam => _iam ?? throw new InvalidOperationException("Reading IAM needs an IAM client.");

        public async Task<ObservedAccount> ObserveAsync(ObservationRequest request, CancellationToken ct)
        {
            var parts = request.Parts;
            if (_cam == null) parts &= ~ObservedParts.CloudAccount;
            bool Wants(ObservedParts part) => (parts & part) != 0;

            var provider = Wants(ObservedParts.Provider) && request.ProviderArn != null
                ? Iam.GetOpenIdConnectProviderAsync(request.ProviderArn, ct)
                : Task.FromResult<OidcProviderDescription?>(null);
            bool readPolicies = Wants(ObservedParts.PolicyDocuments) || Wants(ObservedParts.PolicyUsage);
            var policies = readPolicies
                ? request.PolicyArns.Select(arn => ReadPolicyAsync(arn, Wants(ObservedParts.PolicyDocuments), Wants(ObservedParts.PolicyUsage), ct)).ToList()
                : new List<Task<ObservedPolicy?>>();
            bool readRole = Wants(ObservedParts.Role) && request.RoleName != null;
            var role = readRole ? Iam.GetRoleAsync(request.RoleName!, ct) : Task.FromResult<RoleDescription?>(null);
            var attached = readRole ? OrNothing(() => Iam.ListAttachedRolePoliciesAsync(request.RoleName!, ct)) : Task.FromResult<IReadOnlyList<AttachedPolicyDescription>>(new AttachedPolicyDescription[0]);
            var inline = Wants(ObservedParts.RoleInline) && request.RoleName != null
                ? OrNothing(() => Iam.ListRolePoliciesAsync(request.RoleName!, ct))
                : Task.FromResult<IReadOnlyList<string>>(new string[0]);
            var roles = Wants(ObservedParts.TrustingRoles) ? Iam.ListRolesAsync(ct) : Task.FromResult<IReadOnlyList<RoleDescription>>(new RoleDescription[0]);
            var profiles = Wants(ObservedParts.InstanceProfiles) && request.RoleName != null
                ? OrNothing(() => Iam.ListInstanceProfilesForRoleAsync(request.RoleName!, ct))
                : Task.FromResult<IReadOnlyList<string>>(new string[0]);
            var entry = Wants(ObservedParts.CloudAccount) ? _cam!.GetAwsAccountAsync(_accountId, ct) : Task.FromResult<V1AwsAccount?>(null);

            var all = new List<Task> { provider, role, attached, inline, roles, entry, profiles };
            all.AddRange(policies);
            await Task.WhenAll(all).ConfigureAwait(false);

            var found = policies.Select(p => p.Result).Where(p => p != null).Select(p => p!).ToList();
            bool documentsRead = Wants(ObservedParts.PolicyDocuments) && found.Count > 0;
            var observed = new ObservedAccount(_accountId, _partition, parts, provider.Result, found, role.Result,
                role.Result == null ? new string[0] : attached.Result.Select(a => a.PolicyArn),
                role.Result == null ? new string[0] : inline.Result, roles.Result, entry.Result, documentsRead ? 2 : 1,
                role.Result == null ? new string[0] : profiles.Result);
            _log.Verbose("Account " + _accountId + " read: provider " + (observed.Provider != null ? "present" : "absent") +
                ", " + found.Count + " of " + request.PolicyArns.Count + " policies, role " + (observed.Role != null ? "present" : "absent") +
                (Wants(ObservedParts.CloudAccount) ? ", Cloud Accounts entry " + (observed.CloudAccount != null ? "present" : "absent") : "") + ".");
            return observed;
        }

        private async Task<ObservedPolicy?> ReadPolicyAsync(string arn, bool document, bool usage, CancellationToken ct)
        {
            var described = usage ? Iam.GetPolicyAsync(arn, ct) : Task.FromResult<ManagedPolicyDescription?>(null);
            var versions = ListVersionsAsync(arn, ct);
            await Task.WhenAll(described, versions).ConfigureAwait(false);
            if (versions.Result == null || (usage && described.Result == null)) return null;
            string? text = null;
            var defaultVersion = versions.Result.FirstOrDefault(v => v.IsDefaultVersion);
            if (document && defaultVersion != null)
                text = (await Iam.GetPolicyVersionAsync(arn, defaultVersion.VersionId, ct).ConfigureAwait(false)).Document;
            return new ObservedPolicy(arn, versions.Result, text, described.Result?.AttachmentCount, described.Result?.Tags);
        }

        /// <summary>The version list, or null when the policy does not exist (one call tells both).</summary>
        private async Task<IReadOnlyList<PolicyVersionDescription>?> ListVersionsAsync(string arn, CancellationToken ct)
        {
            try
            {
                return await Iam.ListPolicyVersionsAsync(arn, ct).ConfigureAwait(false);
            }
            catch (AwsServiceException ex) when (ex.IsNoSuchEntity)
            {
                return null;
            }
        }

        /// <summary>A list read about a role that may not exist: no role, nothing listed.</summary>
        private static async Task<IReadOnlyList<T>> OrNothing<T>(Func<Task<IReadOnlyList<T>>> list)
        {
            try
            {
                return await list().ConfigureAwait(false);
            }
            catch (AwsServiceException ex) when (ex.IsNoSuchEntity)
            {
                return new T[0];
            }
        }
    }
}
