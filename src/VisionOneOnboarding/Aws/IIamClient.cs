using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Aws
{
    /// <summary>
    /// The IAM operations onboarding, checking and removal need — and nothing more.
    /// Our Query-protocol client implements it today; an AWSSDK.IdentityManagement-backed
    /// implementation can replace it in one file. Policy documents are returned decoded
    /// (IAM URL-encodes them on the wire). Failures throw <see cref="AwsServiceException"/>.
    /// </summary>
    public interface IIamClient
    {
        Task<IReadOnlyList<string>> ListOpenIdConnectProvidersAsync(CancellationToken cancellationToken);
        /// <summary>Null when the provider does not exist.</summary>
        Task<OidcProviderDescription?> GetOpenIdConnectProviderAsync(string arn, CancellationToken cancellationToken);
        /// <summary>Returns the new provider's ARN.</summary>
        Task<string> CreateOpenIdConnectProviderAsync(string url, IReadOnlyList<string> clientIds, IReadOnlyList<string> thumbprints, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken);
        Task AddClientIdToOpenIdConnectProviderAsync(string arn, string clientId, CancellationToken cancellationToken);
        Task RemoveClientIdFromOpenIdConnectProviderAsync(string arn, string clientId, CancellationToken cancellationToken);
        Task UpdateOpenIdConnectProviderThumbprintAsync(string arn, IReadOnlyList<string> thumbprints, CancellationToken cancellationToken);
        Task DeleteOpenIdConnectProviderAsync(string arn, CancellationToken cancellationToken);

        /// <summary>Null when the policy does not exist.</summary>
        Task<ManagedPolicyDescription?> GetPolicyAsync(string arn, CancellationToken cancellationToken);
        Task<ManagedPolicyDescription> CreatePolicyAsync(string name, string document, string? description, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken);
        /// <summary>Returns the decoded document of one version.</summary>
        Task<PolicyVersionDescription> GetPolicyVersionAsync(string arn, string versionId, CancellationToken cancellationToken);
        Task<IReadOnlyList<PolicyVersionDescription>> ListPolicyVersionsAsync(string arn, CancellationToken cancellationToken);
        Task<PolicyVersionDescription> CreatePolicyVersionAsync(string arn, string document, bool setAsDefault, CancellationToken cancellationToken);
        Task DeletePolicyVersionAsync(string arn, string versionId, CancellationToken cancellationToken);
        Task DeletePolicyAsync(string arn, CancellationToken cancellationToken);

        /// <summary>Null when the role does not exist.</summary>
        Task<RoleDescription?> GetRoleAsync(string roleName, CancellationToken cancellationToken);
        /// <summary>Every role of the account, with its decoded trust policy (IAM's ListRoles leaves out tags). Removal reads them to see who else trusts a provider.</summary>
        Task<IReadOnlyList<RoleDescription>> ListRolesAsync(CancellationToken cancellationToken);
        Task<RoleDescription> CreateRoleAsync(string roleName, string assumeRolePolicyDocument, string? description, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken);
        Task UpdateAssumeRolePolicyAsync(string roleName, string assumeRolePolicyDocument, CancellationToken cancellationToken);
        Task TagRoleAsync(string roleName, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken);
        Task UntagRoleAsync(string roleName, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken);
        Task<IReadOnlyList<AttachedPolicyDescription>> ListAttachedRolePoliciesAsync(string roleName, CancellationToken cancellationToken);
        /// <summary>Names of the role's inline policies (removal refuses to delete a role that has any).</summary>
        Task<IReadOnlyList<string>> ListRolePoliciesAsync(string roleName, CancellationToken cancellationToken);
        Task AttachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken);
        Task DetachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken);
        Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken);
        Task DeleteRoleAsync(string roleName, CancellationToken cancellationToken);

        /// <summary>
        /// IAM's policy simulator for a user or role (<paramref name="policySourceArn"/>): each action on each resource
        /// (no resources: "*"), every page read (Marker/IsTruncated).
        /// </summary>
        Task<IReadOnlyList<PolicySimulationResult>> SimulatePrincipalPolicyAsync(string policySourceArn, IReadOnlyList<string> actionNames, IReadOnlyList<string> resourceArns, CancellationToken cancellationToken);
        /// <summary>Names of the instance profiles the role is in: IAM deletes no role that is in one (DeleteConflict).</summary>
        Task<IReadOnlyList<string>> ListInstanceProfilesForRoleAsync(string roleName, CancellationToken cancellationToken);
        Task RemoveRoleFromInstanceProfileAsync(string instanceProfileName, string roleName, CancellationToken cancellationToken);
        /// <summary>
        /// The account's own managed policies at every path (ListPolicies, Scope Local): policy names are unique per
        /// account whatever the path, so this is how a name taken under another path is found.
        /// </summary>
        Task<IReadOnlyList<ManagedPolicyDescription>> ListLocalPoliciesAsync(CancellationToken cancellationToken);
    }

    /// <summary>STS: who am I, and credentials for another account.</summary>
    public interface IStsClient
    {
        Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken);
        Task<AwsCredentialSet> AssumeRoleAsync(string roleArn, string sessionName, int durationSeconds, string? externalId, CancellationToken cancellationToken);
    }
}
