using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Tests.Emulator
{
    public sealed class RoleRulesTests : IClassFixture<EmulatorFixture>
    {
        private const string ProviderUrl = "https://issuer.example.test/oidc";
        private const string ProviderArn = "arn:aws:iam::123456789012:oidc-provider/issuer.example.test/oidc";
        private readonly EmulatorFixture _emulator;
        private readonly QueryClient _iam;

        public RoleRulesTests(EmulatorFixture emulator)
        {
            _emulator = emulator;
            _emulator.Reset();
            _iam = emulator.SeedClient();
        }

        private Task<QueryResult> CreateRole(string name, string trust, params (string, string)[] more) =>
            _iam.IamAsync("CreateRole", new[] { ("RoleName", name), ("AssumeRolePolicyDocument", trust) }.Concat(more).ToArray());

        private static (string, string)[] TagParameters(int count, int from = 1) => Enumerable.Range(from, count)
            .SelectMany(i => new[] { ("Tags.member." + (i - from + 1) + ".Key", "k" + i), ("Tags.member." + (i - from + 1) + ".Value", "v" + i) })
            .ToArray();

        [Fact]
        public async Task RoleNamesArePatternedAndUnique()
        {
            (await CreateRole(new string('r', 64), Documents.AccountTrust)).AssertOk();
            (await CreateRole(new string('r', 65), Documents.AccountTrust)).AssertError(400, "ValidationError");
            (await CreateRole("Vision One", Documents.AccountTrust)).AssertError(400, "ValidationError");
            (await CreateRole("VisionOneRole", Documents.AccountTrust)).AssertOk();
            var duplicate = await CreateRole("visiononerole", Documents.AccountTrust);
            var missing = await _iam.IamAsync("GetRole", ("RoleName", "Nobody"));

            duplicate.AssertError(409, "EntityAlreadyExists");
            Assert.Equal("Role with name visiononerole already exists.", duplicate.ErrorMessage);
            missing.AssertError(404, "NoSuchEntity");
            Assert.Equal("The role with name Nobody cannot be found.", missing.ErrorMessage);
        }

        [Fact]
        public async Task TrustPolicyFederatedPrincipalMustBeAnExistingProvider()
        {
            var unknown = await CreateRole("VisionOneRole", Documents.Trust(ProviderArn));
            (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", ProviderUrl))).AssertOk();
            var role = (await CreateRole("VisionOneRole", Documents.Trust(ProviderArn))).AssertOk();

            unknown.AssertError(400, "MalformedPolicyDocument");
            Assert.StartsWith("Invalid principal in policy", unknown.ErrorMessage);
            Assert.Equal(Uri.EscapeDataString(Documents.Trust(ProviderArn)), role.Value("AssumeRolePolicyDocument"));
            (await CreateRole("OtherAccountProvider", Documents.Trust("arn:aws:iam::999999999999:oidc-provider/issuer.example.test/oidc")))
                .AssertError(400, "MalformedPolicyDocument");
            (await CreateRole("Google", Documents.Trust("accounts.google.com"))).AssertOk();
        }

        [Fact]
        public async Task PrincipalPropagationDelayRejectsAFreshProviderUntilItPasses()
        {
            var clock = new ManualClock(DateTimeOffset.UtcNow);
            _emulator.Host.State.Iam.Clock = clock;
            _iam.Now = () => clock.Now.UtcDateTime;
            (await _emulator.Http.PostAsJsonAsync("/_emulator/faults", new { principalPropagationMs = 10000 })).EnsureSuccessStatusCode();
            (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", ProviderUrl))).AssertOk();
            (await CreateRole("VisionOneRole", Documents.AccountTrust)).AssertOk();

            clock.Now = clock.Now.AddMilliseconds(9999);
            var early = await CreateRole("Fresh", Documents.Trust(ProviderArn));
            var earlyUpdate = await _iam.IamAsync("UpdateAssumeRolePolicy", ("RoleName", "VisionOneRole"), ("PolicyDocument", Documents.Trust(ProviderArn)));
            clock.Now = clock.Now.AddMilliseconds(1);
            var later = await CreateRole("Fresh", Documents.Trust(ProviderArn));
            var laterUpdate = await _iam.IamAsync("UpdateAssumeRolePolicy", ("RoleName", "VisionOneRole"), ("PolicyDocument", Documents.Trust(ProviderArn)));

            early.AssertError(400, "MalformedPolicyDocument");
            Assert.StartsWith("Invalid principal in policy", early.ErrorMessage);
            earlyUpdate.AssertError(400, "MalformedPolicyDocument");
            later.AssertOk();
            laterUpdate.AssertOk();
        }

        [Fact]
        public async Task TrustPolicyIsAtMost2048CharactersWithoutResource()
        {
            var padded = Documents.AccountTrust.Replace("sts:AssumeRole", "sts:AssumeRole" + new string('x', 2048 - Documents.AccountTrust.Length + 1));
            var oversized = await CreateRole("Big", padded);
            var withResource = await CreateRole("Res", Documents.AccountTrust.Replace("\"Action\"", "\"Resource\":\"*\",\"Action\""));

            oversized.AssertError(409, "LimitExceeded");
            Assert.Equal("Cannot exceed quota for ACLSizePerRole: 2048", oversized.ErrorMessage);
            withResource.AssertError(400, "MalformedPolicyDocument");
        }

        [Fact]
        public async Task MaxSessionDurationIsBetweenOneAndTwelveHours()
        {
            (await CreateRole("Short", Documents.AccountTrust, ("MaxSessionDuration", "3599"))).AssertError(400, "ValidationError");
            (await CreateRole("Long", Documents.AccountTrust, ("MaxSessionDuration", "43201"))).AssertError(400, "ValidationError");
            var role = (await CreateRole("Twelve", Documents.AccountTrust, ("MaxSessionDuration", "43200"), ("Description", "twelve hours"))).AssertOk();

            Assert.Equal("43200", role.Value("MaxSessionDuration"));
            Assert.Equal("twelve hours", role.Value("Description"));
        }

        [Fact]
        public async Task TagsAreLimitedPatternedAndCaseInsensitivelyUnique()
        {
            (await CreateRole("Fifty", Documents.AccountTrust, TagParameters(50))).AssertOk();
            (await CreateRole("FiftyOne", Documents.AccountTrust, TagParameters(51))).AssertError(400, "ValidationError");
            var duplicate = await CreateRole("Dup", Documents.AccountTrust, ("Tags.member.1.Key", "Env"), ("Tags.member.1.Value", "a"),
                ("Tags.member.2.Key", "env"), ("Tags.member.2.Value", "b"));
            (await CreateRole("BadKey", Documents.AccountTrust, ("Tags.member.1.Key", "semi;colon"), ("Tags.member.1.Value", "a"))).AssertError(400, "ValidationError");
            (await CreateRole("LongValue", Documents.AccountTrust, ("Tags.member.1.Key", "k"), ("Tags.member.1.Value", new string('v', 257)))).AssertError(400, "ValidationError");
            var tooManyInTotal = await _iam.IamAsync("TagRole", new[] { ("RoleName", "Fifty") }.Concat(TagParameters(1, from: 51)).ToArray());
            var replaceExisting = await _iam.IamAsync("TagRole", ("RoleName", "Fifty"), ("Tags.member.1.Key", "K1"), ("Tags.member.1.Value", "new"));
            var tags = await _iam.IamAsync("ListRoleTags", ("RoleName", "Fifty"), ("MaxItems", "100"));

            duplicate.AssertError(400, "InvalidInput");
            Assert.StartsWith("Duplicate tag keys found", duplicate.ErrorMessage);
            tooManyInTotal.AssertError(409, "LimitExceeded");
            replaceExisting.AssertOk();
            Assert.Equal(50, tags.Values("Key").Count);
            Assert.Contains("new", tags.Values("Value"));
            Assert.DoesNotContain("v1", tags.Values("Value"));
        }

        [Fact]
        public async Task UntagRemovesKeysCaseInsensitively()
        {
            (await CreateRole("Tagged", Documents.AccountTrust, ("Tags.member.1.Key", "Owner"), ("Tags.member.1.Value", "me"),
                ("Tags.member.2.Key", "Keep"), ("Tags.member.2.Value", "yes"))).AssertOk();
            (await _iam.IamAsync("UntagRole", ("RoleName", "Tagged"), ("TagKeys.member.1", "owner"), ("TagKeys.member.2", "absent"))).AssertOk();

            Assert.Equal(new[] { "Keep" }, (await _iam.IamAsync("ListRoleTags", ("RoleName", "Tagged"))).Values("Key"));
            Assert.Equal(new[] { "Keep" }, (await _iam.IamAsync("GetRole", ("RoleName", "Tagged"))).Values("Key"));
        }

        [Fact]
        public async Task AtMostTenManagedPoliciesAndOnlyExistingOnes()
        {
            (await CreateRole("Holder", Documents.AccountTrust)).AssertOk();
            for (int i = 1; i <= 11; i++)
            {
                (await _iam.IamAsync("CreatePolicy", ("PolicyName", "P" + i), ("PolicyDocument", Documents.Minimal))).AssertOk();
            }
            for (int i = 1; i <= 10; i++)
            {
                (await _iam.IamAsync("AttachRolePolicy", ("RoleName", "Holder"), ("PolicyArn", "arn:aws:iam::123456789012:policy/P" + i))).AssertOk();
            }
            var again = await _iam.IamAsync("AttachRolePolicy", ("RoleName", "Holder"), ("PolicyArn", "arn:aws:iam::123456789012:policy/P1"));
            var eleventh = await _iam.IamAsync("AttachRolePolicy", ("RoleName", "Holder"), ("PolicyArn", "arn:aws:iam::123456789012:policy/P11"));
            var missing = await _iam.IamAsync("AttachRolePolicy", ("RoleName", "Holder"), ("PolicyArn", "arn:aws:iam::123456789012:policy/Nope"));
            var awsManaged = await _iam.IamAsync("AttachRolePolicy", ("RoleName", "Holder"), ("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"));
            var page = await _iam.IamAsync("ListAttachedRolePolicies", ("RoleName", "Holder"), ("MaxItems", "4"));

            again.AssertOk();
            eleventh.AssertError(409, "LimitExceeded");
            Assert.Equal("Cannot exceed quota for PoliciesPerRole: 10", eleventh.ErrorMessage);
            missing.AssertError(404, "NoSuchEntity");
            awsManaged.AssertError(404, "NoSuchEntity");
            Assert.Equal(new[] { "P1", "P2", "P3", "P4" }, page.Values("PolicyName"));
            Assert.Equal("true", page.Value("IsTruncated"));
            (await _iam.IamAsync("DetachRolePolicy", ("RoleName", "Holder"), ("PolicyArn", "arn:aws:iam::123456789012:policy/P11"))).AssertError(404, "NoSuchEntity");
        }

        [Fact]
        public async Task DeleteRoleConflictsWhilePoliciesRemain()
        {
            (await CreateRole("Holder", Documents.AccountTrust)).AssertOk();
            (await _iam.IamAsync("PutRolePolicy", ("RoleName", "Holder"), ("PolicyName", "inline"), ("PolicyDocument", Documents.Minimal))).AssertOk();
            var inlineNames = await _iam.IamAsync("ListRolePolicies", ("RoleName", "Holder"));
            var withInline = await _iam.IamAsync("DeleteRole", ("RoleName", "Holder"));
            (await _iam.IamAsync("DeleteRolePolicy", ("RoleName", "Holder"), ("PolicyName", "inline"))).AssertOk();
            (await _iam.IamAsync("DeleteRole", ("RoleName", "Holder"))).AssertOk();

            Assert.Equal(new[] { "inline" }, inlineNames.Members("PolicyNames"));
            withInline.AssertError(409, "DeleteConflict");
            Assert.Equal("Cannot delete entity, must delete policies first.", withInline.ErrorMessage);
            (await _iam.IamAsync("GetRole", ("RoleName", "Holder"))).AssertError(404, "NoSuchEntity");
            Assert.Null(_emulator.Host.State.Iam.FindRole("123456789012", "Holder"));
        }

        [Fact]
        public async Task ViewShowsTheRoleAsVisionOneSeesIt()
        {
            (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", ProviderUrl))).AssertOk();
            (await _iam.IamAsync("CreatePolicy", ("PolicyName", "VisionOnePolicyPart1"), ("PolicyDocument", Documents.Minimal))).AssertOk();
            (await CreateRole("VisionOneRole", Documents.Trust(ProviderArn), ("Tags.member.1.Key", "Owner"), ("Tags.member.1.Value", "v1"))).AssertOk();
            (await _iam.IamAsync("AttachRolePolicy", ("RoleName", "VisionOneRole"), ("PolicyArn", "arn:aws:iam::123456789012:policy/VisionOnePolicyPart1"))).AssertOk();

            var role = _emulator.Host.State.Iam.FindRole("123456789012", "VisionOneRole")!;

            Assert.Equal("arn:aws:iam::123456789012:role/VisionOneRole", role.Arn);
            Assert.Equal(Documents.Trust(ProviderArn), role.TrustPolicy);
            Assert.Equal(new[] { "VisionOnePolicyPart1" }, role.AttachedPolicyNames);
            Assert.Equal("v1", role.Tags.Single(t => t.Key == "Owner").Value);
        }

        [Fact]
        public async Task ListRolesPagesAndLeavesOutTags()
        {
            foreach (var name in new[] { "b", "a", "c" })
            {
                (await CreateRole(name, Documents.AccountTrust, ("Tags.member.1.Key", "k"), ("Tags.member.1.Value", "v"))).AssertOk();
            }
            var first = await _iam.IamAsync("ListRoles", ("MaxItems", "2"));
            var rest = await _iam.IamAsync("ListRoles", ("Marker", first.Value("Marker")!));

            Assert.Equal(new[] { "a", "b" }, first.Values("RoleName"));
            Assert.Equal(new[] { "c" }, rest.Values("RoleName"));
            Assert.Empty(first.Values("Tags"));
        }
    }
}
