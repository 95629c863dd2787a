using System.Management.Automation;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Gets AWS accounts connected to Vision One Cloud Accounts: one by id, or all (following every page), optionally filtered.</para>
    /// <para type="description">The verification step of the procedure. With -AccountId, reads one entry (its state: managed, outdated or failed, and what is missing when it failed). Without, lists the entries, following nextLink to the end; -Filter passes a TMV1-Filter expression (e.g. "state eq 'failed'" or "contains(name,'prod')") and -Top the page size.</para>
    /// </summary>
    /// <example>
    ///   <code>Get-V1AwsAccount -AccountId 123456789012</code>
    ///   <para>Shows one connected account and its state.</para>
    /// </example>
    /// <example>
    ///   <code>Get-V1AwsAccount -Filter "state eq 'failed'" | Format-Table Id, Name, State, MissingPieces</code>
    ///   <para>Lists the accounts Vision One cannot manage.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "V1AwsAccount", DefaultParameterSetName = "List", HelpUri = ModuleLinks.ReadmeCmdlets + "get-v1awsaccount")]
    [OutputType(typeof(V1AwsAccount))]
    public sealed class GetV1AwsAccountCommand : V1ApiCmdletBase
    {
        /// <summary>The 12-digit AWS account id of one connected account.</summary>
        [Parameter(ParameterSetName = "One", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        public string AccountId { get; set; } = "";

        /// <summary>A TMV1-Filter expression over name, state, id and featureId (eq, and, or, not, contains, parentheses; at most 254 characters).</summary>
        [Parameter(ParameterSetName = "List")]
        public string? Filter { get; set; }

        /// <summary>The page size: 25, 50, 100, 500, 1000 or 5000. Every page is read either way.</summary>
        [Parameter(ParameterSetName = "List")]
        [ValidateSet("25", "50", "100", "500", "1000", "5000")]
        public int Top { get; set; } = CamClient.DefaultTop;

        protected override void ProcessRecord() => Guard(() =>
        {
            if (ParameterSetName == "One") InputRules.AccountId(AccountId);
            var accounts = RunEngine(async bridge =>
            {
                using var cam = Api.Connect(bridge);
                if (ParameterSetName == "List") return await cam.ListAwsAccountsAsync(Filter, Top, StopToken);
                var one = await cam.GetAwsAccountAsync(AccountId, StopToken)
                    ?? throw new OnboardingException("VisionOne.CloudAccountNotFound", FailureKind.ObjectNotFound,
                        $"AWS account {AccountId} is not connected to Vision One Cloud Accounts. Connect it with Connect-V1AwsAccount or Invoke-V1AwsOnboarding.", AccountId);
                return (System.Collections.Generic.IReadOnlyList<V1AwsAccount>)new[] { one };
            });
            foreach (var a in accounts) WriteObject(a);
        });
    }
}
