using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>What the Organization lists: the ACTIVE accounts, which a run selects, and the others, which it leaves out.</summary>
    public sealed class OrganizationListing
    {
        public OrganizationListing(IReadOnlyList<AccountTarget> active, IReadOnlyList<AccountLeftOut> notActive) { Active = active; NotActive = notActive; }
        public IReadOnlyList<AccountTarget> Active { get; }
        public IReadOnlyList<AccountLeftOut> NotActive { get; }
    }

    /// <summary>Builds the account list of a many-account run: given or from the Organization, then excluded and sliced.</summary>
    public static class AccountSelection
    {
        private static readonly Regex ParentIdPattern = new Regex("^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$", RegexOptions.CultureInvariant);

        /// <summary>How many left-out accounts an error names one by one before it counts the rest.</summary>
        private const int NamedInError = 20;

        /// <summary>
        /// The accounts of the caller's Organization; with <paramref name="organizationalUnitId"/>, those of that OU and
        /// every OU below it. Only ACTIVE accounts are selected; the others are returned as left out, with their state.
        /// </summary>
        public static async Task<OrganizationListing> FromOrganizationAsync(IOrganizationsClient organizations, string? organizationalUnitId,
            ILogSink log, CancellationToken ct)
        {
            IReadOnlyList<OrganizationAccount> accounts;
            if (organizationalUnitId == null)
            {
                accounts = await organizations.ListAccountsAsync(ct).ConfigureAwait(false);
            }
            else
            {
                RequireParentId(organizationalUnitId);
                accounts = await ListUnderAsync(organizations, organizationalUnitId, ct).ConfigureAwait(false);
            }
            var active = accounts.Where(a => a.IsActive).Select(TargetOf).ToList();
            var notActive = accounts.Where(a => !a.IsActive).Select(a => new AccountLeftOut(a.Id, StateText(a.State))).ToList();
            log.Verbose("The Organization" + (organizationalUnitId == null ? "" : "'s " + organizationalUnitId + " and the OUs below it") +
                " holds " + active.Count + " ACTIVE account(s)" + (notActive.Count == 0 ? "." : " and " + notActive.Count + " in other states."));
            return new OrganizationListing(active, notActive);
        }

        /// <summary>
        /// Accounts given by id get their name, e-mail and state from the Organization, when the caller may list it (the
        /// management account or a delegated administrator); otherwise they stay as given, {AccountName} stands for the
        /// id, and an account's state shows when it is reached. The caller's own account needs no asking: it is signed in.
        /// </summary>
        public static async Task<IReadOnlyList<AccountTarget>> WithOrganizationDetailsAsync(IReadOnlyList<AccountTarget> accounts, string callerAccountId,
            Func<IOrganizationsClient> organizations, ILogSink log, CancellationToken ct)
        {
            if (accounts.All(a => a.AccountId == callerAccountId)) return accounts;
            try
            {
                var listed = (await organizations().ListAccountsAsync(ct).ConfigureAwait(false)).ToDictionary(a => a.Id, TargetOf, StringComparer.Ordinal);
                return accounts.Select(a => listed.TryGetValue(a.AccountId, out var known) ? a.FilledFrom(known) : a).ToList();
            }
            catch (AwsServiceException ex)
            {
                log.Verbose("The accounts could not be looked up in AWS Organizations (" + ex.ErrorCode + "): accounts without a Name are named by their id, and their state is not checked in advance.");
                return accounts;
            }
        }

        /// <summary>Accounts given by id that Organizations knows in a state other than ACTIVE: each one's error, to report without touching it.</summary>
        public static IReadOnlyDictionary<string, Exception> NotActive(IEnumerable<AccountTarget> accounts) =>
            accounts.Where(a => a.State != null && a.State != OrganizationAccount.Active)
                .ToDictionary(a => a.AccountId, a => (Exception)new VisionOneException(ErrorCatalogue.AwsAccountNotActive,
                    "Account " + a.AccountId + " is " + a.State + " in AWS Organizations: only ACTIVE accounts can be onboarded, checked or removed. Nothing was done in it.",
                    a.AccountId), StringComparer.Ordinal);

        /// <summary>Why each account of <paramref name="listed"/> that <see cref="Select"/> did not keep was left out.</summary>
        public static IReadOnlyList<AccountLeftOut> LeftOutBySelection(IEnumerable<AccountTarget> listed, IReadOnlyList<AccountTarget> selected,
            IEnumerable<string>? exclude, AccountShard? shard)
        {
            var kept = new HashSet<string>(selected.Select(a => a.AccountId), StringComparer.Ordinal);
            var excluded = new HashSet<string>(exclude ?? Enumerable.Empty<string>(), StringComparer.Ordinal);
            return listed.Select(a => a.AccountId).Distinct(StringComparer.Ordinal).Where(id => !kept.Contains(id))
                .Select(id => excluded.Contains(id) ? new AccountLeftOut(id, "excluded by -ExcludeAccountId") : new AccountLeftOut(id, "outside slice " + shard, bySlice: true))
                .ToList();
        }

        /// <summary>
        /// The error for a run that selected no account although accounts were there, naming why each was left out; null
        /// when nothing was there to select, or when every account only fell in other -Shard slices (an empty slice of a
        /// CI matrix is no mistake).
        /// </summary>
        public static VisionOneException? NothingSelected(IReadOnlyList<AccountLeftOut> leftOut)
        {
            if (leftOut.Count == 0 || leftOut.All(a => a.BySlice)) return null;
            var named = string.Join("; ", leftOut.Take(NamedInError));
            var more = leftOut.Count > NamedInError ? "; and " + (leftOut.Count - NamedInError) + " more" : "";
            return new VisionOneException(ErrorCatalogue.NoAccountSelected,
                "No account was selected, so nothing was done: " + named + more + ".", null);
        }

        private static AccountTarget TargetOf(OrganizationAccount a) => new AccountTarget(a.Id, a.Name, a.Email, a.State);

        /// <summary>An answer with neither State nor Status says nothing of the account's state.</summary>
        private static string StateText(string state) => string.IsNullOrEmpty(state) ? "state not given" : state;

        /// <exception cref="VisionOneException">VisionOne.InvalidOrganizationalUnitId.</exception>
        public static string RequireParentId(string id)
        {
            if (id == null || !ParentIdPattern.IsMatch(id))
            {
                throw new VisionOneException(ErrorCatalogue.InvalidOrganizationalUnitId,
                    "'" + id + "' is not an organizational unit id (ou-xxxx-xxxxxxxx) or root id (r-xxxx). List them with 'aws organizations list-organizational-units-for-parent' or Get-ORGOrganizationalUnitList.", id);
            }
            return id;
        }

        /// <summary>
        /// Merges repeated accounts (the facts of later mentions fill the gaps of the first), leaves out the excluded ones,
        /// and keeps the slice of <paramref name="shard"/>. The order of first mention is kept.
        /// </summary>
        public static IReadOnlyList<AccountTarget> Select(IEnumerable<AccountTarget> accounts, IEnumerable<string>? exclude, AccountShard? shard)
        {
            var excluded = new HashSet<string>((exclude ?? Enumerable.Empty<string>()).Select(InputRules.AccountId), StringComparer.Ordinal);
            var merged = new List<AccountTarget>();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var account in accounts)
            {
                if (index.TryGetValue(account.AccountId, out var at)) merged[at] = merged[at].FilledFrom(account);
                else { index[account.AccountId] = merged.Count; merged.Add(account); }
            }
            return merged
                .Where(a => !excluded.Contains(a.AccountId))
                .Where(a => shard == null || shard.Contains(a.AccountId))
                .ToList();
        }

        /// <summary>Breadth first: each level's OUs read side by side.</summary>
        private static async Task<IReadOnlyList<OrganizationAccount>> ListUnderAsync(IOrganizationsClient organizations, string parentId, CancellationToken ct)
        {
            var found = new List<OrganizationAccount>();
            var level = new List<string> { parentId };
            while (level.Count > 0)
            {
                var accounts = level.Select(id => organizations.ListAccountsForParentAsync(id, ct)).ToList();
                var units = level.Select(id => organizations.ListOrganizationalUnitsForParentAsync(id, ct)).ToList();
                await Task.WhenAll(accounts.Cast<Task>().Concat(units)).ConfigureAwait(false);
                found.AddRange(accounts.SelectMany(t => t.Result));
                level = units.SelectMany(t => t.Result).Select(u => u.Id).ToList();
            }
            return found;
        }
    }
}
