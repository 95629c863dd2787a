using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Aws
{
    /// <summary>
    /// The AWS Organizations calls the module needs, each list read to its end (NextToken paging inside).
    /// Implemented over the JSON 1.1 protocol by <see cref="OrganizationsJsonClient"/> (AWSSDK.Organizations is not obtainable here).
    /// </summary>
    public interface IOrganizationsClient
    {
        Task<OrganizationInfo> DescribeOrganizationAsync(CancellationToken cancellationToken);
        /// <summary>Every account of the organization, in every state.</summary>
        Task<IReadOnlyList<OrganizationAccount>> ListAccountsAsync(CancellationToken cancellationToken);
        /// <summary>The accounts directly under a root or OU (not those of child OUs).</summary>
        Task<IReadOnlyList<OrganizationAccount>> ListAccountsForParentAsync(string parentId, CancellationToken cancellationToken);
        /// <summary>The OUs directly under a root or OU.</summary>
        Task<IReadOnlyList<OrganizationalUnit>> ListOrganizationalUnitsForParentAsync(string parentId, CancellationToken cancellationToken);
    }

    public sealed class OrganizationInfo
    {
        public string Id { get; set; } = "";
        public string Arn { get; set; } = "";
        public string FeatureSet { get; set; } = "";
        /// <summary>The management account (Organizations still calls it "master" on the wire).</summary>
        public string ManagementAccountId { get; set; } = "";
        public string ManagementAccountArn { get; set; } = "";
        public string ManagementAccountEmail { get; set; } = "";
    }

    public sealed class OrganizationAccount
    {
        public const string Active = "ACTIVE";

        public string Id { get; set; } = "";
        public string Arn { get; set; } = "";
        public string Name { get; set; } = "";
        public string Email { get; set; } = "";
        /// <summary>
        /// PENDING_ACTIVATION, ACTIVE, SUSPENDED, PENDING_CLOSURE or CLOSED: the account's <c>State</c>. Organizations
        /// retired the older <c>Status</c> field on 2026-09-09; it is read only from an answer that carries no <c>State</c>.
        /// </summary>
        public string State { get; set; } = "";
        /// <summary>INVITED or CREATED.</summary>
        public string JoinedMethod { get; set; } = "";
        public DateTime? JoinedTimestamp { get; set; }

        public bool IsActive => string.Equals(State, Active, StringComparison.Ordinal);
        public override string ToString() => Id + " (" + State + ")";
    }

    public sealed class OrganizationalUnit
    {
        public string Id { get; set; } = "";
        public string Arn { get; set; } = "";
        public string Name { get; set; } = "";
        public override string ToString() => Name + " (" + Id + ")";
    }
}
