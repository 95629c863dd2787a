using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Emulator.Iam;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Tests.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Tests.VisionOne
{
    /// <summary>A request as the fake handler saw it (body and headers copied before the client disposes them).</summary>
    internal sealed class SeenRequest
    {
        public HttpMethod Method = HttpMethod.Get;
        public Uri Uri = new Uri("http://unset/");
        public string? Body;
        public Dictionary<string, string> Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
    }

    /// <summary>Answers from a script, one response per request, and records every request.</summary>
    internal sealed class ScriptedHandler : HttpMessageHandler
    {
        private readonly Queue<Func<SeenRequest, HttpResponseMessage>> _script = new Queue<Func<SeenRequest, HttpResponseMessage>>();
        public List<SeenRequest> Requests { get; } = new List<SeenRequest>();

        public ScriptedHandler Then(Func<SeenRequest, HttpResponseMessage> answer) { _script.Enqueue(answer); return this; }
        public ScriptedHandler Then(HttpStatusCode status, string? json = null, params (string Name, string Value)[] headers) =>
            Then(_ => Response(status, json, headers));

        public static HttpResponseMessage Response(HttpStatusCode status, string? json, params (string Name, string Value)[] headers)
        {
            var response = new HttpResponseMessage(status);
            if (json != null) response.Content = new StringContent(json, Encoding.UTF8, "application/json");
            foreach (var (name, value) in headers)
            {
                if (!response.Headers.TryAddWithoutValidation(name, value)) response.Content!.Headers.TryAddWithoutValidation(name, value);
            }
            return response;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var seen = new SeenRequest { Method = request.Method, Uri = request.RequestUri! };
            foreach (var h in request.Headers) seen.Headers[h.Key] = string.Join(",", h.Value);
            if (request.Content != null)
            {
                seen.Body = await request.Content.ReadAsStringAsync(cancellationToken);
                foreach (var h in request.Content.Headers) seen.Headers[h.Key] = string.Join(",", h.Value);
            }
            Requests.Add(seen);
            if (_script.Count == 0) throw new InvalidOperationException("The script has no answer for request " + Requests.Count + ": " + request.Method + " " + request.RequestUri);
            return _script.Dequeue()(seen);
        }
    }

    internal sealed class ListLogSink : ILogSink
    {
        public List<string> Lines { get; } = new List<string>();
        public void Verbose(string message) { lock (Lines) Lines.Add("VERBOSE: " + message); }
        public void Debug(string message) { lock (Lines) Lines.Add("DEBUG: " + message); }
        public void Warning(string message) { lock (Lines) Lines.Add("WARNING: " + message); }
    }

    /// <summary>A retry policy that records its waits instead of sleeping.</summary>
    internal sealed class RecordedRetry
    {
        public List<TimeSpan> Waits { get; } = new List<TimeSpan>();
        public RetryPolicy Policy { get; }
        public RecordedRetry(int maxAttempts = 4)
        {
            Policy = new RetryPolicy(maxAttempts, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60),
                new ManualWaitClock(onPause: Waits.Add), seed: 7);
        }
    }

    /// <summary>IAM as the fake tells it; tests arrange roles and providers directly.</summary>
    public sealed class FakeIamView : IIamView
    {
        public Dictionary<(string Account, string Role), RoleView> Roles { get; } = new Dictionary<(string, string), RoleView>();
        public HashSet<(string Account, string Host)> Providers { get; } = new HashSet<(string, string)>();

        /// <summary>Roles Vision One cannot assume yet (just created, or their trust just changed).</summary>
        public HashSet<(string Account, string Role)> NotYetAssumable { get; } = new HashSet<(string, string)>();

        public RoleView? FindRole(string accountId, string roleName) => Roles.TryGetValue((accountId, roleName), out var r) ? r : null;

        public bool RoleAssumableYet(string accountId, string roleName) => !NotYetAssumable.Contains((accountId, roleName));

        public bool OidcProviderExists(string accountId, string url)
        {
            var host = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? url.Substring(8) : url;
            return Providers.Contains((accountId, host));
        }

        /// <summary>Everything Cloud Accounts needs, as the manual procedure builds it.</summary>
        public FakeIamView WithCompleteSetup(string account, string region = "us", string businessId = "1234567890", string partition = "aws")
        {
            var host = "cloudaccounts-" + region + ".xdr.trendmicro.com";
            Providers.Add((account, host));
            Roles[(account, "VisionOneRole")] = new RoleView
            {
                Arn = "arn:" + partition + ":iam::" + account + ":role/VisionOneRole",
                TrustPolicy = TrustPolicy(account, region, businessId, partition),
                AttachedPolicyNames = new List<string> { "VisionOnePolicyPart1", "VisionOnePolicyPart2", "VisionOnePolicyPart3" },
            };
            return this;
        }

        public static string TrustPolicy(string account, string region, string businessId, string partition = "aws",
            string? audience = null, string? subject = null, string action = "\"sts:AssumeRoleWithWebIdentity\", \"sts:SetSourceIdentity\"")
        {
            var host = "cloudaccounts-" + region + ".xdr.trendmicro.com";
            audience ??= "arn:" + partition + ":iam::" + account + ":root";
            subject ??= "urn:visionone:identity:" + region + ":" + businessId + ":account/" + businessId;
            return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:" + partition + ":iam::" + account +
                   ":oidc-provider/" + host + "\"},\"Action\":[" + action + "],\"Condition\":{\"StringEquals\":{\"" + host + ":aud\":\"" + audience +
                   "\",\"" + host + ":sub\":[\"" + subject + "\"]}}}]}";
        }
    }

    internal static class TestConnections
    {
        public const string Key = "test-api-key-5b7e2c1d9f";

        public static V1Connection Fake(string baseUrl = "https://api.xdr.trendmicro.com/", string key = Key) =>
            new V1Connection(V1Regions.Get("us"), new Uri(baseUrl), SensitiveString.FromPlainText(key), "test", "test", "test");
    }
}
