using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Tests.Emulator
{
    /// <summary>
    /// What the emulator checks when someone signs in: AssumeRole against the role's trust (principal, external id,
    /// MFA), AssumeRoleWithWebIdentity against the provider and the trust's aud/sub, the SSO portal's bearer token,
    /// and temporary credentials that expire. The AWS CLI confirms the wire shapes.
    /// </summary>
    public sealed class SignInTests : IClassFixture<EmulatorFixture>, IDisposable
    {
        private const string Seed = IamStore.SeedAccountId;
        private const string Member = "555566667777";
        private const string Issuer = "https://token.actions.githubusercontent.com";
        private const string Audience = "sts.amazonaws.com";
        private const string Subject = "repo:example/payments:ref:refs/heads/main";
        private readonly EmulatorFixture _emulator;
        private readonly QueryClient _seed;
        private readonly AwsCli _aws;

        public SignInTests(EmulatorFixture emulator)
        {
            _emulator = emulator;
            _emulator.Reset();
            _seed = emulator.SeedClient();
            _aws = new AwsCli(emulator.Host.BaseUrl);
        }

        public void Dispose() => _aws.Dispose();

        private static string RoleArn(string account, string name) => "arn:aws:iam::" + account + ":role/" + name;

        private static string AccountTrust(string account, string? condition = null) =>
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + account + ":root\"}," +
            "\"Action\":\"sts:AssumeRole\"" + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";

        private async Task CreateRoleAsync(QueryClient client, string name, string trust) =>
            (await client.IamAsync("CreateRole", ("RoleName", name), ("AssumeRolePolicyDocument", trust))).AssertOk();

        private Task<QueryResult> AssumeAsync(QueryClient client, string roleArn, params (string, string)[] extra)
        {
            var parameters = new (string, string)[extra.Length + 2];
            parameters[0] = ("RoleArn", roleArn);
            parameters[1] = ("RoleSessionName", "signin");
            extra.CopyTo(parameters, 2);
            return client.StsAsync("AssumeRole", parameters);
        }

        /// <summary>A JWT shaped as an OIDC issuer mints it (RS256 header, standard claims); the signature is not checked by the emulator.</summary>
        internal static string Jwt(string issuer, string audience, string subject, DateTimeOffset expires)
        {
            static string Part(object value) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var header = Part(new { alg = "RS256", typ = "JWT", kid = "emulator-test-key" });
            var payload = Part(new { iss = issuer, aud = audience, sub = subject, iat = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), exp = expires.ToUnixTimeSeconds() });
            return header + "." + payload + "." + Convert.ToBase64String(Encoding.ASCII.GetBytes("not-verified-by-the-emulator")).TrimEnd('=');
        }

        private async Task<string> WebIdentityRoleAsync(string subjectCondition = Subject)
        {
            (await _seed.IamAsync("CreateOpenIDConnectProvider", ("Url", Issuer), ("ClientIDList.member.1", Audience))).AssertOk();
            var host = Issuer.Substring("https://".Length);
            var trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::" + Seed + ":oidc-provider/" + host + "\"}," +
                "\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"" + host + ":aud\":\"" + Audience + "\"},\"StringLike\":{\"" + host + ":sub\":\"" + subjectCondition + "\"}}}]}";
            await CreateRoleAsync(_seed, "CiDeployer", trust);
            return RoleArn(Seed, "CiDeployer");
        }

        private Task<QueryResult> WebIdentityAsync(string roleArn, string token) =>
            new QueryClient(_emulator.Http, "", "").SendUnsignedAsync("AssumeRoleWithWebIdentity",
                ("RoleArn", roleArn), ("RoleSessionName", "ci"), ("WebIdentityToken", token));

        [Fact]
        public async Task AssumeRoleNeedsATrustThatAdmitsTheCaller()
        {
            var memberKeys = _emulator.Host.State.Iam.CreateAccountCredentials(Member);
            var member = new QueryClient(_emulator.Http, memberKeys.AccessKeyId, memberKeys.SecretAccessKey);
            await CreateRoleAsync(_seed, "OwnAccountOnly", AccountTrust(Seed));
            await CreateRoleAsync(_seed, "TrustsMember", AccountTrust(Member));
            await CreateRoleAsync(_seed, "TrustsTheUser", "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + Seed + ":user/" + IamStore.AdminUserName + "\"},\"Action\":\"sts:AssumeRole\"}}");
            await CreateRoleAsync(_seed, "DeniesMember", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}," +
                "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"" + Member + "\"},\"Action\":\"sts:*\"}]}");

            (await AssumeAsync(member, RoleArn(Seed, "OwnAccountOnly"))).AssertError(403, "AccessDenied");
            (await AssumeAsync(member, RoleArn(Seed, "TrustsMember"))).AssertOk();
            (await AssumeAsync(_seed, RoleArn(Seed, "TrustsMember"))).AssertError(403, "AccessDenied");
            (await AssumeAsync(_seed, RoleArn(Seed, "TrustsTheUser"))).AssertOk();
            (await AssumeAsync(member, RoleArn(Seed, "DeniesMember"))).AssertError(403, "AccessDenied");
            (await AssumeAsync(_seed, RoleArn(Seed, "DeniesMember"))).AssertOk();
            (await AssumeAsync(_seed, RoleArn(Member, "Missing"))).AssertError(403, "AccessDenied");
        }

        [Fact]
        public async Task ATrustNamingARoleAdmitsThatRolesSessionsSoChainsWork()
        {
            await CreateRoleAsync(_seed, "Base", AccountTrust(Seed));
            await CreateRoleAsync(_seed, "Target", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + RoleArn(Seed, "Base") + "\"},\"Action\":\"sts:AssumeRole\"}]}");
            var hop = (await AssumeAsync(_seed, RoleArn(Seed, "Base"))).AssertOk();
            var viaBase = new QueryClient(_emulator.Http, hop.Value("AccessKeyId")!, hop.Value("SecretAccessKey")!, hop.Value("SessionToken"));

            (await AssumeAsync(_seed, RoleArn(Seed, "Target"))).AssertError(403, "AccessDenied");
            var target = (await AssumeAsync(viaBase, RoleArn(Seed, "Target"))).AssertOk();
            Assert.Equal("arn:aws:sts::" + Seed + ":assumed-role/Target/signin", target.Value("Arn"));
        }

        [Fact]
        public async Task ExternalIdAndMfaConditionsAreEnforced()
        {
            await CreateRoleAsync(_seed, "Vendor", AccountTrust(Seed, "{\"StringEquals\":{\"sts:ExternalId\":\"payments-7f3a\"}}"));
            await CreateRoleAsync(_seed, "Guarded", AccountTrust(Seed, "{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}"));
            const string device = "arn:aws:iam::" + Seed + ":mfa/admin-phone";

            (await AssumeAsync(_seed, RoleArn(Seed, "Vendor"))).AssertError(403, "AccessDenied");
            (await AssumeAsync(_seed, RoleArn(Seed, "Vendor"), ("ExternalId", "someone-else"))).AssertError(403, "AccessDenied");
            (await AssumeAsync(_seed, RoleArn(Seed, "Vendor"), ("ExternalId", "payments-7f3a"))).AssertOk();
            (await AssumeAsync(_seed, RoleArn(Seed, "Guarded"))).AssertError(403, "AccessDenied");
            var badCode = await AssumeAsync(_seed, RoleArn(Seed, "Guarded"), ("SerialNumber", device), ("TokenCode", "12x456"));
            badCode.AssertError(403, "AccessDenied");
            Assert.Contains("MFA", badCode.ErrorMessage);
            (await AssumeRoleByCliAsync(RoleArn(Seed, "Guarded"), "--serial-number", device, "--token-code", "123456")).AssertOk();
        }

        private Task<CliResult> AssumeRoleByCliAsync(string roleArn, params string[] extra)
        {
            var arguments = new System.Collections.Generic.List<string> { "sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "cli" };
            arguments.AddRange(extra);
            return _aws.RunAsync(new CliCredentials(IamStore.SeedAccessKeyId, IamStore.SeedSecretAccessKey), arguments.ToArray());
        }

        [Fact]
        public async Task OrganizationAccessRoleTrustsTheManagementAccountOnly()
        {
            var created = await _emulator.Http.PostAsJsonAsync("_emulator/accounts", new { accountId = Member, managementAccountId = Seed });
            created.EnsureSuccessStatusCode();
            var other = _emulator.Host.State.Iam.CreateAccountCredentials("888877776666");
            var outsider = new QueryClient(_emulator.Http, other.AccessKeyId, other.SecretAccessKey);

            (await AssumeAsync(_seed, RoleArn(Member, IamStore.OrganizationRoleName))).AssertOk();
            (await AssumeAsync(outsider, RoleArn(Member, IamStore.OrganizationRoleName))).AssertError(403, "AccessDenied");
            (await AssumeAsync(_seed, RoleArn("999999999999", IamStore.OrganizationRoleName))).AssertError(403, "AccessDenied");
        }

        [Fact]
        public async Task WebIdentityTokenIsCheckedAgainstTheProviderAndTheTrust()
        {
            var roleArn = await WebIdentityRoleAsync();
            var later = DateTimeOffset.UtcNow.AddMinutes(10);

            var ok = (await WebIdentityAsync(roleArn, Jwt(Issuer, Audience, Subject, later))).AssertOk();
            (await WebIdentityAsync(roleArn, Jwt(Issuer, "someone-else", Subject, later))).AssertError(400, "InvalidIdentityToken");
            (await WebIdentityAsync(roleArn, Jwt("https://unknown.example.com", Audience, Subject, later))).AssertError(400, "InvalidIdentityToken");
            (await WebIdentityAsync(roleArn, Jwt(Issuer, Audience, Subject, DateTimeOffset.UtcNow.AddMinutes(-1)))).AssertError(400, "ExpiredTokenException");
            (await WebIdentityAsync(roleArn, Jwt(Issuer, Audience, "repo:example/other:ref:refs/heads/main", later))).AssertError(403, "AccessDenied");
            (await WebIdentityAsync(roleArn, "not-a-jwt")).AssertError(400, "InvalidIdentityToken");

            Assert.Equal(Subject, ok.Value("SubjectFromWebIdentityToken"));
            Assert.Equal(Audience, ok.Value("Audience"));
            Assert.Equal("arn:aws:sts::" + Seed + ":assumed-role/CiDeployer/ci", ok.Value("Arn"));
            var session = new QueryClient(_emulator.Http, ok.Value("AccessKeyId")!, ok.Value("SecretAccessKey")!, ok.Value("SessionToken"));
            Assert.Equal(Seed, (await session.StsAsync("GetCallerIdentity")).AssertOk().Value("Account"));
        }

        [Fact]
        public async Task TheAwsCliSignsInWithAWebIdentityToken()
        {
            var roleArn = await WebIdentityRoleAsync("repo:example/*");

            var result = (await _aws.RunAsync(new CliCredentials("unused", "unused"), "sts", "assume-role-with-web-identity",
                "--role-arn", roleArn, "--role-session-name", "ci", "--web-identity-token", Jwt(Issuer, Audience, Subject, DateTimeOffset.UtcNow.AddMinutes(5)))).AssertOk();

            Assert.Equal("arn:aws:sts::" + Seed + ":assumed-role/CiDeployer/ci", result.Json.GetProperty("AssumedRoleUser").GetProperty("Arn").GetString());
        }

        [Fact]
        public async Task SsoPortalHandsOutRoleCredentialsForAnAssignedTokenOnly()
        {
            var issued = await _emulator.Http.PostAsJsonAsync("_emulator/sso/tokens", new { assignments = new[] { new { accountId = Member, roleName = "AdministratorAccess" } } });
            var token = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;
            var expiredAnswer = await _emulator.Http.PostAsJsonAsync("_emulator/sso/tokens", new { assignments = new[] { new { accountId = Member, roleName = "AdministratorAccess" } }, expiresInSeconds = -60 });
            var expired = JsonDocument.Parse(await expiredAnswer.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;
            var none = new CliCredentials("unused", "unused");

            var granted = (await _aws.RunAsync(none, "sso", "get-role-credentials", "--access-token", token, "--account-id", Member, "--role-name", "AdministratorAccess", "--region", "us-east-1")).AssertOk();
            var results = await _aws.RunAllAsync(none,
                new[] { "sso", "get-role-credentials", "--access-token", token, "--account-id", Member, "--role-name", "ReadOnly", "--region", "us-east-1" },
                new[] { "sso", "get-role-credentials", "--access-token", expired, "--account-id", Member, "--role-name", "AdministratorAccess", "--region", "us-east-1" });

            var credentials = granted.Json.GetProperty("roleCredentials");
            var session = new QueryClient(_emulator.Http, credentials.GetProperty("accessKeyId").GetString()!, credentials.GetProperty("secretAccessKey").GetString()!, credentials.GetProperty("sessionToken").GetString());
            var identity = (await session.StsAsync("GetCallerIdentity")).AssertOk();
            Assert.Equal(Member, identity.Value("Account"));
            Assert.StartsWith("arn:aws:sts::" + Member + ":assumed-role/AWSReservedSSO_AdministratorAccess_", identity.Value("Arn"));
            results[0].AssertError("ForbiddenException");
            results[1].AssertError("UnauthorizedException");
        }

        [Fact]
        public async Task CredentialLifetimeKnobMakesTemporaryCredentialsExpire()
        {
            var clock = new ManualClock(DateTimeOffset.UtcNow);
            _emulator.Host.State.Iam.Clock = clock;
            await CreateRoleAsync(_seed, "Short", AccountTrust(Seed));
            (await _emulator.Http.PostAsJsonAsync("_emulator/sts", new { credentialLifetimeSeconds = 5 })).EnsureSuccessStatusCode();
            _seed.Now = () => clock.Now.UtcDateTime;

            var assumed = (await AssumeAsync(_seed, RoleArn(Seed, "Short"))).AssertOk();
            var session = new QueryClient(_emulator.Http, assumed.Value("AccessKeyId")!, assumed.Value("SecretAccessKey")!, assumed.Value("SessionToken")) { Now = () => clock.Now.UtcDateTime };
            (await session.StsAsync("GetCallerIdentity")).AssertOk();
            clock.Now = clock.Now.AddSeconds(6);
            var late = await session.StsAsync("GetCallerIdentity");
            var invalid = await _emulator.Http.PostAsJsonAsync("_emulator/sts", new { credentialLifetimeSeconds = 0 });
            _emulator.Host.State.Iam.Clock = TimeProvider.System;

            Assert.Equal(clock.Now.AddSeconds(-1).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss"), DateTime.Parse(assumed.Value("Expiration")!).ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss"));
            late.AssertError(403, "ExpiredToken");
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }
    }
}
