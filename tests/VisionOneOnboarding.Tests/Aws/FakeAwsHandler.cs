using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Tests.Net;

namespace VisionOneOnboarding.Tests.Aws
{
    /// <summary>One request as the fake handler saw it.</summary>
    public sealed class SeenRequest
    {
        public SeenRequest(HttpRequestMessage request, string body)
        {
            Uri = request.RequestUri!;
            Method = request.Method.Method;
            Body = body;
            Headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            foreach (var h in request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                Headers[h.Key] = string.Join(",", h.Value);
            Form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .Select(kv => new KeyValuePair<string, string>(Uri.UnescapeDataString(kv[0]), kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : ""))
                .ToList();
        }

        public Uri Uri { get; }
        public string Method { get; }
        public string Body { get; }
        public Dictionary<string, string> Headers { get; }
        public List<KeyValuePair<string, string>> Form { get; }
        public string Action => this["Action"]!;
        public string? this[string name] => Form.Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();
        public bool Has(string name) => Form.Any(p => p.Key == name);
    }

    /// <summary>An HttpMessageHandler that never touches the network: it records requests and answers from a script.</summary>
    public sealed class FakeAwsHandler : HttpMessageHandler
    {
        private readonly Func<SeenRequest, int, CancellationToken, Task<HttpResponseMessage>> _respond;

        public FakeAwsHandler(Func<SeenRequest, HttpResponseMessage> respond) : this((r, n, ct) => Task.FromResult(respond(r))) { }

        public FakeAwsHandler(Func<SeenRequest, int, CancellationToken, Task<HttpResponseMessage>> respond) { _respond = respond; }

        public List<SeenRequest> Requests { get; } = new List<SeenRequest>();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content == null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var seen = new SeenRequest(request, body);
            lock (Requests) Requests.Add(seen);
            return await _respond(seen, Requests.Count, cancellationToken);
        }

        public const string IamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/";

        public static HttpResponseMessage Ok(string action, string resultXml = "", string ns = IamNamespace) =>
            new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(
                    "<" + action + "Response xmlns=\"" + ns + "\"><" + action + "Result>" + resultXml + "</" + action + "Result>" +
                    "<ResponseMetadata><RequestId>ok-" + action + "</RequestId></ResponseMetadata></" + action + "Response>",
                    Encoding.UTF8, "text/xml"),
            };

        public static HttpResponseMessage Error(int status, string code, string message, string requestId = "req-err-1") =>
            new HttpResponseMessage((HttpStatusCode)status)
            {
                Content = new StringContent(
                    "<ErrorResponse xmlns=\"" + IamNamespace + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" +
                    WebUtility.HtmlEncode(message) + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>",
                    Encoding.UTF8, "text/xml"),
            };
    }

    public sealed class CollectingLogSink : ILogSink
    {
        public List<string> VerboseLines { get; } = new List<string>();
        public List<string> DebugLines { get; } = new List<string>();
        public List<string> WarningLines { get; } = new List<string>();
        public IEnumerable<string> All => VerboseLines.Concat(DebugLines).Concat(WarningLines);
        public void Verbose(string message) { lock (this) VerboseLines.Add(message); }
        public void Debug(string message) { lock (this) DebugLines.Add(message); }
        public void Warning(string message) { lock (this) WarningLines.Add(message); }
    }

    internal static class TestAws
    {
        public const string AccessKey = "AKIDEXAMPLE";
        public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        public static readonly DateTime SignedAt = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        public static AwsCredentialSet Credentials() => new AwsCredentialSet(AccessKey, SecretKey, null, "test keys");

        /// <summary>Retries with no real waiting, recording the waits asked for.</summary>
        public static RetryPolicy NoWaitRetry(List<TimeSpan>? waits = null, int maxAttempts = 5) =>
            new RetryPolicy(maxAttempts, clock: new ManualWaitClock(onPause: d => waits?.Add(d)), seed: 7);

        public static AwsQueryClient IamQuery(FakeAwsHandler handler, ILogSink? log = null, RetryPolicy? retry = null, TimeSpan? attemptTimeout = null) =>
            new AwsQueryClient(AwsQueryService.Iam(new Uri("https://iam.amazonaws.com/"), "us-east-1"), Credentials(),
                log ?? new CollectingLogSink(), retry ?? NoWaitRetry(), AwsQueryClient.CreateHttpClient(handler), attemptTimeout, () => SignedAt);

        public static AwsQueryClient StsQuery(FakeAwsHandler handler, ILogSink? log = null) =>
            new AwsQueryClient(AwsQueryService.Sts(new Uri("https://sts.us-east-1.amazonaws.com/"), "us-east-1"), Credentials(),
                log ?? new CollectingLogSink(), NoWaitRetry(), AwsQueryClient.CreateHttpClient(handler), null, () => SignedAt);
    }
}
