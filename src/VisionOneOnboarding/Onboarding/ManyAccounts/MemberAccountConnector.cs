using System;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>How a many-account run reaches each account: an <see cref="AccountScope"/> per account id.</summary>
    public interface IMemberAccountConnector
    {
        Task<AccountScope> ScopeForAsync(string accountId, CancellationToken ct);
    }

    /// <summary>
    /// The caller's own account with the caller's credentials; every other account through STS AssumeRole of
    /// <c>arn:&lt;partition&gt;:iam::&lt;account&gt;:role/&lt;role name&gt;</c> (OrganizationAccountAccessRole unless told otherwise).
    /// </summary>
    public sealed class MemberAccountConnector : IMemberAccountConnector
    {
        public const string DefaultRoleName = "OrganizationAccountAccessRole";
        public const string SessionName = "VisionOneOnboarding";
        /// <summary>One hour: the limit for role chaining, and plenty for one account's procedure.</summary>
        private const int SessionSeconds = 3600;

        private readonly AwsAccountContext _caller;
        private readonly string _roleName;
        private readonly string? _externalId;

        public MemberAccountConnector(AwsAccountContext caller, string roleName, string? externalId)
        {
            _caller = caller ?? throw new ArgumentNullException(nameof(caller));
            _roleName = InputRules.RoleName(roleName);
            _externalId = string.IsNullOrEmpty(externalId) ? null : externalId;
        }

        public async Task<AccountScope> ScopeForAsync(string accountId, CancellationToken ct)
        {
            if (accountId == _caller.AccountId) return ScopeOf(_caller);
            var roleArn = AwsArns.Role(_caller.Partition, accountId, _roleName);
            try
            {
                return ScopeOf(await _caller.AssumeRoleAsync(roleArn, SessionName, _externalId, SessionSeconds, ct).ConfigureAwait(false));
            }
            catch (AwsServiceException ex) when (ex.ErrorCode == "AccessDenied")
            {
                throw new VisionOneException(ErrorCatalogue.AssumeRoleDenied,
                    "Account " + accountId + ": STS refused to let " + _caller.CallerArn + " assume " + roleArn + " (" + ex.Message + "). " +
                    "Check that the role exists in that account and trusts account " + _caller.AccountId +
                    " (accounts invited into an Organization have no OrganizationAccountAccessRole until you create it), or pass -AssumeRoleName and -ExternalId.",
                    accountId, ex);
            }
        }

        private static AccountScope ScopeOf(AwsAccountContext context) =>
            new AccountScope(context.AccountId, context.Partition, context.Iam, context.Region);
    }
}
