using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Tests.Net;

namespace VisionOneOnboarding.Tests.Aws
{
    public class AwsQueryClientTests
    {
        [Fact]
        public async Task Posts_a_signed_form_and_returns_the_result_element()
        {
            var handler = new FakeAwsHandler(r => FakeAwsHandler.Ok("GetRole", "<Role><RoleName>VisionOneRole</RoleName></Role>"));
            var log = new CollectingLogSink();
            var result = await TestAws.IamQuery(handler, log).SendAsync(new AwsQueryRequest("GetRole").Add("RoleName", "VisionOneRole"), CancellationToken.None);

            Assert.Equal("GetRoleResult", result.Name.LocalName);
            Assert.Equal("VisionOneRole", result.Elements().Single().Elements().Single().Value);

            var seen = Assert.Single(handler.Requests);
            Assert.Equal("POST", seen.Method);
            Assert.Equal(new Uri("https://iam.amazonaws.com/"), seen.Uri);
            Assert.Equal("Action=GetRole&Version=2010-05-08&RoleName=VisionOneRole", seen.Body);
            Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", seen.Headers["Content-Type"]);
            Assert.Equal("20240102T030405Z", seen.Headers["X-Amz-Date"]);
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=", seen.Headers["Authorization"]);
            Assert.Equal(new[] { "IAM GetRole RoleName=VisionOneRole" }, log.VerboseLines);
        }

        [Fact]
        public async Task Error_xml_becomes_AwsServiceException_with_code_status_message_and_request_id()
        {
            var handler = new FakeAwsHandler(r => FakeAwsHandler.Error(409, "EntityAlreadyExists", "Role with name VisionOneRole already exists.", "req-123"));
            var ex = await Assert.ThrowsAsync<AwsServiceException>(() =>
                TestAws.IamQuery(handler).SendAsync(new AwsQueryRequest("CreateRole").Add("RoleName", "VisionOneRole"), CancellationToken.None));

            Assert.Equal("IAM", ex.Service);
            Assert.Equal("CreateRole", ex.Action);
            Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
            Assert.True(ex.IsEntityAlreadyExists);
            Assert.Equal(409, ex.StatusCode);
            Assert.Equal("req-123", ex.RequestId);
            Assert.Equal("Role with name VisionOneRole already exists.", ex.ServiceMessage);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task Throttling_is_waited_out_within_the_time_budget_not_counted_out_and_narrated_under_verbose()
        {
            // Twelve "slow down" answers in a row: more than the five attempts other failures get.
            var handler = new FakeAwsHandler((r, n, ct) => Task.FromResult(n <= 12 ? FakeAwsHandler.Error(400, "Throttling", "Rate exceeded") : FakeAwsHandler.Ok("ListRoles")));
            var waits = new List<TimeSpan>();
            var log = new CollectingLogSink();

            await TestAws.IamQuery(handler, log, TestAws.NoWaitRetry(waits)).SendAsync(new AwsQueryRequest("ListRoles"), CancellationToken.None);

            Assert.Equal(13, handler.Requests.Count);
            Assert.Equal(12, waits.Count);
            Assert.Empty(log.WarningLines);
            Assert.Equal(12, log.VerboseLines.Count(l => l.Contains("Throttling") && l.Contains("throttled: waiting") && l.Contains("time budget left")));
        }

        [Fact]
        public async Task Throttling_past_the_time_budget_surfaces_the_throttling_error()
        {
            var handler = new FakeAwsHandler(r => FakeAwsHandler.Error(400, "Throttling", "Rate exceeded"));
            var waits = new List<TimeSpan>();
            var retry = new RetryPolicy(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20),
                new ManualWaitClock(onPause: waits.Add), seed: 7, throttleBudget: TimeSpan.FromSeconds(30));

            var ex = await Assert.ThrowsAsync<AwsServiceException>(() => TestAws.IamQuery(handler, retry: retry).SendAsync(new AwsQueryRequest("ListRoles"), CancellationToken.None));

            Assert.Equal("Throttling", ex.ErrorCode);
            var total = TimeSpan.FromTicks(waits.Sum(w => w.Ticks));
            Assert.InRange(total.TotalSeconds, 29.999, 30.001);
            Assert.True(handler.Requests.Count > 5, "more attempts than other failures get: " + handler.Requests.Count);
        }

        [Theory]
        [InlineData(503, "ServiceUnavailable")]
        [InlineData(500, "ServiceFailure")]
        [InlineData(502, "BadGateway")]
        [InlineData(504, "GatewayTimeout")]
        public async Task Transient_errors_are_retried_then_succeed(int status, string code)
        {
            var handler = new FakeAwsHandler((r, n, ct) => Task.FromResult(n <= 2 ? FakeAwsHandler.Error(status, code, "Rate exceeded") : FakeAwsHandler.Ok("ListRoles")));
            var waits = new List<TimeSpan>();
            var log = new CollectingLogSink();

            var result = await TestAws.IamQuery(handler, log, TestAws.NoWaitRetry(waits)).SendAsync(new AwsQueryRequest("ListRoles"), CancellationToken.None);

            Assert.Equal("ListRolesResult", result.Name.LocalName);
            Assert.Equal(3, handler.Requests.Count);
            Assert.Equal(2, waits.Count);
            Assert.Equal(2, log.WarningLines.Count);
            Assert.Contains(code, log.WarningLines[0]);
            Assert.Contains("attempt 2 of 5", log.WarningLines[0]);
            Assert.Single(log.VerboseLines);
        }

        [Fact]
        public async Task Non_xml_gateway_error_is_named_by_status_and_retried()
        {
            var handler = new FakeAwsHandler((r, n, ct) => Task.FromResult(n == 1
                ? new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>proxy</html") }
                : FakeAwsHandler.Ok("ListRoles")));
            var log = new CollectingLogSink();
            await TestAws.IamQuery(handler, log).SendAsync(new AwsQueryRequest("ListRoles"), CancellationToken.None);

            Assert.Equal(2, handler.Requests.Count);
            Assert.Contains("BadGateway", Assert.Single(log.WarningLines));
        }

        [Fact]
        public async Task Connection_failure_is_retried_then_succeeds()
        {
            var handler = new FakeAwsHandler((r, n, ct) => n == 1
                ? Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused"))
                : Task.FromResult(FakeAwsHandler.Ok("ListRoles")));
            await TestAws.IamQuery(handler).SendAsync(new AwsQueryRequest("ListRoles"), CancellationToken.None);
            Assert.Equal(2, handler.Requests.Count);
        }

        [Fact]
        public async Task A_passing_connection_failure_that_persists_ends_as_the_one_connection_error_after_all_attempts()
        {
            var handler = new FakeAwsHandler((r, n, ct) => Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection reset by peer")));
            var ex = await Assert.ThrowsAsync<VisionOneException>(() =>
                TestAws.IamQuery(handler, retry: TestAws.NoWaitRetry(maxAttempts: 3)).SendAsync(new AwsQueryRequest("ListRoles"), CancellationToken.None));

            Assert.Same(ErrorCatalogue.ConnectionFailed, ex.Error);
            Assert.Equal(ErrorScope.Setup, ex.Error.Scope);
            Assert.IsType<HttpRequestException>(ex.InnerException);
            Assert.Contains("after several attempts", ex.Message);
            Assert.Contains("-EndpointUrl", ex.Message);
            Assert.Equal(3, handler.Requests.Count);
        }

        [Theory]
        [InlineData(System.Net.Sockets.SocketError.ConnectionRefused, "the connection was refused")]
        [InlineData(System.Net.Sockets.SocketError.HostNotFound, "the host name is unknown")]
        public async Task A_refused_connection_or_an_unknown_host_is_not_retried_and_points_at_the_endpoint(System.Net.Sockets.SocketError cause, string words)
        {
            var handler = new FakeAwsHandler((r, n, ct) => Task.FromException<HttpResponseMessage>(
                new HttpRequestException("no connection", new System.Net.Sockets.SocketException((int)cause))));
            var ex = await Assert.ThrowsAsync<VisionOneException>(() =>
                TestAws.IamQuery(handler, retry: TestAws.NoWaitRetry(maxAttempts: 5)).SendAsync(new AwsQueryRequest("ListRoles"), CancellationToken.None));

            Assert.Same(ErrorCatalogue.ConnectionFailed, ex.Error);
            Assert.Contains(words, ex.Message);
            Assert.Contains("Check -EndpointUrl", ex.Message);
            Assert.DoesNotContain("later", ex.Message);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task An_attempt_that_times_out_is_retried()
        {
            var handler = new FakeAwsHandler(async (r, n, ct) =>
            {
                if (n == 1) await Task.Delay(Timeout.Infinite, ct);
                return FakeAwsHandler.Ok("ListRoles");
            });
            var log = new CollectingLogSink();
            await TestAws.IamQuery(handler, log, attemptTimeout: TimeSpan.FromMilliseconds(50)).SendAsync(new AwsQueryRequest("ListRoles"), CancellationToken.None);

            Assert.Equal(2, handler.Requests.Count);
            Assert.Contains("RequestTimeout", Assert.Single(log.WarningLines));
        }

        [Theory]
        [InlineData(409, "LimitExceeded", "Cannot exceed quota for PolicySize: 6144")]
        [InlineData(400, "MalformedPolicyDocument", "Invalid principal in policy")]
        [InlineData(400, "ValidationError", "bad")]
        [InlineData(403, "SignatureDoesNotMatch", "The request signature we calculated does not match")]
        [InlineData(404, "NoSuchEntity", "The role with name X cannot be found.")]
        public async Task Validation_and_limit_errors_are_never_retried(int status, string code, string message)
        {
            var handler = new FakeAwsHandler(r => FakeAwsHandler.Error(status, code, message));
            var waits = new List<TimeSpan>();
            var ex = await Assert.ThrowsAsync<AwsServiceException>(() =>
                TestAws.IamQuery(handler, retry: TestAws.NoWaitRetry(waits)).SendAsync(new AwsQueryRequest("CreatePolicy"), CancellationToken.None));

            Assert.Equal(code, ex.ErrorCode);
            Assert.Equal(status, ex.StatusCode);
            Assert.Single(handler.Requests);
            Assert.Empty(waits);
        }

        [Fact]
        public async Task Cancellation_stops_an_in_flight_call_without_retrying()
        {
            var started = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var handler = new FakeAwsHandler(async (r, n, ct) =>
            {
                started.TrySetResult(true);
                await Task.Delay(Timeout.Infinite, ct);
                return FakeAwsHandler.Ok("ListRoles");
            });
            using var cts = new CancellationTokenSource();
            var call = TestAws.IamQuery(handler).SendAsync(new AwsQueryRequest("ListRoles"), cts.Token);
            await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
            cts.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task Cancellation_during_back_off_stops_further_attempts()
        {
            using var cts = new CancellationTokenSource();
            var handler = new FakeAwsHandler(r => FakeAwsHandler.Error(400, "Throttling", "Rate exceeded"));
            var retry = new RetryPolicy(5, clock: new ManualWaitClock(onPause: _ => cts.Cancel()));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                TestAws.IamQuery(handler, retry: retry).SendAsync(new AwsQueryRequest("ListRoles"), cts.Token));
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task Success_body_that_is_not_xml_is_a_clear_error()
        {
            var handler = new FakeAwsHandler(r => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("not xml") });
            var ex = await Assert.ThrowsAsync<AwsServiceException>(() => TestAws.IamQuery(handler).SendAsync(new AwsQueryRequest("GetRole"), CancellationToken.None));
            Assert.Equal("MalformedResponse", ex.ErrorCode);
            Assert.Single(handler.Requests);
        }
    }
}
