using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding.Permissions;

/// <summary>Which identity the operator policy is for.</summary>
public enum OperatorScope
{
    /// <summary>The identity that onboards its own account.</summary>
    Account,
    /// <summary>The management account's identity for a run over the Organization: Organizations reads, sts:AssumeRole, and its own account.</summary>
    Organization,
    /// <summary>The role assumed in each member account (instead of OrganizationAccountAccessRole).</summary>
    Member,
}

/// <summary>
/// The least-privilege IAM policy for the identity running the module, written from <see cref="OperatorPermissions"/>:
/// one statement per resource, the actions the chosen commands call on it, never a wildcard action, and "*" only where
/// IAM has no resource type for the action.
/// </summary>
public static class OperatorPolicy
{
    /// <summary>The policy document as indented JSON.</summary>
    /// <param name="scope">Which identity.</param>
    /// <param name="operations">Which commands it runs.</param>
    /// <param name="partition">aws, aws-cn or aws-us-gov.</param>
    /// <param name="accountId">The account, or null for "*" (any account).</param>
    /// <param name="roleName">The role the procedure creates.</param>
    /// <param name="assumeRoleName">The role assumed in member accounts (Organization scope).</param>
    public static string Write(OperatorScope scope, OperatorOperation operations, string partition, string? accountId, string roleName, string assumeRoleName)
    {
        var account = accountId ?? "*";
        var statements = new List<(string Sid, List<string> Actions, IReadOnlyList<string> Resources)>();
        foreach (var group in Rows(scope, operations).GroupBy(r => r.Resource))
        {
            var actions = group.SelectMany(r => r.Actions).Distinct(StringComparer.Ordinal).ToList();
            if (actions.Count == 0) continue;
            statements.Add((SidOf(group.Key), actions, ResourcesOf(group.Key, partition, account, roleName, assumeRoleName)));
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("Version", "2012-10-17");
            json.WriteStartArray("Statement");
            foreach (var (sid, actions, resources) in statements)
            {
                json.WriteStartObject();
                json.WriteString("Sid", sid);
                json.WriteString("Effect", "Allow");
                json.WriteStartArray("Action");
                foreach (var action in actions) json.WriteStringValue(action);
                json.WriteEndArray();
                if (resources.Count == 1) json.WriteString("Resource", resources[0]);
                else
                {
                    json.WriteStartArray("Resource");
                    foreach (var resource in resources) json.WriteStringValue(resource);
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The rows of the table the identity needs, in the table's order.</summary>
    public static IReadOnlyList<OperatorCall> Rows(OperatorScope scope, OperatorOperation operations) =>
        OperatorPermissions.Calls
            .Where(c => (c.Operations & operations) != 0 && c.Actions.Count > 0)
            .Where(c => c.Place == OperatorPlace.Account || scope == OperatorScope.Organization)
            .ToList();

    /// <summary>The ARN patterns the policy writes for a resource.</summary>
    public static IReadOnlyList<string> ResourcesOf(OperatorResource resource, string partition, string account, string roleName, string assumeRoleName)
    {
        var iam = "arn:" + partition + ":iam::" + account + ":";
        switch (resource)
        {
            case OperatorResource.OidcProvider: return IssuerPatterns().Select(host => iam + "oidc-provider/" + host).ToList();
            case OperatorResource.VisionOnePolicy: return new[] { iam + "policy/" + CommonPrefix(OnboardingDefaults.PolicyNames) + "*" };
            case OperatorResource.VisionOneRole: return new[] { iam + "role/" + roleName };
            case OperatorResource.MemberRole: return new[] { "arn:" + partition + ":iam::*:role/" + assumeRoleName };
            case OperatorResource.Caller: return new[] { iam + "user/*", iam + "role/*" };
            case OperatorResource.InstanceProfile: return new[] { iam + "instance-profile/*" };
            default: return new[] { "*" };
        }
    }

    /// <summary>Every Vision One issuer host, those of the cloudaccounts-REGION.xdr.trendmicro.com shape as one pattern.</summary>
    private static IReadOnlyList<string> IssuerPatterns()
    {
        const string prefix = "cloudaccounts-";
        const string suffix = ".xdr.trendmicro.com";
        var hosts = V1Regions.All.Select(r => r.OidcIssuerHostOrNull).Where(h => h != null).Select(h => h!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var patterns = new List<string>();
        if (hosts.Any(h => IsShaped(h))) patterns.Add(prefix + "*" + suffix);
        patterns.AddRange(hosts.Where(h => !IsShaped(h)));
        return patterns;

        static bool IsShaped(string host) =>
            host.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) &&
            host.Length > prefix.Length + suffix.Length && host.IndexOf('.') == host.Length - suffix.Length;
    }

    private static string CommonPrefix(IReadOnlyList<string> names)
    {
        var prefix = names[0];
        foreach (var name in names)
            while (!name.StartsWith(prefix, StringComparison.Ordinal)) prefix = prefix.Substring(0, prefix.Length - 1);
        return prefix;
    }

    private static string SidOf(OperatorResource resource)
    {
        switch (resource)
        {
            case OperatorResource.OidcProvider: return "VisionOneOidcProvider";
            case OperatorResource.VisionOnePolicy: return "VisionOnePolicies";
            case OperatorResource.VisionOneRole: return "VisionOneRole";
            case OperatorResource.MemberRole: return "AssumeMemberAccountRole";
            case OperatorResource.Caller: return "PermissionPreflight";
            case OperatorResource.InstanceProfile: return "InstanceProfilesOfTheRole";
            default: return "ActionsWithoutResourceType";
        }
    }
}
