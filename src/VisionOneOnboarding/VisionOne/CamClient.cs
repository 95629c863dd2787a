using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.Values;

namespace VisionOneOnboarding.VisionOne
{
    /// <summary>
    /// The Vision One Cloud Accounts (CAM) API for AWS: template links, connect, read, update, disconnect.
    /// 429 and 5xx (and transport failures) are retried with <see cref="RetryPolicy"/>, honouring Retry-After;
    /// other 4xx never are. Every call is narrated through <see cref="ILogSink.Verbose"/> as method and path —
    /// the Authorization header and the key never reach the log or an exception.
    /// </summary>
    public sealed class CamClient : IDisposable
    {
        public static IReadOnlyList<int> AllowedTop { get; } = new[] { 25, 50, 100, 500, 1000, 5000 };
        public const int DefaultTop = 25;
        public const int MaxFilterLength = 254;

        private static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };

        private readonly HttpClient _http;
        private readonly RetryPolicy _retry;
        private readonly ILogSink _log;
        private readonly string _camPrefix;

        /// <param name="connection">Host and key, from <see cref="ApiKeyResolver"/>.</param>
        /// <param name="apiVersion">Which path family (/v3.0/cam, /beta/cam, /beta/xdr/cam).</param>
        /// <param name="handler">The HTTP stack; tests pass a fake. Not disposed by the client when given.</param>
        /// <param name="retryPolicy">Defaults to 4 attempts for 5xx and transport failures, 1 s base back-off, at most 60 s per wait; 429 is waited out within two minutes per call.</param>
        /// <param name="log">Where each call is narrated (method and path only).</param>
        public CamClient(V1Connection connection, ApiVersion apiVersion = ApiVersion.V3_0, HttpMessageHandler? handler = null,
            RetryPolicy? retryPolicy = null, ILogSink? log = null)
        {
            Connection = connection ?? throw new ArgumentNullException(nameof(connection));
            ApiVersion = apiVersion;
            _camPrefix = ApiVersions.CamPrefix(apiVersion);
            _http = handler == null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
            _http.Timeout = TimeSpan.FromSeconds(100);
            _retry = retryPolicy ?? DefaultRetryPolicy();
            _log = log ?? NullLogSink.Instance;
        }

        /// <summary>4 attempts, 1 s base back-off, at most 60 s per wait (Retry-After wins when the API sends it).</summary>
        public static RetryPolicy DefaultRetryPolicy() => new RetryPolicy(maxAttempts: 4, baseDelay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(60));

        public V1Connection Connection { get; }
        public ApiVersion ApiVersion { get; }

        /// <summary>GET /v3.0/healthcheck/connectivity (the same path for every API version); returns the status ("available").</summary>
        public async Task<string> CheckConnectivityAsync(CancellationToken cancellationToken = default)
        {
            var response = await SendAsync(HttpMethod.Get, ApiUrl("v3.0/healthcheck/connectivity"), null, null, null, false, cancellationToken).ConfigureAwait(false);
            return ParseObject(response)["status"]?.GetValue<string>() ?? "";
        }

        /// <summary>POST .../awsAccounts/generateCfnTemplateLinks. Null <paramref name="awsRegion"/> lets the service pick its default.</summary>
        public async Task<V1TemplateLinks> GenerateCfnTemplateLinksAsync(string? awsRegion, string templateAccountType = "single",
            string? awsAccountName = null, string? awsAccountDescription = null, CancellationToken cancellationToken = default)
        {
            if (templateAccountType != "single" && templateAccountType != "organization")
            {
                throw new VisionOneException(ErrorCatalogue.InvalidTemplateAccountType, "templateAccountType must be 'single' or 'organization', not '" + templateAccountType + "'.");
            }
            var body = new JsonObject();
            if (!string.IsNullOrEmpty(awsRegion)) body["awsRegion"] = awsRegion;
            body["templateAccountType"] = templateAccountType;
            body["features"] = new JsonArray();
            if (awsAccountName != null) body["awsAccountName"] = awsAccountName;
            if (awsAccountDescription != null) body["awsAccountDescription"] = awsAccountDescription;

            var response = await SendAsync(HttpMethod.Post, CamUrl("awsAccounts/generateCfnTemplateLinks"), body, null, null, false, cancellationToken).ConfigureAwait(false);
            var links = Deserialize<V1TemplateLinks>(response);
            if (string.IsNullOrEmpty(links.TemplateUrl))
            {
                throw new VisionOneException(ErrorCatalogue.InvalidResponse, "generateCfnTemplateLinks answered without a templateUrl" + TraceSuffix(response) + ".");
            }
            return links;
        }

        /// <summary>
        /// GETs the template text. The Bearer key is sent only when the URL is on the API host itself: templates are
        /// usually pre-signed storage URLs, which must not see (and would reject) the key.
        /// </summary>
        public async Task<string> DownloadTemplateAsync(string templateUrl, CancellationToken cancellationToken = default)
        {
            var url = RequireDownloadUrl(templateUrl);
            var response = await SendAsync(HttpMethod.Get, url, null, null, null, false, cancellationToken, TemplateLimits.MaxBytes).ConfigureAwait(false);
            return response.Body;
        }

        /// <summary>
        /// GET .../awsAccounts, following nextLink to the end, or until <paramref name="maxResults"/> entries are read
        /// (no further page is asked for). <paramref name="filter"/> is sent as TMV1-Filter on every page;
        /// <paramref name="top"/> is the API's page size.
        /// </summary>
        public async Task<IReadOnlyList<V1AwsAccount>> ListAwsAccountsAsync(string? filter = null, int top = DefaultTop, CancellationToken cancellationToken = default, int? maxResults = null)
        {
            if (!AllowedTop.Contains(top))
            {
                throw new VisionOneException(ErrorCatalogue.InvalidTop, "top must be one of " + string.Join(", ", AllowedTop) + ", not " + top + ".");
            }
            if (filter != null && filter.Length > MaxFilterLength)
            {
                throw new VisionOneException(ErrorCatalogue.FilterTooLong, "The TMV1-Filter expression is " + filter.Length + " characters; the API accepts at most " + MaxFilterLength + ".");
            }

            var accounts = new List<V1AwsAccount>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            Uri? url = CamUrl("awsAccounts?top=" + top.ToString(CultureInfo.InvariantCulture));
            while (url != null)
            {
                if (!seen.Add(url.AbsoluteUri))
                {
                    throw new VisionOneException(ErrorCatalogue.InvalidResponse, "The account list's nextLink repeats a page already read (" + url.PathAndQuery + ").");
                }
                var response = await SendAsync(HttpMethod.Get, url, null, filter, null, false, cancellationToken).ConfigureAwait(false);
                var page = ParseObject(response);
                if (page["items"] is JsonArray items)
                {
                    foreach (var item in items)
                    {
                        if (item != null) accounts.Add(Deserialize<V1AwsAccount>(item, response));
                    }
                }
                if (maxResults != null && accounts.Count >= maxResults.Value)
                {
                    return accounts.GetRange(0, maxResults.Value);
                }
                url = NextPage(page["nextLink"]?.GetValue<string>());
            }
            return accounts;
        }

        /// <summary>GET .../awsAccounts/{id}; null when the account is not connected. The result carries the ETag.</summary>
        public async Task<V1AwsAccount?> GetAwsAccountAsync(string accountId, CancellationToken cancellationToken = default)
        {
            AwsAccountId.Parse(accountId);
            var response = await SendAsync(HttpMethod.Get, CamUrl("awsAccounts/" + accountId), null, null, null, true, cancellationToken).ConfigureAwait(false);
            if (response.Status == 404) return null;
            var account = Deserialize<V1AwsAccount>(response);
            account.ETag = response.ETag;
            return account;
        }

        /// <summary>
        /// POST .../awsAccounts with empty features (core features only, as the manual procedure says) and, when
        /// <paramref name="workloadInstanceId"/> is given, connectedSecurityServices = [{name: workload, instanceIds: [id]}].
        /// Returns the new account id, read from Location (any 2xx is accepted).
        /// </summary>
        public async Task<string> AddAwsAccountAsync(string roleArn, string name, string? description = null,
            string? workloadInstanceId = null, CancellationToken cancellationToken = default)
        {
            var arnAccount = AwsRoleArn.Parse(roleArn).AccountId;
            CloudAccountText.Name(name);
            CloudAccountText.Description(description);

            var body = AddAwsAccountBody(roleArn, name, description, workloadInstanceId);
            var response = await SendAsync(HttpMethod.Post, CamUrl("awsAccounts"), body, null, null, false, cancellationToken).ConfigureAwait(false);
            var fromLocation = LastSegment(response.Location);
            // The id is the AWS account id; when an answer carries no Location, the role ARN says which it is.
            return fromLocation ?? arnAccount;
        }

        /// <summary>The body of the POST that connects an account (also shown by the hand-off plan).</summary>
        public static JsonObject AddAwsAccountBody(string roleArn, string name, string? description, string? workloadInstanceId)
        {
            var body = new JsonObject
            {
                ["roleArn"] = roleArn,
                ["name"] = name,
            };
            if (description != null) body["description"] = description;
            body["features"] = new JsonArray();
            if (!string.IsNullOrEmpty(workloadInstanceId)) body["connectedSecurityServices"] = WorkloadService(workloadInstanceId!);
            return body;
        }

        /// <summary>
        /// PATCH .../awsAccounts/{id} with If-Match: <paramref name="etag"/> (from <see cref="GetAwsAccountAsync"/>). When the
        /// GET gave no ETag (null or empty), the PATCH goes without If-Match, as Trend's own Terraform provider sends it.
        /// </summary>
        public async Task UpdateAwsAccountAsync(string accountId, string? etag, V1AwsAccountPatch patch, CancellationToken cancellationToken = default)
        {
            AwsAccountId.Parse(accountId);
            if (patch == null) throw new ArgumentNullException(nameof(patch));
            var body = new JsonObject();
            if (patch.RoleArn != null) { AwsRoleArn.Parse(patch.RoleArn); body["roleArn"] = patch.RoleArn; }
            if (patch.Name != null) { CloudAccountText.Name(patch.Name); body["name"] = patch.Name; }
            if (patch.Description != null) { CloudAccountText.Description(patch.Description); body["description"] = patch.Description; }
            if (!string.IsNullOrEmpty(patch.WorkloadInstanceId)) body["connectedSecurityServices"] = WorkloadService(patch.WorkloadInstanceId!);

            await SendAsync(new HttpMethod("PATCH"), CamUrl("awsAccounts/" + accountId), body, null, string.IsNullOrEmpty(etag) ? null : etag, false, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>DELETE .../awsAccounts/{id}. False when it was already gone (404).</summary>
        public async Task<bool> DeleteAwsAccountAsync(string accountId, CancellationToken cancellationToken = default)
        {
            AwsAccountId.Parse(accountId);
            var response = await SendAsync(HttpMethod.Delete, CamUrl("awsAccounts/" + accountId), null, null, null, true, cancellationToken).ConfigureAwait(false);
            return response.Status != 404;
        }

        /// <summary>GET .../awsAccounts/features.</summary>
        public async Task<IReadOnlyList<V1Feature>> ListFeaturesAsync(CancellationToken cancellationToken = default)
        {
            var response = await SendAsync(HttpMethod.Get, CamUrl("awsAccounts/features"), null, null, null, false, cancellationToken).ConfigureAwait(false);
            var root = Parse(response);
            var items = root as JsonArray ?? root?["items"] as JsonArray ?? new JsonArray();
            return items.Where(i => i != null).Select(i => Deserialize<V1Feature>(i!, response)).ToList();
        }

        public void Dispose() => _http.Dispose();

        // ---- HTTP ----

        private sealed class CamResponse
        {
            public int Status;
            public string Body = "";
            public string? ETag;
            public string? Location;
            public string? TraceId;
        }

        private Uri ApiUrl(string relative) => new Uri(Connection.ApiBaseUrl, relative);
        private Uri CamUrl(string relative) => ApiUrl(_camPrefix + "/" + relative);

        // maxBodyBytes: when given, the answer is streamed and the call fails as soon as it grows past this size.
        private async Task<CamResponse> SendAsync(HttpMethod method, Uri url, JsonNode? body, string? filter, string? ifMatch,
            bool notFoundIsAnAnswer, CancellationToken cancellationToken, long? maxBodyBytes = null)
        {
            var sendKey = SameOrigin(url, Connection.ApiBaseUrl);
            // What narration and errors show: a pre-signed query is a credential, so it never reaches them.
            var path = UrlRedaction.WithoutCredentials(url.PathAndQuery)!;
            var content = body?.ToJsonString();
            try
            {
                return await _retry.ExecuteAsync(async (attempt, token) =>
                {
                    using (var request = new HttpRequestMessage(method, url))
                    {
                        if (sendKey) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Connection.ApiKey.Reveal());
                        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                        if (filter != null) request.Headers.TryAddWithoutValidation("TMV1-Filter", filter);
                        if (ifMatch != null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
                        if (content != null) request.Content = new StringContent(content, Encoding.UTF8, "application/json");

                        _log.Verbose("Vision One: " + method.Method + " " + path + (filter != null ? " (TMV1-Filter: " + filter + ")" : ""));
                        var completion = maxBodyBytes.HasValue ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead;
                        using (var response = await _http.SendAsync(request, completion, token).ConfigureAwait(false))
                        {
                            var result = new CamResponse
                            {
                                Status = (int)response.StatusCode,
                                Body = await ReadBodyAsync(response, maxBodyBytes, path, token).ConfigureAwait(false),
                                ETag = Header(response, "ETag"),
                                Location = response.Headers.Location?.OriginalString,
                                TraceId = Header(response, "x-trace-id"),
                            };
                            _log.Debug("Vision One: HTTP " + result.Status + " for " + method.Method + " " + path + TraceSuffix(result));
                            if (result.Status < 300 || (notFoundIsAnAnswer && result.Status == 404)) return result;
                            throw ToApiException(method.Method, path, response, result, fromApiHost: sendKey);
                        }
                    }
                },
                Classify,
                notice => _log.Verbose("Vision One: " + method.Method + " " + path + " " + Reason(notice.Failure) + "; " + notice.Describe() + "."),
                cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw ConnectionFailure.Error("Vision One", url, "-ApiBaseUrl (else -V1Region, Set-V1Credential or VISIONONE_REGIONAL_FQDN)", ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new VisionOneException(ErrorCatalogue.Timeout,
                    "Vision One did not answer " + method.Method + " " + path + " within " + _http.Timeout.TotalSeconds + " s.", inner: ex);
            }
        }

        private static async Task<string> ReadBodyAsync(HttpResponseMessage response, long? maxBytes, string path, CancellationToken cancellationToken)
        {
            if (response.Content == null) return "";
            if (!maxBytes.HasValue) return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.Content.Headers.ContentLength > maxBytes) throw TemplateLimits.TooLarge("The template at " + path);
            using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            using (var collected = new System.IO.MemoryStream())
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (collected.Length + read > maxBytes.Value) throw TemplateLimits.TooLarge("The template at " + path);
                    collected.Write(buffer, 0, read);
                }
                return Encoding.UTF8.GetString(collected.GetBuffer(), 0, (int)collected.Length);
            }
        }

        private static RetryDecision Classify(Exception ex)
        {
            if (ex is VisionOneApiException api)
            {
                // 429 is "slow down": waited out within the time budget. A 5xx keeps the small attempt count.
                if (api.StatusCode == 429) return RetryDecision.Throttled(api.RetryAfter);
                return api.IsRetryable ? RetryDecision.Again(api.RetryAfter) : RetryDecision.Stop;
            }
            // Transport failures and HttpClient timeouts (a TaskCanceledException without our token cancelled).
            if (ex is HttpRequestException transport) return ConnectionFailure.IsPermanent(transport) ? RetryDecision.Stop : RetryDecision.Again();
            if (ex is TaskCanceledException) return RetryDecision.Again();
            return RetryDecision.Stop;
        }

        private static string Reason(Exception ex) =>
            ex is VisionOneApiException api ? "answered HTTP " + api.StatusCode + (api.ErrorCode != null ? " " + api.ErrorCode : "") : "failed (" + ex.GetType().Name + ")";

        private VisionOneApiException ToApiException(string method, string path, HttpResponseMessage response, CamResponse result, bool fromApiHost)
        {
            string? code = null, message = null, innerCode = null;
            try
            {
                var error = JsonNode.Parse(result.Body)?["error"];
                code = error?["code"]?.GetValue<string>();
                message = error?["message"]?.GetValue<string>();
                innerCode = error?["innererror"]?["code"]?.GetValue<string>();
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException)
            {
                // Not the documented error body (a proxy, a storage service): show the start of what came back.
            }
            if (message == null && code == null && !fromApiHost)
            {
                // Another host's error page — an S3 pre-signed URL's SignatureDoesNotMatch carries <AWSAccessKeyId> and
                // <StringToSign> — contributes only its <Code>, never its text.
                var xmlCode = System.Text.RegularExpressions.Regex.Match(result.Body, "<Code>([A-Za-z0-9._-]{1,100})</Code>");
                code = xmlCode.Success ? xmlCode.Groups[1].Value : null;
                message = response.ReasonPhrase;
            }
            if (message == null && code == null)
            {
                var text = result.Body.Trim();
                message = text.Length == 0 ? response.ReasonPhrase : (text.Length > 300 ? text.Substring(0, 300) + "…" : text);
            }
            return new VisionOneApiException(method, path, result.Status, code == null ? null : Scrub(code), message == null ? null : Scrub(message),
                innerCode == null ? null : Scrub(innerCode), result.TraceId, RetryAfterOf(response));
        }

        /// <summary>Retry-After as seconds or as an HTTP date.</summary>
        private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header == null) return null;
            if (header.Delta.HasValue) return header.Delta.Value;
            if (header.Date.HasValue)
            {
                var wait = header.Date.Value - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
            return null;
        }

        /// <summary>Defence in depth: a server that echoes the key back must not put it into our messages.</summary>
        private string Scrub(string text)
        {
            var key = Connection.ApiKey.Reveal();
            return key.Length == 0 ? text : text.Replace(key, "***");
        }

        private Uri? NextPage(string? nextLink)
        {
            if (string.IsNullOrEmpty(nextLink)) return null;
            if (!Uri.TryCreate(Connection.ApiBaseUrl, nextLink, out var next) || !SameOrigin(next, Connection.ApiBaseUrl))
            {
                // The key is only ever sent to the API host the user chose.
                throw new VisionOneException(ErrorCatalogue.InvalidResponse, "The account list's nextLink points away from the API host (" + nextLink + ").");
            }
            return next;
        }

        internal static bool SameOrigin(Uri a, Uri b) =>
            string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase)
            && a.Port == b.Port;

        private static string? Header(HttpResponseMessage response, string name)
        {
            if (response.Headers.TryGetValues(name, out var values)) return values.FirstOrDefault();
            if (response.Content != null && response.Content.Headers.TryGetValues(name, out values)) return values.FirstOrDefault();
            return null;
        }

        private static string TraceSuffix(CamResponse response) => response.TraceId == null ? "" : " (x-trace-id: " + response.TraceId + ")";

        // ---- JSON ----

        private static JsonNode? Parse(CamResponse response)
        {
            try
            {
                return JsonNode.Parse(response.Body);
            }
            catch (JsonException ex)
            {
                throw new VisionOneException(ErrorCatalogue.InvalidResponse, "Vision One answered with something that is not JSON" + TraceSuffix(response) + ": " + ex.Message, inner: ex);
            }
        }

        private static JsonObject ParseObject(CamResponse response) =>
            Parse(response) as JsonObject
            ?? throw new VisionOneException(ErrorCatalogue.InvalidResponse, "Vision One answered without the expected JSON object" + TraceSuffix(response) + ".");

        private static T Deserialize<T>(CamResponse response) where T : class => Deserialize<T>(ParseObject(response), response);

        private static T Deserialize<T>(JsonNode node, CamResponse response) where T : class
        {
            try
            {
                return node.Deserialize<T>(JsonOptions)
                    ?? throw new VisionOneException(ErrorCatalogue.InvalidResponse, "Vision One answered null where a " + typeof(T).Name + " was expected" + TraceSuffix(response) + ".");
            }
            catch (JsonException ex)
            {
                throw new VisionOneException(ErrorCatalogue.InvalidResponse, "Vision One's answer could not be read as " + typeof(T).Name + TraceSuffix(response) + ": " + ex.Message, inner: ex);
            }
        }

        private static JsonArray WorkloadService(string instanceId) =>
            new JsonArray(new JsonObject { ["name"] = "workload", ["instanceIds"] = new JsonArray(instanceId) });

        private static string? LastSegment(string? location)
        {
            if (string.IsNullOrEmpty(location)) return null;
            var path = location!.Split('?', '#')[0].TrimEnd('/');
            var segment = path.Substring(path.LastIndexOf('/') + 1);
            return segment.Length == 0 ? null : Uri.UnescapeDataString(segment);
        }

        // ---- validation at the door: a bad value never costs a call ----

        /// <summary>https anywhere (pre-signed queries allowed); http only on loopback, as for the API itself.</summary>
        private static Uri RequireDownloadUrl(string templateUrl)
        {
            if (templateUrl == null || !Uri.TryCreate(templateUrl.Trim(), UriKind.Absolute, out var url)
                || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                throw new VisionOneException(ErrorCatalogue.InvalidTemplateUrl, "'" + UrlRedaction.WithoutCredentials(templateUrl) + "' is not an absolute http(s) URL.");
            }
            if (url.Scheme == Uri.UriSchemeHttp && !ApiKeyResolver.IsLoopback(url))
            {
                throw new VisionOneException(ErrorCatalogue.InsecureEndpoint,
                    "The template URL '" + url.GetLeftPart(UriPartial.Path) + "' uses http; only https (or http to a loopback host) is accepted.");
            }
            return url;
        }
    }
}
