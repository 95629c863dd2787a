using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.Onboarding.Permissions;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// The many-account parameters of Invoke-, Test- and Remove-V1AwsOnboarding, and the run they share: accounts
    /// from -AccountId (or the pipeline) or the Organization, each reached by AssumeRole, at most -ThrottleLimit at
    /// once, results written as each account finishes, one summary at the end. The work is the engine's
    /// (<see cref="ManyAccountsRun"/>); this class binds, and writes on the pipeline thread.
    /// </summary>
    public abstract class ManyAccountsCmdletBase : AwsAndV1CmdletBase
    {
        internal const string OneAccountSet = "OneAccount";
        internal const string AccountIdSet = "AccountId";
        internal const string OrganizationSet = "Organization";
        private const string AwsApi = "AWS";
        private const string VisionOneApi = "Vision One";

        /// <summary>The AWS accounts to work on (12 digits each). Binds by property name from the pipeline: an AccountId column of Import-Csv, or the Id of AWS.Tools' Get-ORGAccountList output. The caller's own account uses the caller's credentials; every other is reached by assuming -AssumeRoleName in it.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AccountIdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string[]? AccountId { get; set; }

        /// <summary>Work on every ACTIVE account of the caller's AWS Organization (the caller is the management account or a delegated administrator), the caller's own account included.</summary>
        [Parameter(Mandatory = true, ParameterSetName = OrganizationSet)]
        public SwitchParameter AllOrganizationAccounts { get; set; }

        /// <summary>With -AllOrganizationAccounts: only the accounts of this organizational unit (ou-xxxx-xxxxxxxx) and of every OU below it.</summary>
        [Parameter(ParameterSetName = OrganizationSet)]
        public string? OrganizationalUnitId { get; set; }

        /// <summary>Accounts to leave out of -AccountId or -AllOrganizationAccounts.</summary>
        [Parameter(ParameterSetName = AccountIdSet)]
        [Parameter(ParameterSetName = OrganizationSet)]
        public string[]? ExcludeAccountId { get; set; }

        /// <summary>The role assumed in each member account. Default: OrganizationAccountAccessRole, which AWS Organizations creates in the accounts it creates.</summary>
        [Parameter(ParameterSetName = AccountIdSet)]
        [Parameter(ParameterSetName = OrganizationSet)]
        public string AssumeRoleName { get; set; } = MemberAccountConnector.DefaultRoleName;

        /// <summary>The external id the member accounts' role trust asks for, if any, as a string or a SecureString. Never written to any output.</summary>
        [Parameter(ParameterSetName = AccountIdSet)]
        [Parameter(ParameterSetName = OrganizationSet)]
        public SecretParameter? ExternalId { get; set; }

        /// <summary>How many accounts are worked on at once (default 16). Throttling by AWS or Vision One slows the whole run down rather than failing accounts.</summary>
        [Parameter(ParameterSetName = AccountIdSet)]
        [Parameter(ParameterSetName = OrganizationSet)]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 16;

        /// <summary>Work on slice i of n of the accounts (e.g. 2/3): a slice chosen by a hash of each account id, so it is the same on every run and machine, and slices 1/n … n/n together take every account exactly once. For n jobs of a CI matrix or automation engine.</summary>
        [Parameter(ParameterSetName = AccountIdSet)]
        [Parameter(ParameterSetName = OrganizationSet)]
        public string? Shard { get; set; }

        /// <summary>Do not ask IAM's policy simulator, before the first change, whether the caller has every permission the run needs (see Get-V1AwsOperatorPolicy).</summary>
        [Parameter]
        public SwitchParameter SkipPreflight { get; set; }

        private PreflightOptions? _preflight;

        /// <summary>The run's preflight settings, shared by its accounts (the "could not check" warning is given once).</summary>
        internal PreflightOptions Preflight => _preflight ??= new PreflightOptions { Skip = SkipPreflight.IsPresent };

        /// <summary>The account's scope, with the permission preflight of this run.</summary>
        internal AccountScope CheckedScopeOf(AwsAccountContext context) => MemberAccountConnector.ScopeOf(context, Preflight);

        private readonly List<AccountTarget> _accounts = new List<AccountTarget>();

        private bool _stateObjectsPiped;

        /// <summary>
        /// A state object of this module piped in carries an AccountId too, so it binds to the AccountId set; it still
        /// means "this account, with these credentials", as it always did: such input is run alone, not collected.
        /// </summary>
        internal bool IsManyAccounts => ParameterSetName != OneAccountSet && !_stateObjectsPiped;

        /// <summary>True (and remembered) when this input is a piped state object, to be run as one account.</summary>
        internal bool IsPipedState(AwsOnboardingState? input)
        {
            if (input == null) return false;
            _stateObjectsPiped = true;
            return true;
        }

        /// <summary>"Onboarding", "Checking" or "Removing".</summary>
        internal abstract string ManyAccountsActivity { get; }

        /// <summary>-Force: high-impact changes are not confirmed (-WhatIf still holds).</summary>
        internal virtual bool SkipConfirmation => false;

        /// <summary>Checks the cmdlet's own inputs before the first call; throws what the user must fix.</summary>
        internal virtual void ValidateManyAccounts() { }

        /// <summary>
        /// The per-account operation of the run, and the accounts refused before any change (account id → why).
        /// Called once, with the run's clients and its final account list.
        /// </summary>
        internal abstract Task<(IAccountOperation Operation, IReadOnlyDictionary<string, Exception>? Refused)> PrepareAsync(
            CamClient cam, AwsAccountContext caller, IReadOnlyList<AccountTarget> accounts, PipelineBridge bridge);

        /// <summary>The run's one template (it does not depend on the account): a file's text, else fetched from the API once.</summary>
        internal async Task<FetchedTemplate> TemplateForRunAsync(CamClient cam, AwsAccountContext caller, string? templateText, string? templateFile, string? deploymentRegion) =>
            templateText != null
                ? FetchedTemplate.Given(templateText, templateFile)
                : await FetchedTemplate.FetchAsync(cam, InputRules.AwsRegion(deploymentRegion ?? caller.Region), StopToken).ConfigureAwait(false);

        /// <summary>
        /// What every account of the run shares — the region from every source that names one, the template's tenant,
        /// its issuer — is checked once, against the caller's own account, before any account is reached: a
        /// disagreement is one terminating error, not one per account. Narration comes with each account's own run.
        /// </summary>
        internal static void CheckOnceForTheRun(AwsAccountContext caller, ExpectationRequest request, FetchedTemplate template) =>
            OnboardingExpectation.Resolve(caller.AccountId, caller.Partition, caller.Region, request, template, NullLogSink.Instance);

        /// <summary>Writes the run's summary (Test -Quiet writes a boolean instead).</summary>
        internal virtual void WriteSummary(ManyAccountsSummary summary) => WriteObject(summary);

        /// <summary>One pipeline input of the AccountId set: its accounts, with the name and e-mail it carries when it names one account.</summary>
        internal void CollectAccounts(string? accountName = null, string? email = null)
        {
            var ids = AccountId ?? Array.Empty<string>();
            foreach (var id in ids) _accounts.Add(new AccountTarget(id?.Trim() ?? "", ids.Length == 1 ? accountName : null, ids.Length == 1 ? email : null));
        }

        protected override void EndProcessing()
        {
            if (IsManyAccounts) Guard(RunManyAccounts);
            base.EndProcessing();
        }

        private void RunManyAccounts()
        {
            var shard = string.IsNullOrEmpty(Shard) ? null : AccountShard.Parse(Shard!);
            var organizationalUnit = string.IsNullOrEmpty(OrganizationalUnitId) ? null : AccountSelection.RequireParentId(OrganizationalUnitId!);
            foreach (var excluded in ExcludeAccountId ?? Array.Empty<string>()) InputRules.AccountId(excluded);
            InputRules.RoleName(AssumeRoleName);
            ValidateManyAccounts();

            var throttle = new AdaptiveThrottle(Math.Max(4, ThrottleLimit * 4));
            var summary = RunEngine(async bridge =>
            {
                using var cam = Api.Connect(bridge, retry: CamClient.DefaultRetryPolicy().SharedWith(throttle, VisionOneApi));
                var caller = await ConnectAwsAsync(bridge, StopToken, new RetryPolicy().SharedWith(throttle, AwsApi));
                IReadOnlyList<AccountTarget> listed = _accounts;
                IReadOnlyList<AccountLeftOut> notActive = Array.Empty<AccountLeftOut>();
                if (AllOrganizationAccounts)
                {
                    await OrganizationCaller.RequireManagementAsync(caller.CreateOrganizationsClient(), caller, bridge, StopToken);
                    var organization = await AccountSelection.FromOrganizationAsync(caller.CreateOrganizationsClient(), organizationalUnit, bridge, StopToken);
                    listed = organization.Active;
                    notActive = organization.NotActive;
                }
                var accounts = AccountSelection.Select(listed, ExcludeAccountId, shard);
                if (!AllOrganizationAccounts)
                    accounts = await AccountSelection.WithOrganizationDetailsAsync(accounts, caller.AccountId, caller.CreateOrganizationsClient, bridge, StopToken);
                foreach (var left in notActive) bridge.Warning(left.ToString());
                bridge.Verbose(accounts.Count + " account(s) selected" + (shard == null ? "" : " in slice " + shard) + "; the caller is account " + caller.AccountId + ".");
                if (accounts.Count == 0)
                {
                    var leftOut = notActive.Concat(AccountSelection.LeftOutBySelection(listed, accounts, ExcludeAccountId, shard)).ToList();
                    var nothing = AccountSelection.NothingSelected(leftOut);
                    if (nothing != null) throw nothing;
                    bridge.Warning("No account was selected: nothing to do. Check -AccountId, -OrganizationalUnitId, -ExcludeAccountId and -Shard.");
                }

                var (operation, prepared) = await PrepareAsync(cam, caller, accounts, bridge);
                var refused = AccountSelection.NotActive(accounts).Concat(prepared ?? new Dictionary<string, Exception>())
                    .GroupBy(r => r.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
                var run = new ManyAccountsRun(new MemberAccountConnector(caller, AssumeRoleName, SecretParameter.RevealOrNull(ExternalId), Preflight), bridge, ThrottleLimit);
                var activity = operation.Activity + " " + accounts.Count + " AWS account(s) for Vision One";
                var result = await run.RunAsync(operation, accounts, refused,
                    finished => bridge.OnPipelineThread(() => WriteAccountResult(finished)),
                    progress => bridge.Progress(ProgressOf(activity, progress)),
                    error => ToErrorRecord(error, null).FullyQualifiedErrorId,
                    StopToken);
                bridge.Progress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
                result.ThrottledCalls = throttle.ThrottledCount;
                result.LeftOutAccounts = notActive;
                return result;
            }, SkipConfirmation);
            WriteSummary(summary);
        }

        private void WriteAccountResult(AccountResult result)
        {
            foreach (var item in result.Output) WriteObject(item);
            if (result.Error == null) return;
            var record = ToErrorRecord(result.Error, result.Account.AccountId);
            if (result.Error.Message.IndexOf(result.Account.AccountId, StringComparison.Ordinal) < 0)
                record.ErrorDetails = new ErrorDetails("Account " + result.Account + ": " + result.Error.Message);
            WriteError(record);
        }

        private static ProgressRecord ProgressOf(string activity, ManyAccountsProgress progress) =>
            new ProgressRecord(1, activity, string.Format(CultureInfo.InvariantCulture, "{0} done, {1} failed, {2} remaining",
                progress.Done, progress.Failed, progress.Remaining))
            {
                PercentComplete = progress.PercentComplete,
                CurrentOperation = progress.Last == null ? "" : "Finished " + progress.Last,
            };
    }
}
