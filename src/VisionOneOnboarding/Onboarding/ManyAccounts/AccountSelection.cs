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
    /// <summary>Builds the account list of a many-account run: given or from the Organization, then excluded and sliced.</summary>
    public static class AccountSelection
    {
        private static readonly Regex ParentIdPattern = new Regex("^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$", RegexOptions.CultureInvariant);

        /// <summary>The ACTIVE accounts of the caller's Organization; with <paramref name="organizationalUnitId"/>, those of that OU and every OU below it.</summary>
        public static async Task<IReadOnlyList<AccountTarget>> FromOrganizationAsync(IOrganizationsClient organizations, string? organizationalUnitId,
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
            var inactive = accounts.Where(a => !a.IsActive).ToList();
            foreach (var account in inactive) log.Verbose("Account " + account.Id + " (" + account.Name + ") is " + account.Status + " in the Organization: left out.");
            var active = accounts.Where(a => a.IsActive).Select(a => new AccountTarget(a.Id, a.Name, a.Email)).ToList();
            log.Verbose("The Organization" + (organizationalUnitId == null ? "" : "'s " + organizationalUnitId + " and the OUs below it") +
                " holds " + active.Count + " ACTIVE account(s)" + (inactive.Count == 0 ? "." : " and " + inactive.Count + " other(s)."));
            return active;
        }

        /// <summary>
        /// Accounts given by id alone get their name and e-mail from the Organization, when <paramref name="names"/>
        /// needs them and the caller may list it; otherwise {AccountName} stands for the id.
        /// </summary>
        public static async Task<IReadOnlyList<AccountTarget>> WithOrganizationDetailsAsync(IReadOnlyList<AccountTarget> accounts, CloudAccountNameFormat names,
            Func<IOrganizationsClient> organizations, ILogSink log, CancellationToken ct)
        {
            if (!names.NeedsOrganizationDetails || accounts.All(a => a.Name != null)) return accounts;
            try
            {
                var listed = (await organizations().ListAccountsAsync(ct).ConfigureAwait(false))
                    .ToDictionary(a => a.Id, a => new AccountTarget(a.Id, a.Name, a.Email), StringComparer.Ordinal);
                return accounts.Select(a => listed.TryGetValue(a.AccountId, out var known) ? a.FilledFrom(known) : a).ToList();
            }
            catch (AwsServiceException ex)
            {
                log.Verbose("The account names could not be read from AWS Organizations (" + ex.ErrorCode + "): accounts without a Name are named by their id.");
                return accounts;
            }
        }

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
