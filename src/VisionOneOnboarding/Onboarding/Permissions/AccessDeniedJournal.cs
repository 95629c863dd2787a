using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Onboarding.Permissions;

/// <summary>
/// The IAM client a plan is applied through: it notes every change that succeeded, and turns an AccessDenied into
/// <see cref="ErrorCatalogue.AwsAccessDeniedDuringApply"/> naming the action, the resource, AWS's own message and what
/// this run had already changed — so the admin knows where the account stands and that running again continues.
/// </summary>
internal sealed class AccessDeniedJournal : IIamClient
{
    private readonly IIamClient _inner;
    private readonly string _partition;
    private readonly string _accountId;
    private readonly Func<IReadOnlyList<string>> _changedElsewhere;
    private readonly List<string> _changed = new List<string>();

    /// <param name="inner">The account's IAM client.</param>
    /// <param name="partition">The account's partition.</param>
    /// <param name="accountId">The account.</param>
    /// <param name="changedElsewhere">What the run changed outside IAM before its IAM changes (a Cloud Accounts disconnection).</param>
    public AccessDeniedJournal(IIamClient inner, string partition, string accountId, Func<IReadOnlyList<string>> changedElsewhere)
    {
        _inner = inner; _partition = partition; _accountId = accountId; _changedElsewhere = changedElsewhere;
    }

    /// <summary>The changes made through this client, in the order they finished.</summary>
    public IReadOnlyList<string> Changed
    {
        get { lock (_changed) return _changed.ToList(); }
    }

    private string RoleArn(string roleName) => AwsArns.Role(_partition, _accountId, roleName);

    private async Task<T> Call<T>(string call, string resource, bool mutating, Func<Task<T>> send)
    {
        try
        {
            var result = await send().ConfigureAwait(false);
            if (mutating) lock (_changed) _changed.Add("iam:" + call + " on " + resource);
            return result;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == "AccessDenied" || ex.ErrorCode == "AccessDeniedException")
        {
            var before = _changedElsewhere().Concat(Changed).ToList();
            throw new VisionOneException(ErrorCatalogue.AwsAccessDeniedDuringApply,
                "Account " + _accountId + ": AWS refused iam:" + call + " on " + resource + " (\"" + ex.ServiceMessage + "\"). " +
                (before.Count == 0 ? "This run had changed nothing before it." : "This run had already made " + before.Count + " change(s): " + string.Join("; ", before) + ".") +
                " Grant iam:" + call + " (Get-V1AwsOperatorPolicy writes the whole least-privilege policy) and run the command again: it continues where it stopped.",
                _accountId, ex);
        }
    }

    private Task Call(string call, string resource, Func<Task> send) =>
        Call(call, resource, true, async () => { await send().ConfigureAwait(false); return true; });

    public Task<IReadOnlyList<string>> ListOpenIdConnectProvidersAsync(CancellationToken ct) => Call("ListOpenIDConnectProviders", "*", false, () => _inner.ListOpenIdConnectProvidersAsync(ct));
    public Task<OidcProviderDescription?> GetOpenIdConnectProviderAsync(string arn, CancellationToken ct) => Call("GetOpenIDConnectProvider", arn, false, () => _inner.GetOpenIdConnectProviderAsync(arn, ct));
    public Task<string> CreateOpenIdConnectProviderAsync(string url, IReadOnlyList<string> clientIds, IReadOnlyList<string> thumbprints, IReadOnlyList<AwsTag> tags, CancellationToken ct) =>
        Call("CreateOpenIDConnectProvider", AwsArns.OidcProvider(_partition, _accountId, InputRules.IssuerHost(url)), true, () => _inner.CreateOpenIdConnectProviderAsync(url, clientIds, thumbprints, tags, ct));
    public Task AddClientIdToOpenIdConnectProviderAsync(string arn, string clientId, CancellationToken ct) => Call("AddClientIDToOpenIDConnectProvider", arn, () => _inner.AddClientIdToOpenIdConnectProviderAsync(arn, clientId, ct));
    public Task RemoveClientIdFromOpenIdConnectProviderAsync(string arn, string clientId, CancellationToken ct) => Call("RemoveClientIDFromOpenIDConnectProvider", arn, () => _inner.RemoveClientIdFromOpenIdConnectProviderAsync(arn, clientId, ct));
    public Task UpdateOpenIdConnectProviderThumbprintAsync(string arn, IReadOnlyList<string> thumbprints, CancellationToken ct) => Call("UpdateOpenIDConnectProviderThumbprint", arn, () => _inner.UpdateOpenIdConnectProviderThumbprintAsync(arn, thumbprints, ct));
    public Task DeleteOpenIdConnectProviderAsync(string arn, CancellationToken ct) => Call("DeleteOpenIDConnectProvider", arn, () => _inner.DeleteOpenIdConnectProviderAsync(arn, ct));
    public Task<ManagedPolicyDescription?> GetPolicyAsync(string arn, CancellationToken ct) => Call("GetPolicy", arn, false, () => _inner.GetPolicyAsync(arn, ct));
    public Task<ManagedPolicyDescription> CreatePolicyAsync(string name, string document, string? description, IReadOnlyList<AwsTag> tags, CancellationToken ct) =>
        Call("CreatePolicy", AwsArns.Policy(_partition, _accountId, name), true, () => _inner.CreatePolicyAsync(name, document, description, tags, ct));
    public Task<PolicyVersionDescription> GetPolicyVersionAsync(string arn, string versionId, CancellationToken ct) => Call("GetPolicyVersion", arn, false, () => _inner.GetPolicyVersionAsync(arn, versionId, ct));
    public Task<IReadOnlyList<PolicyVersionDescription>> ListPolicyVersionsAsync(string arn, CancellationToken ct) => Call("ListPolicyVersions", arn, false, () => _inner.ListPolicyVersionsAsync(arn, ct));
    public Task<PolicyVersionDescription> CreatePolicyVersionAsync(string arn, string document, bool setAsDefault, CancellationToken ct) => Call("CreatePolicyVersion", arn, true, () => _inner.CreatePolicyVersionAsync(arn, document, setAsDefault, ct));
    public Task DeletePolicyVersionAsync(string arn, string versionId, CancellationToken ct) => Call("DeletePolicyVersion", arn, () => _inner.DeletePolicyVersionAsync(arn, versionId, ct));
    public Task DeletePolicyAsync(string arn, CancellationToken ct) => Call("DeletePolicy", arn, () => _inner.DeletePolicyAsync(arn, ct));
    public Task<RoleDescription?> GetRoleAsync(string roleName, CancellationToken ct) => Call("GetRole", RoleArn(roleName), false, () => _inner.GetRoleAsync(roleName, ct));
    public Task<IReadOnlyList<string>> ListInstanceProfilesForRoleAsync(string roleName, CancellationToken ct) => Call("ListInstanceProfilesForRole", RoleArn(roleName), false, () => _inner.ListInstanceProfilesForRoleAsync(roleName, ct));
    public Task RemoveRoleFromInstanceProfileAsync(string instanceProfileName, string roleName, CancellationToken ct) =>
        Call("RemoveRoleFromInstanceProfile", "arn:" + _partition + ":iam::" + _accountId + ":instance-profile/" + instanceProfileName, () => _inner.RemoveRoleFromInstanceProfileAsync(instanceProfileName, roleName, ct));
    public Task<IReadOnlyList<ManagedPolicyDescription>> ListLocalPoliciesAsync(CancellationToken ct) => Call("ListPolicies", "*", false, () => _inner.ListLocalPoliciesAsync(ct));
    public Task<IReadOnlyList<RoleDescription>> ListRolesAsync(CancellationToken ct) => Call("ListRoles", "*", false, () => _inner.ListRolesAsync(ct));
    public Task<RoleDescription> CreateRoleAsync(string roleName, string document, string? description, IReadOnlyList<AwsTag> tags, CancellationToken ct) =>
        Call("CreateRole", RoleArn(roleName), true, () => _inner.CreateRoleAsync(roleName, document, description, tags, ct));
    public Task UpdateAssumeRolePolicyAsync(string roleName, string document, CancellationToken ct) => Call("UpdateAssumeRolePolicy", RoleArn(roleName), () => _inner.UpdateAssumeRolePolicyAsync(roleName, document, ct));
    public Task TagRoleAsync(string roleName, IReadOnlyList<AwsTag> tags, CancellationToken ct) => Call("TagRole", RoleArn(roleName), () => _inner.TagRoleAsync(roleName, tags, ct));
    public Task UntagRoleAsync(string roleName, IReadOnlyList<string> tagKeys, CancellationToken ct) => Call("UntagRole", RoleArn(roleName), () => _inner.UntagRoleAsync(roleName, tagKeys, ct));
    public Task<IReadOnlyList<AttachedPolicyDescription>> ListAttachedRolePoliciesAsync(string roleName, CancellationToken ct) => Call("ListAttachedRolePolicies", RoleArn(roleName), false, () => _inner.ListAttachedRolePoliciesAsync(roleName, ct));
    public Task<IReadOnlyList<string>> ListRolePoliciesAsync(string roleName, CancellationToken ct) => Call("ListRolePolicies", RoleArn(roleName), false, () => _inner.ListRolePoliciesAsync(roleName, ct));
    public Task AttachRolePolicyAsync(string roleName, string policyArn, CancellationToken ct) => Call("AttachRolePolicy", RoleArn(roleName), () => _inner.AttachRolePolicyAsync(roleName, policyArn, ct));
    public Task DetachRolePolicyAsync(string roleName, string policyArn, CancellationToken ct) => Call("DetachRolePolicy", RoleArn(roleName), () => _inner.DetachRolePolicyAsync(roleName, policyArn, ct));
    public Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken ct) => Call("DeleteRolePolicy", RoleArn(roleName), () => _inner.DeleteRolePolicyAsync(roleName, policyName, ct));
    public Task DeleteRoleAsync(string roleName, CancellationToken ct) => Call("DeleteRole", RoleArn(roleName), () => _inner.DeleteRoleAsync(roleName, ct));
    public Task<IReadOnlyList<PolicySimulationResult>> SimulatePrincipalPolicyAsync(string policySourceArn, IReadOnlyList<string> actionNames, IReadOnlyList<string> resourceArns, CancellationToken ct) =>
        _inner.SimulatePrincipalPolicyAsync(policySourceArn, actionNames, resourceArns, ct);
}
