using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using System.Xml.Linq;
using Amazon.Runtime.Internal.Auth;

namespace VisionOneOnboarding.Tests.Emulator
{
    /// <summary>
    /// A minimal signed AWS Query client for in-process emulator tests: builds the SigV4 canonical request by hand
    /// (POST /, form body; content-type, host and x-amz-date signed) and lets AWSSDK.Core compute the signature.
    /// </summary>
    public sealed class QueryClient
    {
        public const string IamVersion = "2010-05-08";
        public const string StsVersion = "2011-06-15";
        private const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";

        private readonly HttpClient _http;
        private readonly string _accessKeyId;
        private readonly string _secretKey;
        private readonly string? _sessionToken;

        public QueryClient(HttpClient http, string accessKeyId, string secretKey, string? sessionToken = null)
        {
            _http = http; _accessKeyId = accessKeyId; _secretKey = secretKey; _sessionToken = sessionToken;
        }

        /// <summary>The signing time; tests using a manual emulator clock sign with the same time.</summary>
        public Func<DateTime> Now { get; set; } = () => DateTime.UtcNow;

        public Task<QueryResult> IamAsync(string action, params (string Name, string Value)[] parameters) =>
            SendAsync("iam", IamVersion, action, parameters);

        public Task<QueryResult> StsAsync(string action, params (string Name, string Value)[] parameters) =>
            SendAsync("sts", StsVersion, action, parameters);

        /// <param name="signingService">The service named in the credential scope.</param>
        /// <param name="tamper">Changes the request after it was signed.</param>
        public async Task<QueryResult> SendAsync(string signingService, string version, string action,
            IEnumerable<(string Name, string Value)> parameters, Action<HttpRequestMessage>? tamper = null)
        {
            var body = string.Join("&", new[] { ("Action", action), ("Version", version) }.Concat(parameters)
                .Select(p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2)));
            var request = new HttpRequestMessage(HttpMethod.Post, "/")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            Sign(request, "/", "", Encoding.UTF8.GetBytes(body), signingService);
            tamper?.Invoke(request);
            return await QueryResult.FromAsync(await _http.SendAsync(request));
        }

        /// <summary>An unsigned STS call (AssumeRoleWithWebIdentity carries its own proof).</summary>
        public async Task<QueryResult> SendUnsignedAsync(string action, params (string Name, string Value)[] parameters)
        {
            var body = string.Join("&", new[] { ("Action", action), ("Version", StsVersion) }.Concat(parameters)
                .Select(p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2)));
            var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
            return await QueryResult.FromAsync(await _http.SendAsync(request));
        }

        /// <summary>A signed GET with the parameters in the query string.</summary>
        public async Task<QueryResult> GetAsync(string signingService, string version, string action)
        {
            var query = "Action=" + action + "&Version=" + version;
            var request = new HttpRequestMessage(HttpMethod.Get, "/?" + query);
            Sign(request, "/", query, Array.Empty<byte>(), signingService);
            return await QueryResult.FromAsync(await _http.SendAsync(request));
        }

        private void Sign(HttpRequestMessage request, string path, string canonicalQuery, byte[] body, string service)
        {
            var signedAt = Now();
            var amzDate = signedAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var host = _http.BaseAddress!.Authority;
            var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = host, ["x-amz-date"] = amzDate };
            if (request.Content != null) headers["content-type"] = FormContentType;
            if (_sessionToken != null) headers["x-amz-security-token"] = _sessionToken;
            var signedHeaders = string.Join(";", headers.Keys);
            var canonicalRequest = request.Method.Method + "\n" + path + "\n" + canonicalQuery + "\n"
                + string.Concat(headers.Select(h => h.Key + ":" + h.Value + "\n")) + "\n"
                + signedHeaders + "\n" + Convert.ToHexStringLower(SHA256.HashData(body));
            var signature = AWS4Signer.ComputeSignature(_accessKeyId, _secretKey, "us-east-1", signedAt, service, signedHeaders, canonicalRequest).Signature;
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            if (_sessionToken != null) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", _sessionToken);
            request.Headers.TryAddWithoutValidation("Authorization",
                "AWS4-HMAC-SHA256 Credential=" + _accessKeyId + "/" + amzDate.Substring(0, 8) + "/us-east-1/" + service + "/aws4_request, "
                + "SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        }
    }

    /// <summary>The status and XML of one emulator answer, with the AWS error fields when it failed.</summary>
    public sealed class QueryResult
    {
        private QueryResult(int status, XDocument xml, string raw) { Status = status; Xml = xml; Raw = raw; }

        public int Status { get; }
        public XDocument Xml { get; }
        public string Raw { get; }
        public string? ErrorCode => Value("Code");
        public string? ErrorMessage => Value("Message");

        public static async Task<QueryResult> FromAsync(HttpResponseMessage response)
        {
            var raw = await response.Content.ReadAsStringAsync();
            return new QueryResult((int)response.StatusCode, XDocument.Parse(raw), raw);
        }

        /// <summary>The text of the first element with this local name.</summary>
        public string? Value(string localName) => Xml.Descendants().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;

        public IReadOnlyList<string> Values(string localName) =>
            Xml.Descendants().Where(e => e.Name.LocalName == localName).Select(e => e.Value).ToList();

        /// <summary>The text of every member of the list element with this local name.</summary>
        public IReadOnlyList<string> Members(string listName) =>
            Xml.Descendants().First(e => e.Name.LocalName == listName).Elements().Select(e => e.Value).ToList();

        public QueryResult AssertOk()
        {
            Assert.True(Status == 200, "Expected success, got " + Status + ": " + Raw);
            return this;
        }

        public QueryResult AssertError(int status, string code)
        {
            Assert.True(Status == status && ErrorCode == code, "Expected " + status + " " + code + ", got " + Status + ": " + Raw);
            return this;
        }

        public override string ToString() => Status + " " + Raw;
    }
}
