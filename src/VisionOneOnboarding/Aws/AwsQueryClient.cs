using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Aws
{
    /// <summary>Which service a <see cref="AwsQueryClient"/> talks to and how it signs.</summary>
    public sealed class AwsQueryService
    {
        public AwsQueryService(string displayName, string signingName, string apiVersion, Uri endpoint, string signingRegion)
        {
            DisplayName = displayName; SigningName = signingName; ApiVersion = apiVersion; Endpoint = endpoint; SigningRegion = signingRegion;
        }
        /// <summary>"IAM" or "STS", as narrated and as put in <see cref="AwsServiceException.Service"/>.</summary>
        public string DisplayName { get; }
        /// <summary>The SigV4 service name: iam, sts.</summary>
        public string SigningName { get; }
        public string ApiVersion { get; }
        public Uri Endpoint { get; }
        public string SigningRegion { get; }

        public static AwsQueryService Iam(Uri endpoint, string signingRegion) => new AwsQueryService("IAM", "iam", "2010-05-08", endpoint, signingRegion);
        public static AwsQueryService Sts(Uri endpoint, string signingRegion) => new AwsQueryService("STS", "sts", "2011-06-15", endpoint, signingRegion);
    }

    /// <summary>
    /// One signed AWS Query-protocol call at a time: form-encodes, signs (SigV4), sends, retries transient failures
    /// with jittered back-off, and turns the XML answer into a result element or an <see cref="AwsServiceException"/>.
    /// </summary>
    public sealed class AwsQueryClient
    {
        /// <summary>Codes that mean "slow down" rather than "you are wrong".</summary>
        private static readonly HashSet<string> ThrottlingCodes = new HashSet<string>(StringComparer.Ordinal)
        {
            "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
            "TooManyRequestsException", "RequestLimitExceeded", "SlowDown",
        };
        private static readonly HashSet<int> RetryableStatuses = new HashSet<int> { 500, 502, 503, 504 };
        internal const string ConnectionFailureCode = "ConnectionFailure";
        internal const string RequestTimeoutCode = "RequestTimeout";
        private const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";

        private static readonly Lazy<HttpClient> SharedHttpClient = new Lazy<HttpClient>(() => CreateHttpClient(new HttpClientHandler()));

        private readonly HttpClient _http;
        private readonly AwsCredentialSet _credentials;
        private readonly ILogSink _log;
        private readonly RetryPolicy _retry;
        private readonly Func<DateTime> _clock;

        /// <summary>
        /// <c>httpClient</c>: a shared, connection-pooling client (<see cref="CreateHttpClient"/> makes one for a handler); null uses the process-wide default.
        /// <c>attemptTimeout</c>: how long one attempt may take before it counts as a retryable connection failure (default 60 s).
        /// <c>clock</c>: UTC now, for signing; tests pin it.
        /// </summary>
        public AwsQueryClient(AwsQueryService service, AwsCredentialSet credentials, ILogSink log, RetryPolicy? retry = null,
            HttpClient? httpClient = null, TimeSpan? attemptTimeout = null, Func<DateTime>? clock = null)
        {
            Service = service ?? throw new ArgumentNullException(nameof(service));
            _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
            _log = log ?? NullLogSink.Instance;
            _retry = retry ?? new RetryPolicy();
            _http = httpClient ?? SharedHttpClient.Value;
            AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(60);
            _clock = clock ?? (() => DateTime.UtcNow);
        }

        public AwsQueryService Service { get; }
        public TimeSpan AttemptTimeout { get; }

        /// <summary>
        /// An HttpClient over <paramref name="handler"/> that leaves the handler open and has no overall timeout
        /// (each attempt gets <see cref="AttemptTimeout"/> instead, so a timeout can be told apart from Ctrl+C).
        /// </summary>
        public static HttpClient CreateHttpClient(HttpMessageHandler handler) =>
            new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

        /// <summary>Sends the call and returns its &lt;ActionResult&gt; element (an empty one for actions that answer nothing).</summary>
        public Task<XElement> SendAsync(AwsQueryRequest request, CancellationToken cancellationToken)
        {
            _log.Verbose(Service.DisplayName + " " + request.Narrate());
            var body = Encoding.UTF8.GetBytes(request.ToFormBody(Service.ApiVersion));
            return _retry.ExecuteAsync(
                (attempt, ct) => SendOnceAsync(request.Action, body, ct),
                Classify,
                notice => Narrate(request.Action, notice),
                cancellationToken);
        }

        private static RetryDecision Classify(Exception ex)
        {
            if (!(ex is AwsServiceException service) || !IsRetryable(service)) return RetryDecision.Stop;
            return IsThrottling(service) ? RetryDecision.Throttled() : RetryDecision.Again();
        }

        // Throttling is the service working as designed: narrated under -Verbose. Anything else retried is a warning.
        private void Narrate(string action, RetryNotice notice)
        {
            var failure = (AwsServiceException)notice.Failure;
            var line = string.Format(CultureInfo.InvariantCulture, "{0} {1} failed ({2}: {3}); {4}.",
                Service.DisplayName, action, failure.ErrorCode, failure.Message, notice.Describe());
            if (notice.Throttled) _log.Verbose(line);
            else _log.Warning(line);
        }

        /// <summary>The service asked to slow down (waited out within the time budget, not counted out).</summary>
        public static bool IsThrottling(AwsServiceException ex) => ThrottlingCodes.Contains(ex.ErrorCode) || ex.StatusCode == 429;

        /// <summary>Throttling, 500/502/503/504, connection failures and attempt timeouts; never validation or limit errors.</summary>
        public static bool IsRetryable(AwsServiceException ex) =>
            ThrottlingCodes.Contains(ex.ErrorCode) || RetryableStatuses.Contains(ex.StatusCode) ||
            ex.ErrorCode == ConnectionFailureCode || ex.ErrorCode == RequestTimeoutCode;

        private async Task<XElement> SendOnceAsync(string action, byte[] body, CancellationToken cancellationToken)
        {
            using (var message = new HttpRequestMessage(HttpMethod.Post, Service.Endpoint))
            using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                message.Content = new ByteArrayContent(body);
                message.Content.Headers.TryAddWithoutValidation("Content-Type", FormContentType);
                AwsSigV4Signer.Sign(message, body, _credentials, Service.SigningRegion, Service.SigningName, _clock());
                attemptCts.CancelAfter(AttemptTimeout);

                HttpResponseMessage response;
                try
                {
                    response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, attemptCts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new AwsServiceException(Service.DisplayName, action, RequestTimeoutCode,
                        Service.DisplayName + " " + action + " got no answer from " + Service.Endpoint + " within " + AttemptTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s.",
                        0, null, ex);
                }
                catch (HttpRequestException ex)
                {
                    throw new AwsServiceException(Service.DisplayName, action, ConnectionFailureCode,
                        "Could not reach " + Service.DisplayName + " at " + Service.Endpoint + ": " + ex.Message + " Check the network, proxy settings or -EndpointUrl.",
                        0, null, ex);
                }

                using (response)
                {
                    var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    var status = (int)response.StatusCode;
                    if (!response.IsSuccessStatusCode) throw ParseError(action, status, text, response);
                    try
                    {
                        var root = XElement.Parse(text);
                        return AwsXml.Child(root, action + "Result") ?? new XElement(action + "Result");
                    }
                    catch (XmlException ex)
                    {
                        throw new AwsServiceException(Service.DisplayName, action, "MalformedResponse",
                            Service.DisplayName + " " + action + " answered HTTP " + status + " with a body that is not XML.", status, HeaderRequestId(response), ex);
                    }
                }
            }
        }

        private AwsServiceException ParseError(string action, int status, string body, HttpResponseMessage response)
        {
            XElement? root = null;
            try { root = XElement.Parse(body); } catch (XmlException) { }

            var error = root?.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == "Error");
            var code = AwsXml.Text(error, "Code");
            var message = AwsXml.Text(error, "Message");
            var requestId = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value ?? HeaderRequestId(response);

            if (string.IsNullOrEmpty(code))
            {
                // Not an AWS error document (a proxy or load balancer answered): name the HTTP status instead.
                code = ((HttpStatusCode)status).ToString();
                message = Service.DisplayName + " " + action + " failed with HTTP " + status + " " + response.ReasonPhrase + ".";
            }
            return new AwsServiceException(Service.DisplayName, action, code!,
                string.IsNullOrEmpty(message) ? code! : message!, status, requestId);
        }

        private static string? HeaderRequestId(HttpResponseMessage response) =>
            response.Headers.TryGetValues("x-amzn-RequestId", out var values) ? values.FirstOrDefault() : null;
    }
}
