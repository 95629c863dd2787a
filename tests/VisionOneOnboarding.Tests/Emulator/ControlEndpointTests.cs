using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Tests.Emulator
{
    public sealed class ControlEndpointTests : IClassFixture<EmulatorFixture>
    {
        private const string PolicyArn = "arn:aws:iam::123456789012:policy/P";
        private readonly EmulatorFixture _emulator;
        private readonly QueryClient _iam;

        public ControlEndpointTests(EmulatorFixture emulator)
        {
            _emulator = emulator;
            _emulator.Reset();
            _iam = emulator.SeedClient();
        }

        private Task<string> StateAsync(string account = "123456789012") =>
            _emulator.Http.GetStringAsync("/_emulator/state?account=" + account);

        private async Task<JsonElement> CallsAsync() =>
            JsonDocument.Parse(await _emulator.Http.GetStringAsync("/_emulator/calls")).RootElement;

        [Fact]
        public async Task ResetRestoresTheSeededStateAndClearsLogAndFaults()
        {
            var seeded = await StateAsync();
            (await _iam.IamAsync("CreateRole", ("RoleName", "R"), ("AssumeRolePolicyDocument", Documents.AccountTrust))).AssertOk();
            (await _emulator.Http.PostAsJsonAsync("/_emulator/faults", new { latencyMs = 1, throttleRate = 0.5 })).EnsureSuccessStatusCode();
            var changed = await StateAsync();

            var reset = await _emulator.Http.PostAsync("/_emulator/reset", null);
            var faults = JsonDocument.Parse(await _emulator.Http.GetStringAsync("/_emulator/faults")).RootElement;

            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
            Assert.NotEqual(seeded, changed);
            Assert.Equal(seeded, await StateAsync());
            Assert.Equal(0, (await CallsAsync()).GetArrayLength());
            Assert.Equal(0, faults.GetProperty("latencyMs").GetInt32());
            Assert.Equal(0, faults.GetProperty("throttleRate").GetDouble());
        }

        [Fact]
        public async Task StateDumpIsDeterministicAndDecoded()
        {
            async Task BuildAsync(bool reversed)
            {
                var steps = new Func<Task>[]
                {
                    async () => (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", "https://b.example.test"), ("ThumbprintList.member.1", new string('b', 40)),
                        ("ThumbprintList.member.2", new string('a', 40)))).AssertOk(),
                    async () => (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", "https://a.example.test"))).AssertOk(),
                    async () => (await _iam.IamAsync("CreateRole", ("RoleName", "R"), ("AssumeRolePolicyDocument", Documents.AccountTrust),
                        ("Tags.member.1.Key", "z"), ("Tags.member.1.Value", "1"), ("Tags.member.2.Key", "a"), ("Tags.member.2.Value", "2"))).AssertOk(),
                    async () => (await _iam.IamAsync("CreatePolicy", ("PolicyName", "P"), ("PolicyDocument", Documents.Minimal))).AssertOk(),
                };
                foreach (var step in reversed ? steps.Reverse() : steps) await step();
                (await _iam.IamAsync("AttachRolePolicy", ("RoleName", "R"), ("PolicyArn", PolicyArn))).AssertOk();
            }

            await BuildAsync(reversed: false);
            var first = await StateAsync();
            _emulator.Reset();
            await BuildAsync(reversed: true);
            var second = await StateAsync();
            var dump = JsonDocument.Parse(second).RootElement;

            Assert.Equal(first, second);
            Assert.Equal(new[] { "a.example.test", "b.example.test" },
                dump.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("url").GetString()));
            Assert.Equal(new[] { new string('a', 40), new string('b', 40) },
                dump.GetProperty("providers")[1].GetProperty("thumbprints").EnumerateArray().Select(t => t.GetString()));
            var policy = dump.GetProperty("policies")[0];
            Assert.Equal(1, policy.GetProperty("attachmentCount").GetInt32());
            Assert.Equal("s3:GetObject", policy.GetProperty("versions")[0].GetProperty("document").GetProperty("Statement")[0].GetProperty("Action").GetString());
            var role = dump.GetProperty("roles")[0];
            Assert.Equal("sts:AssumeRole", role.GetProperty("trustPolicy").GetProperty("Statement")[0].GetProperty("Action").GetString());
            Assert.Equal(new[] { PolicyArn }, role.GetProperty("attachedPolicyArns").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal(new[] { "a", "z" }, role.GetProperty("tags").EnumerateObject().Select(t => t.Name));
            Assert.DoesNotContain("createDate", second, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public async Task UnknownAccountStateIs404()
        {
            var response = await _emulator.Http.GetAsync("/_emulator/state?account=000000000000");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        [Fact]
        public async Task NewAccountGetsWorkingCredentials()
        {
            var response = await _emulator.Http.PostAsJsonAsync("/_emulator/accounts", new { accountId = "777788889999" });
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var client = new QueryClient(_emulator.Http, body.GetProperty("accessKeyId").GetString()!, body.GetProperty("secretAccessKey").GetString()!);
            var identity = (await client.StsAsync("GetCallerIdentity")).AssertOk();
            var bad = await _emulator.Http.PostAsJsonAsync("/_emulator/accounts", new { accountId = "12345" });

            Assert.Equal("777788889999", body.GetProperty("accountId").GetString());
            Assert.Equal("777788889999", identity.Value("Account"));
            Assert.Equal(HttpStatusCode.OK, (await _emulator.Http.GetAsync("/_emulator/state?account=777788889999")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        [Fact]
        public async Task CallLogRecordsServiceActionAccountAndOutcome()
        {
            (await _iam.IamAsync("CreateRole", ("RoleName", "R"), ("AssumeRolePolicyDocument", Documents.AccountTrust))).AssertOk();
            (await _iam.IamAsync("GetRole", ("RoleName", "Missing"))).AssertError(404, "NoSuchEntity");
            (await _iam.StsAsync("GetCallerIdentity")).AssertOk();

            var calls = (await CallsAsync()).EnumerateArray().ToList();

            Assert.Equal(3, calls.Count);
            Assert.Equal(("iam", "CreateRole", "123456789012", true, true, 200),
                (calls[0].GetProperty("service").GetString(), calls[0].GetProperty("action").GetString(), calls[0].GetProperty("account").GetString(),
                 calls[0].GetProperty("mutating").GetBoolean(), calls[0].GetProperty("success").GetBoolean(), calls[0].GetProperty("status").GetInt32()));
            Assert.Equal(("GetRole", false, false, 404, "NoSuchEntity"),
                (calls[1].GetProperty("action").GetString(), calls[1].GetProperty("mutating").GetBoolean(), calls[1].GetProperty("success").GetBoolean(),
                 calls[1].GetProperty("status").GetInt32(), calls[1].GetProperty("errorCode").GetString()));
            Assert.Equal("sts", calls[2].GetProperty("service").GetString());
            Assert.Equal(HttpStatusCode.NoContent, (await _emulator.Http.DeleteAsync("/_emulator/calls")).StatusCode);
            Assert.Equal(0, (await CallsAsync()).GetArrayLength());
        }

        [Fact]
        public async Task FailNthCallAnswersTheInjectedErrorThenServesNormally()
        {
            (await _iam.IamAsync("CreateRole", ("RoleName", "R"), ("AssumeRolePolicyDocument", Documents.AccountTrust))).AssertOk();
            (await _emulator.Http.PostAsJsonAsync("/_emulator/faults/fail",
                new { service = "iam", action = "GetRole", nth = 2, times = 2, status = 503, code = "ServiceUnavailable", message = "down" })).EnsureSuccessStatusCode();

            var results = new[]
            {
                await _iam.IamAsync("GetRole", ("RoleName", "R")), await _iam.IamAsync("GetRole", ("RoleName", "R")),
                await _iam.IamAsync("GetRole", ("RoleName", "R")), await _iam.IamAsync("GetRole", ("RoleName", "R")),
            };

            results[0].AssertOk();
            results[1].AssertError(503, "ServiceUnavailable");
            Assert.Equal("down", results[1].ErrorMessage);
            Assert.Equal("Receiver", results[1].Value("Type"));
            results[2].AssertError(503, "ServiceUnavailable");
            results[3].AssertOk();
            Assert.Equal(503, _emulator.Host.State.Calls.Snapshot()[2].Status);
        }

        [Fact]
        public async Task ThrottleRateOneThrottlesEveryAwsCallUntilFaultsAreCleared()
        {
            (await _emulator.Http.PostAsJsonAsync("/_emulator/faults", new { throttleRate = 1.0 })).EnsureSuccessStatusCode();
            var throttled = await _iam.IamAsync("ListRoles");
            var stsThrottled = await _iam.StsAsync("GetCallerIdentity");
            Assert.Equal(HttpStatusCode.NoContent, (await _emulator.Http.DeleteAsync("/_emulator/faults")).StatusCode);
            var cleared = await _iam.IamAsync("ListRoles");

            throttled.AssertError(400, "Throttling");
            Assert.Equal("Rate exceeded", throttled.ErrorMessage);
            stsThrottled.AssertError(400, "Throttling");
            cleared.AssertOk();
        }

        [Fact]
        public async Task LatencyDelaysEveryAwsCall()
        {
            (await _emulator.Http.PostAsJsonAsync("/_emulator/faults", new { latencyMs = 150 })).EnsureSuccessStatusCode();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            (await _iam.IamAsync("ListRoles")).AssertOk();

            Assert.True(watch.ElapsedMilliseconds >= 150, "answered after " + watch.ElapsedMilliseconds + " ms");
        }

        [Theory]
        [InlineData("{\"service\":\"ec2\",\"action\":\"X\",\"nth\":1,\"status\":500}")]
        [InlineData("{\"service\":\"iam\",\"action\":\"GetRole\",\"nth\":0,\"status\":500}")]
        [InlineData("{\"service\":\"iam\",\"action\":\"GetRole\",\"nth\":1,\"status\":200}")]
        public async Task BadFaultRulesAreRefused(string body)
        {
            var response = await _emulator.Http.PostAsync("/_emulator/faults/fail", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        [Fact]
        public async Task FaultSettingsChangeOnlyWhatIsGiven()
        {
            (await _emulator.Http.PostAsJsonAsync("/_emulator/faults", new { latencyMs = 5, principalPropagationMs = 2000 })).EnsureSuccessStatusCode();
            var response = await _emulator.Http.PostAsJsonAsync("/_emulator/faults", new { throttleRate = 0.25 });
            var settings = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var invalid = await _emulator.Http.PostAsJsonAsync("/_emulator/faults", new { throttleRate = 2 });

            Assert.Equal(5, settings.GetProperty("latencyMs").GetInt32());
            Assert.Equal(2000, settings.GetProperty("principalPropagationMs").GetInt32());
            Assert.Equal(0.25, settings.GetProperty("throttleRate").GetDouble());
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), _emulator.Host.State.Faults.PrincipalPropagationDelay);
        }
    }
}
