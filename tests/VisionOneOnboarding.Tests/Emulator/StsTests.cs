using System.Net;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Tests.Emulator
{
    public sealed class StsTests : IClassFixture<EmulatorFixture>
    {
        private const string MemberAccount = "444455556666";
        private const string OrganizationRoleArn = "arn:aws:iam::" + MemberAccount + ":role/OrganizationAccountAccessRole";
        private readonly EmulatorFixture _emulator;
        private readonly QueryClient _seed;

        public StsTests(EmulatorFixture emulator)
        {
            _emulator = emulator;
            _emulator.Reset();
            _emulator.Host.State.Iam.CreateOrganizationAccessRole(MemberAccount, "123456789012");
            _seed = emulator.SeedClient();
        }

        private async Task<QueryClient> AssumeAsync(QueryClient caller, string roleArn, string session = "onboarding")
        {
            var result = (await caller.StsAsync("AssumeRole", ("RoleArn", roleArn), ("RoleSessionName", session))).AssertOk();
            return new QueryClient(_emulator.Http, result.Value("AccessKeyId")!, result.Value("SecretAccessKey")!, result.Value("SessionToken"));
        }

        [Fact]
        public async Task CallerIdentityOfTheSeededUser()
        {
            var identity = (await _seed.StsAsync("GetCallerIdentity")).AssertOk();

            Assert.Equal("123456789012", identity.Value("Account"));
            Assert.Equal("arn:aws:iam::123456789012:user/emulator-admin", identity.Value("Arn"));
            Assert.StartsWith("AIDA", identity.Value("UserId"));
        }

        [Fact]
        public async Task OrganizationRoleActsInTheMemberAccount()
        {
            var assumed = (await _seed.StsAsync("AssumeRole", ("RoleArn", OrganizationRoleArn), ("RoleSessionName", "onboarding"))).AssertOk();
            var member = new QueryClient(_emulator.Http, assumed.Value("AccessKeyId")!, assumed.Value("SecretAccessKey")!, assumed.Value("SessionToken"));
            var identity = (await member.StsAsync("GetCallerIdentity")).AssertOk();
            (await member.IamAsync("CreateRole", ("RoleName", "InMember"), ("AssumeRolePolicyDocument", Documents.AccountTrust))).AssertOk();

            Assert.Matches("^ASIA[A-Z0-9]{16}$", assumed.Value("AccessKeyId"));
            Assert.DoesNotMatch("AKIA[0-9A-Z]{16}", assumed.Value("AccessKeyId"));
            Assert.NotNull(assumed.Value("Expiration"));
            Assert.Equal("arn:aws:sts::" + MemberAccount + ":assumed-role/OrganizationAccountAccessRole/onboarding", assumed.Value("Arn"));
            Assert.Equal(MemberAccount, identity.Value("Account"));
            Assert.Equal("arn:aws:sts::" + MemberAccount + ":assumed-role/OrganizationAccountAccessRole/onboarding", identity.Value("Arn"));
            Assert.NotNull(_emulator.Host.State.Iam.FindRole(MemberAccount, "InMember"));
            Assert.Null(_emulator.Host.State.Iam.FindRole("123456789012", "InMember"));
            Assert.Equal(MemberAccount, _emulator.Host.State.Calls.Snapshot()[^1].Account);
        }

        [Fact]
        public async Task OtherRolesMustExistInTheTargetAccount()
        {
            var missing = await _seed.StsAsync("AssumeRole", ("RoleArn", "arn:aws:iam::" + MemberAccount + ":role/VisionOneRole"), ("RoleSessionName", "s1"));
            (await _seed.IamAsync("CreateRole", ("RoleName", "Deployer"), ("AssumeRolePolicyDocument", Documents.AccountTrust))).AssertOk();
            var existing = await _seed.StsAsync("AssumeRole", ("RoleArn", "arn:aws:iam::123456789012:role/Deployer"), ("RoleSessionName", "s1"));

            missing.AssertError(403, "AccessDenied");
            existing.AssertOk();
            Assert.Equal("arn:aws:sts::123456789012:assumed-role/Deployer/s1", existing.Value("Arn"));
        }

        [Theory]
        [InlineData("a", null)]
        [InlineData("has space", null)]
        [InlineData("onboarding", "899")]
        [InlineData("onboarding", "43201")]
        [InlineData("onboarding", "7200")]
        public async Task SessionNameAndDurationAreValidated(string session, string? duration)
        {
            var parameters = duration == null
                ? new[] { ("RoleArn", OrganizationRoleArn), ("RoleSessionName", session) }
                : new[] { ("RoleArn", OrganizationRoleArn), ("RoleSessionName", session), ("DurationSeconds", duration) };

            // 7200 exceeds the organization role's one-hour MaxSessionDuration.
            (await _seed.StsAsync("AssumeRole", parameters)).AssertError(400, "ValidationError");
        }

        [Fact]
        public async Task RoleMaxSessionDurationAndChainingLimitApply()
        {
            (await _seed.IamAsync("CreateRole", ("RoleName", "Long"), ("AssumeRolePolicyDocument", Documents.AccountTrust), ("MaxSessionDuration", "43200"))).AssertOk();
            var longSession = await _seed.StsAsync("AssumeRole", ("RoleArn", "arn:aws:iam::123456789012:role/Long"), ("RoleSessionName", "s1"), ("DurationSeconds", "43200"));
            (await _seed.IamAsync("CreateRole", ("RoleName", "Hop"), ("AssumeRolePolicyDocument", Documents.AccountTrust))).AssertOk();
            var chained = await AssumeAsync(_seed, "arn:aws:iam::123456789012:role/Hop");
            var chainedTooLong = await chained.StsAsync("AssumeRole", ("RoleArn", "arn:aws:iam::123456789012:role/Long"), ("RoleSessionName", "s1"), ("DurationSeconds", "3601"));
            var chainedHour = await chained.StsAsync("AssumeRole", ("RoleArn", "arn:aws:iam::123456789012:role/Long"), ("RoleSessionName", "s1"), ("DurationSeconds", "3600"));

            longSession.AssertOk();
            chainedTooLong.AssertError(400, "ValidationError");
            Assert.Contains("role chaining", chainedTooLong.ErrorMessage);
            chainedHour.AssertOk();
        }

        [Fact]
        public async Task InvalidRoleArnIsAValidationError()
        {
            (await _seed.StsAsync("AssumeRole", ("RoleArn", "arn:aws:iam::12345:role/x/y/z"), ("RoleSessionName", "s1"))).AssertError(400, "ValidationError");
        }

        [Fact]
        public async Task UnknownActionAndVersion()
        {
            var unknownAction = await _seed.IamAsync("CreateGroup", ("GroupName", "g"));
            var unknownVersion = await _seed.SendAsync("iam", "2099-01-01", "ListRoles", System.Array.Empty<(string, string)>());
            var missingParameter = await _seed.IamAsync("GetRole");

            unknownAction.AssertError(400, "InvalidAction");
            unknownVersion.AssertError(400, "InvalidAction");
            missingParameter.AssertError(400, "ValidationError");
            Assert.Equal("1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null", missingParameter.ErrorMessage);
            Assert.Equal("https://iam.amazonaws.com/doc/2010-05-08/", unknownAction.Xml.Root!.Name.NamespaceName);
            Assert.Equal("Sender", unknownAction.Value("Type"));
        }
    }
}
