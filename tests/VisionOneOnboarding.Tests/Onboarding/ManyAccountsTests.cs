using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.Tests.Aws;

namespace VisionOneOnboarding.Tests.Onboarding
{
    /// <summary>The many-account run without a runspace or a network: selection, slices, names, and the bounded fan-out.</summary>
    public class ManyAccountsTests
    {
        private static IReadOnlyList<AccountTarget> Accounts(int count) =>
            Enumerable.Range(1, count).Select(i => new AccountTarget((200000000000L + i).ToString(), "Member " + i, "m" + i + "@example.com")).ToList();

        [Fact]
        public void Shards_take_every_account_exactly_once_whatever_the_order()
        {
            var accounts = Accounts(300);
            var slices = Enumerable.Range(1, 4).Select(i => AccountSelection.Select(accounts, null, AccountShard.Parse(i + "/4")).Select(a => a.AccountId).ToList()).ToList();
            var reversed = Enumerable.Range(1, 4).Select(i => AccountSelection.Select(accounts.Reverse(), null, AccountShard.Parse(i + "/4")).Select(a => a.AccountId).OrderBy(id => id).ToList()).ToList();

            Assert.Equal(300, slices.Sum(s => s.Count));
            Assert.Equal(300, slices.SelectMany(s => s).Distinct().Count());
            Assert.All(slices, s => Assert.InRange(s.Count, 40, 110));
            for (int i = 0; i < 4; i++) Assert.Equal(slices[i].OrderBy(id => id), reversed[i]);
            Assert.Equal(AccountShard.SliceOf("123456789012", 7), AccountShard.SliceOf("123456789012", 7));
        }

        [Theory]
        [InlineData("0/3")]
        [InlineData("4/3")]
        [InlineData("1/0")]
        [InlineData("a/b")]
        [InlineData("1-3")]
        [InlineData("")]
        public void A_shard_that_is_not_i_of_n_is_refused(string text)
        {
            var error = Assert.Throws<VisionOneException>(() => AccountShard.Parse(text));
            Assert.Equal(ErrorCatalogue.InvalidShard.Id, error.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
        }

        [Fact]
        public void Selection_merges_repeats_and_leaves_out_the_excluded()
        {
            var selected = AccountSelection.Select(new[]
            {
                new AccountTarget("111111111111"),
                new AccountTarget("222222222222", "Two"),
                new AccountTarget("111111111111", "One", "one@example.com"),
                new AccountTarget("333333333333", "Three"),
            }, new[] { "222222222222" }, null);

            Assert.Equal(new[] { "111111111111", "333333333333" }, selected.Select(a => a.AccountId));
            Assert.Equal("One", selected[0].Name);
            Assert.Equal("one@example.com", selected[0].Email);
            Assert.Throws<VisionOneException>(() => AccountSelection.Select(selected, new[] { "12345" }, null));
        }

        [Fact]
        public void Names_follow_the_format_and_clashes_are_found_before_any_change()
        {
            var format = new CloudAccountNameFormat(CloudAccountNameFormat.Default);
            var accounts = new[] { new AccountTarget("111111111111", "Payments"), new AccountTarget("222222222222", "Payments"), new AccountTarget("333333333333") };
            Assert.Equal("Payments (111111111111)", format.NameOf(accounts[0]));
            Assert.Equal("333333333333 (333333333333)", format.NameOf(accounts[2]));

            var byName = new CloudAccountNameFormat("{AccountName}");
            var named = accounts.Select(a => new KeyValuePair<AccountTarget, string>(a, byName.NameOf(a))).ToList();
            var clashes = CloudAccountNameFormat.FindClashes(named, new[]
            {
                new KeyValuePair<string, string>("999999999999", "333333333333"),   // another AWS account already uses that name
                new KeyValuePair<string, string>("111111111111", "Payments"),       // the account's own entry is no clash
            });

            Assert.Equal(new[] { "111111111111", "222222222222", "333333333333" }, clashes.Keys.OrderBy(k => k));
            Assert.Contains("999999999999", clashes["333333333333"].Message);
            Assert.Contains("alike", clashes["111111111111"].Message);
            Assert.All(clashes.Values, e => Assert.Equal(ErrorCatalogue.CloudAccountNameClash.Id, ((VisionOneException)e).ErrorId));
        }

        [Theory]
        [InlineData("{AccountAlias}")]
        [InlineData("Production")]
        public void A_name_format_that_cannot_tell_accounts_apart_is_refused(string format)
        {
            var error = Assert.Throws<VisionOneException>(() => new CloudAccountNameFormat(format));
            Assert.Equal(ErrorCatalogue.InvalidNameFormat.Id, error.ErrorId);
        }

        [Fact]
        public async Task A_failing_account_fails_alone_and_the_others_finish_within_the_limit()
        {
            var accounts = Accounts(20);
            var connector = new FakeConnector(deny: accounts[4].AccountId);
            var operation = new FakeOperation(changedEvery: 2);
            var streamed = new List<AccountResult>();
            var progress = new List<ManyAccountsProgress>();

            var summary = await new ManyAccountsRun(connector, NullLogSink.Instance, throttleLimit: 3).RunAsync(operation, accounts, null,
                r => { lock (streamed) streamed.Add(r); }, p => { lock (progress) progress.Add(p); }, ex => "id:" + ex.GetType().Name, CancellationToken.None);

            Assert.Equal(20, streamed.Count);
            Assert.Equal(19, summary.Succeeded);
            Assert.Equal(1, summary.Failed);
            Assert.Equal(accounts[4].AccountId, summary.Failures.Single().AccountId);
            Assert.Equal("id:VisionOneException", summary.Failures.Single().ErrorId);
            Assert.Equal(19, operation.Ran.Count);
            Assert.InRange(operation.MostAtOnce, 2, 3);
            Assert.Equal(summary.Changed + summary.Unchanged, summary.Succeeded);
            Assert.Equal(0, progress.Last().Remaining);
            Assert.Equal(21, progress.Count);   // the start, then one per account
        }

        [Fact]
        public async Task Refused_accounts_are_reported_without_being_touched()
        {
            var accounts = Accounts(3);
            var connector = new FakeConnector(deny: null);
            var operation = new FakeOperation(changedEvery: 1);
            var refused = new Dictionary<string, Exception>
            {
                [accounts[1].AccountId] = new VisionOneException(ErrorCatalogue.CloudAccountNameClash, "Account " + accounts[1].AccountId + ": the name clashes.", accounts[1].AccountId),
            };
            var results = new List<AccountResult>();

            var summary = await new ManyAccountsRun(connector, NullLogSink.Instance, 4).RunAsync(operation, accounts, refused,
                r => { lock (results) results.Add(r); }, null, ex => ((VisionOneException)ex).ErrorId, CancellationToken.None);

            Assert.DoesNotContain(accounts[1].AccountId, connector.Reached);
            Assert.DoesNotContain(accounts[1].AccountId, operation.Ran);
            Assert.Equal(ErrorCatalogue.CloudAccountNameClash.Id, summary.Failures.Single().ErrorId);
            Assert.Contains(accounts[1].AccountId, summary.Failures.Single().Reason);
            Assert.Equal(2, summary.Changed);
        }

        [Fact]
        public async Task The_callers_own_account_uses_its_credentials_and_members_are_assumed()
        {
            var handler = new FakeAwsHandler(r =>
            {
                if (r.Action == "AssumeRole")
                    return FakeAwsHandler.Ok("AssumeRole", "<Credentials><AccessKeyId>ASIAMEMBER</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>" +
                        "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>", "https://sts.amazonaws.com/doc/2011-06-15/");
                var account = r.Headers["Authorization"].Contains("ASIAMEMBER") ? "222222222222" : "111111111111";
                return FakeAwsHandler.Ok("GetCallerIdentity", "<Arn>arn:aws:iam::" + account + ":user/x</Arn><UserId>U</UserId><Account>" + account + "</Account>",
                    "https://sts.amazonaws.com/doc/2011-06-15/");
            });
            var factory = new AwsQueryClientFactory(new AwsClientSettings { Handler = handler, Retry = RetryPolicy.None }, NullLogSink.Instance);
            var caller = await AwsAccountContext.CreateAsync(TestAws.Credentials(), "us-east-1", factory, NullLogSink.Instance, CancellationToken.None);
            var connector = new MemberAccountConnector(caller, MemberAccountConnector.DefaultRoleName, "ext-id");

            var own = await connector.ScopeForAsync("111111111111", CancellationToken.None);
            var member = await connector.ScopeForAsync("222222222222", CancellationToken.None);

            Assert.Equal("111111111111", own.AccountId);
            Assert.Equal("222222222222", member.AccountId);
            var assume = handler.Requests.Single(r => r.Action == "AssumeRole");
            Assert.Equal("arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", assume["RoleArn"]);
            Assert.Equal("ext-id", assume["ExternalId"]);
        }

        [Fact]
        public async Task Only_ACTIVE_accounts_of_the_Organization_are_selected_and_the_others_are_left_out_with_their_state()
        {
            var organizations = new FakeOrganizations(
                new OrganizationAccount { Id = "111111111111", State = "ACTIVE" },
                new OrganizationAccount { Id = "222222222222", State = "SUSPENDED" },
                new OrganizationAccount { Id = "333333333333", State = "PENDING_CLOSURE" },
                new OrganizationAccount { Id = "444444444444", State = "" });

            var listing = await AccountSelection.FromOrganizationAsync(organizations, null, NullLogSink.Instance, CancellationToken.None);

            Assert.Equal(new[] { "111111111111" }, listing.Active.Select(a => a.AccountId));
            Assert.Equal(new[] { "222222222222 (SUSPENDED): left out", "333333333333 (PENDING_CLOSURE): left out", "444444444444 (state not given): left out" },
                listing.NotActive.Select(a => a.ToString()));
        }

        [Fact]
        public async Task Accounts_given_by_id_learn_their_state_and_a_not_ACTIVE_one_is_refused_with_its_state()
        {
            var organizations = new FakeOrganizations(
                new OrganizationAccount { Id = "111111111111", Name = "Caller", State = "ACTIVE" },
                new OrganizationAccount { Id = "222222222222", Name = "Closed", State = "SUSPENDED" },
                new OrganizationAccount { Id = "333333333333", Name = "Open", State = "ACTIVE" });
            var given = new[] { new AccountTarget("222222222222"), new AccountTarget("333333333333"), new AccountTarget("999999999999") };

            var detailed = await AccountSelection.WithOrganizationDetailsAsync(given, "111111111111", () => organizations, NullLogSink.Instance, CancellationToken.None);
            var refused = AccountSelection.NotActive(detailed);

            Assert.Equal(new[] { "SUSPENDED", "ACTIVE", null }, detailed.Select(a => a.State));
            Assert.Equal("Open", detailed[1].Name);
            var error = (VisionOneException)refused.Single(r => r.Key == "222222222222").Value;
            Assert.Equal(ErrorCatalogue.AwsAccountNotActive.Id, error.ErrorId);
            Assert.Contains("SUSPENDED", error.Message);
            Assert.Single(refused);

            organizations.Calls = 0;
            var own = await AccountSelection.WithOrganizationDetailsAsync(new[] { new AccountTarget("111111111111") }, "111111111111", () => organizations, NullLogSink.Instance, CancellationToken.None);
            Assert.Null(own.Single().State);
            Assert.Equal(0, organizations.Calls);   // the caller's own account is signed in: nothing to ask
        }

        [Fact]
        public void No_account_selected_is_an_error_naming_why_each_was_left_out_unless_only_the_slice_left_them_out()
        {
            var listed = new[] { new AccountTarget("111111111111"), new AccountTarget("222222222222") };
            var shard = AccountShard.Parse("1/1000");
            var leftBySelection = AccountSelection.LeftOutBySelection(listed, Array.Empty<AccountTarget>(), new[] { "111111111111" }, shard);
            var all = new[] { new AccountLeftOut("333333333333", "SUSPENDED") }.Concat(leftBySelection).ToList();

            var error = AccountSelection.NothingSelected(all)!;

            Assert.Equal(ErrorCatalogue.NoAccountSelected.Id, error.ErrorId);
            Assert.Contains("333333333333 (SUSPENDED): left out", error.Message);
            Assert.Contains("111111111111 (excluded by -ExcludeAccountId): left out", error.Message);
            Assert.Contains("222222222222 (outside slice 1/1000): left out", error.Message);
            Assert.Null(AccountSelection.NothingSelected(AccountSelection.LeftOutBySelection(listed, Array.Empty<AccountTarget>(), null, shard)));
            Assert.Null(AccountSelection.NothingSelected(Array.Empty<AccountLeftOut>()));
        }

        private sealed class FakeOrganizations : IOrganizationsClient
        {
            private readonly OrganizationAccount[] _accounts;
            public FakeOrganizations(params OrganizationAccount[] accounts) { _accounts = accounts; }
            public int Calls;
            public Task<OrganizationInfo> DescribeOrganizationAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
            public Task<IReadOnlyList<OrganizationAccount>> ListAccountsAsync(CancellationToken cancellationToken)
            {
                Calls++;
                return Task.FromResult<IReadOnlyList<OrganizationAccount>>(_accounts);
            }
            public Task<IReadOnlyList<OrganizationAccount>> ListAccountsForParentAsync(string parentId, CancellationToken cancellationToken) => throw new NotSupportedException();
            public Task<IReadOnlyList<OrganizationalUnit>> ListOrganizationalUnitsForParentAsync(string parentId, CancellationToken cancellationToken) => throw new NotSupportedException();
        }

        private sealed class FakeConnector : IMemberAccountConnector
        {
            private readonly string? _deny;
            public FakeConnector(string? deny) { _deny = deny; }
            public List<string> Reached { get; } = new List<string>();
            public Task<AccountScope> ScopeForAsync(string accountId, CancellationToken ct)
            {
                lock (Reached) Reached.Add(accountId);
                if (accountId == _deny) throw new VisionOneException(ErrorCatalogue.AssumeRoleDenied, "Account " + accountId + ": denied");
                return Task.FromResult(new AccountScope(accountId, "aws", null!));
            }
        }

        private sealed class FakeOperation : IAccountOperation
        {
            private readonly int _changedEvery;
            private int _inFlight;
            public FakeOperation(int changedEvery) { _changedEvery = changedEvery; }
            public List<string> Ran { get; } = new List<string>();
            public int MostAtOnce;
            public string Activity => "Testing";
            public async Task<AccountWorkResult> RunAsync(AccountScope scope, AccountTarget account, ILogSink log, CancellationToken ct)
            {
                var now = Interlocked.Increment(ref _inFlight);
                lock (Ran) { Ran.Add(account.AccountId); MostAtOnce = Math.Max(MostAtOnce, now); }
                await Task.Delay(20, ct);
                Interlocked.Decrement(ref _inFlight);
                return new AccountWorkResult(long.Parse(account.AccountId) % _changedEvery == 0, new object[] { account.AccountId });
            }
        }
    }
}
