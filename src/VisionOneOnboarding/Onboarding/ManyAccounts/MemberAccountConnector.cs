using System;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Onboarding.Permissions;

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
        private readonly PreflightOptions? _preflight;

        /// <param name="caller">The caller's own account.</param>
        /// <param name="roleName">The role assumed in every other account.</param>
        /// <param name="externalId">The external id its trust asks for, if any.</param>
        /// <param name="preflight">Each account's permissions are checked (after its AssumeRole) with these settings; null: not checked.</param>
        public MemberAccountConnector(AwsAccountContext caller, string roleName, string? externalId, PreflightOptions? preflight = null)
        {
            _preflight = preflight;
            _caller = caller ?? throw new ArgumentNullException(nameof(caller));
            _roleName = InputRules.RoleName(roleName);
            _externalId = string.IsNullOrEmpty(externalId) ? null : externalId;
        }

        public async Task<AccountScope> ScopeForAsync(string accountId, CancellationToken ct)
        {
            if (accountId == _caller.AccountId) return ScopeOf(_caller, _preflight);
            var roleArn = AwsArns.Role(_caller.Partition, accountId, _roleName);
            try
            {
                return ScopeOf(await _caller.AssumeRoleAsync(roleArn, SessionName, _externalId, SessionSeconds, ct).ConfigureAwait(false), _preflight);
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

        /// <summary>An account's scope; with <paramref name="preflight"/>, its permissions are asked of IAM's policy simulator as the context's caller.</summary>
        internal static AccountScope ScopeOf(AwsAccountContext context, PreflightOptions? preflight) =>
            new AccountScope(context.AccountId, context.Partition, context.Iam, context.Region)
            {
                Preflight = preflight == null ? null : new PermissionPreflight(context.Iam, context.CallerArn, preflight),
            };
    }
}
