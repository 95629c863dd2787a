using System;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Tests.Aws
{
    public class AwsEndpointsTests
    {
        [Theory]
        [InlineData("us-east-1", "aws", "https://iam.amazonaws.com/", "us-east-1", "https://sts.us-east-1.amazonaws.com/")]
        [InlineData("eu-central-1", "aws", "https://iam.amazonaws.com/", "us-east-1", "https://sts.eu-central-1.amazonaws.com/")]
        [InlineData("cn-northwest-1", "aws-cn", "https://iam.cn-north-1.amazonaws.com.cn/", "cn-north-1", "https://sts.cn-northwest-1.amazonaws.com.cn/")]
        [InlineData("us-gov-east-1", "aws-us-gov", "https://iam.us-gov.amazonaws.com/", "us-gov-west-1", "https://sts.us-gov-east-1.amazonaws.com/")]
        public void Partition_and_endpoints_follow_the_region(string region, string partition, string iam, string iamSigningRegion, string sts)
        {
            var p = AwsEndpoints.PartitionForRegion(region);
            Assert.Equal(partition, p.Name);
            Assert.Equal(new Uri(iam), p.IamEndpoint);
            Assert.Equal(iamSigningRegion, p.IamSigningRegion);
            Assert.Equal(new Uri(sts), AwsEndpoints.StsEndpointForRegion(region));
            Assert.Same(p, AwsEndpoints.ForPartitionName(partition));
        }

        [Theory]
        [InlineData("aws", "us-east-1", "https://iam-fips.amazonaws.com/", "https://sts-fips.us-east-1.amazonaws.com/", "https://organizations-fips.us-east-1.amazonaws.com/")]
        [InlineData("aws", "us-west-2", "https://iam-fips.amazonaws.com/", "https://sts-fips.us-west-2.amazonaws.com/", "https://organizations-fips.us-east-1.amazonaws.com/")]
        [InlineData("aws-us-gov", "us-gov-east-1", "https://iam.us-gov.amazonaws.com/", "https://sts.us-gov-east-1.amazonaws.com/", "https://organizations.us-gov-west-1.amazonaws.com/")]
        public void FIPS_hosts_are_those_AWS_publishes_and_in_GovCloud_the_normal_ones(string partition, string region, string iam, string sts, string organizations)
        {
            var p = AwsEndpoints.ForPartitionName(partition);
            Assert.Equal(new Uri(iam), AwsEndpoints.IamEndpointFor(p, fips: true));
            Assert.Equal(new Uri(sts), AwsEndpoints.StsEndpointForRegion(region, fips: true));
            Assert.Equal(new Uri(organizations), AwsEndpoints.OrganizationsFor(p, fips: true).Url);
        }

        [Theory]
        [InlineData("cn-north-1")]
        [InlineData("eu-west-1")]
        [InlineData("ap-southeast-2")]
        public void FIPS_where_AWS_has_no_FIPS_endpoint_is_refused_before_any_call(string region)
        {
            var ex = Assert.Throws<VisionOneException>(() => AwsEndpoints.StsEndpointForRegion(region, fips: true));
            Assert.Equal(ErrorCatalogue.FipsEndpointUnavailable.Id, ex.ErrorId);
            Assert.Contains("Nothing was called", ex.Message);
            Assert.Equal(ErrorScope.Setup, ex.Error.Scope);
            if (region.StartsWith("cn-", StringComparison.Ordinal))
            {
                Assert.Throws<VisionOneException>(() => AwsEndpoints.IamEndpointFor(AwsEndpoints.China, fips: true));
                Assert.Throws<VisionOneException>(() => AwsEndpoints.OrganizationsFor(AwsEndpoints.China, fips: true));
            }
        }

        [Theory]
        [InlineData("us-iso-east-1", "aws-iso", "c2s.ic.gov")]
        [InlineData("us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov")]
        [InlineData("eu-isoe-west-1", "aws-iso-e", "cloud.adc-e.uk")]
        [InlineData("us-isof-south-1", "aws-iso-f", "csp.hci.ic.gov")]
        [InlineData("eusc-de-east-1", "aws-eusc", "amazonaws.eu")]
        public void Partitions_the_module_does_not_serve_are_refused_by_name_never_taken_for_aws(string region, string partition, string dnsSuffix)
        {
            Assert.True(AwsEndpoints.IsWellFormedRegion(region));
            var byRegion = Assert.Throws<VisionOneException>(() => AwsEndpoints.StsEndpointForRegion(region));
            Assert.Equal(ErrorCatalogue.UnsupportedAwsPartition.Id, byRegion.ErrorId);
            Assert.Contains(partition + " (hosts *." + dnsSuffix + ")", byRegion.Message);
            var byArn = Assert.Throws<VisionOneException>(() => AwsEndpoints.ForPartitionName(partition));
            Assert.Equal(ErrorCatalogue.UnsupportedAwsPartition.Id, byArn.ErrorId);
            Assert.Contains("aws, aws-cn, aws-us-gov", byArn.Message);
        }

        [Theory]
        [InlineData("http://127.0.0.1:5000")]
        [InlineData("http://127.8.9.10:80/")]
        [InlineData("http://localhost:1234")]
        [InlineData("http://LOCALHOST")]
        [InlineData("http://[::1]:8080/")]
        [InlineData("https://iam.example.com")]
        [InlineData("https://10.0.0.5:8443/iam")]
        public void Accepted_endpoints(string url)
        {
            var uri = AwsEndpoints.ValidateEndpointUrl(url);
            Assert.True(uri.IsAbsoluteUri);
        }

        [Theory]
        [InlineData("http://iam.amazonaws.com", "VisionOne.InsecureEndpoint")]
        [InlineData("http://10.0.0.5:5000", "VisionOne.InsecureEndpoint")]
        [InlineData("http://localhost.example.com", "VisionOne.InsecureEndpoint")]
        [InlineData("http://128.0.0.1", "VisionOne.InsecureEndpoint")]
        [InlineData("ftp://127.0.0.1", "VisionOne.InvalidEndpointUrl")]
        [InlineData("127.0.0.1:5000", "VisionOne.InvalidEndpointUrl")]
        [InlineData("/relative", "VisionOne.InvalidEndpointUrl")]
        [InlineData("", "VisionOne.InvalidEndpointUrl")]
        [InlineData("https://user:pw@iam.example.com", "VisionOne.InvalidEndpointUrl")]
        [InlineData("https://iam.example.com/?a=b", "VisionOne.InvalidEndpointUrl")]
        public void Rejected_endpoints_carry_a_stable_error_id(string url, string errorId)
        {
            var ex = Assert.Throws<VisionOneException>(() => AwsEndpoints.ValidateEndpointUrl(url));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Equal(errorId == ErrorCatalogue.InsecureEndpoint.Id ? FailureKind.SecurityError : FailureKind.InvalidArgument, ex.Kind);
            Assert.DoesNotContain("pw@", ex.Message);
        }

        [Theory]
        [InlineData("us-east-1", true)]
        [InlineData("us-gov-west-1", true)]
        [InlineData("ap-southeast-5", true)]
        [InlineData("US-EAST-1", false)]
        [InlineData("useast1", false)]
        [InlineData("us-east", false)]
        public void Region_names_are_recognised(string region, bool wellFormed) =>
            Assert.Equal(wellFormed, AwsEndpoints.IsWellFormedRegion(region));
    }
}
