using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Tests.Net;

namespace VisionOneOnboarding.Tests.Aws
{
    public class OrganizationsJsonClientTests
    {
        private static OrganizationsJsonClient Client(FakeAwsHandler handler, RetryPolicy? retry = null, AwsPartition? partition = null)
        {
            var endpoint = AwsEndpoints.OrganizationsFor(partition ?? AwsEndpoints.Aws);
            var sender = new AwsSignedSender(AwsQueryService.Organizations(endpoint.Url, endpoint.SigningRegion), TestAws.Credentials(),
                new CollectingLogSink(), retry ?? TestAws.NoWaitRetry(), AwsSignedSender.CreateHttpClient(handler), null, () => TestAws.SignedAt);
            return new OrganizationsJsonClient(sender);
        }

        private static HttpResponseMessage Json(string body, int status = 200, string? errorType = null)
        {
            var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1") };
            response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "req-org-1");
            if (errorType != null) response.Headers.TryAddWithoutValidation("X-Amzn-ErrorType", errorType);
            return response;
        }

        /// <summary>An Account as Organizations answers it today (State only); <paramref name="field"/> "Status" answers as older endpoints did.</summary>
        private static string Account(string id, string state = "ACTIVE", string field = "State") =>
            "{\"Id\":\"" + id + "\",\"Arn\":\"arn:aws:organizations::111111111111:account/o-abc/" + id + "\",\"Name\":\"Member " + id +
            "\",\"Email\":\"m" + id + "@example.com\",\"" + field + "\":\"" + state + "\",\"JoinedMethod\":\"CREATED\",\"JoinedTimestamp\":1.7E9}";

        [Fact]
        public async Task An_account_state_is_read_from_State_and_from_the_retired_Status_only_when_State_is_absent()
        {
            var both = "{\"Id\":\"444444444444\",\"Name\":\"Both\",\"State\":\"CLOSED\",\"Status\":\"ACTIVE\"}";
            var neither = "{\"Id\":\"555555555555\",\"Name\":\"Neither\"}";
            var handler = new FakeAwsHandler(r => Json("{\"Accounts\":[" + Account("111111111111") + "," + Account("222222222222", "PENDING_CLOSURE") + "," +
                Account("333333333333", "SUSPENDED", field: "Status") + "," + both + "," + neither + "]}"));

            var accounts = await Client(handler).ListAccountsAsync(CancellationToken.None);

            Assert.Equal(new[] { "ACTIVE", "PENDING_CLOSURE", "SUSPENDED", "CLOSED", "" }, accounts.Select(a => a.State));
            Assert.Equal(new[] { true, false, false, false, false }, accounts.Select(a => a.IsActive));
        }

        [Fact]
        public async Task ListAccounts_follows_NextToken_to_the_end_with_signed_JSON_calls()
        {
            var handler = new FakeAwsHandler(r => JsonDocument.Parse(r.Body).RootElement.TryGetProperty("NextToken", out _)
                ? Json("{\"Accounts\":[" + Account("222222222222", "SUSPENDED") + "]}")
                : Json("{\"Accounts\":[" + Account("111111111111") + "],\"NextToken\":\"page-2\"}"));

            var accounts = await Client(handler).ListAccountsAsync(CancellationToken.None);

            Assert.Equal(new[] { "111111111111", "222222222222" }, accounts.Select(a => a.Id));
            Assert.True(accounts[0].IsActive);
            Assert.False(accounts[1].IsActive);
            Assert.Equal("Member 111111111111", accounts[0].Name);
            Assert.Equal("m111111111111@example.com", accounts[0].Email);
            Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc), accounts[0].JoinedTimestamp);
            Assert.Equal(2, handler.Requests.Count);
            var first = handler.Requests[0];
            Assert.Equal(new Uri("https://organizations.us-east-1.amazonaws.com/"), first.Uri);
            Assert.Equal("POST", first.Method);
            Assert.Equal("AWSOrganizationsV20161128.ListAccounts", first.Headers["X-Amz-Target"]);
            Assert.StartsWith("application/x-amz-json-1.1", first.Headers["Content-Type"]);
            Assert.Equal("{}", first.Body);
            Assert.Contains("/us-east-1/organizations/aws4_request", first.Headers["Authorization"]);
            Assert.Contains("x-amz-target", first.Headers["Authorization"]);
            Assert.Equal("page-2", JsonDocument.Parse(handler.Requests[1].Body).RootElement.GetProperty("NextToken").GetString());
        }

        [Fact]
        public async Task Parent_listings_send_the_parent_and_read_units()
        {
            var handler = new FakeAwsHandler(r => r.Headers["X-Amz-Target"].EndsWith("ListOrganizationalUnitsForParent", StringComparison.Ordinal)
                ? Json("{\"OrganizationalUnits\":[{\"Id\":\"ou-root-prod1234\",\"Arn\":\"arn:aws:organizations::111111111111:ou/o-abc/ou-root-prod1234\",\"Name\":\"Prod\"}]}")
                : Json("{\"Accounts\":[" + Account("333333333333") + "]}"));
            var client = Client(handler);

            var units = await client.ListOrganizationalUnitsForParentAsync("r-root", CancellationToken.None);
            var accounts = await client.ListAccountsForParentAsync("ou-root-prod1234", CancellationToken.None);

            Assert.Equal("Prod", units.Single().Name);
            Assert.Equal("ou-root-prod1234", units.Single().Id);
            Assert.Equal("333333333333", accounts.Single().Id);
            Assert.Equal("r-root", JsonDocument.Parse(handler.Requests[0].Body).RootElement.GetProperty("ParentId").GetString());
            Assert.Equal("ou-root-prod1234", JsonDocument.Parse(handler.Requests[1].Body).RootElement.GetProperty("ParentId").GetString());
        }

        [Fact]
        public async Task DescribeOrganization_names_the_management_account()
        {
            var handler = new FakeAwsHandler(r => Json("{\"Organization\":{\"Id\":\"o-abc1234567\",\"Arn\":\"arn:aws:organizations::111111111111:organization/o-abc1234567\"," +
                "\"FeatureSet\":\"ALL\",\"MasterAccountArn\":\"arn:aws:organizations::111111111111:account/o-abc1234567/111111111111\"," +
                "\"MasterAccountId\":\"111111111111\",\"MasterAccountEmail\":\"root@example.com\"}}"));

            var organization = await Client(handler).DescribeOrganizationAsync(CancellationToken.None);

            Assert.Equal("o-abc1234567", organization.Id);
            Assert.Equal("111111111111", organization.ManagementAccountId);
            Assert.Equal("root@example.com", organization.ManagementAccountEmail);
            Assert.Equal("ALL", organization.FeatureSet);
        }

        [Fact]
        public async Task A_service_error_carries_its_code_from_the_error_type_and_is_not_retried()
        {
            var handler = new FakeAwsHandler(r => Json(
                "{\"__type\":\"com.amazonaws.organizations#AWSOrganizationsNotInUseException\",\"Message\":\"Your account is not a member of an organization.\"}",
                400, "AWSOrganizationsNotInUseException:http://internal.amazon.com/coral/com.amazonaws.organizations/"));

            var error = await Assert.ThrowsAsync<AwsServiceException>(() => Client(handler).ListAccountsAsync(CancellationToken.None));

            Assert.Equal("AWSOrganizationsNotInUseException", error.ErrorCode);
            Assert.Equal("Your account is not a member of an organization.", error.ServiceMessage);
            Assert.Equal("Organizations", error.Service);
            Assert.Equal("ListAccounts", error.Action);
            Assert.Equal("req-org-1", error.RequestId);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task Throttling_is_retried_and_slows_a_shared_throttle()
        {
            var throttle = new AdaptiveThrottle(8);
            var handler = new FakeAwsHandler((r, n, ct) => Task.FromResult(n == 1
                ? Json("{\"__type\":\"TooManyRequestsException\",\"Message\":\"AWS Organizations can't complete your request because another request is already in progress.\"}", 400)
                : Json("{\"Accounts\":[]}")));

            var accounts = await Client(handler, TestAws.NoWaitRetry().SharedWith(throttle, "AWS")).ListAccountsAsync(CancellationToken.None);

            Assert.Empty(accounts);
            Assert.Equal(2, handler.Requests.Count);
            Assert.Equal(1, throttle.ThrottledCount);
            Assert.Equal(4, throttle.CurrentLimit);
        }

        [Fact]
        public async Task A_page_token_that_repeats_is_a_malformed_answer_not_a_loop()
        {
            var handler = new FakeAwsHandler(r => Json("{\"Accounts\":[],\"NextToken\":\"same\"}"));

            var error = await Assert.ThrowsAsync<AwsServiceException>(() => Client(handler).ListAccountsAsync(CancellationToken.None));

            Assert.Equal("MalformedResponse", error.ErrorCode);
            Assert.Equal(2, handler.Requests.Count);
        }

        [Theory]
        [InlineData("aws", "https://organizations.us-east-1.amazonaws.com/", "us-east-1")]
        [InlineData("aws-cn", "https://organizations.cn-northwest-1.amazonaws.com.cn/", "cn-northwest-1")]
        [InlineData("aws-us-gov", "https://organizations.us-gov-west-1.amazonaws.com/", "us-gov-west-1")]
        public void Organizations_is_one_global_endpoint_per_partition(string partition, string url, string signingRegion)
        {
            var endpoint = AwsEndpoints.OrganizationsFor(AwsEndpoints.ForPartitionName(partition));
            Assert.Equal(new Uri(url), endpoint.Url);
            Assert.Equal(signingRegion, endpoint.SigningRegion);
        }
    }

    public class AdaptiveThrottleTests
    {
        [Fact]
        public async Task Throttling_halves_the_calls_in_flight_and_successes_grow_them_back()
        {
            var throttle = new AdaptiveThrottle(4);
            for (int i = 0; i < 4; i++) await throttle.EnterAsync("AWS", CancellationToken.None);
            var fifth = throttle.EnterAsync("AWS", CancellationToken.None);
            Assert.False(fifth.IsCompleted);

            throttle.Leave("AWS", throttled: true);   // limit 4 → 2, three still in flight
            Assert.Equal(2, throttle.CurrentLimit);
            Assert.False(fifth.IsCompleted);
            throttle.Leave("AWS", throttled: false);
            throttle.Leave("AWS", throttled: false);  // one in flight, limit grown to about 2.9
            await fifth.WaitAsync(TimeSpan.FromSeconds(5));
            throttle.Leave("AWS", throttled: false);
            throttle.Leave("AWS", throttled: false);   // the last of the four, and the fifth: none in flight
            for (int i = 0; i < 20; i++)
            {
                await throttle.EnterAsync("AWS", CancellationToken.None);
                throttle.Leave("AWS", throttled: false);
            }
            Assert.Equal(4, throttle.CurrentLimit);
        }

        [Fact]
        public async Task A_Retry_After_pauses_every_new_call_to_that_API()
        {
            var clock = new ManualWaitClock();
            var throttle = new AdaptiveThrottle(4, clock);
            await throttle.EnterAsync("AWS", CancellationToken.None);
            throttle.Leave("Vision One", throttled: true, retryAfter: TimeSpan.FromSeconds(3));

            await throttle.EnterAsync("AWS", CancellationToken.None);
            Assert.Empty(clock.Pauses);
            throttle.Leave("AWS", throttled: false);
            await throttle.EnterAsync("Vision One", CancellationToken.None);

            Assert.Equal(new[] { TimeSpan.FromSeconds(3) }, clock.Pauses);
        }
    }
}
