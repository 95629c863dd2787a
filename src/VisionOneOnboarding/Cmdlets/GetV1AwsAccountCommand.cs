using System.Linq;
using System.Management.Automation;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Gets AWS accounts connected to Vision One Cloud Accounts: one by id, or all (following every page), optionally filtered.</para>
    /// <para type="description">The verification step of the procedure. With -AccountId, reads one entry (its state: managed, outdated or failed, and what is missing when it failed). Without, lists the entries, following nextLink to the end; -Filter passes a TMV1-Filter expression (e.g. "state eq 'failed'" or "contains(name,'prod')"); -Top N returns at most N entries (no further page is read once they are in), and -PageSize sets the API's page size.</para>
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

        /// <summary>At most this many entries (as -Top reads in Microsoft.Graph). Default: every entry.</summary>
        [Parameter(ParameterSetName = "List")]
        [ValidateRange(1, int.MaxValue)]
        public int Top { get; set; }

        /// <summary>The API's page size: 25, 50, 100, 500, 1000 or 5000. Default: the smallest that holds -Top, else 25.</summary>
        [Parameter(ParameterSetName = "List")]
        [ValidateSet("25", "50", "100", "500", "1000", "5000")]
        public int PageSize { get; set; }

        protected override void ProcessRecord() => Guard(() =>
        {
            if (ParameterSetName == "One") InputRules.AccountId(AccountId);
            var accounts = RunEngine(async bridge =>
            {
                using var cam = Api.Connect(bridge);
                if (ParameterSetName == "List") return await cam.ListAwsAccountsAsync(Filter, PageSizeFor(), StopToken, Top > 0 ? Top : (int?)null);
                var one = await cam.GetAwsAccountAsync(AccountId, StopToken)
                    ?? throw new VisionOneException(ErrorCatalogue.CloudAccountNotFound,
                        $"AWS account {AccountId} is not connected to Vision One Cloud Accounts. Connect it with Connect-V1AwsAccount or Invoke-V1AwsOnboarding.", AccountId);
                return (System.Collections.Generic.IReadOnlyList<V1AwsAccount>)new[] { one };
            });
            foreach (var a in accounts) WriteObject(a);
        });

        /// <summary>-PageSize as given; else the smallest page that holds -Top (fewest calls); else the API's default.</summary>
        private int PageSizeFor()
        {
            if (PageSize > 0) return PageSize;
            if (Top > 0)
            {
                var fits = CamClient.AllowedTop.FirstOrDefault(size => size >= Top);
                return fits > 0 ? fits : CamClient.AllowedTop.Last();
            }
            return CamClient.DefaultTop;
        }
    }
}
