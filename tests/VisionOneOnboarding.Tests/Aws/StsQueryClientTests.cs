using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;

namespace VisionOneOnboarding.Tests.Aws
{
    public class StsQueryClientTests
    {
        private const string StsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";

        [Fact]
        public async Task GetCallerIdentity_reads_account_arn_and_partition()
        {
            var handler = new FakeAwsHandler(r => FakeAwsHandler.Ok("GetCallerIdentity",
                "<Arn>arn:aws-us-gov:iam::123456789012:user/admin</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>", StsNamespace));
            var identity = await new StsQueryClient(TestAws.StsQuery(handler)).GetCallerIdentityAsync(CancellationToken.None);

            Assert.Equal("123456789012", identity.Account);
            Assert.Equal("AIDAEXAMPLE", identity.UserId);
            Assert.Equal("aws-us-gov", identity.Partition);
            var seen = handler.Requests.Single();
            Assert.Equal("Action=GetCallerIdentity&Version=2011-06-15", seen.Body);
            Assert.Contains("/us-east-1/sts/aws4_request", seen.Headers["Authorization"]);
        }

        [Fact]
        public async Task AssumeRole_returns_temporary_credentials_and_never_logs_them()
        {
            var handler = new FakeAwsHandler(r => FakeAwsHandler.Ok("AssumeRole",
                "<Credentials><AccessKeyId>ASIAEXAMPLETEMP</AccessKeyId><SecretAccessKey>tempSecretValue</SecretAccessKey>" +
                "<SessionToken>tempSessionTokenValue</SessionToken><Expiration>2030-01-01T01:00:00Z</Expiration></Credentials>" +
                "<AssumedRoleUser><Arn>arn:aws:sts::210987654321:assumed-role/OrgRole/onboard</Arn><AssumedRoleId>AROA:onboard</AssumedRoleId></AssumedRoleUser>", StsNamespace));
            var log = new CollectingLogSink();

            var credentials = await new StsQueryClient(TestAws.StsQuery(handler, log))
                .AssumeRoleAsync("arn:aws:iam::210987654321:role/OrgRole", "onboard", 900, "external-secret", CancellationToken.None);

            Assert.Equal("ASIAEXAMPLETEMP", credentials.AccessKeyId);
            Assert.Equal("tempSecretValue", credentials.SecretAccessKey);
            Assert.Equal("tempSessionTokenValue", credentials.SessionToken);
            Assert.Equal(new DateTime(2030, 1, 1, 1, 0, 0, DateTimeKind.Utc), credentials.Expiration);
            Assert.Contains("arn:aws:iam::210987654321:role/OrgRole", credentials.Source);

            var seen = handler.Requests.Single();
            Assert.Equal("arn:aws:iam::210987654321:role/OrgRole", seen["RoleArn"]);
            Assert.Equal("onboard", seen["RoleSessionName"]);
            Assert.Equal("900", seen["DurationSeconds"]);
            Assert.Equal("external-secret", seen["ExternalId"]);

            foreach (var text in log.All.Append(credentials.ToString()).Append(credentials.Source))
            {
                Assert.DoesNotContain("tempSecretValue", text);
                Assert.DoesNotContain("tempSessionTokenValue", text);
                Assert.DoesNotContain("external-secret", text);
            }
        }

        [Fact]
        public async Task AssumeRole_errors_surface_as_AwsServiceException()
        {
            var handler = new FakeAwsHandler(r => FakeAwsHandler.Error(403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole"));
            var ex = await Assert.ThrowsAsync<AwsServiceException>(() =>
                new StsQueryClient(TestAws.StsQuery(handler)).AssumeRoleAsync("arn:aws:iam::210987654321:role/OrgRole", "s", 3600, null, CancellationToken.None));
            Assert.Equal("STS", ex.Service);
            Assert.Equal("AccessDenied", ex.ErrorCode);
            Assert.False(handler.Requests.Single().Has("ExternalId"));
        }
    }
}
