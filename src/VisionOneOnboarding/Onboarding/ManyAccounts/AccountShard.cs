using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// -Shard i/n: slice i of n of the account list, chosen by a hash of the account id — not by position — so the
    /// same account lands in the same slice on every run and machine however the list is ordered or grows, and
    /// slices 1/n … n/n together take every account exactly once.
    /// </summary>
    public sealed class AccountShard
    {
        private static readonly Regex Pattern = new Regex(@"^\s*(\d{1,4})\s*/\s*(\d{1,4})\s*$", RegexOptions.CultureInvariant);

        private AccountShard(int index, int count) { Index = index; Count = count; }

        /// <summary>1-based.</summary>
        public int Index { get; }
        public int Count { get; }

        /// <exception cref="VisionOneException">VisionOne.InvalidShard: not "i/n" with 1 ≤ i ≤ n ≤ 1000.</exception>
        public static AccountShard Parse(string text)
        {
            var match = Pattern.Match(text ?? "");
            int index = 0, count = 0;
            if (match.Success)
            {
                index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                count = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            }
            if (!match.Success || count < 1 || count > 1000 || index < 1 || index > count)
            {
                throw new VisionOneException(ErrorCatalogue.InvalidShard,
                    "-Shard '" + text + "' is not a slice such as 1/3: give i/n with 1 <= i <= n <= 1000, and run one job per slice 1/n … n/n.", text);
            }
            return new AccountShard(index, count);
        }

        /// <summary>The slice an account id falls in (1-based): the first 8 bytes of its SHA-256, modulo n.</summary>
        public static int SliceOf(string accountId, int count)
        {
            using (var sha = SHA256.Create())
            {
                var hash = sha.ComputeHash(Encoding.ASCII.GetBytes(accountId));
                ulong value = 0;
                for (int i = 0; i < 8; i++) value = (value << 8) | hash[i];
                return (int)(value % (ulong)count) + 1;
            }
        }

        public bool Contains(string accountId) => SliceOf(accountId, Count) == Index;

        public override string ToString() => Index.ToString(CultureInfo.InvariantCulture) + "/" + Count.ToString(CultureInfo.InvariantCulture);
    }
}
