using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using VisionOneOnboarding.Emulator.Iam;
using VisionOneOnboarding.Emulator.VisionOne;

namespace VisionOneOnboarding.Tests.VisionOne
{
    /// <summary>The emulator's Cloud Accounts state with a fake IAM: the role check, names, ETags, paging, the rate limit.</summary>
    public class CamStoreTests
    {
        private const string Acct = "111122223333";
        private const string Arn = "arn:aws:iam::" + Acct + ":role/VisionOneRole";
        private static readonly CamKey Caller = new CamKey("k", CamStore.SeededBusinessId, "us", readOnly: false);

        private DateTimeOffset _now = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        private readonly FakeIamView _iam = new FakeIamView();
        private readonly CamStore _store;

        public CamStoreTests() { _store = new CamStore(_iam, () => _now); }

        private CamAccount Add(string arn = Arn, string name = "prod") => _store.Add(Caller, arn, name, null, null, null, null);

        [Fact]
        public void A_complete_IAM_setup_connects_as_managed()
        {
            _iam.WithCompleteSetup(Acct);
            var account = Add();
            Assert.Equal("managed", account.State);
            Assert.Empty(account.MissingPieces);
            Assert.Equal(Acct, account.Id);
            Assert.Equal(_now, account.LastSynced);
        }

        [Fact]
        public void A_role_Vision_One_cannot_assume_yet_is_refused_with_400_Unable_to_assume_role_and_nothing_is_created_or_re_pointed()
        {
            _iam.WithCompleteSetup(Acct);
            _iam.NotYetAssumable.Add((Acct, "VisionOneRole"));
            var refused = Assert.Throws<CamError>(() => Add());
            Assert.Equal(400, refused.Status);
            Assert.Equal("BadRequest", refused.Code);
            Assert.StartsWith("Unable to assume role " + Arn, refused.Message);
            Assert.Empty(_store.Dump());

            _iam.NotYetAssumable.Clear();
            var added = Add();
            _iam.Roles[(Acct, "Other")] = _iam.Roles[(Acct, "VisionOneRole")];
            _iam.NotYetAssumable.Add((Acct, "Other"));
            var other = "arn:aws:iam::" + Acct + ":role/Other";
            Assert.Equal(400, Assert.Throws<CamError>(() => _store.Update(Caller, Acct, added.ETag, new CamAccountPatch { RoleArn = other })).Status);
            Assert.Equal(Arn, _store.Get(Caller, Acct)!.RoleArn);
            // A PATCH that does not re-point is not about the role.
            Assert.Equal("renamed", _store.Update(Caller, Acct, _store.Get(Caller, Acct)!.ETag, new CamAccountPatch { Name = "renamed" }).Name);
        }

        [Fact]
        public void The_GovCloud_partition_is_checked_with_its_own_ARNs()
        {
            _iam.WithCompleteSetup(Acct, partition: "aws-us-gov");
            var account = Add("arn:aws-us-gov:iam::" + Acct + ":role/VisionOneRole");
            Assert.Equal("managed", account.State);
        }

        [Fact]
        public void A_missing_role_and_provider_leave_the_account_failed_with_both_named()
        {
            var account = Add();
            Assert.Equal("failed", account.State);
            Assert.Contains(account.MissingPieces, p => p.Contains("role VisionOneRole does not exist"));
            Assert.Contains(account.MissingPieces, p => p.Contains("OIDC provider cloudaccounts-us.xdr.trendmicro.com does not exist"));
        }

        public static IEnumerable<object[]> BrokenSetups()
        {
            yield return new object[] { "wrong aud", (Action<FakeIamView>)(iam => Trust(iam, FakeIamView.TrustPolicy(Acct, "us", "1234567890", audience: "sts.amazonaws.com"))), ":aud must be arn:aws:iam::" + Acct + ":root" };
            yield return new object[] { "other tenant in sub", (Action<FakeIamView>)(iam => Trust(iam, FakeIamView.TrustPolicy(Acct, "us", "999"))), ":sub must include urn:visionone:identity:us:1234567890:account/1234567890" };
            yield return new object[] { "other region's issuer", (Action<FakeIamView>)(iam => Trust(iam, FakeIamView.TrustPolicy(Acct, "eu", "1234567890"))), "no Allow statement for Federated principal arn:aws:iam::" + Acct + ":oidc-provider/cloudaccounts-us.xdr.trendmicro.com" };
            yield return new object[] { "no web identity action", (Action<FakeIamView>)(iam => Trust(iam, FakeIamView.TrustPolicy(Acct, "us", "1234567890", action: "\"sts:AssumeRole\""))), "does not allow sts:AssumeRoleWithWebIdentity" };
            yield return new object[] { "Deny statement", (Action<FakeIamView>)(iam => Trust(iam, FakeIamView.TrustPolicy(Acct, "us", "1234567890").Replace("Allow", "Deny"))), "no Allow statement" };
            yield return new object[] { "not JSON", (Action<FakeIamView>)(iam => Trust(iam, "{oops")), "trust policy is not valid JSON" };
            yield return new object[] { "policy 2 detached", (Action<FakeIamView>)(iam => iam.Roles[(Acct, "VisionOneRole")].AttachedPolicyNames = new List<string> { "VisionOnePolicyPart1", "VisionOnePolicyPart3" }), "policy VisionOnePolicyPart2 is not attached" };
            yield return new object[] { "provider deleted", (Action<FakeIamView>)(iam => iam.Providers.Clear()), "OIDC provider cloudaccounts-us.xdr.trendmicro.com does not exist" };
        }

        private static void Trust(FakeIamView iam, string policy) => iam.Roles[(Acct, "VisionOneRole")].TrustPolicy = policy;

        [Theory]
        [MemberData(nameof(BrokenSetups))]
        public void Each_broken_piece_fails_the_account_and_is_named(string what, Action<FakeIamView> breakIt, string expectedPiece)
        {
            _iam.WithCompleteSetup(Acct);
            breakIt(_iam);
            var account = Add();
            Assert.True(account.State == "failed", what);
            Assert.Contains(account.MissingPieces, p => p.Contains(expectedPiece));
        }

        [Fact]
        public void Trust_policies_in_single_statement_and_single_string_forms_are_understood()
        {
            _iam.WithCompleteSetup(Acct);
            var host = "cloudaccounts-us.xdr.trendmicro.com";
            Trust(_iam, "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":[\"arn:aws:iam::" + Acct + ":oidc-provider/" + host +
                        "\"]},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"" + host.ToUpperInvariant() + ":aud\":[\"arn:aws:iam::" + Acct +
                        ":root\"],\"" + host + ":sub\":\"urn:visionone:identity:us:1234567890:account/1234567890\"}}}}");
            Assert.Equal("managed", Add().State);
        }

        [Fact]
        public void A_repaired_role_turns_the_account_managed_on_the_next_read_with_a_new_ETag()
        {
            var failed = Add();
            Assert.Equal("failed", failed.State);

            _now = _now.AddMinutes(1);
            _iam.WithCompleteSetup(Acct);
            var read = _store.Get(Caller, Acct)!;

            Assert.Equal("managed", read.State);
            Assert.Empty(read.MissingPieces);
            Assert.NotEqual(failed.ETag, read.ETag);
            Assert.Equal(_now, read.Updated);
        }

        [Fact]
        public void A_read_that_finds_nothing_new_keeps_the_ETag()
        {
            _iam.WithCompleteSetup(Acct);
            var added = Add();
            Assert.Equal(added.ETag, _store.Get(Caller, Acct)!.ETag);
        }

        [Fact]
        public void Update_needs_a_matching_If_Match_changes_the_ETag_and_rechecks()
        {
            var added = Add();
            Assert.Equal(428, Assert.Throws<CamError>(() => _store.Update(Caller, Acct, null, new CamAccountPatch { Name = "x" })).Status);
            Assert.Equal(412, Assert.Throws<CamError>(() => _store.Update(Caller, Acct, "\"stale\"", new CamAccountPatch { Name = "x" })).Status);

            _iam.WithCompleteSetup(Acct);
            var updated = _store.Update(Caller, Acct, added.ETag, new CamAccountPatch { Name = "renamed", Description = "d" });

            Assert.Equal("renamed", updated.Name);
            Assert.Equal("d", updated.Description);
            Assert.Equal("managed", updated.State);
            Assert.NotEqual(added.ETag, updated.ETag);
            Assert.Equal(412, Assert.Throws<CamError>(() => _store.Update(Caller, Acct, added.ETag, new CamAccountPatch { Name = "again" })).Status);
            Assert.Equal("again", _store.Update(Caller, Acct, "*", new CamAccountPatch { Name = "again" }).Name);
        }

        [Fact]
        public void Update_refuses_a_role_of_another_account()
        {
            var added = Add();
            var error = Assert.Throws<CamError>(() => _store.Update(Caller, Acct, added.ETag, new CamAccountPatch { RoleArn = "arn:aws:iam::999999999999:role/VisionOneRole" }));
            Assert.Equal(400, error.Status);
            Assert.Equal("InvalidRoleArn", error.Code);
        }

        [Fact]
        public void Names_are_unique_per_tenant_and_accounts_connect_once()
        {
            Add();
            var duplicateName = Assert.Throws<CamError>(() => Add("arn:aws:iam::444455556666:role/VisionOneRole", "prod"));
            Assert.Equal((409, "DuplicateAccountName"), (duplicateName.Status, duplicateName.Code));
            var again = Assert.Throws<CamError>(() => Add(Arn, "other"));
            Assert.Equal((409, "AccountAlreadyConnected"), (again.Status, again.Code));

            var otherTenant = new CamKey("k2", "5555", "eu", false);
            Assert.Equal(Acct, _store.Add(otherTenant, Arn, "prod", null, null, null, null).Id);
            Assert.Single(_store.List(Caller, null, 25, 0).Items);
        }

        [Theory]
        [InlineData("arn:aws:iam::12345678901:role/R", "n", null, "InvalidRoleArn")]
        [InlineData("arn:aws:s3:::bucket", "n", null, "InvalidRoleArn")]
        [InlineData("arn:aws:iam::111122223333:user/R", "n", null, "InvalidRoleArn")]
        [InlineData("", "n", null, "InvalidRoleArn")]
        [InlineData(Arn, "", null, "InvalidName")]
        [InlineData(Arn, "LONG", null, "InvalidName")]
        [InlineData(Arn, "n", "LONG", "InvalidDescription")]
        public void Bad_input_is_a_400_with_a_clear_code(string arn, string name, string? description, string code)
        {
            name = name == "LONG" ? new string('n', 255) : name;
            description = description == "LONG" ? new string('d', 255) : description;
            var error = Assert.Throws<CamError>(() => _store.Add(Caller, arn, name, description, null, null, null));
            Assert.Equal(400, error.Status);
            Assert.Equal(code, error.Code);
        }

        [Fact]
        public void Names_and_descriptions_of_exactly_254_characters_are_accepted()
        {
            var account = _store.Add(Caller, Arn, new string('n', 254), new string('d', 254), null, null, null);
            Assert.Equal(254, account.Name.Length);
        }

        [Fact]
        public void Only_one_workload_instance_may_be_connected()
        {
            var two = JsonNode.Parse("[{\"name\":\"workload\",\"instanceIds\":[\"a\",\"b\"]}]")!.AsArray();
            var other = JsonNode.Parse("[{\"name\":\"container\",\"instanceIds\":[\"a\"]}]")!.AsArray();
            Assert.Equal("InvalidConnectedSecurityServices", Assert.Throws<CamError>(() => _store.Add(Caller, Arn, "n", null, null, two, null)).Code);
            Assert.Equal("InvalidConnectedSecurityServices", Assert.Throws<CamError>(() => _store.Add(Caller, Arn, "n", null, null, other, null)).Code);
            var one = JsonNode.Parse("[{\"name\":\"workload\",\"instanceIds\":[\"a\"]}]")!.AsArray();
            Assert.Equal("a", (string?)_store.Add(Caller, Arn, "n", null, null, one, null).ConnectedSecurityServices[0]!["instanceIds"]![0]);
        }

        [Fact]
        public void Lists_page_by_top_and_offset()
        {
            for (int i = 0; i < 30; i++) Add("arn:aws:iam::1000000000" + i.ToString("00") + ":role/VisionOneRole", "acct-" + i);

            var first = _store.List(Caller, null, 25, 0);
            var second = _store.List(Caller, null, 25, first.NextOffset!.Value);

            Assert.Equal(25, first.Items.Count);
            Assert.Equal(30, first.TotalCount);
            Assert.Equal(5, second.Items.Count);
            Assert.Null(second.NextOffset);
            Assert.Equal(30, first.Items.Concat(second.Items).Select(a => a.Id).Distinct().Count());
            Assert.Equal("InvalidParameter", Assert.Throws<CamError>(() => _store.List(Caller, null, 10, 0)).Code);
        }

        [Fact]
        public void Delete_reports_whether_there_was_something_to_delete()
        {
            Add();
            Assert.True(_store.Delete(Caller, Acct));
            Assert.False(_store.Delete(Caller, Acct));
            Assert.Null(_store.Get(Caller, Acct));
        }

        [Fact]
        public void The_rate_limit_counts_a_60_second_window_and_says_when_to_come_back()
        {
            _store.RateLimitPerMinute = 2;
            _store.CountRequest();
            _now = _now.AddSeconds(15);
            _store.CountRequest();

            var error = Assert.Throws<CamError>(() => _store.CountRequest());
            Assert.Equal(429, error.Status);
            Assert.Equal(45, error.RetryAfterSeconds);

            _now = _now.AddSeconds(45);
            _store.CountRequest();
        }

        [Fact]
        public void Reset_restores_the_seeded_key_and_forgets_everything_else()
        {
            _store.AddKey("extra", "42", "eu", readOnly: true);
            Add();
            _store.RateLimitPerMinute = 1;

            _store.Reset();

            Assert.Null(_store.FindKey("extra"));
            var seeded = _store.FindKey(CamStore.SeededApiKey)!;
            Assert.Equal(("1234567890", "us", false), (seeded.BusinessId, seeded.Region, seeded.ReadOnly));
            Assert.Empty(_store.Dump());
            Assert.Equal(0, _store.RateLimitPerMinute);
        }

        [Fact]
        public void Keys_for_unknown_regions_are_refused()
        {
            Assert.Equal(400, Assert.Throws<CamError>(() => _store.AddKey("k", "1", "usgov", false)).Status);
        }
    }

    public class CamFilterTests
    {
        private static readonly CamAccount[] Accounts =
        {
            new CamAccount { Id = "111111111111", Name = "Prod-East", State = "managed" },
            new CamAccount { Id = "222222222222", Name = "prod-west", State = "failed" },
            new CamAccount { Id = "333333333333", Name = "it's dev", State = "managed" },
        };

        [Theory]
        [InlineData("name eq 'Prod-East'", "111111111111")]
        [InlineData("id eq '222222222222'", "222222222222")]
        [InlineData("state eq 'managed'", "111111111111,333333333333")]
        [InlineData("contains(name,'PROD')", "111111111111,222222222222")]
        [InlineData("contains(name, 'prod') and state eq 'managed'", "111111111111")]
        [InlineData("state eq 'failed' or name eq 'it''s dev'", "222222222222,333333333333")]
        [InlineData("not state eq 'managed'", "222222222222")]
        [InlineData("not (contains(name,'prod') or id eq '333333333333')", "")]
        [InlineData("(state eq 'managed' or state eq 'failed') and not contains(name,'west')", "111111111111,333333333333")]
        [InlineData("  ", "111111111111,222222222222,333333333333")]
        public void The_supported_subset_selects_the_right_accounts(string filter, string expected)
        {
            var predicate = CamFilter.Parse(filter);
            Assert.Equal(expected, string.Join(",", Accounts.Where(predicate).Select(a => a.Id)));
        }

        [Theory]
        [InlineData("name ne 'x'")]
        [InlineData("featureId eq 'x'")]
        [InlineData("contains(state,'x')")]
        [InlineData("name eq x")]
        [InlineData("name eq 'x")]
        [InlineData("(name eq 'x'")]
        [InlineData("name eq 'x' and")]
        [InlineData("name eq 'x' name eq 'y'")]
        [InlineData("name eq 'x' ; drop")]
        public void Anything_else_is_a_400_InvalidFilter(string filter)
        {
            var error = Assert.Throws<CamError>(() => CamFilter.Parse(filter));
            Assert.Equal(400, error.Status);
            Assert.Equal("InvalidFilter", error.Code);
        }

        [Fact]
        public void Filters_over_254_characters_are_refused()
        {
            Assert.Equal("InvalidFilter", Assert.Throws<CamError>(() => CamFilter.Parse("name eq '" + new string('x', 250) + "'")).Code);
        }
    }
}
