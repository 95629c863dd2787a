using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.VisionOne
{
    /// <summary>Which Cloud Accounts path family to call.</summary>
    public enum ApiVersion
    {
        /// <summary>/v3.0/cam/... — generally available; the default.</summary>
        V3_0,
        /// <summary>/beta/cam/... — used by Trend's Terraform provider.</summary>
        Beta,
        /// <summary>/beta/xdr/cam/... — the path in the manual procedure's Python sample.</summary>
        BetaXdr,
    }

    public static class ApiVersions
    {
        /// <summary>The spellings users type (-ApiVersion v3.0|beta|beta-xdr).</summary>
        public static IReadOnlyList<string> Names { get; } = new[] { "v3.0", "beta", "beta-xdr" };

        public static ApiVersion Parse(string? name)
        {
            switch ((name ?? "").Trim().ToLowerInvariant())
            {
                case "":
                case "v3.0":
                case "v3_0":
                    return ApiVersion.V3_0;
                case "beta":
                    return ApiVersion.Beta;
                case "beta-xdr":
                case "betaxdr":
                    return ApiVersion.BetaXdr;
                default:
                    throw new VisionOneException(ErrorCatalogue.UnknownApiVersion,
                        "Unknown Vision One API version '" + name + "'. Valid values: " + string.Join(", ", Names) + ".");
            }
        }

        /// <summary>The Cloud Accounts path prefix, without leading or trailing slash.</summary>
        public static string CamPrefix(ApiVersion version)
        {
            switch (version)
            {
                case ApiVersion.Beta: return "beta/cam";
                case ApiVersion.BetaXdr: return "beta/xdr/cam";
                default: return "v3.0/cam";
            }
        }
    }

    /// <summary>What generateCfnTemplateLinks answers.</summary>
    public sealed class V1TemplateLinks
    {
        /// <summary>Usually a pre-signed storage URL: its query is a credential, used for the download only.</summary>
        public string TemplateUrl { get; set; } = "";
        /// <summary>https://cloudaccounts-{region}.xdr.trendmicro.com: the issuer IAM must trust.</summary>
        public string VisionOneOidcProviderUrl { get; set; } = "";
        /// <summary>The console link; it embeds the pre-signed template URL, so it is shown only without its query.</summary>
        public string CreateStackUrl { get; set; } = "";

        /// <summary>The template URL as it may be shown, logged or stored (<see cref="Net.UrlRedaction"/>).</summary>
        public string TemplateUrlForDisplay => Net.UrlRedaction.WithoutCredentials(TemplateUrl) ?? "";

        /// <summary>The console link as it may be shown: without the query that carries the pre-signed template URL.</summary>
        public string CreateStackUrlForDisplay => Net.UrlRedaction.WithoutCredentials(CreateStackUrl) ?? "";
    }

    /// <summary>A connected AWS account as Cloud Accounts reports it.</summary>
    public sealed class V1AwsAccount
    {
        /// <summary>The 12-digit AWS account id.</summary>
        public string Id { get; set; } = "";
        public string RoleArn { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        /// <summary>managed, outdated or failed.</summary>
        public string State { get; set; } = "";
        public DateTime? CreatedDateTime { get; set; }
        public DateTime? UpdatedDateTime { get; set; }
        public DateTime? LastSyncedDateTime { get; set; }
        public List<V1AccountFeature> Features { get; set; } = new List<V1AccountFeature>();
        public List<V1ConnectedSecurityService> ConnectedSecurityServices { get; set; } = new List<V1ConnectedSecurityService>();
        public List<V1CustomTag> CustomTags { get; set; } = new List<V1CustomTag>();
        public string? OrganizationId { get; set; }
        public List<string> Sources { get; set; } = new List<string>();
        /// <summary>Why the account is not managed, where the service says (the emulator does; the real API reports per feature).</summary>
        public List<string> MissingPieces { get; set; } = new List<string>();
        /// <summary>From the ETag header of a single-account GET; what an update must send as If-Match. Null from lists.</summary>
        [JsonIgnore]
        public string? ETag { get; set; }

        public override string ToString() => Id + " (" + Name + ", " + State + ")";
    }

    public sealed class V1AccountFeature
    {
        public string Id { get; set; } = "";
        public List<string> Regions { get; set; } = new List<string>();
        public List<string> MissingAwsPermissions { get; set; } = new List<string>();
        public string? TemplateVersion { get; set; }
    }

    public sealed class V1ConnectedSecurityService
    {
        /// <summary>"workload" for Server &amp; Workload Protection.</summary>
        public string Name { get; set; } = "";
        public List<string> InstanceIds { get; set; } = new List<string>();
        public List<string> Regions { get; set; } = new List<string>();
    }

    public sealed class V1CustomTag
    {
        public string Key { get; set; } = "";
        public string Value { get; set; } = "";
    }

    /// <summary>An entry of the feature list.</summary>
    public sealed class V1Feature
    {
        public string Id { get; set; } = "";
        public string? Name { get; set; }
        public string? Description { get; set; }
    }

    /// <summary>The fields an update changes; null means "leave as is".</summary>
    public sealed class V1AwsAccountPatch
    {
        public string? RoleArn { get; set; }
        public string? Name { get; set; }
        public string? Description { get; set; }
        /// <summary>Server &amp; Workload Protection instance to connect (one per AWS account).</summary>
        public string? WorkloadInstanceId { get; set; }
    }
}
