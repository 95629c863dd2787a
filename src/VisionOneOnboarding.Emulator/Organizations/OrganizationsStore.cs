// The AWS Organizations face of the emulator: one organization, its OUs (nested) and member accounts.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using VisionOneOnboarding.Emulator.Aws;
using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Emulator.Organizations
{
    /// <summary>An account of the organization as Organizations lists it.</summary>
    public sealed class OrganizationMember
    {
        public string Id { get; set; } = "";
        public string Arn { get; set; } = "";
        public string Name { get; set; } = "";
        public string Email { get; set; } = "";
        /// <summary>
        /// The account's State: PENDING_ACTIVATION, ACTIVE, SUSPENDED, PENDING_CLOSURE or CLOSED (the emulator makes
        /// ACTIVE and SUSPENDED). Organizations answers it as <c>State</c> since it retired <c>Status</c> on 2026-09-09.
        /// </summary>
        public string State { get; set; } = "ACTIVE";
        /// <summary>CREATED (it has OrganizationAccountAccessRole) or INVITED (it has not, unless someone made it).</summary>
        public string JoinedMethod { get; set; } = "CREATED";
        public DateTime JoinedTimestamp { get; set; }
        /// <summary>The root or OU the account sits directly under.</summary>
        public string ParentId { get; set; } = "";
    }

    public sealed class OrganizationUnit
    {
        public string Id { get; set; } = "";
        public string Arn { get; set; } = "";
        public string Name { get; set; } = "";
        public string ParentId { get; set; } = "";
        /// <summary>Names from the root down, joined by '/': how the control endpoint names it.</summary>
        public string Path { get; set; } = "";
    }

    /// <summary>What the control endpoint asks for: OUs by path ("Prod", "Prod/Payments"), accounts spread over them.</summary>
    public sealed class OrganizationSeed
    {
        /// <summary>Default: the seeded account 123456789012.</summary>
        public string? ManagementAccountId { get; set; }
        /// <summary>OU paths; a parent is created before its children. None: every account sits under the root.</summary>
        public string[]? OrganizationalUnits { get; set; }
        /// <summary>ACTIVE member accounts (besides the management account), dealt round-robin over the OUs.</summary>
        public int Accounts { get; set; }
        /// <summary>SUSPENDED member accounts, after the active ones.</summary>
        public int SuspendedAccounts { get; set; }
        /// <summary>Members that joined by invitation, so have no OrganizationAccountAccessRole (the first N active ones).</summary>
        public int InvitedAccounts { get; set; }
        /// <summary>The first member's id; the others count up from it. Default 200000000001.</summary>
        public string? FirstAccountId { get; set; }
        /// <summary>
        /// Answer as endpoints did before Organizations retired <c>Status</c> (2026-09-09): each account carries
        /// <c>Status</c> and no <c>State</c>. Off by default: today's answers carry <c>State</c> only.
        /// </summary>
        public bool LegacyStatusOnly { get; set; }
    }

    /// <summary>
    /// One organization (or none), behind one lock; callers get copies. Member accounts are created in the IAM store
    /// with OrganizationAccountAccessRole trusting the management account, as Organizations does for accounts it
    /// creates, so STS AssumeRole into them is checked against a real role with real trust.
    /// </summary>
    public sealed class OrganizationsStore
    {
        public const int MaxAccounts = 5000;
        public const string DefaultFirstAccountId = "200000000001";
        private const string LowerAlphanumerics = "abcdefghijklmnopqrstuvwxyz0123456789";

        private readonly object _gate = new object();
        private readonly IamStore _iam;
        private string? _id;
        private string _rootId = "";
        private string _managementAccountId = "";
        private readonly List<OrganizationUnit> _units = new List<OrganizationUnit>();
        private readonly List<OrganizationMember> _accounts = new List<OrganizationMember>();
        private bool _legacyStatusOnly;

        public OrganizationsStore(IamStore iam) { _iam = iam; }

        /// <summary>Whether accounts are answered with the retired <c>Status</c> instead of <c>State</c> (<see cref="OrganizationSeed.LegacyStatusOnly"/>).</summary>
        public bool LegacyStatusOnly
        {
            get { lock (_gate) return _legacyStatusOnly; }
        }

        public void Reset()
        {
            lock (_gate)
            {
                _id = null;
                _rootId = "";
                _managementAccountId = "";
                _units.Clear();
                _accounts.Clear();
                _legacyStatusOnly = false;
            }
        }

        /// <summary>Replaces any organization with a new one as <paramref name="seed"/> describes.</summary>
        /// <exception cref="ArgumentException">The seed is not one the emulator can build.</exception>
        public OrganizationSnapshot Create(OrganizationSeed seed)
        {
            var management = seed.ManagementAccountId ?? IamStore.SeedAccountId;
            if (!IamStore.IsAccountId(management)) throw new ArgumentException("managementAccountId must be 12 digits.");
            var first = seed.FirstAccountId ?? DefaultFirstAccountId;
            if (!IamStore.IsAccountId(first)) throw new ArgumentException("firstAccountId must be 12 digits.");
            if (seed.Accounts < 0 || seed.SuspendedAccounts < 0 || seed.InvitedAccounts < 0 || seed.InvitedAccounts > seed.Accounts)
                throw new ArgumentException("accounts, suspendedAccounts and invitedAccounts must be 0 or more, and invitedAccounts at most accounts.");
            var total = seed.Accounts + seed.SuspendedAccounts;
            if (total > MaxAccounts) throw new ArgumentException("At most " + MaxAccounts + " member accounts.");
            var firstNumber = long.Parse(first, CultureInfo.InvariantCulture);
            if (firstNumber + total > 999999999999L) throw new ArgumentException("firstAccountId leaves no room for that many accounts.");
            var memberIds = Enumerable.Range(0, total).Select(i => (firstNumber + i).ToString("D12", CultureInfo.InvariantCulture)).ToList();
            if (memberIds.Contains(management)) throw new ArgumentException("The member account ids would include the management account.");
            var paths = (seed.OrganizationalUnits ?? Array.Empty<string>()).Select(p => p.Trim('/')).ToList();
            if (paths.Any(p => p.Length == 0 || p.Split('/').Any(n => n.Length == 0 || n.Length > 128)))
                throw new ArgumentException("organizationalUnits are paths of names of 1 to 128 characters, such as 'Prod' or 'Prod/Payments'.");
            if (paths.Distinct(StringComparer.Ordinal).Count() != paths.Count) throw new ArgumentException("organizationalUnits must not repeat.");

            // Everything that can be refused is built before the old organization is replaced.
            var organizationId = "o-" + Random(10);
            var rootId = "r-" + Random(4);
            var units = new List<OrganizationUnit>();
            foreach (var path in paths.OrderBy(p => p.Count(c => c == '/')))
            {
                var slash = path.LastIndexOf('/');
                var parentPath = slash < 0 ? null : path.Substring(0, slash);
                var parentId = parentPath == null ? rootId : (units.FirstOrDefault(u => u.Path == parentPath)
                    ?? throw new ArgumentException("The OU '" + path + "' needs its parent '" + parentPath + "' in the list too.")).Id;
                var id = "ou-" + rootId.Substring(2) + "-" + Random(8);
                units.Add(new OrganizationUnit
                {
                    Id = id,
                    Arn = "arn:aws:organizations::" + management + ":ou/" + organizationId + "/" + id,
                    Name = slash < 0 ? path : path.Substring(slash + 1),
                    ParentId = parentId,
                    Path = path,
                });
            }

            var now = _iam.Now;
            lock (_gate)
            {
                Reset();
                _id = organizationId;
                _rootId = rootId;
                _managementAccountId = management;
                _legacyStatusOnly = seed.LegacyStatusOnly;
                _units.AddRange(units);
                _accounts.Add(Member(management, "Management", "management@example.com", "ACTIVE", "CREATED", _rootId, now));
                var parents = _units.Count == 0 ? new List<string> { _rootId } : paths.Select(p => _units.First(u => u.Path == p).Id).ToList();
                for (int i = 0; i < total; i++)
                {
                    var number = (i + 1).ToString("D3", CultureInfo.InvariantCulture);
                    var active = i < seed.Accounts;
                    var invited = i < seed.InvitedAccounts;
                    _accounts.Add(Member(memberIds[i], (active ? "Member " : "Suspended ") + number, "member-" + number + "@example.com",
                        active ? "ACTIVE" : "SUSPENDED", invited ? "INVITED" : "CREATED", parents[i % parents.Count], now));
                }
            }
            for (int i = seed.InvitedAccounts; i < total; i++) CreateAccessRole(memberIds[i], management);
            return Snapshot()!;
        }

        /// <summary>The whole organization, for the control endpoint; null when there is none.</summary>
        public OrganizationSnapshot? Snapshot()
        {
            lock (_gate)
            {
                if (_id == null) return null;
                return new OrganizationSnapshot(_id, Arn(), _rootId, _managementAccountId,
                    _units.Select(Copy).ToList(), _accounts.Select(Copy).ToList());
            }
        }

        public OrganizationSnapshot Describe(CallerPrincipal caller)
        {
            lock (_gate)
            {
                RequireMember(caller);
                return Snapshot()!;
            }
        }

        public IReadOnlyList<OrganizationMember> ListAccounts(CallerPrincipal caller)
        {
            lock (_gate)
            {
                RequireManagement(caller);
                return _accounts.Select(Copy).ToList();
            }
        }

        /// <summary>DescribeAccount: for the management account, any account of the organization.</summary>
        public OrganizationMember DescribeAccount(CallerPrincipal caller, string accountId)
        {
            lock (_gate)
            {
                RequireManagement(caller);
                return Copy(Find(accountId));
            }
        }

        /// <summary>
        /// CloseAccount, as far as the module can see it: the account leaves ACTIVE at once. (Organizations first shows
        /// PENDING_CLOSURE, then SUSPENDED for 90 days before CLOSED; the emulator goes straight to SUSPENDED.) The
        /// management account cannot be closed this way, and a closed account cannot be closed again.
        /// </summary>
        public void CloseAccount(CallerPrincipal caller, string accountId)
        {
            lock (_gate)
            {
                RequireManagement(caller);
                var account = Find(accountId);
                if (account.Id == _managementAccountId)
                    throw new AwsQueryException(400, "ConstraintViolationException",
                        "You can't close the management account with CloseAccount. (CANNOT_CLOSE_MANAGEMENT_ACCOUNT)");
                if (account.State != "ACTIVE")
                    throw new AwsQueryException(400, "AccountAlreadyClosedException", "You attempted to close an account that is already closed.");
                account.State = "SUSPENDED";
            }
        }

        public IReadOnlyList<OrganizationMember> ListAccountsForParent(CallerPrincipal caller, string parentId)
        {
            lock (_gate)
            {
                RequireManagement(caller);
                RequireParent(parentId);
                return _accounts.Where(a => a.ParentId == parentId).Select(Copy).ToList();
            }
        }

        public IReadOnlyList<OrganizationUnit> ListOrganizationalUnitsForParent(CallerPrincipal caller, string parentId)
        {
            lock (_gate)
            {
                RequireManagement(caller);
                RequireParent(parentId);
                return _units.Where(u => u.ParentId == parentId).Select(Copy).ToList();
            }
        }

        /// <summary>Any account of the organization may describe it (real Organizations allows members that).</summary>
        private void RequireMember(CallerPrincipal caller)
        {
            if (_id == null || _accounts.All(a => a.Id != caller.AccountId))
                throw new AwsQueryException(400, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
        }

        /// <summary>Listing is for the management account (or a delegated administrator, which the emulator does not model).</summary>
        private void RequireManagement(CallerPrincipal caller)
        {
            RequireMember(caller);
            if (caller.AccountId != _managementAccountId)
                throw new AwsQueryException(400, "AccessDeniedException", "You don't have permissions to access this resource.");
        }

        private OrganizationMember Find(string accountId)
        {
            if (!IamStore.IsAccountId(accountId ?? ""))
                throw OrganizationsValidation.InvalidInput("INVALID_PATTERN", "You specified an invalid value for accountId.");
            return _accounts.FirstOrDefault(a => a.Id == accountId)
                ?? throw new AwsQueryException(400, "AccountNotFoundException", "You specified an account that doesn't exist.");
        }

        private void RequireParent(string parentId)
        {
            if (!OrganizationsValidation.IsParentId(parentId))
                throw OrganizationsValidation.InvalidInput("INVALID_PATTERN", "You specified an invalid value for parentId.");
            if (parentId != _rootId && _units.All(u => u.Id != parentId))
                throw new AwsQueryException(400, "ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");
        }

        private OrganizationMember Member(string id, string name, string email, string state, string joined, string parentId, DateTime now) => new OrganizationMember
        {
            Id = id,
            Arn = "arn:aws:organizations::" + _managementAccountId + ":account/" + _id + "/" + id,
            Name = name,
            Email = email,
            State = state,
            JoinedMethod = joined,
            JoinedTimestamp = now,
            ParentId = parentId,
        };

        /// <summary>OrganizationAccountAccessRole, as Organizations creates it in accounts it creates: trusting the management account.</summary>
        private void CreateAccessRole(string memberAccountId, string managementAccountId)
        {
            var trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" +
                managementAccountId + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
            try
            {
                _iam.CreateRole(memberAccountId, IamStore.OrganizationRoleName, null, trust, null, null, Array.Empty<IamTag>());
                _iam.GrantAdministratorAccess(memberAccountId, IamStore.OrganizationRoleName);
            }
            catch (AwsQueryException exists) when (exists.Code == "EntityAlreadyExists")
            {
                // An organization created again over the same accounts keeps the role it made before.
            }
        }

        private string Arn() => "arn:aws:organizations::" + _managementAccountId + ":organization/" + _id;

        private static OrganizationMember Copy(OrganizationMember a) => new OrganizationMember
        {
            Id = a.Id, Arn = a.Arn, Name = a.Name, Email = a.Email, State = a.State, JoinedMethod = a.JoinedMethod,
            JoinedTimestamp = a.JoinedTimestamp, ParentId = a.ParentId,
        };

        private static OrganizationUnit Copy(OrganizationUnit u) => new OrganizationUnit { Id = u.Id, Arn = u.Arn, Name = u.Name, ParentId = u.ParentId, Path = u.Path };

        private static string Random(int length) => RandomNumberGenerator.GetString(LowerAlphanumerics, length);
    }

    public sealed class OrganizationSnapshot
    {
        public OrganizationSnapshot(string id, string arn, string rootId, string managementAccountId,
            IReadOnlyList<OrganizationUnit> organizationalUnits, IReadOnlyList<OrganizationMember> accounts)
        {
            Id = id; Arn = arn; RootId = rootId; ManagementAccountId = managementAccountId;
            OrganizationalUnits = organizationalUnits; Accounts = accounts;
        }
        public string Id { get; }
        public string Arn { get; }
        public string RootId { get; }
        public string ManagementAccountId { get; }
        public IReadOnlyList<OrganizationUnit> OrganizationalUnits { get; }
        public IReadOnlyList<OrganizationMember> Accounts { get; }
    }
}
