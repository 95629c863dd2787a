using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Tests.VisionOne
{
    /// <summary>The CAM client against scripted HTTP answers: paths, paging, retries, error mapping, secrecy.</summary>
    public class CamClientTests
    {
        private const string Arn = "arn:aws:iam::111122223333:role/VisionOneRole";
        private const string ErrorBody401 =
            "{\"error\":{\"code\":\"InvalidCredentials\",\"message\":\"Invalid credentials.\",\"innererror\":{\"code\":\"InvalidToken\",\"service\":\"cam\"}}}";

        private static CamClient Client(ScriptedHandler handler, RecordedRetry? retry = null, ListLogSink? log = null,
            ApiVersion version = ApiVersion.V3_0, string baseUrl = "https://api.xdr.trendmicro.com/") =>
            new CamClient(TestConnections.Fake(baseUrl), version, handler, (retry ?? new RecordedRetry()).Policy, log);

        private static string Account(string id, string name) =>
            "{\"id\":\"" + id + "\",\"roleArn\":\"arn:aws:iam::" + id + ":role/VisionOneRole\",\"name\":\"" + name +
            "\",\"state\":\"managed\",\"createdDateTime\":\"2024-02-01T10:00:00Z\",\"features\":[],\"connectedSecurityServices\":[{\"name\":\"workload\",\"instanceIds\":[\"i-1\"]}]}";

        [Fact]
        public async Task List_follows_nextLink_to_the_end_and_sends_filter_and_key_on_every_page()
        {
            var handler = new ScriptedHandler()
                .Then(HttpStatusCode.OK, "{\"totalCount\":3,\"count\":2,\"items\":[" + Account("111111111111", "a") + "," + Account("222222222222", "b") +
                                         "],\"nextLink\":\"https://api.xdr.trendmicro.com/v3.0/cam/awsAccounts?top=50&skipToken=abc\"}")
                .Then(HttpStatusCode.OK, "{\"totalCount\":3,\"count\":1,\"items\":[" + Account("333333333333", "c") + "]}");
            using var client = Client(handler);

            var accounts = await client.ListAwsAccountsAsync("state eq 'managed'", top: 50);

            Assert.Equal(new[] { "111111111111", "222222222222", "333333333333" }, accounts.Select(a => a.Id));
            Assert.Equal("/v3.0/cam/awsAccounts?top=50", handler.Requests[0].Uri.PathAndQuery);
            Assert.Equal("/v3.0/cam/awsAccounts?top=50&skipToken=abc", handler.Requests[1].Uri.PathAndQuery);
            Assert.All(handler.Requests, r => Assert.Equal("state eq 'managed'", r.Header("TMV1-Filter")));
            Assert.All(handler.Requests, r => Assert.Equal("Bearer " + TestConnections.Key, r.Header("Authorization")));
            Assert.Equal("i-1", accounts[0].ConnectedSecurityServices.Single().InstanceIds.Single());
            Assert.Equal(new DateTime(2024, 2, 1, 10, 0, 0, DateTimeKind.Utc), accounts[0].CreatedDateTime);
        }

        [Fact]
        public async Task List_refuses_a_nextLink_to_another_host_without_sending_the_key_there()
        {
            var handler = new ScriptedHandler()
                .Then(HttpStatusCode.OK, "{\"items\":[],\"nextLink\":\"https://evil.example/v3.0/cam/awsAccounts?skipToken=x\"}");
            using var client = Client(handler);

            var ex = await Assert.ThrowsAsync<VisionOneException>(() => client.ListAwsAccountsAsync());

            Assert.Equal("VisionOne.InvalidResponse", ex.ErrorId);
            Assert.Single(handler.Requests);
        }

        [Theory]
        [InlineData(30)]
        [InlineData(0)]
        public async Task List_rejects_a_top_the_API_does_not_accept_before_calling(int top)
        {
            var handler = new ScriptedHandler();
            using var client = Client(handler);
            var ex = await Assert.ThrowsAsync<VisionOneException>(() => client.ListAwsAccountsAsync(null, top));
            Assert.Equal("VisionOne.InvalidTop", ex.ErrorId);
            Assert.Empty(handler.Requests);
        }

        [Fact]
        public async Task List_rejects_a_filter_over_254_characters()
        {
            var handler = new ScriptedHandler();
            using var client = Client(handler);
            var ex = await Assert.ThrowsAsync<VisionOneException>(() => client.ListAwsAccountsAsync("name eq '" + new string('x', 250) + "'"));
            Assert.Equal("VisionOne.FilterTooLong", ex.ErrorId);
            Assert.Empty(handler.Requests);
        }

        [Fact]
        public async Task A_429_is_retried_after_the_Retry_After_seconds_then_succeeds()
        {
            var handler = new ScriptedHandler()
                .Then(HttpStatusCode.TooManyRequests, "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"slow down\"}}", ("Retry-After", "7"))
                .Then(HttpStatusCode.OK, "{\"items\":[" + Account("111111111111", "a") + "]}");
            var retry = new RecordedRetry();
            var log = new ListLogSink();
            using var client = Client(handler, retry, log);

            var accounts = await client.ListAwsAccountsAsync();

            Assert.Single(accounts);
            Assert.Equal(2, handler.Requests.Count);
            // Retry-After is honoured as the least wait, with a little jitter on top (at most 10 %, at most a second).
            Assert.InRange(Assert.Single(retry.Waits).TotalSeconds, 7, 7.7);
            Assert.Contains(log.Lines, l => l.Contains("429") && l.Contains("throttled: waiting 7."));
        }

        [Fact]
        public async Task Retry_After_as_an_HTTP_date_is_honoured()
        {
            var when = DateTimeOffset.UtcNow.AddSeconds(30);
            var handler = new ScriptedHandler()
                .Then(HttpStatusCode.TooManyRequests, null, ("Retry-After", when.ToString("r")))
                .Then(HttpStatusCode.OK, "{\"items\":[]}");
            var retry = new RecordedRetry();
            using var client = Client(handler, retry);

            await client.ListAwsAccountsAsync();

            var wait = Assert.Single(retry.Waits);
            Assert.InRange(wait.TotalSeconds, 25, 31);
        }

        [Fact]
        public async Task A_5xx_is_retried_with_back_off_then_succeeds()
        {
            var handler = new ScriptedHandler()
                .Then(HttpStatusCode.ServiceUnavailable, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"busy\"}}")
                .Then(HttpStatusCode.InternalServerError, "oops")
                .Then(HttpStatusCode.OK, "{\"templateUrl\":\"https://s3.example/t.yaml\",\"visionOneOidcProviderUrl\":\"https://cloudaccounts-us.xdr.trendmicro.com\",\"createStackUrl\":\"https://console\"}");
            var retry = new RecordedRetry();
            using var client = Client(handler, retry);

            var links = await client.GenerateCfnTemplateLinksAsync("us-east-1");

            Assert.Equal("https://cloudaccounts-us.xdr.trendmicro.com", links.VisionOneOidcProviderUrl);
            Assert.Equal(3, handler.Requests.Count);
            Assert.Equal(2, retry.Waits.Count);
            Assert.All(retry.Waits, w => Assert.True(w <= TimeSpan.FromMilliseconds(400), "back-off within base·2^(n-1): " + w));
        }

        [Fact]
        public async Task Retries_stop_after_the_policy_attempts_and_surface_the_last_error()
        {
            var handler = new ScriptedHandler();
            for (int i = 0; i < 3; i++) handler.Then(HttpStatusCode.BadGateway, null, ("x-trace-id", "t-" + i));
            using var client = Client(handler, new RecordedRetry(maxAttempts: 3));

            var ex = await Assert.ThrowsAsync<VisionOneApiException>(() => client.ListFeaturesAsync());

            Assert.Equal(502, ex.StatusCode);
            Assert.Equal("t-2", ex.TraceId);
            Assert.Equal("VisionOne.Http502", ex.ErrorId);
            Assert.Equal(3, handler.Requests.Count);
        }

        [Theory]
        [InlineData(HttpStatusCode.BadRequest)]
        [InlineData(HttpStatusCode.Unauthorized)]
        [InlineData(HttpStatusCode.Forbidden)]
        [InlineData(HttpStatusCode.Conflict)]
        public async Task A_4xx_is_never_retried(HttpStatusCode status)
        {
            var handler = new ScriptedHandler().Then(status, "{\"error\":{\"code\":\"Nope\",\"message\":\"no\"}}");
            var retry = new RecordedRetry();
            using var client = Client(handler, retry);

            var ex = await Assert.ThrowsAsync<VisionOneApiException>(() => client.AddAwsAccountAsync(Arn, "prod"));

            Assert.Equal((int)status, ex.StatusCode);
            Assert.Single(handler.Requests);
            Assert.Empty(retry.Waits);
        }

        [Fact]
        public async Task Errors_carry_status_code_message_inner_code_and_trace_id()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.Unauthorized, ErrorBody401, ("x-trace-id", "trace-42"));
            using var client = Client(handler);

            var ex = await Assert.ThrowsAsync<VisionOneApiException>(() => client.GetAwsAccountAsync("111122223333"));

            Assert.Equal(401, ex.StatusCode);
            Assert.Equal("InvalidCredentials", ex.ErrorCode);
            Assert.Equal("Invalid credentials.", ex.ErrorMessage);
            Assert.Equal("InvalidToken", ex.InnerErrorCode);
            Assert.Equal("trace-42", ex.TraceId);
            Assert.Equal("VisionOne.InvalidCredentials", ex.ErrorId);
            Assert.Equal("GET", ex.Method);
            Assert.Equal("/v3.0/cam/awsAccounts/111122223333", ex.Path);
            Assert.Contains("401 InvalidCredentials", ex.Message);
            Assert.Contains("Invalid credentials", ex.Message);
            Assert.Contains("InvalidToken", ex.Message);
            Assert.Contains("trace-42", ex.Message);
        }

        [Fact]
        public async Task The_key_never_reaches_exception_messages_or_logs_even_when_the_server_echoes_it()
        {
            var echo = "{\"error\":{\"code\":\"InvalidCredentials\",\"message\":\"key " + TestConnections.Key + " is not valid\",\"innererror\":{\"code\":\"InvalidToken\"}}}";
            var handler = new ScriptedHandler()
                .Then(HttpStatusCode.ServiceUnavailable, echo)
                .Then(HttpStatusCode.Unauthorized, echo)
                .Then(HttpStatusCode.BadRequest, "plain text with " + TestConnections.Key);
            var log = new ListLogSink();
            using var client = Client(handler, log: log);

            var first = await Assert.ThrowsAsync<VisionOneApiException>(() => client.AddAwsAccountAsync(Arn, "prod", "d"));
            var second = await Assert.ThrowsAsync<VisionOneApiException>(() => client.DeleteAwsAccountAsync("111122223333"));

            foreach (var ex in new[] { first, second })
            {
                Assert.DoesNotContain(TestConnections.Key, ex.Message);
                Assert.DoesNotContain(TestConnections.Key, ex.ErrorMessage ?? "");
                Assert.DoesNotContain(TestConnections.Key, ex.ToString());
                Assert.Contains("***", ex.Message);
            }
            Assert.NotEmpty(log.Lines);
            Assert.All(log.Lines, l => Assert.DoesNotContain(TestConnections.Key, l));
            Assert.All(log.Lines, l => Assert.DoesNotContain("Authorization", l));
            Assert.Contains("VERBOSE: Vision One: POST /v3.0/cam/awsAccounts", log.Lines);
            Assert.Contains("VERBOSE: Vision One: DELETE /v3.0/cam/awsAccounts/111122223333", log.Lines);
        }

        [Fact]
        public async Task Add_posts_the_documented_body_and_reads_the_id_from_Location()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.Created, null, ("Location", "https://api.xdr.trendmicro.com/v3.0/cam/awsAccounts/111122223333"));
            using var client = Client(handler);

            var id = await client.AddAwsAccountAsync(Arn, "prod", "Production", "wp-instance-1");

            Assert.Equal("111122223333", id);
            var request = handler.Requests.Single();
            Assert.Equal(HttpMethod.Post, request.Method);
            Assert.Equal("/v3.0/cam/awsAccounts", request.Uri.AbsolutePath);
            Assert.StartsWith("application/json", request.Header("Content-Type"));
            Assert.Contains("charset=utf-8", request.Header("Content-Type"));
            var body = JsonNode.Parse(request.Body!)!;
            Assert.Equal(Arn, (string?)body["roleArn"]);
            Assert.Equal("prod", (string?)body["name"]);
            Assert.Equal("Production", (string?)body["description"]);
            Assert.Empty(body["features"]!.AsArray());
            var service = body["connectedSecurityServices"]!.AsArray().Single()!;
            Assert.Equal("workload", (string?)service["name"]);
            Assert.Equal("wp-instance-1", (string?)service["instanceIds"]!.AsArray().Single());
        }

        [Fact]
        public async Task Add_accepts_any_2xx_and_falls_back_to_the_ARN_account_without_Location()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.NoContent);
            using var client = Client(handler);

            var id = await client.AddAwsAccountAsync(Arn, "prod");

            Assert.Equal("111122223333", id);
            var body = JsonNode.Parse(handler.Requests.Single().Body!)!.AsObject();
            Assert.False(body.ContainsKey("connectedSecurityServices"));
            Assert.False(body.ContainsKey("description"));
        }

        [Theory]
        [InlineData("arn:aws:iam::12345:role/VisionOneRole", "prod", "VisionOne.InvalidRoleArn")]
        [InlineData("arn:aws:iam::111122223333:user/bob", "prod", "VisionOne.InvalidRoleArn")]
        [InlineData(Arn, "", "VisionOne.InvalidAccountName")]
        public async Task Add_validates_at_the_door(string roleArn, string name, string errorId)
        {
            var handler = new ScriptedHandler();
            using var client = Client(handler);
            var ex = await Assert.ThrowsAsync<VisionOneException>(() => client.AddAwsAccountAsync(roleArn, name));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Empty(handler.Requests);
        }

        [Fact]
        public async Task Add_rejects_a_name_over_254_characters()
        {
            using var client = Client(new ScriptedHandler());
            var ex = await Assert.ThrowsAsync<VisionOneException>(() => client.AddAwsAccountAsync(Arn, new string('n', 255)));
            Assert.Equal("VisionOne.InvalidAccountName", ex.ErrorId);
        }

        [Fact]
        public async Task Get_returns_the_account_with_its_ETag_and_null_on_404()
        {
            var handler = new ScriptedHandler()
                .Then(HttpStatusCode.OK, Account("111122223333", "prod"), ("ETag", "\"v7\""))
                .Then(HttpStatusCode.NotFound, "{\"error\":{\"code\":\"NotFound\",\"message\":\"gone\"}}");
            var retry = new RecordedRetry();
            using var client = Client(handler, retry);

            var account = await client.GetAwsAccountAsync("111122223333");
            var missing = await client.GetAwsAccountAsync("444455556666");

            Assert.NotNull(account);
            Assert.Equal("\"v7\"", account!.ETag);
            Assert.Equal("prod", account.Name);
            Assert.Equal("managed", account.State);
            Assert.Null(missing);
            Assert.Empty(retry.Waits);
        }

        [Fact]
        public async Task Update_sends_If_Match_and_only_the_fields_to_change()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.NoContent);
            using var client = Client(handler);

            await client.UpdateAwsAccountAsync("111122223333", "\"v7\"", new V1AwsAccountPatch { RoleArn = Arn });

            var request = handler.Requests.Single();
            Assert.Equal("PATCH", request.Method.Method);
            Assert.Equal("\"v7\"", request.Header("If-Match"));
            var body = JsonNode.Parse(request.Body!)!.AsObject();
            Assert.Equal(new[] { "roleArn" }, body.Select(p => p.Key));
        }

        [Fact]
        public async Task Update_of_an_entry_whose_GET_gave_no_ETag_goes_without_If_Match()
        {
            var handler = new ScriptedHandler()
                .Then(HttpStatusCode.OK, Account("111122223333", "prod"))
                .Then(HttpStatusCode.NoContent);
            using var client = Client(handler);

            var account = await client.GetAwsAccountAsync("111122223333");
            Assert.Null(account!.ETag);
            await client.UpdateAwsAccountAsync("111122223333", account.ETag, new V1AwsAccountPatch { Name = "x" });

            var patch = handler.Requests.Last();
            Assert.Equal("PATCH", patch.Method.Method);
            Assert.Null(patch.Header("If-Match"));
            Assert.Equal("x", JsonNode.Parse(patch.Body!)!["name"]!.GetValue<string>());
        }

        [Fact]
        public async Task Delete_returns_false_when_already_gone()
        {
            var handler = new ScriptedHandler()
                .Then(HttpStatusCode.NoContent)
                .Then(HttpStatusCode.NotFound, "{\"error\":{\"code\":\"NotFound\",\"message\":\"gone\"}}");
            using var client = Client(handler);

            Assert.True(await client.DeleteAwsAccountAsync("111122223333"));
            Assert.False(await client.DeleteAwsAccountAsync("111122223333"));
            Assert.All(handler.Requests, r => Assert.Equal(HttpMethod.Delete, r.Method));
        }

        [Theory]
        [InlineData(ApiVersion.V3_0, "/v3.0/cam/awsAccounts/features")]
        [InlineData(ApiVersion.Beta, "/beta/cam/awsAccounts/features")]
        [InlineData(ApiVersion.BetaXdr, "/beta/xdr/cam/awsAccounts/features")]
        public async Task The_API_version_selects_the_path_family(ApiVersion version, string path)
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.OK, "{\"items\":[{\"id\":\"cloud-sentry\",\"name\":\"Sentry\"}]}");
            using var client = Client(handler, version: version);

            var features = await client.ListFeaturesAsync();

            Assert.Equal("cloud-sentry", features.Single().Id);
            Assert.Equal(path, handler.Requests.Single().Uri.AbsolutePath);
        }

        [Fact]
        public async Task A_base_URL_with_a_path_prefix_keeps_it()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.OK, "{\"status\":\"available\"}");
            using var client = Client(handler, baseUrl: "https://proxy.example/visionone/");

            Assert.Equal("available", await client.CheckConnectivityAsync());
            Assert.Equal("/visionone/v3.0/healthcheck/connectivity", handler.Requests.Single().Uri.AbsolutePath);
        }

        [Fact]
        public async Task A_template_download_streams_and_stops_at_the_5_MB_cap_and_its_signature_reaches_no_message()
        {
            var endless = new EndlessStream();
            var handler = new ScriptedHandler().Then(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(endless) });
            var log = new ListLogSink();
            using var client = Client(handler, log: log);

            var ex = await Assert.ThrowsAsync<VisionOneOnboarding.Onboarding.TemplateException>(() =>
                client.DownloadTemplateAsync("https://bucket.s3.amazonaws.com/t.yaml?X-Amz-Security-Token=IQoTOKEN&X-Amz-Signature=SIGNATURE"));

            Assert.Equal("VisionOne.TemplateMalformed", ex.ErrorId);
            Assert.InRange(endless.BytesRead, VisionOneOnboarding.Onboarding.TemplateLimits.MaxBytes, VisionOneOnboarding.Onboarding.TemplateLimits.MaxBytes + 1024 * 1024);
            Assert.DoesNotContain("SIGNATURE", ex.Message);
            Assert.Contains("/t.yaml", ex.Message);
            Assert.DoesNotContain(log.Lines, l => l.Contains("SIGNATURE") || l.Contains("IQoTOKEN"));
            Assert.Contains(log.Lines, l => l.Contains("GET /t.yaml"));
        }

        /// <summary>A body that never ends, counting what was read of it.</summary>
        private sealed class EndlessStream : System.IO.Stream
        {
            public long BytesRead { get; private set; }
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count)
            {
                for (int i = 0; i < count; i++) buffer[offset + i] = (byte)'x';
                BytesRead += count;
                return count;
            }
            public override long Seek(long offset, System.IO.SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        [Fact]
        public async Task An_error_page_of_another_host_contributes_only_its_code()
        {
            const string s3 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message>" +
                              "<AWSAccessKeyId>ASIAEXAMPLELEAKED0001</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256 secret-ish</StringToSign></Error>";
            var handler = new ScriptedHandler().Then(HttpStatusCode.Forbidden, s3);
            var log = new ListLogSink();
            using var client = Client(handler, log: log);

            var ex = await Assert.ThrowsAsync<VisionOneApiException>(() => client.DownloadTemplateAsync("https://bucket.s3.amazonaws.com/t.yaml?X-Amz-Signature=abc"));

            Assert.Equal("SignatureDoesNotMatch", ex.ErrorCode);
            Assert.DoesNotContain("ASIAEXAMPLELEAKED0001", ex.Message);
            Assert.DoesNotContain("StringToSign", ex.Message);
            Assert.DoesNotContain(log.Lines, l => l.Contains("ASIAEXAMPLELEAKED0001"));
        }

        [Fact]
        public async Task Template_download_sends_the_key_only_to_the_API_host()
        {
            var handler = new ScriptedHandler()
                .Then(HttpStatusCode.OK, "Resources: {}")
                .Then(HttpStatusCode.OK, "Resources: {}");
            using var client = Client(handler);

            await client.DownloadTemplateAsync("https://bucket.s3.amazonaws.com/t.yaml?X-Amz-Signature=abc");
            var text = await client.DownloadTemplateAsync("https://api.xdr.trendmicro.com/templates/x/vision-one-template.yaml");

            Assert.Equal("Resources: {}", text);
            Assert.Null(handler.Requests[0].Header("Authorization"));
            Assert.Equal("Bearer " + TestConnections.Key, handler.Requests[1].Header("Authorization"));
        }

        [Fact]
        public async Task Template_download_over_http_to_a_remote_host_is_refused()
        {
            var handler = new ScriptedHandler();
            using var client = Client(handler);
            var ex = await Assert.ThrowsAsync<VisionOneException>(() => client.DownloadTemplateAsync("http://bucket.example/t.yaml"));
            Assert.Equal("VisionOne.InsecureEndpoint", ex.ErrorId);
            Assert.Empty(handler.Requests);
        }

        [Fact]
        public async Task A_cancelled_token_cancels_the_call()
        {
            var handler = new ScriptedHandler().Then(HttpStatusCode.OK, "{\"items\":[]}");
            using var client = Client(handler);
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ListAwsAccountsAsync(cancellationToken: cts.Token));
            Assert.Empty(handler.Requests);
        }

        [Fact]
        public async Task A_transport_failure_is_retried_then_reported_with_an_error_id()
        {
            var handler = new ScriptedHandler();
            for (int i = 0; i < 2; i++) handler.Then(_ => throw new HttpRequestException("connection refused"));
            using var client = Client(handler, new RecordedRetry(maxAttempts: 2));

            var ex = await Assert.ThrowsAsync<VisionOneException>(() => client.ListFeaturesAsync());

            Assert.Equal("VisionOne.ConnectionFailed", ex.ErrorId);
            Assert.Contains("api.xdr.trendmicro.com", ex.Message);
            Assert.Equal(2, handler.Requests.Count);
        }

        [Fact]
        public async Task A_refused_connection_is_reported_at_once_pointing_at_the_API_host_setting()
        {
            var handler = new ScriptedHandler();
            for (int i = 0; i < 3; i++) handler.Then(_ => throw new HttpRequestException("no connection", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)));
            using var client = Client(handler, new RecordedRetry(maxAttempts: 3));

            var ex = await Assert.ThrowsAsync<VisionOneException>(() => client.ListFeaturesAsync());

            Assert.Equal("VisionOne.ConnectionFailed", ex.ErrorId);
            Assert.Contains("the connection was refused", ex.Message);
            Assert.Contains("Check -ApiBaseUrl", ex.Message);
            Assert.Single(handler.Requests);
        }
    }
}
