using System;
using System.Linq;
using System.Management.Automation;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.Onboarding.Permissions;

namespace VisionOneOnboarding.Cmdlets;

/// <summary>
/// <para type="synopsis">Writes the least-privilege IAM policy the identity running this module needs, as JSON text — no AWS credentials needed, no call made.</para>
/// <para type="description">The policy is written from the module's one table of AWS calls (the same table the preflight of Invoke-, Test- and Remove-V1AwsOnboarding asks IAM's policy simulator about): the IAM, STS and Organizations actions the chosen commands call and nothing else, never a wildcard action, each on the resources the procedure touches — the Vision One OIDC provider (oidc-provider/cloudaccounts-*.xdr.trendmicro.com), the three policies (policy/VisionOnePolicyPart*) and the role (role/VisionOneRole) — and "*" only for actions IAM gives no resource type (iam:ListRoles, the Organizations reads). -Scope Account is the identity that onboards its own account; Organization adds what the management account needs for -AllOrganizationAccounts (organizations:DescribeOrganization and the List calls, sts:AssumeRole of -AssumeRoleName in every account) to its own account's statements; Member is the role assumed in each member account, for teams that replace OrganizationAccountAccessRole with a narrow role. Creating the provider, the policies and the role with tags also needs iam:TagOpenIDConnectProvider, iam:TagPolicy and iam:TagRole: IAM checks both. iam:SimulatePrincipalPolicy (on the account's users and roles) lets the preflight check these permissions before the first change; without it the commands warn and go on.</para>
/// </summary>
/// <example>
///   <code>Get-V1AwsOperatorPolicy -AccountId 123456789012 | Set-Content operator-policy.json; aws iam create-policy --policy-name VisionOneOperator --policy-document file://operator-policy.json</code>
///   <para>Writes the policy for onboarding, checking and removing account 123456789012, and creates it as a managed policy.</para>
/// </example>
/// <example>
///   <code>Get-V1AwsOperatorPolicy -Operation Test</code>
///   <para>The read-only policy of a compliance job that only runs Test-V1AwsOnboarding, for any account.</para>
/// </example>
/// <example>
///   <code>Get-V1AwsOperatorPolicy -Scope Organization -AccountId 111111111111 -AssumeRoleName VisionOneOnboardingMember; Get-V1AwsOperatorPolicy -Scope Member</code>
///   <para>The management account's policy for a run over the Organization that assumes VisionOneOnboardingMember in each member account, and the policy that member role needs.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "V1AwsOperatorPolicy", HelpUri = ModuleLinks.ReadmeCmdlets + "get-v1awsoperatorpolicy")]
[OutputType(typeof(string))]
public sealed class GetV1AwsOperatorPolicyCommand : PSCmdlet
{
    /// <summary>Account (default): the identity onboarding its own account. Organization: the management account for -AllOrganizationAccounts or -OrganizationalUnitId. Member: the role assumed in each member account.</summary>
    [Parameter(Position = 0)]
    public OperatorScope Scope { get; set; } = OperatorScope.Account;

    /// <summary>The commands the identity runs: Invoke, Test, Remove (default: all three). Test alone needs only reads.</summary>
    [Parameter]
    [ValidateSet("Invoke", "Test", "Remove")]
    public string[] Operation { get; set; } = { "Invoke", "Test", "Remove" };

    /// <summary>The 12-digit account the resources are in (for Organization: the management account). Default: any account ("*").</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    public string? AccountId { get; set; }

    /// <summary>The role assumed in member accounts (Organization scope). Default: OrganizationAccountAccessRole.</summary>
    [Parameter]
    public string AssumeRoleName { get; set; } = MemberAccountConnector.DefaultRoleName;

    /// <summary>The role the procedure creates (-RoleName of the onboarding commands). Default: VisionOneRole.</summary>
    [Parameter]
    public string RoleName { get; set; } = OnboardingDefaults.RoleName;

    /// <summary>The AWS partition of the ARNs: aws (default), aws-cn or aws-us-gov.</summary>
    [Parameter]
    [ValidateSet("aws", "aws-cn", "aws-us-gov")]
    public string Partition { get; set; } = "aws";

    protected override void ProcessRecord()
    {
        try
        {
            var account = string.IsNullOrEmpty(AccountId) ? null : InputRules.AccountId(AccountId);
            var operations = Operation.Aggregate(OperatorOperation.None, (all, name) => all | (OperatorOperation)Enum.Parse(typeof(OperatorOperation), name, ignoreCase: true));
            WriteObject(OperatorPolicy.Write(Scope, operations, Partition, account, InputRules.RoleName(RoleName), InputRules.RoleName(AssumeRoleName)));
        }
        catch (Exception ex) when (!(ex is PipelineStoppedException))
        {
            WriteError(V1CmdletBase.ToErrorRecord(ex, AccountId));
        }
    }
}
