using System;
using System.Collections.Generic;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>
    /// What a Query call needs under enforcement: the IAM action named after it, on the resource its parameters name
    /// (a role, policy, provider or user ARN; "*" for the List calls without one), plus the tag action when a create
    /// carries tags — IAM checks iam:TagRole, iam:TagPolicy, iam:TagOpenIDConnectProvider, iam:TagUser then too.
    /// sts:GetCallerIdentity needs no permission.
    /// </summary>
    internal static class CallPermissions
    {
        public static IReadOnlyList<RequiredAction> Of(string service, string action, Aws.QueryParameters p, string accountId)
        {
            if (service == "sts")
                return action == "AssumeRole" && p.Get("RoleArn") is { } roleArn ? new[] { new RequiredAction("sts:AssumeRole", roleArn) } : Array.Empty<RequiredAction>();
            var iam = "arn:aws:iam::" + accountId + ":";
            string resource =
                p.Get("PolicySourceArn") ??
                p.Get("OpenIDConnectProviderArn") ??
                // Instance profile calls act on the profile (RemoveRoleFromInstanceProfile names the role too).
                (p.Get("InstanceProfileName") is { } profile ? iam + "instance-profile/" + profile : null) ??
                (p.Get("RoleName") is { } role ? iam + "role" + (action == "CreateRole" ? p.Get("Path") ?? "/" : "/") + role : null) ??
                (p.Get("UserName") is { } user ? iam + "user" + (action == "CreateUser" ? p.Get("Path") ?? "/" : "/") + user : null) ??
                p.Get("PolicyArn") ??
                (action == "CreatePolicy" && p.Get("PolicyName") is { } policy ? iam + "policy" + (p.Get("Path") ?? "/") + policy : null) ??
                (action == "CreateOpenIDConnectProvider" && p.Get("Url") is { } url ? iam + "oidc-provider/" + HostOf(url) : null) ??
                "*";
            var required = new List<RequiredAction> { new RequiredAction("iam:" + action, resource) };
            bool tagged = p.Get("Tags.member.1.Key") != null;
            if (tagged && action == "CreateRole") required.Add(new RequiredAction("iam:TagRole", resource));
            if (tagged && action == "CreatePolicy") required.Add(new RequiredAction("iam:TagPolicy", resource));
            if (tagged && action == "CreateOpenIDConnectProvider") required.Add(new RequiredAction("iam:TagOpenIDConnectProvider", resource));
            if (tagged && action == "CreateUser") required.Add(new RequiredAction("iam:TagUser", resource));
            return required;
        }

        private static string HostOf(string url)
        {
            const string scheme = "https://";
            return url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? url.Substring(scheme.Length) : url;
        }
    }
}
