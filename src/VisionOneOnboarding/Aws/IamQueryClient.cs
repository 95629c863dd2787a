using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;

namespace VisionOneOnboarding.Aws
{
    /// <summary>
    /// <see cref="IIamClient"/> over the IAM Query protocol (AWSSDK.IdentityManagement is not obtainable here).
    /// Decodes the URL-encoded documents IAM returns, follows Marker/IsTruncated paging, and answers null from
    /// the Get* calls when IAM says NoSuchEntity.
    /// </summary>
    public sealed class IamQueryClient : IIamClient
    {
        private readonly AwsQueryClient _query;

        public IamQueryClient(AwsQueryClient query) { _query = query ?? throw new ArgumentNullException(nameof(query)); }

        public async Task<IReadOnlyList<string>> ListOpenIdConnectProvidersAsync(CancellationToken cancellationToken)
        {
            // ListOpenIDConnectProviders is not paged.
            var result = await _query.SendAsync(new AwsQueryRequest("ListOpenIDConnectProviders"), cancellationToken).ConfigureAwait(false);
            return AwsXml.Members(result, "OpenIDConnectProviderList").Select(m => AwsXml.TextOrEmpty(m, "Arn")).ToList();
        }

        public Task<OidcProviderDescription?> GetOpenIdConnectProviderAsync(string arn, CancellationToken cancellationToken) =>
            NullIfNoSuchEntity(async () =>
            {
                var result = await _query.SendAsync(new AwsQueryRequest("GetOpenIDConnectProvider").Add("OpenIDConnectProviderArn", arn), cancellationToken).ConfigureAwait(false);
                return new OidcProviderDescription
                {
                    Arn = arn,
                    Url = AwsXml.TextOrEmpty(result, "Url"),
                    ClientIds = AwsXml.Strings(result, "ClientIDList"),
                    Thumbprints = AwsXml.Strings(result, "ThumbprintList"),
                    Tags = AwsXml.Tags(result),
                    CreateDate = AwsXml.Date(result, "CreateDate"),
                };
            });

        public async Task<string> CreateOpenIdConnectProviderAsync(string url, IReadOnlyList<string> clientIds, IReadOnlyList<string> thumbprints, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken)
        {
            // ClientIDList and ThumbprintList are optional in CreateOpenIDConnectProvider: an empty one is left out.
            var request = new AwsQueryRequest("CreateOpenIDConnectProvider")
                .Add("Url", url)
                .AddList("ClientIDList", clientIds, omitWhenEmpty: true)
                .AddList("ThumbprintList", thumbprints, omitWhenEmpty: true)
                .AddTags("Tags", tags);
            var result = await _query.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return AwsXml.TextOrEmpty(result, "OpenIDConnectProviderArn");
        }

        public Task AddClientIdToOpenIdConnectProviderAsync(string arn, string clientId, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("AddClientIDToOpenIDConnectProvider").Add("OpenIDConnectProviderArn", arn).Add("ClientID", clientId), cancellationToken);

        public Task RemoveClientIdFromOpenIdConnectProviderAsync(string arn, string clientId, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("RemoveClientIDFromOpenIDConnectProvider").Add("OpenIDConnectProviderArn", arn).Add("ClientID", clientId), cancellationToken);

        public Task UpdateOpenIdConnectProviderThumbprintAsync(string arn, IReadOnlyList<string> thumbprints, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("UpdateOpenIDConnectProviderThumbprint").Add("OpenIDConnectProviderArn", arn).AddList("ThumbprintList", thumbprints), cancellationToken);

        public Task DeleteOpenIdConnectProviderAsync(string arn, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("DeleteOpenIDConnectProvider").Add("OpenIDConnectProviderArn", arn), cancellationToken);

        public Task<ManagedPolicyDescription?> GetPolicyAsync(string arn, CancellationToken cancellationToken) =>
            NullIfNoSuchEntity(async () =>
            {
                var result = await _query.SendAsync(new AwsQueryRequest("GetPolicy").Add("PolicyArn", arn), cancellationToken).ConfigureAwait(false);
                return ReadPolicy(AwsXml.Child(result, "Policy"));
            });

        public async Task<ManagedPolicyDescription> CreatePolicyAsync(string name, string document, string? description, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken)
        {
            var request = new AwsQueryRequest("CreatePolicy").Add("PolicyName", name).AddDocument("PolicyDocument", document).Add("Description", description).AddTags("Tags", tags);
            var result = await _query.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return ReadPolicy(AwsXml.Child(result, "Policy"));
        }

        public async Task<PolicyVersionDescription> GetPolicyVersionAsync(string arn, string versionId, CancellationToken cancellationToken)
        {
            var result = await _query.SendAsync(new AwsQueryRequest("GetPolicyVersion").Add("PolicyArn", arn).Add("VersionId", versionId), cancellationToken).ConfigureAwait(false);
            return ReadPolicyVersion(AwsXml.Child(result, "PolicyVersion"));
        }

        public async Task<IReadOnlyList<PolicyVersionDescription>> ListPolicyVersionsAsync(string arn, CancellationToken cancellationToken) =>
            await ListAllAsync(() => new AwsQueryRequest("ListPolicyVersions").Add("PolicyArn", arn), "Versions", ReadPolicyVersion, cancellationToken).ConfigureAwait(false);

        public async Task<PolicyVersionDescription> CreatePolicyVersionAsync(string arn, string document, bool setAsDefault, CancellationToken cancellationToken)
        {
            var request = new AwsQueryRequest("CreatePolicyVersion").Add("PolicyArn", arn).AddDocument("PolicyDocument", document).Add("SetAsDefault", setAsDefault);
            var result = await _query.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return ReadPolicyVersion(AwsXml.Child(result, "PolicyVersion"));
        }

        public Task DeletePolicyVersionAsync(string arn, string versionId, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("DeletePolicyVersion").Add("PolicyArn", arn).Add("VersionId", versionId), cancellationToken);

        public Task DeletePolicyAsync(string arn, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("DeletePolicy").Add("PolicyArn", arn), cancellationToken);

        public Task<RoleDescription?> GetRoleAsync(string roleName, CancellationToken cancellationToken) =>
            NullIfNoSuchEntity(async () =>
            {
                var result = await _query.SendAsync(new AwsQueryRequest("GetRole").Add("RoleName", roleName), cancellationToken).ConfigureAwait(false);
                return ReadRole(AwsXml.Child(result, "Role"));
            });

        public async Task<IReadOnlyList<RoleDescription>> ListRolesAsync(CancellationToken cancellationToken) =>
            await ListAllAsync(() => new AwsQueryRequest("ListRoles"), "Roles", ReadRole, cancellationToken).ConfigureAwait(false);

        public async Task<RoleDescription> CreateRoleAsync(string roleName, string assumeRolePolicyDocument, string? description, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken)
        {
            var request = new AwsQueryRequest("CreateRole").Add("RoleName", roleName).AddDocument("AssumeRolePolicyDocument", assumeRolePolicyDocument)
                .Add("Description", description).AddTags("Tags", tags);
            var result = await _query.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return ReadRole(AwsXml.Child(result, "Role"));
        }

        public Task UpdateAssumeRolePolicyAsync(string roleName, string assumeRolePolicyDocument, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("UpdateAssumeRolePolicy").Add("RoleName", roleName).AddDocument("PolicyDocument", assumeRolePolicyDocument), cancellationToken);

        public Task TagRoleAsync(string roleName, IReadOnlyList<AwsTag> tags, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("TagRole").Add("RoleName", roleName).AddTags("Tags", tags), cancellationToken);

        public Task UntagRoleAsync(string roleName, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("UntagRole").Add("RoleName", roleName).AddList("TagKeys", tagKeys), cancellationToken);

        public async Task<IReadOnlyList<AttachedPolicyDescription>> ListAttachedRolePoliciesAsync(string roleName, CancellationToken cancellationToken) =>
            await ListAllAsync(() => new AwsQueryRequest("ListAttachedRolePolicies").Add("RoleName", roleName), "AttachedPolicies",
                m => new AttachedPolicyDescription(AwsXml.TextOrEmpty(m, "PolicyName"), AwsXml.TextOrEmpty(m, "PolicyArn")), cancellationToken).ConfigureAwait(false);

        public async Task<IReadOnlyList<string>> ListRolePoliciesAsync(string roleName, CancellationToken cancellationToken) =>
            await ListAllAsync(() => new AwsQueryRequest("ListRolePolicies").Add("RoleName", roleName), "PolicyNames", m => m.Value, cancellationToken).ConfigureAwait(false);

        public Task AttachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("AttachRolePolicy").Add("RoleName", roleName).Add("PolicyArn", policyArn), cancellationToken);

        public Task DetachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("DetachRolePolicy").Add("RoleName", roleName).Add("PolicyArn", policyArn), cancellationToken);

        public Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("DeleteRolePolicy").Add("RoleName", roleName).Add("PolicyName", policyName), cancellationToken);

        public async Task<IReadOnlyList<string>> ListInstanceProfilesForRoleAsync(string roleName, CancellationToken cancellationToken) =>
            await ListAllAsync(() => new AwsQueryRequest("ListInstanceProfilesForRole").Add("RoleName", roleName), "InstanceProfiles",
                m => AwsXml.TextOrEmpty(m, "InstanceProfileName"), cancellationToken).ConfigureAwait(false);

        public Task RemoveRoleFromInstanceProfileAsync(string instanceProfileName, string roleName, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("RemoveRoleFromInstanceProfile").Add("InstanceProfileName", instanceProfileName).Add("RoleName", roleName), cancellationToken);

        public async Task<IReadOnlyList<ManagedPolicyDescription>> ListLocalPoliciesAsync(CancellationToken cancellationToken) =>
            await ListAllAsync(() => new AwsQueryRequest("ListPolicies").Add("Scope", "Local"), "Policies", ReadPolicy, cancellationToken).ConfigureAwait(false);

        public Task DeleteRoleAsync(string roleName, CancellationToken cancellationToken) =>
            _query.SendAsync(new AwsQueryRequest("DeleteRole").Add("RoleName", roleName), cancellationToken);

        public async Task<IReadOnlyList<PolicySimulationResult>> SimulatePrincipalPolicyAsync(string policySourceArn, IReadOnlyList<string> actionNames,
            IReadOnlyList<string> resourceArns, CancellationToken cancellationToken) =>
            await ListAllAsync(() => new AwsQueryRequest("SimulatePrincipalPolicy").Add("PolicySourceArn", policySourceArn)
                    .AddList("ActionNames", actionNames).AddList("ResourceArns", resourceArns, omitWhenEmpty: true),
                "EvaluationResults", ReadEvaluation, cancellationToken).ConfigureAwait(false);

        private static PolicySimulationResult ReadEvaluation(XElement result) => new PolicySimulationResult
        {
            ActionName = AwsXml.TextOrEmpty(result, "EvalActionName"),
            ResourceName = AwsXml.Text(result, "EvalResourceName") ?? "*",
            Decision = AwsXml.TextOrEmpty(result, "EvalDecision"),
            MissingContextValues = AwsXml.Strings(result, "MissingContextValues"),
            ResourceDecisions = AwsXml.Members(result, "ResourceSpecificResults")
                .GroupBy(m => AwsXml.TextOrEmpty(m, "EvalResourceName"), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => AwsXml.TextOrEmpty(g.First(), "EvalResourceDecision"), StringComparer.Ordinal),
        };

        /// <summary>
        /// Follows Marker while IsTruncated, collecting the members of <paramref name="listName"/> from every page. A Marker
        /// that repeats an earlier page is a malformed answer, not a loop (as the Organizations client treats NextToken).
        /// </summary>
        private async Task<List<T>> ListAllAsync<T>(Func<AwsQueryRequest> newRequest, string listName, Func<XElement, T> read, CancellationToken cancellationToken)
        {
            var all = new List<T>();
            var seenMarkers = new HashSet<string>(StringComparer.Ordinal);
            string? marker = null;
            do
            {
                var request = newRequest();
                if (marker != null) request.Add("Marker", marker);
                var result = await _query.SendAsync(request, cancellationToken).ConfigureAwait(false);
                all.AddRange(AwsXml.Members(result, listName).Select(read));
                marker = AwsXml.Bool(result, "IsTruncated") ? AwsXml.Text(result, "Marker") : null;
                if (!string.IsNullOrEmpty(marker) && !seenMarkers.Add(marker!))
                    throw new AwsServiceException(_query.Service.DisplayName, request.Action, "MalformedResponse",
                        _query.Service.DisplayName + " " + request.Action + " answered with a Marker that repeats an earlier page.", 200, null);
            }
            while (!string.IsNullOrEmpty(marker));
            return all;
        }

        private static async Task<T?> NullIfNoSuchEntity<T>(Func<Task<T>> get) where T : class
        {
            try { return await get().ConfigureAwait(false); }
            catch (AwsServiceException ex) when (ex.IsNoSuchEntity) { return null; }
        }

        private static ManagedPolicyDescription ReadPolicy(XElement? policy) => new ManagedPolicyDescription
        {
            Arn = AwsXml.TextOrEmpty(policy, "Arn"),
            PolicyName = AwsXml.TextOrEmpty(policy, "PolicyName"),
            PolicyId = AwsXml.TextOrEmpty(policy, "PolicyId"),
            DefaultVersionId = AwsXml.TextOrEmpty(policy, "DefaultVersionId"),
            AttachmentCount = AwsXml.Int(policy, "AttachmentCount") ?? 0,
            Path = AwsXml.Text(policy, "Path") ?? "/",
            Tags = AwsXml.Tags(policy),
        };

        private static PolicyVersionDescription ReadPolicyVersion(XElement? version)
        {
            var document = AwsXml.Text(version, "Document");
            return new PolicyVersionDescription
            {
                VersionId = AwsXml.TextOrEmpty(version, "VersionId"),
                IsDefaultVersion = AwsXml.Bool(version, "IsDefaultVersion"),
                CreateDate = AwsXml.Date(version, "CreateDate"),
                Document = document == null ? null : AwsXml.DecodeDocument(document),
            };
        }

        private static RoleDescription ReadRole(XElement? role) => new RoleDescription
        {
            Arn = AwsXml.TextOrEmpty(role, "Arn"),
            RoleName = AwsXml.TextOrEmpty(role, "RoleName"),
            RoleId = AwsXml.TextOrEmpty(role, "RoleId"),
            Path = AwsXml.Text(role, "Path") ?? "/",
            AssumeRolePolicyDocument = AwsXml.DecodeDocument(AwsXml.Text(role, "AssumeRolePolicyDocument")),
            Description = AwsXml.Text(role, "Description"),
            MaxSessionDuration = AwsXml.Int(role, "MaxSessionDuration") ?? 3600,
            Tags = AwsXml.Tags(role),
            CreateDate = AwsXml.Date(role, "CreateDate"),
        };
    }
}
