using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Tests.Emulator
{
    /// <summary>
    /// The emulator driven by a client nobody here wrote: the AWS CLI on PATH. Every IAM and STS action the module
    /// uses, and the error codes real IAM and STS answer. The CLI costs about a second of CPU per call, so set-up goes
    /// through the in-process client and independent calls run side by side.
    /// </summary>
    public sealed class AwsCliConformanceTests : IClassFixture<EmulatorFixture>, IDisposable
    {
        private const string ProviderUrl = "https://cloudaccounts-us.xdr.trendmicro.com/public/oidc/v1";
        private const string ProviderArn = "arn:aws:iam::123456789012:oidc-provider/cloudaccounts-us.xdr.trendmicro.com/public/oidc/v1";
        private const string PolicyArn = "arn:aws:iam::123456789012:policy/VisionOnePolicyPart1";
        private const string OrganizationRoleArn = "arn:aws:iam::999988887777:role/OrganizationAccountAccessRole";
        private static readonly string ThumbprintA = new string('a', 40);
        private const string ThumbprintB = "9E99A48A9960B14926BB7F3B02E22DA2B0AB7280";
        private static readonly CliCredentials Seed = new CliCredentials(IamStore.SeedAccessKeyId, IamStore.SeedSecretAccessKey);
        private readonly EmulatorFixture _emulator;
        private readonly AwsCli _aws;

        public AwsCliConformanceTests(EmulatorFixture emulator)
        {
            _emulator = emulator;
            _emulator.Reset();
            _aws = new AwsCli(emulator.Host.BaseUrl);
        }

        public void Dispose() => _aws.Dispose();

        private static string[] Cmd(params string[] arguments) => arguments;

        private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

        private static void AllOk(CliResult[] results)
        {
            foreach (var result in results) result.AssertOk();
        }

        [Fact]
        public async Task The_policy_simulator_and_enforcement_answer_the_AWS_CLI_as_IAM_does()
        {
            var store = _emulator.Host.State.Iam;
            store.CreateUser("123456789012", "op", null);
            store.PutUserPolicy("123456789012", "op", "inline",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:Get*\",\"Resource\":\"arn:aws:iam::123456789012:role/Vision*\"}," +
                "{\"Effect\":\"Deny\",\"NotAction\":\"iam:Get*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"false\"}}}]}");
            var key = store.CreateAccessKey("123456789012", "op");
            var results = await _aws.RunAllAsync(Seed,
                Cmd("iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:user/op",
                    "--action-names", "iam:GetRole", "iam:CreateRole", "--resource-arns", "arn:aws:iam::123456789012:role/VisionOneRole", "arn:aws:iam::123456789012:role/Other"),
                Cmd("iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:user/op", "--action-names", "iam:GetRole", "iam:ListRoles", "--page-size", "1"),
                Cmd("iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::123456789012:user/nobody", "--action-names", "iam:GetRole"));
            var evaluations = results[0].AssertOk().Json.GetProperty("EvaluationResults").EnumerateArray().ToList();
            Assert.Equal(new[] { "iam:GetRole allowed", "iam:GetRole implicitDeny", "iam:CreateRole explicitDeny", "iam:CreateRole explicitDeny" },
                evaluations.Select(e => e.GetProperty("EvalActionName").GetString() + " " + e.GetProperty("EvalDecision").GetString()).ToArray());
            var specific = evaluations[0].GetProperty("ResourceSpecificResults")[0];
            Assert.Equal("arn:aws:iam::123456789012:role/VisionOneRole", specific.GetProperty("EvalResourceName").GetString());
            Assert.Equal("allowed", specific.GetProperty("EvalResourceDecision").GetString());
            Assert.Equal("inline", evaluations[0].GetProperty("MatchedStatements")[0].GetProperty("SourcePolicyId").GetString());
            Assert.Equal("user", evaluations[0].GetProperty("MatchedStatements")[0].GetProperty("SourcePolicyType").GetString());
            Assert.Equal(new[] { "aws:MultiFactorAuthPresent" }, Strings(evaluations[2].GetProperty("ResourceSpecificResults")[0].GetProperty("MissingContextValues")));
            // The CLI follows the Marker itself and hands back every page.
            var paged = results[1].AssertOk().Json.GetProperty("EvaluationResults").EnumerateArray().ToList();
            Assert.Equal(2, paged.Count);
            Assert.Equal("*", paged[1].GetProperty("EvalResourceName").GetString());
            Assert.Equal("NoSuchEntity", results[2].ErrorCode);

            var asUser = new CliCredentials(key.AccessKeyId, key.SecretAccessKey);
            var open = await _aws.RunAsync(asUser, "iam", "list-roles");
            store.EnforcePermissions = true;
            try
            {
                var denied = await _aws.RunAsync(asUser, "iam", "create-role", "--role-name", "X", "--assume-role-policy-document", "{}");
                var allowed = await _aws.RunAsync(asUser, "sts", "get-caller-identity");
                var seed = await _aws.RunAsync(Seed, "iam", "list-roles");
                open.AssertOk();
                allowed.AssertOk();
                seed.AssertOk();
                Assert.Equal("AccessDenied", denied.ErrorCode);
                Assert.Contains("User: arn:aws:iam::123456789012:user/op is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/X with an explicit deny in an identity-based policy", denied.Stderr);
            }
            finally
            {
                store.EnforcePermissions = false;
            }
        }

        [Fact]
        public async Task OpenIdConnectProviderLifecycle()
        {
            var created = (await _aws.RunAsync(Seed, "iam", "create-open-id-connect-provider", "--url", ProviderUrl,
                "--client-id-list", "arn:aws:iam::123456789012:root", "--thumbprint-list", ThumbprintA, "--tags", "Key=owner,Value=cloud-team")).Json;
            var second = await _aws.RunAllAsync(Seed,
                Cmd("iam", "create-open-id-connect-provider", "--url", ProviderUrl),
                Cmd("iam", "create-open-id-connect-provider", "--url", "http://insecure.example.test"),
                Cmd("iam", "add-client-id-to-open-id-connect-provider", "--open-id-connect-provider-arn", ProviderArn, "--client-id", "sts.amazonaws.com"),
                Cmd("iam", "update-open-id-connect-provider-thumbprint", "--open-id-connect-provider-arn", ProviderArn,
                    "--thumbprint-list", ThumbprintB, ThumbprintA));
            AllOk(await _aws.RunAllAsync(Seed,
                Cmd("iam", "add-client-id-to-open-id-connect-provider", "--open-id-connect-provider-arn", ProviderArn, "--client-id", "sts.amazonaws.com"),
                Cmd("iam", "remove-client-id-from-open-id-connect-provider", "--open-id-connect-provider-arn", ProviderArn,
                    "--client-id", "arn:aws:iam::123456789012:root")));
            var reads = await _aws.RunAllAsync(Seed,
                Cmd("iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", ProviderArn),
                Cmd("iam", "list-open-id-connect-providers"));
            (await _aws.RunAsync(Seed, "iam", "delete-open-id-connect-provider", "--open-id-connect-provider-arn", ProviderArn)).AssertOk();
            var afterDelete = await _aws.RunAsync(Seed, "iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", ProviderArn);

            Assert.Equal(ProviderArn, created.GetProperty("OpenIDConnectProviderArn").GetString());
            second[0].AssertError("EntityAlreadyExists");
            Assert.Contains("Provider with url " + ProviderUrl + " already exists.", second[0].Stderr);
            second[1].AssertError("InvalidInput");
            second[2].AssertOk();
            second[3].AssertOk();
            var provider = reads[0].Json;
            Assert.Equal("cloudaccounts-us.xdr.trendmicro.com/public/oidc/v1", provider.GetProperty("Url").GetString());
            Assert.Equal(new[] { "sts.amazonaws.com" }, Strings(provider.GetProperty("ClientIDList")));
            Assert.Equal(new[] { ThumbprintB, ThumbprintA }, Strings(provider.GetProperty("ThumbprintList")));
            Assert.Equal("cloud-team", provider.GetProperty("Tags")[0].GetProperty("Value").GetString());
            Assert.Equal(ProviderArn, reads[1].Json.GetProperty("OpenIDConnectProviderList")[0].GetProperty("Arn").GetString());
            afterDelete.AssertError("NoSuchEntity");
        }

        [Fact]
        public async Task ManagedPolicyLifecycle()
        {
            var created = (await _aws.RunAsync(Seed, "iam", "create-policy", "--policy-name", "VisionOnePolicyPart1",
                "--policy-document", Documents.Minimal, "--description", "part one")).Json;
            var second = await _aws.RunAllAsync(Seed,
                Cmd("iam", "create-policy", "--policy-name", "visiononepolicypart1", "--policy-document", Documents.Minimal),
                Cmd("iam", "create-policy", "--policy-name", "TooBig", "--policy-document", Documents.OfSize(6145)),
                Cmd("iam", "create-policy-version", "--policy-arn", PolicyArn, "--policy-document", Documents.Other, "--set-as-default"),
                Cmd("iam", "create-policy", "--policy-name", "Second", "--policy-document", Documents.Other));
            var reads = await _aws.RunAllAsync(Seed,
                Cmd("iam", "get-policy", "--policy-arn", PolicyArn),
                Cmd("iam", "get-policy-version", "--policy-arn", PolicyArn, "--version-id", "v2"),
                Cmd("iam", "list-policy-versions", "--policy-arn", PolicyArn),
                Cmd("iam", "list-policies", "--scope", "Local", "--page-size", "1"),
                Cmd("iam", "delete-policy-version", "--policy-arn", PolicyArn, "--version-id", "v2"));
            (await _aws.RunAsync(Seed, "iam", "set-default-policy-version", "--policy-arn", PolicyArn, "--version-id", "v1")).AssertOk();
            (await _aws.RunAsync(Seed, "iam", "delete-policy-version", "--policy-arn", PolicyArn, "--version-id", "v2")).AssertOk();
            (await _aws.RunAsync(Seed, "iam", "delete-policy", "--policy-arn", PolicyArn)).AssertOk();

            Assert.Equal(PolicyArn, created.GetProperty("Policy").GetProperty("Arn").GetString());
            Assert.Equal("v1", created.GetProperty("Policy").GetProperty("DefaultVersionId").GetString());
            second[0].AssertError("EntityAlreadyExists");
            Assert.Contains("A policy called visiononepolicypart1 already exists. Duplicate names are not allowed.", second[0].Stderr);
            second[1].AssertError("LimitExceeded");
            Assert.Contains("Cannot exceed quota for PolicySize: 6144", second[1].Stderr);
            Assert.Equal("v2", second[2].Json.GetProperty("PolicyVersion").GetProperty("VersionId").GetString());
            second[3].AssertOk();
            Assert.Equal("v2", reads[0].Json.GetProperty("Policy").GetProperty("DefaultVersionId").GetString());
            Assert.Equal("part one", reads[0].Json.GetProperty("Policy").GetProperty("Description").GetString());
            // The CLI decodes the URL-encoded document back into JSON.
            Assert.Equal("ec2:Describe*", reads[1].Json.GetProperty("PolicyVersion").GetProperty("Document")
                .GetProperty("Statement")[0].GetProperty("Action").GetString());
            Assert.Equal(new[] { "v2", "v1" }, reads[2].Json.GetProperty("Versions").EnumerateArray().Select(v => v.GetProperty("VersionId").GetString()));
            Assert.Equal(new[] { "Second", "VisionOnePolicyPart1" },
                reads[3].Json.GetProperty("Policies").EnumerateArray().Select(p => p.GetProperty("PolicyName").GetString()));
            Assert.True(_emulator.Host.State.Calls.Snapshot().Count(c => c.Action == "ListPolicies") >= 2, "the CLI followed the Marker");
            reads[4].AssertError("DeleteConflict");
            Assert.Equal(new[] { "Second" }, _emulator.Host.State.Iam.ListPolicies(IamStore.SeedAccountId, "Local", false, null).Select(p => p.Name));
        }

        [Fact]
        public async Task RoleLifecycle()
        {
            var setup = _emulator.SeedClient();
            (await setup.IamAsync("CreateOpenIDConnectProvider", ("Url", ProviderUrl))).AssertOk();
            (await setup.IamAsync("CreatePolicy", ("PolicyName", "VisionOnePolicyPart1"), ("PolicyDocument", Documents.Minimal))).AssertOk();

            var created = (await _aws.RunAsync(Seed, "iam", "create-role", "--role-name", "VisionOneRole", "--assume-role-policy-document",
                Documents.Trust(ProviderArn), "--description", "Vision One", "--max-session-duration", "7200",
                "--tags", "Key=Owner,Value=cloud", "Key=Env,Value=prod")).Json;
            var second = await _aws.RunAllAsync(Seed,
                Cmd("iam", "create-role", "--role-name", "visiononerole", "--assume-role-policy-document", Documents.AccountTrust),
                Cmd("iam", "create-role", "--role-name", "Vision One", "--assume-role-policy-document", Documents.AccountTrust),
                Cmd("iam", "create-role", "--role-name", "Unknown", "--assume-role-policy-document",
                    Documents.Trust("arn:aws:iam::123456789012:oidc-provider/unknown.example.test")),
                Cmd("iam", "get-role", "--role-name", "Nobody"),
                Cmd("iam", "attach-role-policy", "--role-name", "VisionOneRole", "--policy-arn", "arn:aws:iam::123456789012:policy/Missing"),
                Cmd("iam", "update-assume-role-policy", "--role-name", "VisionOneRole", "--policy-document", Documents.Trust(ProviderArn, "accounts.google.com")),
                Cmd("iam", "tag-role", "--role-name", "VisionOneRole", "--tags", "Key=Stage,Value=2"),
                Cmd("iam", "untag-role", "--role-name", "VisionOneRole", "--tag-keys", "env"),
                Cmd("iam", "attach-role-policy", "--role-name", "VisionOneRole", "--policy-arn", PolicyArn));
            var reads = await _aws.RunAllAsync(Seed,
                Cmd("iam", "get-role", "--role-name", "VisionOneRole"),
                Cmd("iam", "list-role-tags", "--role-name", "VisionOneRole"),
                Cmd("iam", "list-attached-role-policies", "--role-name", "VisionOneRole"),
                Cmd("iam", "list-role-policies", "--role-name", "VisionOneRole"),
                Cmd("iam", "delete-role", "--role-name", "VisionOneRole"),
                Cmd("iam", "list-roles"));
            (await _aws.RunAsync(Seed, "iam", "detach-role-policy", "--role-name", "VisionOneRole", "--policy-arn", PolicyArn)).AssertOk();
            (await _aws.RunAsync(Seed, "iam", "delete-role", "--role-name", "VisionOneRole")).AssertOk();

            Assert.Equal("arn:aws:iam::123456789012:role/VisionOneRole", created.GetProperty("Role").GetProperty("Arn").GetString());
            second[0].AssertError("EntityAlreadyExists");
            Assert.Contains("Role with name visiononerole already exists.", second[0].Stderr);
            second[1].AssertError("ValidationError");
            second[2].AssertError("MalformedPolicyDocument");
            Assert.Contains("Invalid principal in policy", second[2].Stderr);
            second[3].AssertError("NoSuchEntity");
            Assert.Contains("The role with name Nobody cannot be found.", second[3].Stderr);
            second[4].AssertError("NoSuchEntity");
            AllOk(second.Skip(5).ToArray());
            var role = reads[0].Json.GetProperty("Role");
            Assert.Equal("Vision One", role.GetProperty("Description").GetString());
            Assert.Equal(7200, role.GetProperty("MaxSessionDuration").GetInt32());
            Assert.Equal(new[] { ProviderArn, "accounts.google.com" },
                Strings(role.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement")[0].GetProperty("Principal").GetProperty("Federated")));
            Assert.Equal(new[] { "Owner", "Stage" }, reads[1].Json.GetProperty("Tags").EnumerateArray().Select(t => t.GetProperty("Key").GetString()));
            Assert.Equal(PolicyArn, reads[2].Json.GetProperty("AttachedPolicies")[0].GetProperty("PolicyArn").GetString());
            Assert.Equal(0, reads[3].Json.GetProperty("PolicyNames").GetArrayLength());
            reads[4].AssertError("DeleteConflict");
            Assert.Equal(new[] { "VisionOneRole" }, reads[5].Json.GetProperty("Roles").EnumerateArray().Select(r => r.GetProperty("RoleName").GetString()));
            Assert.Null(_emulator.Host.State.Iam.FindRole(IamStore.SeedAccountId, "VisionOneRole"));
        }

        [Fact]
        public async Task StsAndSignatureChecks()
        {
            _emulator.Host.State.Iam.CreateOrganizationAccessRole("999988887777", IamStore.SeedAccountId);
            var first = await _aws.RunAllAsync(Seed,
                Cmd("sts", "get-caller-identity"),
                Cmd("sts", "assume-role", "--role-arn", OrganizationRoleArn, "--role-session-name", "onboarding"),
                Cmd("sts", "assume-role", "--role-arn", "arn:aws:iam::999988887777:role/VisionOneRole", "--role-session-name", "onboarding"),
                Cmd("sts", "assume-role", "--role-arn", OrganizationRoleArn, "--role-session-name", "bad name"));
            var wrongSecret = await _aws.RunAsync(Seed with { SecretAccessKey = "wrong-secret" }, "iam", "list-roles");
            var credentials = first[1].Json.GetProperty("Credentials");
            var member = new CliCredentials(credentials.GetProperty("AccessKeyId").GetString()!,
                credentials.GetProperty("SecretAccessKey").GetString()!, credentials.GetProperty("SessionToken").GetString());
            var asMember = await _aws.RunAllAsync(member,
                Cmd("sts", "get-caller-identity"),
                Cmd("iam", "create-role", "--role-name", "InMember", "--assume-role-policy-document", Documents.AccountTrust));
            var withoutToken = await _aws.RunAsync(member with { SessionToken = null }, "sts", "get-caller-identity");

            var identity = first[0].Json;
            Assert.Equal("123456789012", identity.GetProperty("Account").GetString());
            Assert.Equal("arn:aws:iam::123456789012:user/emulator-admin", identity.GetProperty("Arn").GetString());
            Assert.Equal("arn:aws:sts::999988887777:assumed-role/OrganizationAccountAccessRole/onboarding",
                first[1].Json.GetProperty("AssumedRoleUser").GetProperty("Arn").GetString());
            Assert.StartsWith("ASIA", member.AccessKeyId);
            first[2].AssertError("AccessDenied");
            first[3].AssertError("ValidationError");
            wrongSecret.AssertError("SignatureDoesNotMatch");
            Assert.Equal("999988887777", asMember[0].Json.GetProperty("Account").GetString());
            Assert.Equal("arn:aws:iam::999988887777:role/InMember", asMember[1].Json.GetProperty("Role").GetProperty("Arn").GetString());
            Assert.Null(_emulator.Host.State.Iam.FindRole(IamStore.SeedAccountId, "InMember"));
            withoutToken.AssertError("InvalidClientTokenId");
        }
    }
}
