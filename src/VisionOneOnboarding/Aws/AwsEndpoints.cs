using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Values;

namespace VisionOneOnboarding.Aws
{
    /// <summary>One AWS partition: where its (global) IAM lives and how its hosts are named.</summary>
    public sealed class AwsPartition
    {
        public AwsPartition(string name, Uri iamEndpoint, string iamSigningRegion, string dnsSuffix)
        {
            Name = name; IamEndpoint = iamEndpoint; IamSigningRegion = iamSigningRegion; DnsSuffix = dnsSuffix;
        }
        /// <summary>aws, aws-cn or aws-us-gov — the second field of every ARN.</summary>
        public string Name { get; }
        public Uri IamEndpoint { get; }
        public string IamSigningRegion { get; }
        public string DnsSuffix { get; }
        public override string ToString() => Name;
    }

    /// <summary>Where a service is reached and which region its signatures name.</summary>
    public sealed class AwsPartitionEndpoint
    {
        public AwsPartitionEndpoint(Uri url, string signingRegion) { Url = url; SigningRegion = signingRegion; }
        public Uri Url { get; }
        public string SigningRegion { get; }
    }

    /// <summary>Partition-aware endpoints for IAM, STS and Organizations, and the check applied to a user's -EndpointUrl.</summary>
    public static class AwsEndpoints
    {
        public static AwsPartition Aws { get; } = new AwsPartition("aws", new Uri("https://iam.amazonaws.com/"), "us-east-1", "amazonaws.com");
        public static AwsPartition China { get; } = new AwsPartition("aws-cn", new Uri("https://iam.cn-north-1.amazonaws.com.cn/"), "cn-north-1", "amazonaws.com.cn");
        public static AwsPartition GovCloud { get; } = new AwsPartition("aws-us-gov", new Uri("https://iam.us-gov.amazonaws.com/"), "us-gov-west-1", "amazonaws.com");

        public static IReadOnlyList<AwsPartition> Partitions { get; } = new[] { Aws, China, GovCloud };

        /// <summary>True for names shaped like an AWS region (us-east-1, cn-north-1, us-gov-west-1).</summary>
        public static bool IsWellFormedRegion(string? region) => AwsRegionCode.IsValid(region);

        /// <summary>The partition by name (as found in an ARN); unknown names fall back to the commercial partition.</summary>
        public static AwsPartition ForPartitionName(string? name) =>
            Partitions.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal)) ?? Aws;

        public static AwsPartition PartitionForRegion(string region)
        {
            if (region.StartsWith("cn-", StringComparison.Ordinal)) return China;
            if (region.StartsWith("us-gov-", StringComparison.Ordinal)) return GovCloud;
            return Aws;
        }

        /// <summary>
        /// Organizations is global per partition, like IAM, but named and signed by the region that hosts it:
        /// us-east-1 (aws), cn-northwest-1 (aws-cn), us-gov-west-1 (aws-us-gov).
        /// </summary>
        public static AwsPartitionEndpoint OrganizationsFor(AwsPartition partition)
        {
            var region = partition.Name == China.Name ? "cn-northwest-1" : partition.Name == GovCloud.Name ? "us-gov-west-1" : "us-east-1";
            return new AwsPartitionEndpoint(new Uri("https://organizations." + region + "." + partition.DnsSuffix + "/"), region);
        }

        /// <summary>STS is called regionally (the global endpoint is legacy): https://sts.{region}.{dns suffix}/.</summary>
        public static Uri StsEndpointForRegion(string region) =>
            new Uri("https://sts." + region + "." + PartitionForRegion(region).DnsSuffix + "/");

        /// <summary>
        /// Checks a user-supplied endpoint override: absolute http(s), no credentials, query or fragment in it,
        /// and plain http only to this machine (127.0.0.0/8, ::1, localhost) so signed requests never cross a network unencrypted.
        /// </summary>
        public static Uri ValidateEndpointUrl(string endpointUrl)
        {
            if (!Uri.TryCreate(endpointUrl?.Trim() ?? "", UriKind.Absolute, out var uri) ||
                (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
            {
                throw new VisionOneException(ErrorCatalogue.InvalidEndpointUrl,
                    "The endpoint URL '" + endpointUrl + "' is not an absolute http or https URL. Pass something like https://iam.example.com or http://127.0.0.1:5000.",
                    endpointUrl);
            }
            if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                throw new VisionOneException(ErrorCatalogue.InvalidEndpointUrl,
                    "The endpoint URL must not contain user information, a query or a fragment. Pass only scheme, host, port and path.",
                    uri.GetLeftPart(UriPartial.Path));
            }
            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopbackHost(uri))
            {
                throw new VisionOneException(ErrorCatalogue.InsecureEndpoint,
                    "The endpoint URL '" + uri + "' uses plain http on a host that is not this machine. Use https, or http only with 127.0.0.1, ::1 or localhost.",
                    uri.ToString());
            }
            return uri;
        }

        private static bool IsLoopbackHost(Uri uri)
        {
            if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
            return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
        }
    }
}
