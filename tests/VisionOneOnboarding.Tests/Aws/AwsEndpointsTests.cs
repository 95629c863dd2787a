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
