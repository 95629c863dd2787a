using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Amazon.Runtime.Internal.Auth;
using Microsoft.AspNetCore.Http;
using VisionOneOnboarding.Emulator.Aws;
using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Tests.Emulator
{
    public sealed class SigV4VerificationTests : IClassFixture<EmulatorFixture>
    {
        private readonly EmulatorFixture _emulator;

        public SigV4VerificationTests(EmulatorFixture emulator)
        {
            _emulator = emulator;
            _emulator.Reset();
        }

        [Fact]
        public void CanonicalRequestReproducesTheAwsKnownAnswerSignature()
        {
            // The AWS documentation example: GET /?Action=ListUsers&Version=2010-05-08 on iam.amazonaws.com.
            var context = new DefaultHttpContext();
            context.Request.Method = "GET";
            context.Request.Path = "/";
            context.Request.QueryString = new QueryString("?Version=2010-05-08&Action=ListUsers");
            context.Request.Headers["Host"] = "iam.amazonaws.com";
            context.Request.Headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
            context.Request.Headers["X-Amz-Date"] = "20150830T123600Z";
            var canonical = SigV4Verifier.CanonicalRequest(context.Request, new[] { "content-type", "host", "x-amz-date" },
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

            var signature = AWS4Signer.ComputeSignature("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1",
                new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc), "iam", "content-type;host;x-amz-date", canonical).Signature;

            Assert.Equal("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", signature);
        }

        [Fact]
        public async Task SignedPostAndSignedGetAreAccepted()
        {
            var client = _emulator.SeedClient();
            var post = (await client.StsAsync("GetCallerIdentity")).AssertOk();
            var get = (await client.GetAsync("sts", QueryClient.StsVersion, "GetCallerIdentity")).AssertOk();

            Assert.Equal(IamStore.SeedAccountId, post.Value("Account"));
            Assert.Equal("arn:aws:iam::123456789012:user/emulator-admin", get.Value("Arn"));
            Assert.Equal("https://sts.amazonaws.com/doc/2011-06-15/", post.Xml.Root!.Name.NamespaceName);
        }

        [Fact]
        public async Task MissingAuthorizationIsMissingAuthenticationToken()
        {
            var response = await _emulator.Http.PostAsync("/", new FormUrlEncodedContent(new[]
            {
                new System.Collections.Generic.KeyValuePair<string, string>("Action", "ListRoles"),
                new System.Collections.Generic.KeyValuePair<string, string>("Version", QueryClient.IamVersion),
            }));
            var result = await QueryResult.FromAsync(response);

            result.AssertError(403, "MissingAuthenticationToken");
            var logged = _emulator.Host.State.Calls.Snapshot().Single();
            Assert.Equal(("iam", "ListRoles", "", false, 403, "MissingAuthenticationToken"),
                (logged.Service, logged.Action, logged.Account, logged.Success, logged.Status, logged.ErrorCode));
        }

        [Fact]
        public async Task UnknownKeyWrongSecretAndTamperedBodyAreRejected()
        {
            var unknown = new QueryClient(_emulator.Http, "EMULATORAKID99999999", IamStore.SeedSecretAccessKey);
            var wrongSecret = new QueryClient(_emulator.Http, IamStore.SeedAccessKeyId, "not-the-secret");

            (await unknown.IamAsync("ListRoles")).AssertError(403, "InvalidClientTokenId");
            (await wrongSecret.IamAsync("ListRoles")).AssertError(403, "SignatureDoesNotMatch");
            var tampered = await _emulator.SeedClient().SendAsync("iam", QueryClient.IamVersion, "CreateRole",
                new[] { ("RoleName", "a") }, request => request.Content = new StringContent("Action=DeleteRole&Version=2010-05-08&RoleName=b",
                    System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
            tampered.AssertError(403, "SignatureDoesNotMatch");
            Assert.All(_emulator.Host.State.Calls.Snapshot(), call => Assert.Equal("", call.Account));
        }

        [Fact]
        public async Task CredentialScopeMustNameTheCalledService()
        {
            var result = await _emulator.SeedClient().SendAsync("sts", QueryClient.IamVersion, "ListRoles", Array.Empty<(string, string)>());

            result.AssertError(403, "SignatureDoesNotMatch");
            Assert.Contains("Credential should be scoped to correct service: 'iam'", result.ErrorMessage);
        }

        [Fact]
        public async Task ClockSkewBeyondFifteenMinutesIsRejected()
        {
            var client = _emulator.SeedClient();
            client.Now = () => DateTime.UtcNow.AddMinutes(-16);
            var late = await client.IamAsync("ListRoles");
            client.Now = () => DateTime.UtcNow.AddMinutes(16);
            var early = await client.IamAsync("ListRoles");
            client.Now = () => DateTime.UtcNow.AddMinutes(-14);
            var withinSkew = await client.IamAsync("ListRoles");

            late.AssertError(403, "SignatureDoesNotMatch");
            Assert.StartsWith("Signature expired", late.ErrorMessage);
            early.AssertError(403, "SignatureDoesNotMatch");
            Assert.StartsWith("Signature not yet current", early.ErrorMessage);
            withinSkew.AssertOk();
        }

        [Fact]
        public async Task TemporaryCredentialsNeedTheirSessionTokenAndExpire()
        {
            var clock = new ManualClock(DateTimeOffset.UtcNow);
            _emulator.Host.State.Iam.Clock = clock;
            var seed = _emulator.SeedClient();
            seed.Now = () => clock.Now.UtcDateTime;
            _emulator.Host.State.Iam.CreateOrganizationAccessRole("222233334444", IamStore.SeedAccountId);
            var assumed = (await seed.StsAsync("AssumeRole",
                ("RoleArn", "arn:aws:iam::222233334444:role/OrganizationAccountAccessRole"), ("RoleSessionName", "onboarding"),
                ("DurationSeconds", "900"))).AssertOk();
            var keyId = assumed.Value("AccessKeyId")!;
            var secret = assumed.Value("SecretAccessKey")!;
            var token = assumed.Value("SessionToken")!;

            var withToken = new QueryClient(_emulator.Http, keyId, secret, token) { Now = () => clock.Now.UtcDateTime };
            var withoutToken = new QueryClient(_emulator.Http, keyId, secret) { Now = () => clock.Now.UtcDateTime };
            var wrongToken = new QueryClient(_emulator.Http, keyId, secret, token + "x") { Now = () => clock.Now.UtcDateTime };
            var seedWithToken = new QueryClient(_emulator.Http, IamStore.SeedAccessKeyId, IamStore.SeedSecretAccessKey, token);

            (await withToken.StsAsync("GetCallerIdentity")).AssertOk();
            (await withoutToken.StsAsync("GetCallerIdentity")).AssertError(403, "InvalidClientTokenId");
            (await wrongToken.StsAsync("GetCallerIdentity")).AssertError(403, "InvalidClientTokenId");
            (await seedWithToken.StsAsync("GetCallerIdentity")).AssertError(403, "InvalidClientTokenId");
            clock.Now = clock.Now.AddSeconds(901);
            (await withToken.StsAsync("GetCallerIdentity")).AssertError(403, "ExpiredToken");
        }

        [Fact]
        public async Task DeclaredPayloadHashMustMatchTheBody()
        {
            var result = await _emulator.SeedClient().SendAsync("iam", QueryClient.IamVersion, "ListRoles", Array.Empty<(string, string)>(),
                request => request.Headers.TryAddWithoutValidation("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"));

            result.AssertError(403, "SignatureDoesNotMatch");
        }
    }
}
