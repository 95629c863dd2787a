using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>What one account's work produced: the objects to write, and whether anything was (or, for Test, would be) changed.</summary>
    public sealed class AccountWorkResult
    {
        public AccountWorkResult(bool changed, IReadOnlyList<object> output) { Changed = changed; Output = output; }
        public bool Changed { get; }
        public IReadOnlyList<object> Output { get; }
    }

    /// <summary>The per-account work of a run (onboard, check, remove); the one place that calls the per-account engine.</summary>
    public interface IAccountOperation
    {
        /// <summary>"Onboarding", "Checking", "Removing": how progress names the work.</summary>
        string Activity { get; }
        Task<AccountWorkResult> RunAsync(AccountScope scope, AccountTarget account, ILogSink log, CancellationToken ct);
    }

    public enum AccountRunStatus
    {
        Changed,
        Unchanged,
        Failed,
    }

    /// <summary>One account finished: streamed to the caller as soon as it is.</summary>
    public sealed class AccountResult
    {
        public AccountResult(AccountTarget account, AccountRunStatus status, IReadOnlyList<object> output, Exception? error, TimeSpan elapsed)
        {
            Account = account; Status = status; Output = output; Error = error; Elapsed = elapsed;
        }
        public AccountTarget Account { get; }
        public AccountRunStatus Status { get; }
        public IReadOnlyList<object> Output { get; }
        public Exception? Error { get; }
        public TimeSpan Elapsed { get; }
    }

    /// <summary>Where a run stands, told after each account.</summary>
    public sealed class ManyAccountsProgress
    {
        public ManyAccountsProgress(string activity, int total, int done, int failed, AccountTarget? last)
        {
            Activity = activity; Total = total; Done = done; Failed = failed; Last = last;
        }
        public string Activity { get; }
        public int Total { get; }
        /// <summary>Finished without failing.</summary>
        public int Done { get; }
        public int Failed { get; }
        public int Remaining => Total - Done - Failed;
        public AccountTarget? Last { get; }
        public int PercentComplete => Total == 0 ? 100 : (Done + Failed) * 100 / Total;
    }

    /// <summary>
    /// Runs one operation over many accounts with at most <c>throttleLimit</c> accounts at once. Each account is
    /// reached through the connector and worked on alone: a failure is that account's result and never stops the
    /// others; accounts refused before any change (a name clash, a suspended account) are reported without being touched. Results are
    /// handed to <c>onResult</c> as each account finishes; the summary comes at the end.
    /// </summary>
    public sealed class ManyAccountsRun
    {
        private readonly IMemberAccountConnector _members;
        private readonly ILogSink _log;
        private readonly int _throttleLimit;

        public ManyAccountsRun(IMemberAccountConnector members, ILogSink log, int throttleLimit)
        {
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit));
            _members = members ?? throw new ArgumentNullException(nameof(members));
            _log = log ?? NullLogSink.Instance;
            _throttleLimit = throttleLimit;
        }

        /// <param name="operation">The per-account work.</param>
        /// <param name="accounts">The accounts, already selected, excluded and sliced.</param>
        /// <param name="refused">Account id → the error that says why it may not be worked on; reported as failed, never touched.</param>
        /// <param name="onResult">Told each account's result as it finishes (from any thread; the caller marshals).</param>
        /// <param name="onProgress">Told where the run stands after each account.</param>
        /// <param name="errorIdOf">The stable error id of a failure, for the summary (the cmdlets map exceptions to ids).</param>
        /// <param name="ct">Stops the accounts not yet started and cancels the calls in flight.</param>
        public async Task<ManyAccountsSummary> RunAsync(IAccountOperation operation, IReadOnlyList<AccountTarget> accounts,
            IReadOnlyDictionary<string, Exception>? refused, Action<AccountResult> onResult, Action<ManyAccountsProgress>? onProgress,
            Func<Exception, string> errorIdOf, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            var results = new List<AccountResult>(accounts.Count);
            var gate = new object();
            int done = 0, failed = 0;

            void Finish(AccountResult result)
            {
                ManyAccountsProgress progress;
                lock (gate)
                {
                    results.Add(result);
                    if (result.Status == AccountRunStatus.Failed) failed++;
                    else done++;
                    progress = new ManyAccountsProgress(operation.Activity, accounts.Count, done, failed, result.Account);
                }
                onResult(result);
                onProgress?.Invoke(progress);
            }

            _log.Verbose(operation.Activity + " " + accounts.Count + " account(s), at most " + _throttleLimit + " at once.");
            onProgress?.Invoke(new ManyAccountsProgress(operation.Activity, accounts.Count, 0, 0, null));
            using (var slots = new SemaphoreSlim(_throttleLimit))
            {
                var work = accounts.Select(async account =>
                {
                    if (refused != null && refused.TryGetValue(account.AccountId, out var why))
                    {
                        Finish(new AccountResult(account, AccountRunStatus.Failed, Array.Empty<object>(), why, TimeSpan.Zero));
                        return;
                    }
                    await slots.WaitAsync(ct).ConfigureAwait(false);
                    try
                    {
                        Finish(await RunOneAsync(operation, account, ct).ConfigureAwait(false));
                    }
                    finally
                    {
                        slots.Release();
                    }
                }).ToList();
                await Task.WhenAll(work).ConfigureAwait(false);
            }
            clock.Stop();
            return new ManyAccountsSummary(operation.Activity, results, errorIdOf, clock.Elapsed);
        }

        private async Task<AccountResult> RunOneAsync(IAccountOperation operation, AccountTarget account, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            var log = new AccountLogSink(_log, account.AccountId);
            try
            {
                var scope = await _members.ScopeForAsync(account.AccountId, ct).ConfigureAwait(false);
                var worked = await operation.RunAsync(scope, account, log, ct).ConfigureAwait(false);
                return new AccountResult(account, worked.Changed ? AccountRunStatus.Changed : AccountRunStatus.Unchanged, worked.Output, null, clock.Elapsed);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && ct.IsCancellationRequested))
            {
                if (ex is AggregateException aggregate && aggregate.InnerExceptions.Count == 1) ex = aggregate.InnerException!;
                log.Verbose("failed: " + ex.Message);
                return new AccountResult(account, AccountRunStatus.Failed, Array.Empty<object>(), ex, clock.Elapsed);
            }
        }

        /// <summary>Narration of many accounts at once, each line saying which account it speaks of.</summary>
        private sealed class AccountLogSink : ILogSink, IWaitProgress
        {
            private readonly ILogSink _inner;
            private readonly string _prefix;
            public AccountLogSink(ILogSink inner, string accountId) { _inner = inner; _prefix = "[" + accountId + "] "; }
            public void Verbose(string message) => _inner.Verbose(_prefix + message);
            public void Debug(string message) => _inner.Debug(_prefix + message);
            public void Warning(string message) => _inner.Warning(_prefix + message);
            public void Waiting(string reason, string status, int percentComplete) => (_inner as IWaitProgress)?.Waiting(_prefix + reason, status, percentComplete);
            public void WaitOver(string reason) => (_inner as IWaitProgress)?.WaitOver(_prefix + reason);
        }
    }
}
