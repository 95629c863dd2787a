using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using VisionOneOnboarding.Emulator;
using VisionOneOnboarding.Emulator.VisionOne;
using VisionOneOnboarding.VisionOne;
using YamlDotNet.RepresentationModel;

namespace VisionOneOnboarding.Tests.VisionOne
{
    public sealed class CamEmulatorFixture : IAsyncLifetime
    {
        public EmulatorHost Host { get; private set; } = null!;
        public async Task InitializeAsync() => Host = await EmulatorHost.StartAsync();
        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    /// <summary>The CAM client against the in-process emulator: the Vision One face end to end over HTTP.</summary>
    public class CamEmulatorTests : IClassFixture<CamEmulatorFixture>, IDisposable
    {
        private const string Acct = "210987654321";
        private const string Arn = "arn:aws:iam::" + Acct + ":role/VisionOneRole";

        private readonly EmulatorHost _host;
        private readonly HttpClient _raw = new HttpClient();
        private readonly RecordedRetry _retry = new RecordedRetry();
        private readonly ListLogSink _log = new ListLogSink();

        public CamEmulatorTests(CamEmulatorFixture fixture)
        {
            _host = fixture.Host;
            _host.State.Reset();
        }

        public void Dispose() => _raw.Dispose();

        private CamClient Client(string key = CamStore.SeededApiKey, ApiVersion version = ApiVersion.V3_0) =>
            new CamClient(new V1Connection(V1Regions.Get("us"), _host.BaseUrl, SensitiveString.FromPlainText(key), "test", "test", "test"),
                version, retryPolicy: _retry.Policy, log: _log);

        private Task<HttpResponseMessage> Raw(HttpMethod method, string path, string? json = null, string? key = CamStore.SeededApiKey, params (string, string)[] headers)
        {
            var request = new HttpRequestMessage(method, new Uri(_host.BaseUrl, path.TrimStart('/')));
            if (key != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            if (json != null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
            return _raw.SendAsync(request);
        }

        private static async Task<JsonNode> ErrorOf(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        [Fact]
        public async Task Connecting_without_the_AWS_side_stores_the_account_as_failed_with_what_is_missing()
        {
            using var client = Client();

            var id = await client.AddAwsAccountAsync(Arn, "prod", "Production", "wp-1");
            var account = await client.GetAwsAccountAsync(id);

            Assert.Equal(Acct, id);
            Assert.NotNull(account);
            Assert.Equal("failed", account!.State);
            Assert.Contains(account.MissingPieces, p => p.Contains("role VisionOneRole does not exist in account " + Acct));
            Assert.Equal("Production", account.Description);
            Assert.Equal("wp-1", account.ConnectedSecurityServices.Single().InstanceIds.Single());
            Assert.NotNull(account.CreatedDateTime);
            Assert.False(string.IsNullOrEmpty(account.ETag));

            var calls = _host.State.Calls.Snapshot().Where(c => c.Service == "cam").ToList();
            var add = calls.Single(c => c.Action == "AddAwsAccount");
            Assert.Equal((Acct, true, true, 201), (add.Account, add.Mutating, add.Success, add.Status));
            var get = calls.Single(c => c.Action == "GetAwsAccount");
            Assert.Equal((Acct, false, 200), (get.Account, get.Mutating, get.Status));
        }

        [Theory]
        [InlineData(ApiVersion.V3_0)]
        [InlineData(ApiVersion.Beta)]
        [InlineData(ApiVersion.BetaXdr)]
        public async Task Every_path_family_serves_the_whole_lifecycle(ApiVersion version)
        {
            using var client = Client(version: version);

            await client.AddAwsAccountAsync(Arn, "prod");
            var listed = await client.ListAwsAccountsAsync();
            var read = await client.GetAwsAccountAsync(Acct);
            await client.UpdateAwsAccountAsync(Acct, read!.ETag!, new V1AwsAccountPatch { Description = "changed" });
            var features = await client.ListFeaturesAsync();
            var deleted = await client.DeleteAwsAccountAsync(Acct);
            var deletedAgain = await client.DeleteAwsAccountAsync(Acct);

            Assert.Equal(Acct, listed.Single().Id);
            Assert.True(deleted);
            Assert.False(deletedAgain);
            Assert.NotEmpty(features);
            Assert.Contains("/" + ApiVersions.CamPrefix(version) + "/awsAccounts", string.Join("\n", _log.Lines));
            var actions = _host.State.Calls.Snapshot().Where(c => c.Service == "cam").Select(c => c.Action + ":" + c.Mutating).ToList();
            Assert.Equal(new[]
            {
                "AddAwsAccount:True", "ListAwsAccounts:False", "GetAwsAccount:False", "UpdateAwsAccount:True",
                "ListFeatures:False", "DeleteAwsAccount:True", "DeleteAwsAccount:True",
            }, actions);
            var lastDelete = _host.State.Calls.Snapshot().Last();
            Assert.Equal((404, "NotFound", false), (lastDelete.Status, lastDelete.ErrorCode, lastDelete.Success));
        }

        [Fact]
        public async Task A_wrong_key_is_a_401_with_the_documented_body_and_a_trace_id()
        {
            using var client = Client(key: "not-the-key-8c1f");

            var ex = await Assert.ThrowsAsync<VisionOneApiException>(() => client.ListAwsAccountsAsync());

            Assert.Equal(401, ex.StatusCode);
            Assert.Equal("InvalidCredentials", ex.ErrorCode);
            Assert.Equal("InvalidToken", ex.InnerErrorCode);
            Assert.False(string.IsNullOrEmpty(ex.TraceId));
            Assert.DoesNotContain("not-the-key-8c1f", ex.Message);
            Assert.All(_log.Lines, l => Assert.DoesNotContain("not-the-key-8c1f", l));
            Assert.Empty(_retry.Waits);
        }

        [Fact]
        public async Task A_missing_Authorization_header_is_a_401_and_every_answer_has_a_trace_id()
        {
            var response = await Raw(HttpMethod.Get, "v3.0/cam/awsAccounts", key: null);
            var error = await ErrorOf(response);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("InvalidCredentials", (string?)error["code"]);
            Assert.Equal("InvalidToken", (string?)error["innererror"]!["code"]);
            Assert.False(string.IsNullOrEmpty((string?)error["message"]));
            Assert.True(response.Headers.Contains("x-trace-id"));

            var unknownRoute = await Raw(HttpMethod.Get, "v3.0/cam/nothingHere");
            Assert.Equal(HttpStatusCode.NotFound, unknownRoute.StatusCode);
            Assert.True(unknownRoute.Headers.Contains("x-trace-id"));
        }

        [Fact]
        public async Task A_read_only_key_may_read_but_not_write()
        {
            var added = await Raw(HttpMethod.Post, "_emulator/visionone/keys", "{\"key\":\"reader-key\",\"businessId\":\"1234567890\",\"region\":\"us\",\"readOnly\":true}", key: null);
            Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);
            using var client = Client(key: "reader-key");

            Assert.Empty(await client.ListAwsAccountsAsync());
            Assert.NotNull(await client.GenerateCfnTemplateLinksAsync("us-east-1"));
            var ex = await Assert.ThrowsAsync<VisionOneApiException>(() => client.AddAwsAccountAsync(Arn, "prod"));

            Assert.Equal((403, "AccessDenied"), (ex.StatusCode, ex.ErrorCode));
            Assert.Empty(_host.State.Cam.Dump());
        }

        [Fact]
        public async Task Duplicate_names_and_already_connected_accounts_are_409s_with_distinct_codes()
        {
            using var client = Client();
            await client.AddAwsAccountAsync(Arn, "prod");

            var name = await Assert.ThrowsAsync<VisionOneApiException>(() => client.AddAwsAccountAsync("arn:aws:iam::999988887777:role/VisionOneRole", "prod"));
            var account = await Assert.ThrowsAsync<VisionOneApiException>(() => client.AddAwsAccountAsync(Arn, "another name"));

            Assert.Equal((409, "DuplicateAccountName"), (name.StatusCode, name.ErrorCode));
            Assert.Equal((409, "AccountAlreadyConnected"), (account.StatusCode, account.ErrorCode));
            Assert.Equal("VisionOne.DuplicateAccountName", name.ErrorId);
        }

        [Theory]
        [InlineData("{\"roleArn\":\"arn:aws:iam::123:role/R\",\"name\":\"n\"}", "InvalidRoleArn")]
        [InlineData("{\"roleArn\":\"arn:aws:iam::210987654321:role/VisionOneRole\"}", "InvalidName")]
        [InlineData("{\"roleArn\":5,\"name\":\"n\"}", "InvalidRequestBody")]
        [InlineData("not json", "InvalidRequestBody")]
        public async Task Malformed_adds_are_400s(string body, string code)
        {
            var response = await Raw(HttpMethod.Post, "v3.0/cam/awsAccounts", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(code, (string?)(await ErrorOf(response))["code"]);
        }

        [Fact]
        public async Task Lists_are_paged_with_top_and_a_full_nextLink_and_the_client_reads_to_the_end()
        {
            for (int i = 0; i < 30; i++)
            {
                _host.State.Cam.Add(_host.State.Cam.FindKey(CamStore.SeededApiKey)!, "arn:aws:iam::5000000000" + i.ToString("00") + ":role/VisionOneRole", "acct-" + i, null, null, null, null);
            }

            var firstPage = JsonNode.Parse(await (await Raw(HttpMethod.Get, "v3.0/cam/awsAccounts?top=25")).Content.ReadAsStringAsync())!;
            using var client = Client();
            var all = await client.ListAwsAccountsAsync(top: 25);
            var filtered = await client.ListAwsAccountsAsync("contains(name,'acct-2') or id eq '500000000001'");

            Assert.Equal(25, (int)firstPage["count"]!);
            Assert.Equal(30, (int)firstPage["totalCount"]!);
            var nextLink = (string)firstPage["nextLink"]!;
            Assert.StartsWith(_host.BaseUrl.GetLeftPart(UriPartial.Authority) + "/v3.0/cam/awsAccounts?", nextLink);
            Assert.Contains("skipToken=", nextLink);
            Assert.Equal(30, all.Select(a => a.Id).Distinct().Count());
            // One raw page, two pages for the whole list, one page for the filtered list.
            Assert.Equal(4, _host.State.Calls.Snapshot().Count(c => c.Action == "ListAwsAccounts"));
            Assert.Equal(new[] { "500000000001", "500000000002", "500000000020", "500000000021", "500000000022", "500000000023", "500000000024", "500000000025", "500000000026", "500000000027", "500000000028", "500000000029" },
                filtered.Select(a => a.Id).OrderBy(x => x));
        }

        [Fact]
        public async Task Bad_filters_and_tops_are_400s()
        {
            using var client = Client();
            var ex = await Assert.ThrowsAsync<VisionOneApiException>(() => client.ListAwsAccountsAsync("region eq 'us'"));
            Assert.Equal((400, "InvalidFilter"), (ex.StatusCode, ex.ErrorCode));

            var badTop = await Raw(HttpMethod.Get, "v3.0/cam/awsAccounts?top=7");
            Assert.Equal(HttpStatusCode.BadRequest, badTop.StatusCode);
            var badToken = await Raw(HttpMethod.Get, "v3.0/cam/awsAccounts?skipToken=%%%");
            Assert.Equal(HttpStatusCode.BadRequest, badToken.StatusCode);
        }

        [Fact]
        public async Task Updates_need_the_current_ETag_which_changes_on_every_update()
        {
            using var client = Client();
            await client.AddAwsAccountAsync(Arn, "prod");
            var first = await client.GetAwsAccountAsync(Acct);

            await client.UpdateAwsAccountAsync(Acct, first!.ETag!, new V1AwsAccountPatch { Name = "renamed" });
            var second = await client.GetAwsAccountAsync(Acct);
            var stale = await Assert.ThrowsAsync<VisionOneApiException>(() =>
                client.UpdateAwsAccountAsync(Acct, first.ETag!, new V1AwsAccountPatch { Name = "again" }));
            var missing = await Raw(new HttpMethod("PATCH"), "v3.0/cam/awsAccounts/" + Acct, "{\"name\":\"x\"}");

            Assert.Equal("renamed", second!.Name);
            Assert.NotEqual(first.ETag, second.ETag);
            Assert.Equal((412, "PreconditionFailed"), (stale.StatusCode, stale.ErrorCode));
            Assert.Equal((HttpStatusCode)428, missing.StatusCode);
            Assert.Equal("PreconditionRequired", (string?)(await ErrorOf(missing))["code"]);
            Assert.Empty(_retry.Waits);
        }

        [Fact]
        public async Task The_rate_limit_answers_429_with_Retry_After()
        {
            var set = await Raw(HttpMethod.Post, "_emulator/visionone/ratelimit", "{\"perMinute\":2}", key: null);
            Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);

            Assert.Equal(HttpStatusCode.OK, (await Raw(HttpMethod.Get, "v3.0/cam/awsAccounts")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Raw(HttpMethod.Get, "v3.0/cam/awsAccounts/features")).StatusCode);
            var limited = await Raw(HttpMethod.Get, "v3.0/cam/awsAccounts");

            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
            Assert.Equal("TooManyRequests", (string?)(await ErrorOf(limited))["code"]);
        }

        [Fact]
        public async Task An_injected_429_is_retried_after_Retry_After_and_then_succeeds()
        {
            _host.State.Faults.AddRule(new FailNthRule { Service = "cam", Action = "AddAwsAccount", Nth = 1, Status = 429 });
            using var client = Client();

            var id = await client.AddAwsAccountAsync(Arn, "prod");

            Assert.Equal(Acct, id);
            Assert.InRange(Assert.Single(_retry.Waits).TotalSeconds, 1, 1.1);   // Retry-After: 1, and a jitter of at most 10 %
            var adds = _host.State.Calls.Snapshot().Where(c => c.Action == "AddAwsAccount").Select(c => c.Status);
            Assert.Equal(new[] { 429, 201 }, adds);
        }

        [Fact]
        public async Task Injected_5xx_are_retried_then_succeed_and_4xx_are_not()
        {
            _host.State.Faults.AddRule(new FailNthRule { Service = "cam", Action = "ListAwsAccounts", Nth = 1, Times = 2, Status = 503 });
            _host.State.Faults.AddRule(new FailNthRule { Service = "cam", Action = "ListFeatures", Nth = 1, Status = 400, Code = "BadRequest" });
            using var client = Client();

            Assert.Empty(await client.ListAwsAccountsAsync());
            var ex = await Assert.ThrowsAsync<VisionOneApiException>(() => client.ListFeaturesAsync());

            Assert.Equal(2, _retry.Waits.Count);
            Assert.Equal((400, "BadRequest"), (ex.StatusCode, ex.ErrorCode));
            Assert.Equal(new[] { 503, 503, 200 }, _host.State.Calls.Snapshot().Where(c => c.Action == "ListAwsAccounts").Select(c => c.Status));
            Assert.Single(_host.State.Calls.Snapshot(), c => c.Action == "ListFeatures");
        }

        [Fact]
        public async Task Template_links_point_to_a_template_the_emulator_serves_with_the_three_published_policies()
        {
            using var client = Client();
            var links = await client.GenerateCfnTemplateLinksAsync("eu-west-1", awsAccountName: "prod");

            Assert.StartsWith(new Uri(_host.BaseUrl, "templates/").AbsoluteUri, links.TemplateUrl);
            Assert.Contains("/vision-one-template.yaml?", links.TemplateUrl);
            Assert.Contains("X-Amz-Signature=", links.TemplateUrl);
            Assert.Contains("X-Amz-Security-Token=", links.TemplateUrl);
            Assert.Equal("https://cloudaccounts-us.xdr.trendmicro.com", links.VisionOneOidcProviderUrl);
            Assert.StartsWith("https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/quickcreate?templateURL=" + Uri.EscapeDataString(links.TemplateUrl), links.CreateStackUrl);

            var anonymous = await _raw.GetAsync(links.TemplateUrl);
            Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
            var unsigned = await _raw.GetAsync(links.TemplateUrl.Split('?')[0]);
            Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
            var text = await client.DownloadTemplateAsync(links.TemplateUrl);
            Assert.Equal(await anonymous.Content.ReadAsStringAsync(), text);
            Assert.Contains("!Sub 'https://${VisionOneOIDCProviderURL}'", text);
            Assert.Contains("!GetAtt VisionOneOIDCProvider.Arn", text);
            Assert.Contains("!Ref VisionOnePolicyPart3", text);

            var yaml = new YamlStream();
            yaml.Load(new StringReader(text));
            var root = (YamlMappingNode)yaml.Documents[0].RootNode;
            var parameters = (YamlMappingNode)root["Parameters"];
            Assert.Equal(new[] { "VisionOneOIDCProviderURL", "VisionOneRegion", "VisionOneAccountID", "CloudAccountName" },
                parameters.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
            Assert.Equal("1234567890", ((YamlScalarNode)((YamlMappingNode)parameters["VisionOneAccountID"])["Default"]).Value);
            var resources = (YamlMappingNode)root["Resources"];
            string TypeOf(string name) => ((YamlScalarNode)((YamlMappingNode)resources[name])["Type"]).Value!;
            Assert.Equal("AWS::IAM::OIDCProvider", TypeOf("VisionOneOIDCProvider"));
            Assert.Equal("AWS::IAM::Role", TypeOf("VisionOneRole"));
            for (int i = 1; i <= 3; i++)
            {
                Assert.Equal("AWS::IAM::ManagedPolicy", TypeOf("VisionOnePolicyPart" + i));
                var document = ((YamlMappingNode)((YamlMappingNode)resources["VisionOnePolicyPart" + i])["Properties"])["PolicyDocument"];
                var published = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoFiles.Root(), "src/VisionOneOnboarding/Onboarding/Data/VisionOnePolicyPart" + i + ".json")));
                Assert.True(JsonNode.DeepEquals(published, ToJson(document)), "policy part " + i + " differs from the published document");
            }

            var generate = _host.State.Calls.Snapshot().Single(c => c.Action == "GenerateCfnTemplateLinks");
            Assert.False(generate.Mutating);
            // The anonymous download, the one without the pre-signed query (refused), and the client's.
            Assert.Equal(new[] { 200, 403, 200 }, _host.State.Calls.Snapshot().Where(c => c.Action == "DownloadTemplate").Select(c => c.Status));
        }

        [Fact]
        public async Task An_unknown_template_token_is_a_404_with_the_error_body()
        {
            var response = await _raw.GetAsync(new Uri(_host.BaseUrl, "templates/nope/vision-one-template.yaml"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("NotFound", (string?)(await ErrorOf(response))["code"]);
            Assert.True(response.Headers.Contains("x-trace-id"));
        }

        [Fact]
        public async Task The_connectivity_check_answers_available()
        {
            using var client = Client();
            Assert.Equal("available", await client.CheckConnectivityAsync());
        }

        [Fact]
        public async Task The_control_dump_shows_every_tenant_and_reset_forgets_added_keys()
        {
            await Raw(HttpMethod.Post, "_emulator/visionone/keys", "{\"key\":\"eu-key\",\"businessId\":\"777\",\"region\":\"eu\"}", key: null);
            using (var eu = Client(key: "eu-key")) await eu.AddAwsAccountAsync(Arn, "prod");
            using (var us = Client()) await us.AddAwsAccountAsync(Arn, "prod");

            var dump = JsonNode.Parse(await (await _raw.GetAsync(new Uri(_host.BaseUrl, "_emulator/visionone/accounts"))).Content.ReadAsStringAsync())!.AsArray();
            Assert.Equal(new[] { "1234567890", "777" }, dump.Select(a => (string)a!["businessId"]!).OrderBy(x => x));
            Assert.All(dump, a => Assert.StartsWith("\"", (string)a!["etag"]!));

            _host.State.Reset();
            using var afterReset = Client(key: "eu-key");
            Assert.Equal(401, (await Assert.ThrowsAsync<VisionOneApiException>(() => afterReset.ListAwsAccountsAsync())).StatusCode);
            using var seeded = Client();
            Assert.Empty(await seeded.ListAwsAccountsAsync());
        }

        [Fact]
        public async Task Bad_control_input_is_a_400()
        {
            var badRegion = await Raw(HttpMethod.Post, "_emulator/visionone/keys", "{\"key\":\"k\",\"businessId\":\"1\",\"region\":\"mars\"}", key: null);
            var badLimit = await Raw(HttpMethod.Post, "_emulator/visionone/ratelimit", "{\"perMinute\":-1}", key: null);
            Assert.Equal(HttpStatusCode.BadRequest, badRegion.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        }

        private static JsonNode? ToJson(YamlNode node) => node switch
        {
            YamlMappingNode m => new JsonObject(m.Children.Select(c => new System.Collections.Generic.KeyValuePair<string, JsonNode?>(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
            YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
            YamlScalarNode v => JsonValue.Create(v.Value),
            _ => throw new InvalidOperationException("unexpected YAML node " + node.NodeType),
        };
    }
}
