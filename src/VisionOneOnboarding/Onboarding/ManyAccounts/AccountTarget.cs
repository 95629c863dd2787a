// Many accounts: which accounts (explicit, piped, or the Organization's), how to reach each, and the bounded fan-out.
using System;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>One AWS account a many-account run works on, with what is known of it (from the pipeline or Organizations).</summary>
    public sealed class AccountTarget
    {
        public AccountTarget(string accountId, string? name = null, string? email = null, string? state = null)
        {
            AccountId = InputRules.AccountId(accountId);
            Name = string.IsNullOrWhiteSpace(name) ? null : name!.Trim();
            Email = string.IsNullOrWhiteSpace(email) ? null : email!.Trim();
            State = string.IsNullOrWhiteSpace(state) ? null : state!.Trim();
        }

        public string AccountId { get; }
        /// <summary>The account's name in Organizations (or the input's Name column); null when unknown.</summary>
        public string? Name { get; }
        public string? Email { get; }
        /// <summary>The account's state in Organizations (ACTIVE, SUSPENDED, …); null when the Organization could not be asked.</summary>
        public string? State { get; }

        /// <summary>The same account with the facts of <paramref name="other"/> filling in what this one lacks.</summary>
        public AccountTarget FilledFrom(AccountTarget other) => new AccountTarget(AccountId, Name ?? other.Name, Email ?? other.Email, State ?? other.State);

        public override string ToString() => Name == null ? AccountId : Name + " (" + AccountId + ")";
    }
}
