using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Onboarding.Permissions;

/// <summary>
/// A run over the Organization (-AllOrganizationAccounts, -OrganizationalUnitId) is the management account's (or a
/// delegated administrator's) to make: checked with organizations:DescribeOrganization before any account is reached,
/// as Trend's Terraform provider does for an Organization deployment.
/// </summary>
public static class OrganizationCaller
{
    /// <summary>Throws <see cref="ErrorCatalogue.NotOrganizationManagementAccount"/> when the caller may not list the Organization's accounts.</summary>
    public static async Task RequireManagementAsync(IOrganizationsClient organizations, AwsAccountContext caller, ILogSink log, CancellationToken ct)
    {
        OrganizationInfo organization;
        try
        {
            organization = await organizations.DescribeOrganizationAsync(ct).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == "AWSOrganizationsNotInUseException")
        {
            throw new VisionOneException(ErrorCatalogue.NotOrganizationManagementAccount,
                "Account " + caller.AccountId + " is not in an AWS Organization (" + ex.ServiceMessage + "), so it has no Organization accounts to work on. Nothing was changed; no account was reached.", caller.AccountId, ex);
        }
        if (organization.ManagementAccountId == caller.AccountId)
        {
            log.Verbose("Account " + caller.AccountId + " is the management account of Organization " + organization.Id + ".");
            return;
        }
        // Not the management account: a delegated administrator may still list the accounts (and the selection lists them
        // again, which costs a delegated administrator one listing more); any other member is refused by Organizations.
        log.Verbose("Account " + caller.AccountId + " is not the management account (" + organization.ManagementAccountId + ") of Organization " + organization.Id + ": checking that it is a delegated administrator.");
        try
        {
            await organizations.ListAccountsAsync(ct).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == "AccessDeniedException" || ex.ErrorCode == "AccessDenied")
        {
            throw new VisionOneException(ErrorCatalogue.NotOrganizationManagementAccount,
                "Account " + caller.AccountId + " (" + caller.CallerArn + ") is neither the management account of Organization " + organization.Id +
                " (that is account " + organization.ManagementAccountId + ") nor a delegated administrator (Organizations answered " + ex.ErrorCode + ": " + ex.ServiceMessage +
                "). Nothing was changed; no account was reached. Run it with the management account's credentials, or name the accounts with -AccountId.", caller.AccountId, ex);
        }
    }
}
