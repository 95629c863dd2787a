using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Values;

namespace VisionOneOnboarding.Aws
{
    /// <summary>One AWS partition: where its (global) IAM and Organizations live, and how its hosts are named.</summary>
    public sealed class AwsPartition
    {
        public AwsPartition(string name, Uri iamEndpoint, string iamSigningRegion, string dnsSuffix, string organizationsRegion, Fips fips)
        {
            Name = name; IamEndpoint = iamEndpoint; IamSigningRegion = iamSigningRegion; DnsSuffix = dnsSuffix;
            OrganizationsRegion = organizationsRegion; FipsHosts = fips;
        }

        /// <summary>How a partition offers FIPS 140 endpoints (botocore's endpoints.json, "fips" variants).</summary>
        public enum Fips
        {
            /// <summary>No FIPS endpoints for IAM, STS or Organizations (aws-cn).</summary>
            None,
            /// <summary>Hosts of their own: iam-fips.amazonaws.com, sts-fips.&lt;region&gt;.amazonaws.com (US regions), organizations-fips.us-east-1.amazonaws.com.</summary>
            SeparateHosts,
            /// <summary>The normal hosts are FIPS endpoints (aws-us-gov).</summary>
            NormalHosts,
        }

        /// <summary>aws, aws-cn or aws-us-gov — the second field of every ARN.</summary>
        public string Name { get; }
        public Uri IamEndpoint { get; }
        public string IamSigningRegion { get; }
        public string DnsSuffix { get; }
        /// <summary>The region that hosts (and signs for) the partition's one Organizations endpoint.</summary>
        public string OrganizationsRegion { get; }
        public Fips FipsHosts { get; }
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
        public static AwsPartition Aws { get; } = new AwsPartition("aws", new Uri("https://iam.amazonaws.com/"), "us-east-1", "amazonaws.com",
            "us-east-1", AwsPartition.Fips.SeparateHosts);
        public static AwsPartition China { get; } = new AwsPartition("aws-cn", new Uri("https://iam.cn-north-1.amazonaws.com.cn/"), "cn-north-1", "amazonaws.com.cn",
            "cn-northwest-1", AwsPartition.Fips.None);
        public static AwsPartition GovCloud { get; } = new AwsPartition("aws-us-gov", new Uri("https://iam.us-gov.amazonaws.com/"), "us-gov-west-1", "amazonaws.com",
            "us-gov-west-1", AwsPartition.Fips.NormalHosts);

        /// <summary>The partitions the module works in: those Vision One Cloud Accounts serves.</summary>
        public static IReadOnlyList<AwsPartition> Partitions { get; } = new[] { Aws, China, GovCloud };

        /// <summary>The regions of aws in which STS has a FIPS host (sts-fips.&lt;region&gt;.amazonaws.com), per botocore's endpoints.json.</summary>
        private static readonly string[] StsFipsRegions = { "us-east-1", "us-east-2", "us-west-1", "us-west-2" };

        /// <summary>
        /// Partitions AWS has that the module does not serve, by their region prefix and host suffix (botocore's
        /// endpoints.json): refused by name rather than mistaken for aws and called on the wrong hosts.
        /// </summary>
        private static readonly (string Prefix, string Name, string DnsSuffix)[] OtherPartitions =
        {
            ("us-isob-", "aws-iso-b", "sc2s.sgov.gov"),
            ("us-isof-", "aws-iso-f", "csp.hci.ic.gov"),
            ("us-iso-", "aws-iso", "c2s.ic.gov"),
            ("eu-isoe-", "aws-iso-e", "cloud.adc-e.uk"),
            ("eusc-", "aws-eusc", "amazonaws.eu"),
        };

        /// <summary>True for names shaped like an AWS region (us-east-1, cn-north-1, us-gov-west-1).</summary>
        public static bool IsWellFormedRegion(string? region) => AwsRegionCode.IsValid(region);

        /// <summary>The partition by name (as found in an ARN).</summary>
        /// <exception cref="VisionOneException">VisionOne.UnsupportedAwsPartition: a partition the module does not serve.</exception>
        public static AwsPartition ForPartitionName(string? name) =>
            Partitions.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal))
            ?? throw Unsupported("The AWS credentials belong to partition '" + name + "'", name);

        /// <exception cref="VisionOneException">VisionOne.UnsupportedAwsPartition: the region is in a partition the module does not serve.</exception>
        public static AwsPartition PartitionForRegion(string region)
        {
            var other = OtherPartitions.FirstOrDefault(p => region.StartsWith(p.Prefix, StringComparison.Ordinal));
            if (other.Name != null)
                throw Unsupported("The AWS region " + region + " is in partition " + other.Name + " (hosts *." + other.DnsSuffix + ")", region);
            if (region.StartsWith("cn-", StringComparison.Ordinal)) return China;
            if (region.StartsWith("us-gov-", StringComparison.Ordinal)) return GovCloud;
            return Aws;
        }

        /// <summary>
        /// Organizations is global per partition, like IAM, but named and signed by the region that hosts it:
        /// us-east-1 (aws), cn-northwest-1 (aws-cn), us-gov-west-1 (aws-us-gov); with <paramref name="fips"/>,
        /// organizations-fips.us-east-1.amazonaws.com in aws, the normal host in aws-us-gov.
        /// </summary>
        /// <exception cref="VisionOneException">VisionOne.FipsEndpointUnavailable: FIPS asked for where AWS has none.</exception>
        public static AwsPartitionEndpoint OrganizationsFor(AwsPartition partition, bool fips = false)
        {
            var region = partition.OrganizationsRegion;
            var service = FipsHost(partition, fips, "Organizations") ? "organizations-fips" : "organizations";
            return new AwsPartitionEndpoint(new Uri("https://" + service + "." + region + "." + partition.DnsSuffix + "/"), region);
        }

        /// <summary>IAM of the partition: https://iam.amazonaws.com/ (aws); with <paramref name="fips"/>, iam-fips.amazonaws.com in aws.</summary>
        /// <exception cref="VisionOneException">VisionOne.FipsEndpointUnavailable: FIPS asked for where AWS has none.</exception>
        public static Uri IamEndpointFor(AwsPartition partition, bool fips = false) =>
            FipsHost(partition, fips, "IAM") ? new Uri("https://iam-fips." + partition.DnsSuffix + "/") : partition.IamEndpoint;

        /// <summary>
        /// STS is called regionally (the global endpoint is legacy): https://sts.{region}.{dns suffix}/; with
        /// <paramref name="fips"/>, sts-fips.{region}.amazonaws.com in the four US regions of aws that have one.
        /// </summary>
        /// <exception cref="VisionOneException">VisionOne.UnsupportedAwsPartition, or VisionOne.FipsEndpointUnavailable.</exception>
        public static Uri StsEndpointForRegion(string region, bool fips = false)
        {
            var partition = PartitionForRegion(region);
            if (FipsHost(partition, fips, "STS"))
            {
                if (Array.IndexOf(StsFipsRegions, region) < 0)
                    throw new VisionOneException(ErrorCatalogue.FipsEndpointUnavailable,
                        "FIPS endpoints are asked for (AWS_USE_FIPS_ENDPOINT or use_fips_endpoint), but STS has no FIPS endpoint in " + region +
                        ": AWS offers sts-fips in " + string.Join(", ", StsFipsRegions) + ". Nothing was called. Pass -Region with one of them, or turn FIPS off.", region);
                return new Uri("https://sts-fips." + region + "." + partition.DnsSuffix + "/");
            }
            return new Uri("https://sts." + region + "." + partition.DnsSuffix + "/");
        }

        /// <summary>True when <paramref name="fips"/> asks for a host of its own; refuses a partition without FIPS endpoints.</summary>
        private static bool FipsHost(AwsPartition partition, bool fips, string service)
        {
            if (!fips) return false;
            if (partition.FipsHosts == AwsPartition.Fips.None)
                throw new VisionOneException(ErrorCatalogue.FipsEndpointUnavailable,
                    "FIPS endpoints are asked for (AWS_USE_FIPS_ENDPOINT or use_fips_endpoint), but AWS offers no FIPS endpoint for " + service + " in partition " + partition.Name +
                    ". Nothing was called. Turn FIPS off for this account (AWS_USE_FIPS_ENDPOINT=false).", partition.Name);
            return partition.FipsHosts == AwsPartition.Fips.SeparateHosts;
        }

        private static VisionOneException Unsupported(string what, string? target) =>
            new VisionOneException(ErrorCatalogue.UnsupportedAwsPartition,
                what + ", which this module does not serve: it works in " + string.Join(", ", Partitions.Select(p => p.Name)) +
                ", the partitions Vision One Cloud Accounts connects. Nothing was called.", target);

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
