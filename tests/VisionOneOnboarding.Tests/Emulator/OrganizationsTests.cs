using System;
using System.Linq;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Emulator.Iam;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Tests.Emulator
{
    /// <summary>
    /// The emulator's Organizations face, driven by the AWS CLI (a client nobody here wrote) and by our JSON client:
    /// paging, parents, the management-only listing, the error shapes, and member roles that STS really checks.
    /// </summary>
    public sealed class OrganizationsTests : IClassFixture<EmulatorFixture>, IDisposable
    {
        private static readonly CliCredentials Seed = new CliCredentials(IamStore.SeedAccessKeyId, IamStore.SeedSecretAccessKey);
        private readonly EmulatorFixture _emulator;
        private readonly AwsCli _aws;

        public OrganizationsTests(EmulatorFixture emulator)
        {
            _emulator = emulator;
            _emulator.Reset();
            _aws = new AwsCli(emulator.Host.BaseUrl);
        }

        public void Dispose() => _aws.Dispose();

        private async Task<JsonElement> CreateOrganizationAsync(object seed)
        {
            var response = await _emulator.Http.PostAsJsonAsync("/_emulator/organization", seed);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }

        private static string UnitId(JsonElement organization, string path) =>
            organization.GetProperty("organizationalUnits").EnumerateArray().Single(u => u.GetProperty("path").GetString() == path).GetProperty("id").GetString()!;

        [Fact]
        public async Task The_AWS_CLI_lists_an_organization_of_30_accounts_in_nested_OUs()
        {
            var organization = await CreateOrganizationAsync(new { organizationalUnits = new[] { "Prod", "Dev", "Prod/Payments" }, accounts = 30, suspendedAccounts = 2 });
            var root = organization.GetProperty("rootId").GetString()!;
            var prod = UnitId(organization, "Prod");

            var results = await _aws.RunAllAsync(Seed,
                new[] { "organizations", "list-accounts" },
                new[] { "organizations", "describe-organization" },
                new[] { "organizations", "list-organizational-units-for-parent", "--parent-id", root },
                new[] { "organizations", "list-organizational-units-for-parent", "--parent-id", prod },
                new[] { "organizations", "list-accounts-for-parent", "--parent-id", prod },
                new[] { "organizations", "list-accounts", "--max-items", "5" });

            var accounts = results[0].Json.GetProperty("Accounts").EnumerateArray().ToList();
            Assert.Equal(33, accounts.Count);   // management + 30 active + 2 suspended, over two pages of 20
            Assert.Equal(31, accounts.Count(a => a.GetProperty("State").GetString() == "ACTIVE"));
            Assert.Equal(2, accounts.Count(a => a.GetProperty("State").GetString() == "SUSPENDED"));
            Assert.All(accounts, a => Assert.False(a.TryGetProperty("Status", out _)));   // retired on 2026-09-09
            Assert.Contains(accounts, a => a.GetProperty("Id").GetString() == IamStore.SeedAccountId);
            Assert.All(accounts, a => Assert.StartsWith("arn:aws:organizations::123456789012:account/o-", a.GetProperty("Arn").GetString()));
            var described = results[1].Json.GetProperty("Organization");
            Assert.Equal(IamStore.SeedAccountId, described.GetProperty("MasterAccountId").GetString());
            Assert.Equal(organization.GetProperty("id").GetString(), described.GetProperty("Id").GetString());
            Assert.Equal(new[] { "Dev", "Prod" }, results[2].Json.GetProperty("OrganizationalUnits").EnumerateArray().Select(u => u.GetProperty("Name").GetString()).OrderBy(n => n));
            Assert.Equal("Payments", results[3].Json.GetProperty("OrganizationalUnits").EnumerateArray().Single().GetProperty("Name").GetString());
            Assert.Equal(11, results[4].Json.GetProperty("Accounts").GetArrayLength());   // every third of 32 members, dealt Prod, Dev, Prod/Payments
            Assert.Equal(5, results[5].Json.GetProperty("Accounts").GetArrayLength());
            Assert.True(results[5].Json.TryGetProperty("NextToken", out _));
        }

        [Fact]
        public async Task The_AWS_CLI_closes_a_member_which_then_leaves_ACTIVE_and_our_client_reads_it()
        {
            await CreateOrganizationAsync(new { accounts = 3 });

            (await _aws.RunAsync(Seed, "organizations", "close-account", "--account-id", "200000000002")).AssertOk();
            var results = await _aws.RunAllAsync(Seed,
                new[] { "organizations", "describe-account", "--account-id", "200000000002" },
                new[] { "organizations", "close-account", "--account-id", "200000000002" },
                new[] { "organizations", "close-account", "--account-id", IamStore.SeedAccountId },
                new[] { "organizations", "describe-account", "--account-id", "999999999999" });

            var described = results[0].Json.GetProperty("Account");
            Assert.Equal("SUSPENDED", described.GetProperty("State").GetString());
            Assert.False(described.TryGetProperty("Status", out _));
            results[1].AssertError("AccountAlreadyClosedException");
            results[2].AssertError("ConstraintViolationException");
            results[3].AssertError("AccountNotFoundException");
            var calls = _emulator.Host.State.Calls.Snapshot().Where(c => c.Action == "CloseAccount").ToList();
            Assert.True(calls[0].Mutating && calls[0].Success);

            var factory = new AwsQueryClientFactory(new AwsClientSettings { EndpointUrl = _emulator.Host.BaseUrl.ToString(), Retry = RetryPolicy.None }, NullLogSink.Instance);
            var client = factory.CreateOrganizations(new AwsCredentialSet(IamStore.SeedAccessKeyId, IamStore.SeedSecretAccessKey, null, "test"), AwsEndpoints.Aws);
            var closed = (await client.ListAccountsAsync(CancellationToken.None)).Single(a => a.Id == "200000000002");
            Assert.Equal("SUSPENDED", closed.State);
            Assert.False(closed.IsActive);
        }

        [Fact]
        public async Task Errors_have_the_real_codes_for_the_AWS_CLI()
        {
            var first = await _aws.RunAsync(Seed, "organizations", "list-accounts");
            first.AssertError("AWSOrganizationsNotInUseException");

            await CreateOrganizationAsync(new { organizationalUnits = new[] { "Prod" }, accounts = 2 });
            var member = await _emulator.Http.PostAsJsonAsync("/_emulator/accounts", new { accountId = "200000000001" });
            var memberKeys = JsonDocument.Parse(await member.Content.ReadAsStringAsync()).RootElement;
            var memberCli = new CliCredentials(memberKeys.GetProperty("accessKeyId").GetString()!, memberKeys.GetProperty("secretAccessKey").GetString()!);

            var results = await Task.WhenAll(
                _aws.RunAsync(memberCli, "organizations", "list-accounts"),
                _aws.RunAsync(memberCli, "organizations", "describe-organization"),
                _aws.RunAsync(Seed, "organizations", "list-accounts-for-parent", "--parent-id", "ou-abcd-12345678"),
                _aws.RunAsync(Seed, "organizations", "list-accounts-for-parent", "--parent-id", "not-a-parent"),
                _aws.RunAsync(Seed, "organizations", "list-accounts", "--page-size", "50"));

            results[0].AssertError("AccessDeniedException");
            results[1].AssertOk();
            results[2].AssertError("ParentNotFoundException");
            results[3].AssertError("InvalidInputException");
            results[4].AssertError("InvalidInputException");
        }

        [Fact]
        public async Task Every_created_member_has_OrganizationAccountAccessRole_trusting_the_management_account()
        {
            var organization = await CreateOrganizationAsync(new { accounts = 3, invitedAccounts = 1 });
            var members = organization.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("id").GetString()!).Where(id => id != IamStore.SeedAccountId).ToList();

            Assert.Null(_emulator.Host.State.Iam.FindRole(members[0], IamStore.OrganizationRoleName));   // invited: Organizations made no role there
            foreach (var member in members.Skip(1))
            {
                var role = _emulator.Host.State.Iam.FindRole(member, IamStore.OrganizationRoleName)!;
                Assert.Equal("arn:aws:iam::" + member + ":role/OrganizationAccountAccessRole", role.Arn);
                using var trust = JsonDocument.Parse(role.TrustPolicy);
                var statement = trust.RootElement.GetProperty("Statement")[0];
                Assert.Equal("arn:aws:iam::123456789012:root", statement.GetProperty("Principal").GetProperty("AWS").GetString());
                Assert.Equal("sts:AssumeRole", statement.GetProperty("Action").GetString());
            }
            var assumed = (await _aws.RunAsync(Seed, "sts", "assume-role", "--role-arn", "arn:aws:iam::" + members[1] + ":role/OrganizationAccountAccessRole",
                "--role-session-name", "onboarding")).Json;
            Assert.Equal(members[1], assumed.GetProperty("AssumedRoleUser").GetProperty("Arn").GetString()!.Split(':')[4]);
        }

        [Fact]
        public async Task Our_JSON_client_reads_the_organization_through_signed_calls()
        {
            var organization = await CreateOrganizationAsync(new { organizationalUnits = new[] { "Prod", "Prod/Payments" }, accounts = 25 });
            var factory = new AwsQueryClientFactory(new AwsClientSettings { EndpointUrl = _emulator.Host.BaseUrl.ToString(), Retry = RetryPolicy.None }, NullLogSink.Instance);
            var client = factory.CreateOrganizations(new AwsCredentialSet(IamStore.SeedAccessKeyId, IamStore.SeedSecretAccessKey, null, "test"), AwsEndpoints.Aws);

            var described = await client.DescribeOrganizationAsync(CancellationToken.None);
            var all = await client.ListAccountsAsync(CancellationToken.None);
            var units = await client.ListOrganizationalUnitsForParentAsync(UnitId(organization, "Prod"), CancellationToken.None);
            var inPayments = await client.ListAccountsForParentAsync(UnitId(organization, "Prod/Payments"), CancellationToken.None);

            Assert.Equal(IamStore.SeedAccountId, described.ManagementAccountId);
            Assert.Equal(26, all.Count);
            Assert.Equal(all.Select(a => a.Id).Distinct().Count(), all.Count);
            Assert.Equal("Payments", units.Single().Name);
            Assert.Equal(12, inPayments.Count);
            Assert.All(all, a => Assert.True(a.IsActive));
            var calls = _emulator.Host.State.Calls.Snapshot().Where(c => c.Service == "organizations").ToList();
            Assert.All(calls, c => Assert.True(c.Success && !c.Mutating));
            Assert.Equal(2, calls.Count(c => c.Action == "ListAccounts"));   // 26 accounts: two pages of at most 20
        }

        [Fact]
        public async Task A_seed_the_emulator_cannot_build_is_refused_with_a_reason()
        {
            var response = await _emulator.Http.PostAsJsonAsync("/_emulator/organization", new { organizationalUnits = new[] { "Prod/Payments" }, accounts = 1 });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("parent", await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await _emulator.Http.GetAsync("/_emulator/organization")).StatusCode);
        }
    }
}
