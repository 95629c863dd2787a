// What the identity running the module needs from AWS: the one table (each AWS call the engine makes → the IAM action(s)
// it needs and the resource they act on; each planned change and each read → its calls), from which the operator policy
// (Get-V1AwsOperatorPolicy), the preflight (PermissionPreflight) and the README's "Permissions" are all made.
using System;
using System.Collections.Generic;
using System.Linq;

namespace VisionOneOnboarding.Onboarding.Permissions;

/// <summary>The commands whose needs the operator policy covers.</summary>
[Flags]
public enum OperatorOperation
{
    None = 0,
    /// <summary>Invoke-V1AwsOnboarding: reads and changes.</summary>
    Invoke = 1,
    /// <summary>Test-V1AwsOnboarding: reads only.</summary>
    Test = 2,
    /// <summary>Remove-V1AwsOnboarding: reads and deletions.</summary>
    Remove = 4,
    All = Invoke | Test | Remove,
}

/// <summary>What an action acts on, written as an ARN once the partition, account and names are known.</summary>
public enum OperatorResource
{
    /// <summary>The action has no resource type: IAM requires "*".</summary>
    Any,
    /// <summary>The Vision One OIDC provider (oidc-provider/cloudaccounts-REGION.xdr.trendmicro.com).</summary>
    OidcProvider,
    /// <summary>The three Vision One policies (policy/VisionOnePolicyPart*).</summary>
    VisionOnePolicy,
    /// <summary>The role the procedure creates (role/VisionOneRole).</summary>
    VisionOneRole,
    /// <summary>The role assumed in each member account (role/OrganizationAccountAccessRole).</summary>
    MemberRole,
    /// <summary>The caller's own user or role: what the policy simulator is asked about.</summary>
    Caller,
    /// <summary>The instance profiles a role to be removed sits in (instance-profile/*): whoever made them named them.</summary>
    InstanceProfile,
}

/// <summary>Where a call is made: in each account worked on, or only by the Organization's management account.</summary>
public enum OperatorPlace
{
    /// <summary>In every account the procedure works in (the caller's own, and each member through its assumed role).</summary>
    Account,
    /// <summary>By the management account (or a delegated administrator), for a run over the Organization.</summary>
    Management,
}

/// <summary>One row of the table: an AWS call, the IAM actions it needs, on what, for which commands, and why.</summary>
public sealed class OperatorCall
{
    internal OperatorCall(string service, string call, string[] actions, OperatorResource resource, OperatorOperation operations, OperatorPlace place, string purpose, bool onlyToExplainAFailure = false)
    {
        Service = service; Call = call; Actions = actions; Resource = resource; Operations = operations; Place = place; Purpose = purpose;
        OnlyToExplainAFailure = onlyToExplainAFailure;
    }

    /// <summary>iam, sts or organizations.</summary>
    public string Service { get; }
    /// <summary>The API operation as sent on the wire (CreateRole, AssumeRole, ListAccounts).</summary>
    public string Call { get; }
    /// <summary>The IAM actions the call needs (empty: none, e.g. sts:GetCallerIdentity). A create with tags also needs the tag action.</summary>
    public IReadOnlyList<string> Actions { get; }
    public OperatorResource Resource { get; }
    public OperatorOperation Operations { get; }
    public OperatorPlace Place { get; }
    public string Purpose { get; }
    /// <summary>
    /// Made only after another call failed, to say why (a policy name taken under another path): no plan needs it in
    /// advance, so the preflight does not ask about it; the policy grants it so that the explanation can be given.
    /// </summary>
    public bool OnlyToExplainAFailure { get; }
    public override string ToString() => Service + ":" + Call + " → " + (Actions.Count == 0 ? "(no permission needed)" : string.Join(", ", Actions));
}

/// <summary>One action on one resource: what the preflight asks the simulator about, and what an error names.</summary>
public sealed class ActionNeed : IEquatable<ActionNeed>
{
    public ActionNeed(string action, string resource) { Action = action; Resource = resource; }
    public string Action { get; }
    /// <summary>An ARN, or "*".</summary>
    public string Resource { get; }
    public bool Equals(ActionNeed? other) => other != null && other.Action == Action && other.Resource == Resource;
    public override bool Equals(object? obj) => Equals(obj as ActionNeed);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Action) ^ StringComparer.Ordinal.GetHashCode(Resource);
    public override string ToString() => Action + " on " + Resource;
}

/// <summary>
/// The table. Every AWS call the engine makes has a row (a test runs Invoke, Test and Remove against the emulator and
/// fails on any call its log shows that is not here); planned changes and reads name their calls through it.
/// Creating a provider, policy or role with tags needs the tag action too (IAM checks both).
/// </summary>
public static class OperatorPermissions
{
    private const OperatorOperation Invoke = OperatorOperation.Invoke;
    private const OperatorOperation Test = OperatorOperation.Test;
    private const OperatorOperation Remove = OperatorOperation.Remove;
    private const OperatorOperation All = OperatorOperation.All;

    private static OperatorCall Iam(string call, OperatorResource resource, OperatorOperation operations, string purpose, params string[] extra) =>
        new OperatorCall("iam", call, new[] { "iam:" + call }.Concat(extra).ToArray(), resource, operations, OperatorPlace.Account, purpose);

    /// <summary>An Organizations read: by the management account, on "*" (Organizations' reads have no resource type).</summary>
    private static OperatorCall Organizations(string call, string purpose) =>
        new OperatorCall("organizations", call, new[] { "organizations:" + call }, OperatorResource.Any, All, OperatorPlace.Management, purpose);

    /// <summary>Every call, in the procedure's order.</summary>
    public static IReadOnlyList<OperatorCall> Calls { get; } = new[]
    {
        new OperatorCall("sts", "GetCallerIdentity", new string[0], OperatorResource.Any, All, OperatorPlace.Account, "learn the account id and partition (needs no permission)"),
        Iam("SimulatePrincipalPolicy", OperatorResource.Caller, All, "check these permissions before the first change"),
        Iam("GetOpenIDConnectProvider", OperatorResource.OidcProvider, All, "read the provider"),
        Iam("ListPolicyVersions", OperatorResource.VisionOnePolicy, All, "read the policies' versions"),
        Iam("GetPolicyVersion", OperatorResource.VisionOnePolicy, Invoke | Test, "read the policies' documents"),
        Iam("GetPolicy", OperatorResource.VisionOnePolicy, Remove, "read the policies' tags and attachments"),
        Iam("GetRole", OperatorResource.VisionOneRole, All, "read the role, its trust policy and tags"),
        Iam("ListAttachedRolePolicies", OperatorResource.VisionOneRole, All, "read the role's attachments"),
        Iam("ListRolePolicies", OperatorResource.VisionOneRole, Remove, "read the role's inline policies"),
        Iam("ListRoles", OperatorResource.Any, Remove, "find other roles that trust the provider"),
        Iam("ListInstanceProfilesForRole", OperatorResource.VisionOneRole, Remove, "find the instance profiles the role is in (IAM deletes no role in one)"),
        new OperatorCall("iam", "ListPolicies", new[] { "iam:ListPolicies" }, OperatorResource.Any, Invoke, OperatorPlace.Account,
            "find a Vision One policy name taken under another path (only when creating the policy fails)", onlyToExplainAFailure: true),
        Iam("CreateOpenIDConnectProvider", OperatorResource.OidcProvider, Invoke, "create the provider (with the procedure's tag)", "iam:TagOpenIDConnectProvider"),
        Iam("AddClientIDToOpenIDConnectProvider", OperatorResource.OidcProvider, Invoke, "add the account's audience to an existing provider"),
        Iam("UpdateOpenIDConnectProviderThumbprint", OperatorResource.OidcProvider, Invoke, "set the documented thumbprints"),
        Iam("CreatePolicy", OperatorResource.VisionOnePolicy, Invoke, "create the policies (with the procedure's tag)", "iam:TagPolicy"),
        Iam("CreatePolicyVersion", OperatorResource.VisionOnePolicy, Invoke, "update a policy whose document differs"),
        Iam("DeletePolicyVersion", OperatorResource.VisionOnePolicy, Invoke | Remove, "make room for a new version; delete old versions before the policy"),
        Iam("CreateRole", OperatorResource.VisionOneRole, Invoke, "create the role (with its tags)", "iam:TagRole"),
        Iam("UpdateAssumeRolePolicy", OperatorResource.VisionOneRole, Invoke, "put back the role's trust policy"),
        Iam("TagRole", OperatorResource.VisionOneRole, Invoke, "put back the role's tags"),
        Iam("AttachRolePolicy", OperatorResource.VisionOneRole, Invoke, "attach the policies to the role"),
        Iam("DetachRolePolicy", OperatorResource.VisionOneRole, Invoke | Remove, "detach policies (removal; -Force drift)"),
        Iam("DeleteRolePolicy", OperatorResource.VisionOneRole, Remove, "delete the role's inline policies (-IncludeShared)"),
        Iam("RemoveRoleFromInstanceProfile", OperatorResource.InstanceProfile, Remove, "take the role out of its instance profiles (-IncludeShared)"),
        Iam("DeletePolicy", OperatorResource.VisionOnePolicy, Remove, "delete the policies"),
        Iam("DeleteRole", OperatorResource.VisionOneRole, Remove, "delete the role"),
        Iam("DeleteOpenIDConnectProvider", OperatorResource.OidcProvider, Remove, "delete the provider"),
        Organizations("DescribeOrganization", "check that the caller is the management account"),
        Organizations("ListAccounts", "list the Organization's accounts and their names"),
        Organizations("ListAccountsForParent", "list the accounts of -OrganizationalUnitId"),
        Organizations("ListOrganizationalUnitsForParent", "walk the OUs below -OrganizationalUnitId"),
        new OperatorCall("sts", "AssumeRole", new[] { "sts:AssumeRole" }, OperatorResource.MemberRole, All, OperatorPlace.Management, "reach each member account"),
    };

    /// <summary>The row of a wire call, or null when the table does not know it.</summary>
    public static OperatorCall? Find(string service, string call) =>
        Calls.FirstOrDefault(c => c.Service == service && c.Call == call);

    private static OperatorCall Row(string call) => Find("iam", call) ?? throw new InvalidOperationException("No row for iam:" + call + ".");

    /// <summary>The AWS call a planned change makes; null for the Vision One API's changes (no AWS permission).</summary>
    public static OperatorCall? ForChange(ChangeKind kind)
    {
        switch (kind)
        {
            case ChangeKind.CreateProvider: return Row("CreateOpenIDConnectProvider");
            case ChangeKind.AddAudience: return Row("AddClientIDToOpenIDConnectProvider");
            case ChangeKind.UpdateThumbprints: return Row("UpdateOpenIDConnectProviderThumbprint");
            case ChangeKind.CreatePolicy: return Row("CreatePolicy");
            case ChangeKind.DeleteOldestPolicyVersion:
            case ChangeKind.DeletePolicyVersion: return Row("DeletePolicyVersion");
            case ChangeKind.CreatePolicyVersion: return Row("CreatePolicyVersion");
            case ChangeKind.CreateRole: return Row("CreateRole");
            case ChangeKind.UpdateTrust: return Row("UpdateAssumeRolePolicy");
            case ChangeKind.TagRole: return Row("TagRole");
            case ChangeKind.AttachPolicy: return Row("AttachRolePolicy");
            case ChangeKind.DetachPolicy: return Row("DetachRolePolicy");
            case ChangeKind.DeleteInlinePolicy: return Row("DeleteRolePolicy");
            case ChangeKind.RemoveFromInstanceProfile: return Row("RemoveRoleFromInstanceProfile");
            case ChangeKind.DeletePolicy: return Row("DeletePolicy");
            case ChangeKind.DeleteRole: return Row("DeleteRole");
            case ChangeKind.DeleteProvider: return Row("DeleteOpenIDConnectProvider");
            case ChangeKind.ConnectAccount:
            case ChangeKind.RepointAccount:
            case ChangeKind.UpdateAccount:
            case ChangeKind.DisconnectAccount: return null;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "No row for this change.");
        }
    }

    /// <summary>The AWS calls that reading one part of an account makes (none for the Cloud Accounts entry).</summary>
    public static IReadOnlyList<OperatorCall> ForRead(ObservedParts part)
    {
        switch (part)
        {
            case ObservedParts.Provider: return new[] { Row("GetOpenIDConnectProvider") };
            case ObservedParts.PolicyDocuments: return new[] { Row("ListPolicyVersions"), Row("GetPolicyVersion") };
            case ObservedParts.PolicyUsage: return new[] { Row("ListPolicyVersions"), Row("GetPolicy") };
            case ObservedParts.Role: return new[] { Row("GetRole"), Row("ListAttachedRolePolicies") };
            case ObservedParts.RoleInline: return new[] { Row("ListRolePolicies") };
            case ObservedParts.TrustingRoles: return new[] { Row("ListRoles") };
            case ObservedParts.InstanceProfiles: return new[] { Row("ListInstanceProfilesForRole") };
            case ObservedParts.CloudAccount:
            case ObservedParts.None: return new OperatorCall[0];
            default: throw new ArgumentOutOfRangeException(nameof(part), part, "Name one part.");
        }
    }

    /// <summary>The actions (each on its resource) that reading <paramref name="request"/> needs in an account.</summary>
    public static IReadOnlyList<ActionNeed> ForObservation(ObservationRequest request, string partition, string accountId)
    {
        var needs = new List<ActionNeed>();
        foreach (ObservedParts part in Enum.GetValues(typeof(ObservedParts)))
        {
            if (part == ObservedParts.None || (request.Parts & part) == 0) continue;
            foreach (var call in ForRead(part))
            {
                var resources = call.Resource switch
                {
                    OperatorResource.OidcProvider => request.ProviderArn == null ? new string[0] : new[] { request.ProviderArn },
                    OperatorResource.VisionOnePolicy => request.PolicyArns.ToArray(),
                    OperatorResource.VisionOneRole => request.RoleName == null ? new string[0] : new[] { AwsArns.Role(partition, accountId, request.RoleName) },
                    _ => new[] { "*" },
                };
                foreach (var resource in resources)
                    foreach (var action in call.Actions) needs.Add(new ActionNeed(action, resource));
            }
        }
        return needs.Distinct().ToList();
    }

    /// <summary>The actions (each on the resource it changes) that applying <paramref name="plan"/>'s changes needs.</summary>
    public static IReadOnlyList<ActionNeed> ForPlan(OnboardingPlan plan)
    {
        var needs = new List<ActionNeed>();
        foreach (var change in plan.Changes)
        {
            var call = ForChange(change.Kind);
            if (call == null) continue;
            // A change names its role; taking the role out of an instance profile acts on the profile.
            var resource = call.Resource == OperatorResource.InstanceProfile
                ? change.Resource.Substring(0, change.Resource.IndexOf(":role/", StringComparison.Ordinal) + 1) + "instance-profile/" + change.Argument
                : change.Resource;
            foreach (var action in call.Actions) needs.Add(new ActionNeed(action, resource));
        }
        return needs.Distinct().ToList();
    }
}
