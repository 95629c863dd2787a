using System;
using System.Collections.Generic;
using System.Linq;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding
{
    /// <summary>One account that failed in a many-account run, and why.</summary>
    public sealed class AccountFailure
    {
        public AccountFailure(string accountId, string? accountName, string errorId, string reason)
        {
            AccountId = accountId; AccountName = accountName; ErrorId = errorId; Reason = reason;
        }
        public string AccountId { get; }
        public string? AccountName { get; }
        /// <summary>The stable error id, as in the error record written for the account.</summary>
        public string ErrorId { get; }
        public string Reason { get; }
        public override string ToString() => AccountId + ": " + Reason;
    }

    /// <summary>An account a many-account run left out before any work, and why: its state in AWS Organizations (SUSPENDED, …), -ExcludeAccountId or -Shard.</summary>
    public sealed class AccountLeftOut
    {
        public AccountLeftOut(string accountId, string reason, bool bySlice = false)
        {
            AccountId = accountId; Reason = reason; BySlice = bySlice;
        }
        public string AccountId { get; }
        /// <summary>The account's state in AWS Organizations (e.g. SUSPENDED), or the parameter that left it out.</summary>
        public string Reason { get; }
        /// <summary>It only fell in another -Shard slice: another job of the matrix takes it.</summary>
        internal bool BySlice { get; }
        public override string ToString() => AccountId + " (" + Reason + "): left out";
    }

    /// <summary>
    /// The last object of a many-account Invoke-, Test- or Remove-V1AwsOnboarding: how many accounts succeeded
    /// (Changed — for Test: found drifted — plus Unchanged), how many failed and why, and how long it took.
    /// </summary>
    public sealed class ManyAccountsSummary
    {
        public ManyAccountsSummary(string activity, IReadOnlyList<AccountResult> results, Func<Exception, string> errorIdOf, TimeSpan elapsed)
        {
            Activity = activity;
            Total = results.Count;
            Changed = results.Count(r => r.Status == AccountRunStatus.Changed);
            Unchanged = results.Count(r => r.Status == AccountRunStatus.Unchanged);
            Failures = results.Where(r => r.Status == AccountRunStatus.Failed)
                .OrderBy(r => r.Account.AccountId, StringComparer.Ordinal)
                .Select(r => new AccountFailure(r.Account.AccountId, r.Account.Name, r.Error == null ? "" : errorIdOf(r.Error), r.Error?.Message ?? "failed"))
                .ToList();
            Elapsed = elapsed;
        }

        /// <summary>Onboarding, Checking or Removing.</summary>
        public string Activity { get; }
        public int Total { get; }
        /// <summary>Accounts finished without failing.</summary>
        public int Succeeded => Changed + Unchanged;
        /// <summary>Accounts that were changed (Test: that are not compliant; -WhatIf: that would be changed).</summary>
        public int Changed { get; }
        /// <summary>Accounts that already matched: nothing was (or would be) changed.</summary>
        public int Unchanged { get; }
        public int Failed => Failures.Count;
        public IReadOnlyList<AccountFailure> Failures { get; }
        public TimeSpan Elapsed { get; }
        /// <summary>Accounts the Organization lists in a state other than ACTIVE, left out of the run (each also named by a warning).</summary>
        public int LeftOut => LeftOutAccounts.Count;
        public IReadOnlyList<AccountLeftOut> LeftOutAccounts { get; internal set; } = Array.Empty<AccountLeftOut>();
        /// <summary>How many calls were answered "slow down" (AWS throttling, Vision One 429) and waited out.</summary>
        public int ThrottledCalls { get; internal set; }
    }
}
