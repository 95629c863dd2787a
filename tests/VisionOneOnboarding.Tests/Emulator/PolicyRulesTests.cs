using System;
using System.Linq;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Tests.Emulator
{
    public sealed class PolicyRulesTests : IClassFixture<EmulatorFixture>
    {
        private const string PolicyArn = "arn:aws:iam::123456789012:policy/VisionOnePolicyPart1";
        private readonly EmulatorFixture _emulator;
        private readonly QueryClient _iam;

        public PolicyRulesTests(EmulatorFixture emulator)
        {
            _emulator = emulator;
            _emulator.Reset();
            _iam = emulator.SeedClient();
        }

        private Task<QueryResult> CreatePolicy(string name, string document) =>
            _iam.IamAsync("CreatePolicy", ("PolicyName", name), ("PolicyDocument", document));

        [Fact]
        public async Task PolicyNamesAreUniqueCaseInsensitivelyAndPatterned()
        {
            (await CreatePolicy("VisionOnePolicyPart1", Documents.Minimal)).AssertOk();
            var duplicate = await CreatePolicy("visiononepolicypart1", Documents.Minimal);

            duplicate.AssertError(409, "EntityAlreadyExists");
            Assert.Equal("A policy called visiononepolicypart1 already exists. Duplicate names are not allowed.", duplicate.ErrorMessage);
            (await CreatePolicy("has space", Documents.Minimal)).AssertError(400, "ValidationError");
            (await CreatePolicy(new string('p', 129), Documents.Minimal)).AssertError(400, "ValidationError");
            (await CreatePolicy(new string('p', 128), Documents.Minimal)).AssertOk();
        }

        [Fact]
        public async Task PolicySizeCountsEverythingButWhiteSpace()
        {
            (await CreatePolicy("AtLimit", Documents.OfSize(6144, whiteSpace: 500))).AssertOk();
            var over = await CreatePolicy("OverLimit", Documents.OfSize(6145));

            over.AssertError(409, "LimitExceeded");
            Assert.Equal("Cannot exceed quota for PolicySize: 6144", over.ErrorMessage);
        }

        [Theory]
        [InlineData("not json", "MalformedPolicyDocument")]
        [InlineData("{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", "MalformedPolicyDocument")]
        [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", "MalformedPolicyDocument")]
        [InlineData("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", "MalformedPolicyDocument")]
        [InlineData("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}", "MalformedPolicyDocument")]
        [InlineData("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::caf\u00e9\u2603\"}]}", "ValidationError")]
        public async Task DocumentsMustBeLatin1JsonOfVersion20121017(string document, string code)
        {
            (await CreatePolicy("Bad", document)).AssertError(400, code);
        }

        [Fact]
        public async Task VersionsAreLimitedToFiveAndTheDefaultCannotBeDeleted()
        {
            (await CreatePolicy("VisionOnePolicyPart1", Documents.Minimal)).AssertOk();
            for (int i = 2; i <= 5; i++)
            {
                (await _iam.IamAsync("CreatePolicyVersion", ("PolicyArn", PolicyArn), ("PolicyDocument", Documents.Other))).AssertOk();
            }
            (await _iam.IamAsync("CreatePolicyVersion", ("PolicyArn", PolicyArn), ("PolicyDocument", Documents.Other))).AssertError(409, "LimitExceeded");
            (await _iam.IamAsync("DeletePolicyVersion", ("PolicyArn", PolicyArn), ("VersionId", "v1"))).AssertError(409, "DeleteConflict");
            (await _iam.IamAsync("DeletePolicyVersion", ("PolicyArn", PolicyArn), ("VersionId", "v2"))).AssertOk();
            var v6 = (await _iam.IamAsync("CreatePolicyVersion", ("PolicyArn", PolicyArn), ("PolicyDocument", Documents.Other), ("SetAsDefault", "true"))).AssertOk();
            var versions = await _iam.IamAsync("ListPolicyVersions", ("PolicyArn", PolicyArn));

            Assert.Equal("v6", v6.Value("VersionId"));
            Assert.Equal(new[] { "v6", "v5", "v4", "v3", "v1" }, versions.Values("VersionId"));
            Assert.Equal("v6", (await _iam.IamAsync("GetPolicy", ("PolicyArn", PolicyArn))).Value("DefaultVersionId"));
            (await _iam.IamAsync("GetPolicyVersion", ("PolicyArn", PolicyArn), ("VersionId", "v2"))).AssertError(404, "NoSuchEntity");
            (await _iam.IamAsync("SetDefaultPolicyVersion", ("PolicyArn", PolicyArn), ("VersionId", "v9"))).AssertError(404, "NoSuchEntity");
        }

        [Fact]
        public async Task GetPolicyVersionReturnsTheDocumentUrlEncoded()
        {
            var document = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::a b/*\"}]\n}";
            (await CreatePolicy("VisionOnePolicyPart1", document)).AssertOk();

            var version = (await _iam.IamAsync("GetPolicyVersion", ("PolicyArn", PolicyArn), ("VersionId", "v1"))).AssertOk();

            Assert.Equal(Uri.EscapeDataString(document), version.Value("Document"));
            Assert.Contains("%7B%0A%20%20%22Version%22", version.Value("Document"));
            Assert.Equal(document, Uri.UnescapeDataString(version.Value("Document")!));
            Assert.Equal("true", version.Value("IsDefaultVersion"));
        }

        [Fact]
        public async Task DeletePolicyConflictsWhileAttachedOrVersioned()
        {
            (await CreatePolicy("VisionOnePolicyPart1", Documents.Minimal)).AssertOk();
            (await _iam.IamAsync("CreateRole", ("RoleName", "Holder"), ("AssumeRolePolicyDocument", Documents.AccountTrust))).AssertOk();
            (await _iam.IamAsync("AttachRolePolicy", ("RoleName", "Holder"), ("PolicyArn", PolicyArn))).AssertOk();
            (await _iam.IamAsync("CreatePolicyVersion", ("PolicyArn", PolicyArn), ("PolicyDocument", Documents.Other))).AssertOk();

            (await _iam.IamAsync("DeletePolicy", ("PolicyArn", PolicyArn))).AssertError(409, "DeleteConflict");
            Assert.Equal("1", (await _iam.IamAsync("GetPolicy", ("PolicyArn", PolicyArn))).Value("AttachmentCount"));
            (await _iam.IamAsync("DetachRolePolicy", ("RoleName", "Holder"), ("PolicyArn", PolicyArn))).AssertOk();
            var versioned = await _iam.IamAsync("DeletePolicy", ("PolicyArn", PolicyArn));
            (await _iam.IamAsync("DeletePolicyVersion", ("PolicyArn", PolicyArn), ("VersionId", "v2"))).AssertOk();
            (await _iam.IamAsync("DeletePolicy", ("PolicyArn", PolicyArn))).AssertOk();

            versioned.AssertError(409, "DeleteConflict");
            Assert.Contains("more than one version", versioned.ErrorMessage);
            (await _iam.IamAsync("GetPolicy", ("PolicyArn", PolicyArn))).AssertError(404, "NoSuchEntity");
        }

        [Fact]
        public async Task ListPoliciesPagesWithMarker()
        {
            foreach (var name in new[] { "C", "A", "B" }) (await CreatePolicy(name, Documents.Minimal)).AssertOk();

            var first = (await _iam.IamAsync("ListPolicies", ("Scope", "Local"), ("MaxItems", "2"))).AssertOk();
            var second = (await _iam.IamAsync("ListPolicies", ("Scope", "Local"), ("MaxItems", "2"), ("Marker", first.Value("Marker")!))).AssertOk();
            var awsManaged = await _iam.IamAsync("ListPolicies", ("Scope", "AWS"));

            Assert.Equal(new[] { "A", "B" }, first.Values("PolicyName"));
            Assert.Equal("true", first.Value("IsTruncated"));
            Assert.Equal(new[] { "C" }, second.Values("PolicyName"));
            Assert.Equal("false", second.Value("IsTruncated"));
            Assert.Null(second.Value("Marker"));
            Assert.Empty(awsManaged.Values("PolicyName"));
            (await _iam.IamAsync("ListPolicies", ("Marker", "bogus"))).AssertError(400, "InvalidInput");
            (await _iam.IamAsync("ListPolicies", ("MaxItems", "0"))).AssertError(400, "ValidationError");
            (await _iam.IamAsync("ListPolicies", ("Scope", "Mine"))).AssertError(400, "ValidationError");
        }
    }
}
