using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Tests.Aws
{
    public class AwsAccountContextTests
    {
        private static readonly Dictionary<string, string> NoEnvironment = new Dictionary<string, string> { ["AWS_EC2_METADATA_DISABLED"] = "true" };

        private static AwsClientSettings Settings(FakeAwsHandler handler, string? endpointUrl = null, string region = "eu-west-1") => new AwsClientSettings
        {
            Credentials = new AwsCredentialRequest { AccessKey = "AKIDCALLER", SecretKey = "callerSecret", Region = region },
            EndpointUrl = endpointUrl,
            Handler = handler,
            Retry = TestAws.NoWaitRetry(),
            Environment = name => NoEnvironment.TryGetValue(name, out var v) ? v : null,
        };

        /// <summary>Answers like STS and IAM would, telling callers apart by the access key in the Authorization header.</summary>
        private static FakeAwsHandler FakeAws(string callerArn) => new FakeAwsHandler(r =>
        {
            var authorization = r.Headers["Authorization"];
            switch (r.Action)
            {
                case "GetCallerIdentity":
                    var arn = authorization.Contains("Credential=ASIAMEMBER/") ? "arn:aws:sts::210987654321:assumed-role/OrgRole/onboard" : callerArn;
                    return FakeAwsHandler.Ok("GetCallerIdentity", "<Arn>" + arn + "</Arn><UserId>U</UserId><Account>" + arn.Split(':')[4] + "</Account>");
                case "AssumeRole":
                    return FakeAwsHandler.Ok("AssumeRole", "<Credentials><AccessKeyId>ASIAMEMBER</AccessKeyId><SecretAccessKey>memberSecret</SecretAccessKey>" +
                        "<SessionToken>memberToken</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>");
                case "ListOpenIDConnectProviders":
                    return FakeAwsHandler.Ok("ListOpenIDConnectProviders", "<OpenIDConnectProviderList/>");
                default:
                    return FakeAwsHandler.Error(400, "InvalidAction", r.Action);
            }
        });

        [Fact]
        public async Task Learns_account_and_partition_from_STS_and_uses_partition_endpoints()
        {
            var handler = FakeAws("arn:aws:iam::123456789012:user/admin");
            var log = new CollectingLogSink();
            var context = await AwsAccountContext.CreateAsync(Settings(handler), log, CancellationToken.None);
            await context.Iam.ListOpenIdConnectProvidersAsync(CancellationToken.None);

            Assert.Equal("123456789012", context.AccountId);
            Assert.Equal("aws", context.Partition);
            Assert.Equal("eu-west-1", context.Region);
            Assert.Equal("arn:aws:iam::123456789012:user/admin", context.CallerArn);
            Assert.Contains("-AccessKey", context.CredentialSource);

            Assert.Equal(new Uri("https://sts.eu-west-1.amazonaws.com/"), handler.Requests[0].Uri);
            Assert.Contains("/eu-west-1/sts/aws4_request", handler.Requests[0].Headers["Authorization"]);
            Assert.Equal(new Uri("https://iam.amazonaws.com/"), handler.Requests[1].Uri);
            Assert.Contains("/us-east-1/iam/aws4_request", handler.Requests[1].Headers["Authorization"]);
            Assert.Contains(log.DebugLines, l => l.Contains("123456789012") && l.Contains("partition aws"));
        }

        [Fact]
        public async Task EndpointUrl_overrides_both_services_and_partition_still_drives_signing()
        {
            var handler = FakeAws("arn:aws-us-gov:iam::123456789012:user/admin");
            var context = await AwsAccountContext.CreateAsync(Settings(handler, "http://127.0.0.1:5055", "us-gov-west-1"), new CollectingLogSink(), CancellationToken.None);
            await context.Iam.ListOpenIdConnectProvidersAsync(CancellationToken.None);

            Assert.Equal("aws-us-gov", context.Partition);
            Assert.All(handler.Requests, r => Assert.Equal(new Uri("http://127.0.0.1:5055/"), r.Uri));
            Assert.Contains("/us-gov-west-1/iam/aws4_request", handler.Requests[1].Headers["Authorization"]);
        }

        [Fact]
        public async Task Insecure_endpoint_is_refused_before_any_call()
        {
            var handler = FakeAws("arn:aws:iam::123456789012:user/admin");
            var ex = await Assert.ThrowsAsync<VisionOneException>(() =>
                AwsAccountContext.CreateAsync(Settings(handler, "http://iam.example.com"), new CollectingLogSink(), CancellationToken.None));
            Assert.Equal(ErrorCatalogue.InsecureEndpoint.Id, ex.ErrorId);
            Assert.Empty(handler.Requests);
        }

        [Fact]
        public async Task Missing_credentials_are_refused_before_any_call()
        {
            var handler = FakeAws("arn:aws:iam::123456789012:user/admin");
            var settings = Settings(handler);
            var empty = System.IO.Path.GetTempFileName();
            try
            {
                settings.Credentials = new AwsCredentialRequest { ProfileLocation = empty, Region = "us-east-1" };
                var ex = await Assert.ThrowsAsync<VisionOneException>(() => AwsAccountContext.CreateAsync(settings, new CollectingLogSink(), CancellationToken.None));
                Assert.Equal(ErrorCatalogue.AwsCredentialsNotFound.Id, ex.ErrorId);
                Assert.Empty(handler.Requests);
            }
            finally { System.IO.File.Delete(empty); }
        }

        [Fact]
        public async Task AssumeRole_gives_a_member_account_context_acting_with_the_new_credentials()
        {
            var handler = FakeAws("arn:aws:iam::123456789012:user/admin");
            var root = await AwsAccountContext.CreateAsync(Settings(handler), new CollectingLogSink(), CancellationToken.None);

            var member = await root.AssumeRoleAsync("arn:aws:iam::210987654321:role/OrgRole", "onboard", CancellationToken.None);
            await member.Iam.ListOpenIdConnectProvidersAsync(CancellationToken.None);

            Assert.Equal("210987654321", member.AccountId);
            Assert.Equal("arn:aws:sts::210987654321:assumed-role/OrgRole/onboard", member.CallerArn);
            Assert.Equal("eu-west-1", member.Region);
            Assert.Equal("123456789012", root.AccountId);
            Assert.Contains("OrgRole", member.CredentialSource);

            var assume = handler.Requests.Single(r => r.Action == "AssumeRole");
            Assert.Contains("Credential=AKIDCALLER/", assume.Headers["Authorization"]);
            var memberIam = handler.Requests.Last();
            Assert.Equal("ListOpenIDConnectProviders", memberIam.Action);
            Assert.Contains("Credential=ASIAMEMBER/", memberIam.Headers["Authorization"]);
            Assert.Equal("memberToken", memberIam.Headers["X-Amz-Security-Token"]);
        }

        [Theory]
        [InlineData("arn:aws:iam::21098765432:role/OrgRole")]
        [InlineData("arn:aws:iam::210987654321:user/bob")]
        [InlineData("OrgRole")]
        public async Task AssumeRole_refuses_a_malformed_role_arn(string roleArn)
        {
            var handler = FakeAws("arn:aws:iam::123456789012:user/admin");
            var root = await AwsAccountContext.CreateAsync(Settings(handler), new CollectingLogSink(), CancellationToken.None);
            var ex = await Assert.ThrowsAsync<VisionOneException>(() => root.AssumeRoleAsync(roleArn, "s", CancellationToken.None));
            Assert.Equal(ErrorCatalogue.InvalidRoleArn.Id, ex.ErrorId);
            Assert.DoesNotContain(handler.Requests, r => r.Action == "AssumeRole");
        }
    }
}
