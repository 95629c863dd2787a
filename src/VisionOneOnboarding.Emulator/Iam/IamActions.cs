using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using VisionOneOnboarding.Emulator.Aws;
using static VisionOneOnboarding.Emulator.Aws.QueryXml;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>The children of the action's Result element; null for actions answered with ResponseMetadata only.</summary>
    public delegate IEnumerable<XElement?>? QueryAction(QueryParameters parameters, CallerPrincipal caller);

    /// <summary>The IAM actions the emulator serves: parameters in, store call, IAM's response shape out.</summary>
    internal static class IamActions
    {
        private static readonly IReadOnlyList<string> NoStrings = Array.Empty<string>();
        private static readonly IReadOnlyList<IamTag> NoTags = Array.Empty<IamTag>();

        public static IReadOnlyDictionary<string, QueryAction> Create(IamStore store) => new Dictionary<string, QueryAction>(StringComparer.Ordinal)
        {
            ["CreateOpenIDConnectProvider"] = (p, c) =>
            {
                var provider = store.CreateOpenIdConnectProvider(c.AccountId, p.Required("Url"),
                    p.List("ClientIDList") ?? NoStrings, p.List("ThumbprintList") ?? NoStrings, p.Tags("Tags") ?? NoTags);
                return new[] { Text("OpenIDConnectProviderArn", provider.Arn), TagsIfAny(provider.Tags) };
            },
            ["GetOpenIDConnectProvider"] = (p, c) =>
            {
                var provider = store.GetOpenIdConnectProvider(c.AccountId, p.Required("OpenIDConnectProviderArn"));
                return new[]
                {
                    Text("Url", provider.Url),
                    Members("ClientIDList", provider.ClientIds),
                    Members("ThumbprintList", provider.Thumbprints),
                    Date("CreateDate", provider.CreateDate),
                    Tags(provider.Tags),
                };
            },
            ["ListOpenIDConnectProviders"] = (p, c) => new[]
            {
                Members("OpenIDConnectProviderList", store.ListOpenIdConnectProviders(c.AccountId).Select(arn => Text("Arn", arn))),
            },
            ["AddClientIDToOpenIDConnectProvider"] = (p, c) =>
            {
                store.AddClientIdToOpenIdConnectProvider(c.AccountId, p.Required("OpenIDConnectProviderArn"), p.Required("ClientID"));
                return null;
            },
            ["RemoveClientIDFromOpenIDConnectProvider"] = (p, c) =>
            {
                store.RemoveClientIdFromOpenIdConnectProvider(c.AccountId, p.Required("OpenIDConnectProviderArn"), p.Required("ClientID"));
                return null;
            },
            ["UpdateOpenIDConnectProviderThumbprint"] = (p, c) =>
            {
                store.UpdateOpenIdConnectProviderThumbprint(c.AccountId, p.Required("OpenIDConnectProviderArn"), p.RequiredList("ThumbprintList"));
                return null;
            },
            ["DeleteOpenIDConnectProvider"] = (p, c) =>
            {
                store.DeleteOpenIdConnectProvider(c.AccountId, p.Required("OpenIDConnectProviderArn"));
                return null;
            },

            ["CreatePolicy"] = (p, c) =>
            {
                var policy = store.CreatePolicy(c.AccountId, p.Required("PolicyName"), p.Get("Path"), p.Required("PolicyDocument"),
                    p.Get("Description"), p.Tags("Tags") ?? NoTags);
                return new[] { new XElement("Policy", PolicyFields(policy, detailed: true)) };
            },
            ["GetPolicy"] = (p, c) => new[] { new XElement("Policy", PolicyFields(store.GetPolicy(c.AccountId, p.Required("PolicyArn")), detailed: true)) },
            ["GetPolicyVersion"] = (p, c) =>
            {
                var version = store.GetPolicyVersion(c.AccountId, p.Required("PolicyArn"), p.Required("VersionId"));
                return new[] { new XElement("PolicyVersion", VersionFields(version, withDocument: true)) };
            },
            ["ListPolicyVersions"] = (p, c) => Paging.Page(store.ListPolicyVersions(c.AccountId, p.Required("PolicyArn")), p,
                "Versions", v => VersionFields(v, withDocument: false)),
            ["CreatePolicyVersion"] = (p, c) =>
            {
                var version = store.CreatePolicyVersion(c.AccountId, p.Required("PolicyArn"), p.Required("PolicyDocument"), p.Bool("SetAsDefault") ?? false);
                return new[] { new XElement("PolicyVersion", VersionFields(version, withDocument: false)) };
            },
            ["DeletePolicyVersion"] = (p, c) =>
            {
                store.DeletePolicyVersion(c.AccountId, p.Required("PolicyArn"), p.Required("VersionId"));
                return null;
            },
            ["SetDefaultPolicyVersion"] = (p, c) =>
            {
                store.SetDefaultPolicyVersion(c.AccountId, p.Required("PolicyArn"), p.Required("VersionId"));
                return null;
            },
            ["DeletePolicy"] = (p, c) =>
            {
                store.DeletePolicy(c.AccountId, p.Required("PolicyArn"));
                return null;
            },
            ["ListPolicies"] = (p, c) => Paging.Page(
                store.ListPolicies(c.AccountId, p.Get("Scope"), p.Bool("OnlyAttached") ?? false, p.Get("PathPrefix")), p,
                "Policies", policy => PolicyFields(policy, detailed: false)),

            ["CreateRole"] = (p, c) =>
            {
                var role = store.CreateRole(c.AccountId, p.Required("RoleName"), p.Get("Path"), p.Required("AssumeRolePolicyDocument"),
                    p.Get("Description"), p.Int("MaxSessionDuration"), p.Tags("Tags") ?? NoTags);
                return new[] { new XElement("Role", RoleFields(role, withTags: true)) };
            },
            ["GetRole"] = (p, c) => new[]
            {
                new XElement("Role", RoleFields(store.GetRole(c.AccountId, p.Required("RoleName")), withTags: true), new XElement("RoleLastUsed")),
            },
            ["CreateInstanceProfile"] = (p, c) => new[]
            {
                new XElement("InstanceProfile", ProfileFields(store, c.AccountId, store.CreateInstanceProfile(c.AccountId, p.Required("InstanceProfileName"), p.Get("Path")))),
            },
            ["AddRoleToInstanceProfile"] = (p, c) =>
            {
                store.AddRoleToInstanceProfile(c.AccountId, p.Required("InstanceProfileName"), p.Required("RoleName"));
                return null;
            },
            ["RemoveRoleFromInstanceProfile"] = (p, c) =>
            {
                store.RemoveRoleFromInstanceProfile(c.AccountId, p.Required("InstanceProfileName"), p.Required("RoleName"));
                return null;
            },
            ["ListInstanceProfilesForRole"] = (p, c) => Paging.Page(store.ListInstanceProfilesForRole(c.AccountId, p.Required("RoleName")), p,
                "InstanceProfiles", profile => ProfileFields(store, c.AccountId, profile)),
            ["DeleteInstanceProfile"] = (p, c) =>
            {
                store.DeleteInstanceProfile(c.AccountId, p.Required("InstanceProfileName"));
                return null;
            },
            ["ListRoles"] = (p, c) => Paging.Page(store.ListRoles(c.AccountId, p.Get("PathPrefix")), p,
                "Roles", role => RoleFields(role, withTags: false)),
            ["UpdateAssumeRolePolicy"] = (p, c) =>
            {
                store.UpdateAssumeRolePolicy(c.AccountId, p.Required("RoleName"), p.Required("PolicyDocument"));
                return null;
            },
            ["TagRole"] = (p, c) =>
            {
                store.TagRole(c.AccountId, p.Required("RoleName"), p.Tags("Tags") ?? throw AwsQueryException.Constraint("tags", null, "Member must not be null"));
                return null;
            },
            ["UntagRole"] = (p, c) =>
            {
                store.UntagRole(c.AccountId, p.Required("RoleName"), p.RequiredList("TagKeys"));
                return null;
            },
            ["ListRoleTags"] = (p, c) => Paging.Page(store.ListRoleTags(c.AccountId, p.Required("RoleName")), p,
                "Tags", tag => new[] { Text("Key", tag.Key), Text("Value", tag.Value) }),
            ["ListAttachedRolePolicies"] = (p, c) => Paging.Page(store.ListAttachedRolePolicies(c.AccountId, p.Required("RoleName")), p,
                "AttachedPolicies", arn => new[] { Text("PolicyName", arn.Substring(arn.LastIndexOf('/') + 1)), Text("PolicyArn", arn) }),
            ["ListRolePolicies"] = (p, c) => Paging.Page(store.ListRolePolicies(c.AccountId, p.Required("RoleName")), p,
                "PolicyNames", name => name),
            ["AttachRolePolicy"] = (p, c) =>
            {
                store.AttachRolePolicy(c.AccountId, p.Required("RoleName"), p.Required("PolicyArn"));
                return null;
            },
            ["DetachRolePolicy"] = (p, c) =>
            {
                store.DetachRolePolicy(c.AccountId, p.Required("RoleName"), p.Required("PolicyArn"));
                return null;
            },
            ["PutRolePolicy"] = (p, c) =>
            {
                store.PutRolePolicy(c.AccountId, p.Required("RoleName"), p.Required("PolicyName"), p.Required("PolicyDocument"));
                return null;
            },
            ["DeleteRolePolicy"] = (p, c) =>
            {
                store.DeleteRolePolicy(c.AccountId, p.Required("RoleName"), p.Required("PolicyName"));
                return null;
            },
            ["CreateUser"] = (p, c) =>
            {
                var user = store.CreateUser(c.AccountId, p.Required("UserName"), p.Get("Path"));
                return new[] { new XElement("User", Text("Path", user.Path), Text("UserName", user.Name), Text("UserId", user.Id), Text("Arn", user.Arn), Date("CreateDate", user.CreateDate)) };
            },
            ["PutUserPolicy"] = (p, c) =>
            {
                store.PutUserPolicy(c.AccountId, p.Required("UserName"), p.Required("PolicyName"), p.Required("PolicyDocument"));
                return null;
            },
            ["AttachUserPolicy"] = (p, c) =>
            {
                store.AttachUserPolicy(c.AccountId, p.Required("UserName"), p.Required("PolicyArn"));
                return null;
            },
            ["CreateAccessKey"] = (p, c) =>
            {
                var userName = p.Required("UserName");
                var key = store.CreateAccessKey(c.AccountId, userName);
                return new[] { new XElement("AccessKey", Text("UserName", userName), Text("AccessKeyId", key.AccessKeyId), Text("Status", "Active"),
                    Text("SecretAccessKey", key.SecretAccessKey), Date("CreateDate", store.Now)) };
            },
            ["SimulatePrincipalPolicy"] = (p, c) => Paging.Page(
                store.SimulatePrincipalPolicy(c.AccountId, p.Required("PolicySourceArn"), p.RequiredList("ActionNames"), p.List("ResourceArns")), p,
                "EvaluationResults", EvaluationFields),

            ["DeleteRole"] = (p, c) =>
            {
                store.DeleteRole(c.AccountId, p.Required("RoleName"));
                return null;
            },
        };

        /// <summary>
        /// One EvaluationResult as IAM writes it: with ResourceArns, one per action and resource, the resource's decision
        /// also as its ResourceSpecificResult (and missing context values there); without, EvalResourceName "*".
        /// </summary>
        private static IEnumerable<XElement?> EvaluationFields(SimulationResult result)
        {
            var decision = result.Decision;
            var matched = Members("MatchedStatements", decision.Matched.Select(m => new[] { Text("SourcePolicyId", m.Id), Text("SourcePolicyType", m.Type) }));
            var missing = Members("MissingContextValues", decision.MissingContextValues);
            return new[]
            {
                Text("EvalActionName", result.Action),
                Text("EvalResourceName", result.Resource),
                Text("EvalDecision", decision.Decision),
                matched,
                result.ResourceGiven ? Members("MissingContextValues", Array.Empty<object>()) : missing,
                result.ResourceGiven ? new XElement("EvalDecisionDetails") : null,
                result.ResourceGiven
                    ? Members("ResourceSpecificResults", new[]
                    {
                        new[] { Text("EvalResourceName", result.Resource), Text("EvalResourceDecision", decision.Decision),
                            Members("MatchedStatements", decision.Matched.Select(m => new[] { Text("SourcePolicyId", m.Id), Text("SourcePolicyType", m.Type) })),
                            missing },
                    })
                    : Members("ResourceSpecificResults", Array.Empty<object>()),
            };
        }

        private static XElement? TagsIfAny(IReadOnlyList<IamTag> tags) => tags.Count == 0 ? null : Tags(tags);

        /// <summary>List entries leave out Description and Tags, as IAM's ListPolicies does.</summary>
        private static IEnumerable<XElement?> PolicyFields(ManagedPolicy policy, bool detailed) => new[]
        {
            Text("PolicyName", policy.Name),
            Text("DefaultVersionId", policy.DefaultVersion.VersionId),
            Text("PolicyId", policy.Id),
            Text("Path", policy.Path),
            Text("Arn", policy.Arn),
            Number("AttachmentCount", policy.AttachmentCount),
            Number("PermissionsBoundaryUsageCount", 0),
            Bool("IsAttachable", true),
            detailed ? Optional("Description", policy.Description) : null,
            Date("CreateDate", policy.CreateDate),
            Date("UpdateDate", policy.UpdateDate),
            detailed ? TagsIfAny(policy.Tags) : null,
        };

        private static IEnumerable<XElement?> VersionFields(PolicyVersion version, bool withDocument) => new[]
        {
            withDocument ? Document("Document", version.Document) : null,
            Text("VersionId", version.VersionId),
            Bool("IsDefaultVersion", version.IsDefaultVersion),
            Date("CreateDate", version.CreateDate),
        };

        /// <summary>ListRoles leaves out Tags, as IAM does.</summary>
        /// <summary>An InstanceProfile as IAM answers it; its Roles list names each role (the module reads only the names).</summary>
        private static IEnumerable<XElement?> ProfileFields(IamStore store, string accountId, InstanceProfile profile) => new XElement?[]
        {
            Text("Path", profile.Path),
            Text("InstanceProfileName", profile.Name),
            Text("InstanceProfileId", profile.Id),
            Text("Arn", profile.Arn),
            Date("CreateDate", profile.CreateDate),
            new XElement("Roles", profile.RoleNames.Select(name => new XElement("member", RoleFields(store.GetRole(accountId, name), withTags: false)))),
        };

        private static IEnumerable<XElement?> RoleFields(Role role, bool withTags) => new[]
        {
            Text("Path", role.Path),
            Text("RoleName", role.Name),
            Text("RoleId", role.Id),
            Text("Arn", role.Arn),
            Date("CreateDate", role.CreateDate),
            Document("AssumeRolePolicyDocument", role.TrustPolicy),
            Optional("Description", role.Description),
            Number("MaxSessionDuration", role.MaxSessionDuration),
            withTags ? TagsIfAny(role.Tags) : null,
        };
    }
}
