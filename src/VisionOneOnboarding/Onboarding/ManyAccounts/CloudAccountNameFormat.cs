using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// -NameFormat: the Cloud Accounts name of each account, from the placeholders {AccountId}, {AccountName} and
    /// {Email}. An account whose name is not known (given only by id, outside an Organization listing) gets its id
    /// for {AccountName} and an empty {Email}.
    /// </summary>
    public sealed class CloudAccountNameFormat
    {
        public const string Default = "{AccountName} ({AccountId})";
        private static readonly string[] Placeholders = { "AccountId", "AccountName", "Email" };
        private static readonly Regex PlaceholderPattern = new Regex(@"\{([^{}]*)\}", RegexOptions.CultureInvariant);

        private readonly string _format;

        /// <exception cref="VisionOneException">VisionOne.InvalidNameFormat: an unknown placeholder, or none that tells accounts apart.</exception>
        public CloudAccountNameFormat(string format)
        {
            _format = format ?? "";
            var used = PlaceholderPattern.Matches(_format).Cast<Match>().Select(m => m.Groups[1].Value).ToList();
            var unknown = used.Where(u => !Placeholders.Contains(u, StringComparer.Ordinal)).ToList();
            if (unknown.Count > 0 || (!used.Contains("AccountId") && !used.Contains("AccountName") && !used.Contains("Email")))
            {
                throw new VisionOneException(ErrorCatalogue.InvalidNameFormat,
                    "-NameFormat '" + _format + "' " + (unknown.Count > 0 ? "has an unknown placeholder {" + unknown[0] + "}" : "names every account alike") +
                    ". Use {AccountId}, {AccountName} and {Email}, e.g. '" + Default + "'.", _format);
            }
        }

        /// <summary>The format names accounts by what only the Organization knows of them: their name or e-mail.</summary>
        public bool NeedsOrganizationDetails => _format.Contains("{AccountName}") || _format.Contains("{Email}");

        public string NameOf(AccountTarget account) => PlaceholderPattern.Replace(_format, m =>
        {
            switch (m.Groups[1].Value)
            {
                case "AccountId": return account.AccountId;
                case "AccountName": return account.Name ?? account.AccountId;
                default: return account.Email ?? "";
            }
        }).Trim();

        /// <summary>
        /// The accounts whose name cannot be used, each with its error: two accounts of the run would share it, or Vision
        /// One already has an entry of that name for another AWS account. Names are compared as Vision One does, ignoring case.
        /// </summary>
        public static IReadOnlyDictionary<string, Exception> FindClashes(IReadOnlyList<KeyValuePair<AccountTarget, string>> named,
            IEnumerable<KeyValuePair<string, string>> existingEntries)
        {
            var clashes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var group in named.GroupBy(n => n.Value, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                var ids = group.Select(n => n.Key.AccountId).ToList();
                foreach (var id in ids)
                    clashes[id] = "the Cloud Accounts name '" + group.Key + "' would be given to accounts " + string.Join(", ", ids) + " alike";
            }
            var owners = existingEntries.GroupBy(e => e.Value, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Select(e => e.Key).ToList(), StringComparer.OrdinalIgnoreCase);
            foreach (var entry in named)
            {
                if (clashes.ContainsKey(entry.Key.AccountId)) continue;
                if (owners.TryGetValue(entry.Value, out var ids) && ids.Any(id => id != entry.Key.AccountId))
                    clashes[entry.Key.AccountId] = "Vision One already has a Cloud Accounts entry named '" + entry.Value + "' for account " + ids.First(id => id != entry.Key.AccountId);
            }
            return clashes.ToDictionary(c => c.Key, c => (Exception)new VisionOneException(ErrorCatalogue.CloudAccountNameClash,
                "Account " + c.Key + ": " + c.Value + ". Nothing was changed in it. Choose a -NameFormat that tells the accounts apart, or rename the existing entry.",
                c.Key), StringComparer.Ordinal);
        }
    }
}
