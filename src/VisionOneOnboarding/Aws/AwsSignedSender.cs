using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Aws
{
    /// <summary>One AWS call as it goes on the wire: the protocol (Query form, JSON 1.1) has already written the body.</summary>
    public sealed class AwsWireCall
    {
        public AwsWireCall(string action, byte[] body, string contentType, string narration, Func<AwsWireAnswer, AwsServiceException> readError)
        {
            Action = action; Body = body; ContentType = contentType; Narration = narration; ReadError = readError;
        }
        public string Action { get; }
        public byte[] Body { get; }
        public string ContentType { get; }
        /// <summary>What -Verbose shows: the action and its non-secret parameters.</summary>
        public string Narration { get; }
        /// <summary>Extra headers (X-Amz-Target of the JSON protocol); signed with the rest.</summary>
        public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Turns a non-2xx answer into the service's error, the protocol's way.</summary>
        public Func<AwsWireAnswer, AwsServiceException> ReadError { get; }
    }

    /// <summary>What came back: status, body text, and the request id header.</summary>
    public sealed class AwsWireAnswer
    {
        public AwsWireAnswer(int status, string body, string? reasonPhrase, string? requestId, IReadOnlyDictionary<string, string> headers)
        {
            Status = status; Body = body; ReasonPhrase = reasonPhrase; RequestId = requestId; Headers = headers;
        }
        public int Status { get; }
        public string Body { get; }
        public string? ReasonPhrase { get; }
        public string? RequestId { get; }
        public IReadOnlyDictionary<string, string> Headers { get; }
    }

    /// <summary>
    /// Signs (SigV4, through AWSSDK.Core), sends and retries AWS calls of any protocol: transient failures with
    /// jittered back-off, throttling waited out within the policy's time budget and paced by its shared <see cref="AdaptiveThrottle"/> when it has one.
    /// The Query client (IAM, STS) and the JSON 1.1 client (Organizations) both send through it.
    /// </summary>
    public sealed class AwsSignedSender
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
        public AwsSignedSender(AwsQueryService service, AwsCredentialSet credentials, ILogSink log, RetryPolicy? retry = null,
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
        /// (each attempt gets an attempt timeout instead, so a timeout can be told apart from Ctrl+C).
        /// </summary>
        public static HttpClient CreateHttpClient(HttpMessageHandler handler) =>
            new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

        /// <summary>Throttling, 500/502/503/504, connection failures and attempt timeouts; never validation or limit errors.</summary>
        public static bool IsRetryable(AwsServiceException ex) =>
            IsThrottling(ex) || RetryableStatuses.Contains(ex.StatusCode) ||
            ex.ErrorCode == ConnectionFailureCode || ex.ErrorCode == RequestTimeoutCode;

        /// <summary>The service asked to slow down (waited out within the time budget, not counted out).</summary>
        public static bool IsThrottling(AwsServiceException ex) => ThrottlingCodes.Contains(ex.ErrorCode) || ex.StatusCode == 429;

        /// <summary>Sends <paramref name="call"/> until it succeeds or fails for good; <paramref name="read"/> parses a 2xx answer.</summary>
        public async Task<T> SendAsync<T>(AwsWireCall call, Func<AwsWireAnswer, T> read, CancellationToken cancellationToken)
        {
            _log.Verbose(Service.DisplayName + " " + call.Narration);
            try
            {
                return await _retry.ExecuteAsync(
                    async (attempt, ct) => read(await SendOnceAsync(call, ct).ConfigureAwait(false)),
                    Classify,
                    notice => NarrateRetry(call.Action, notice),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (AwsServiceException ex) when (ex.ErrorCode == ConnectionFailureCode && ex.InnerException is HttpRequestException transport)
            {
                // The attempts are spent: no server answered, which every further call would meet too.
                throw ConnectionFailure.Error(Service.DisplayName, Service.Endpoint, EndpointSetting, transport);
            }
        }

        /// <summary>The settings that choose where the module's AWS calls go, named in a connection failure's advice.</summary>
        private const string EndpointSetting = "-EndpointUrl (else AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL or the profile's endpoint_url)";

        /// <summary>
        /// Throttling is the service working as designed (a run over hundreds of accounts meets it hundreds of times):
        /// narrated under -Verbose and waited out within the call's time budget. Anything else retried is a warning.
        /// </summary>
        private void NarrateRetry(string action, RetryNotice notice)
        {
            var failure = (AwsServiceException)notice.Failure;
            var text = string.Format(CultureInfo.InvariantCulture, "{0} {1} failed ({2}: {3}); {4}.",
                Service.DisplayName, action, failure.ErrorCode, failure.ServiceMessage, notice.Describe());
            if (notice.Throttled) _log.Verbose(text);
            else _log.Warning(text);
        }

        private static RetryDecision Classify(Exception ex)
        {
            if (!(ex is AwsServiceException service)) return RetryDecision.Stop;
            if (IsThrottling(service)) return RetryDecision.Throttled();
            return IsRetryable(service) ? RetryDecision.Again() : RetryDecision.Stop;
        }

        private async Task<AwsWireAnswer> SendOnceAsync(AwsWireCall call, CancellationToken cancellationToken)
        {
            using (var message = new HttpRequestMessage(HttpMethod.Post, Service.Endpoint))
            using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                message.Content = new ByteArrayContent(call.Body);
                message.Content.Headers.TryAddWithoutValidation("Content-Type", call.ContentType);
                foreach (var header in call.Headers) message.Headers.TryAddWithoutValidation(header.Key, header.Value);
                // Temporary credentials are refreshed before they run out, so a long run signs with the current ones.
                var credentials = await _credentials.CurrentAsync().ConfigureAwait(false);
                AwsSigV4Signer.Sign(message, call.Body, credentials, Service.SigningRegion, Service.SigningName, _clock());
                attemptCts.CancelAfter(AttemptTimeout);

                HttpResponseMessage response;
                try
                {
                    response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, attemptCts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new AwsServiceException(Service.DisplayName, call.Action, RequestTimeoutCode,
                        Service.DisplayName + " " + call.Action + " got no answer from " + Service.Endpoint + " within " + AttemptTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s.",
                        0, null, ex);
                }
                catch (HttpRequestException ex) when (ConnectionFailure.IsPermanent(ex))
                {
                    throw ConnectionFailure.Error(Service.DisplayName, Service.Endpoint, EndpointSetting, ex);
                }
                catch (HttpRequestException ex)
                {
                    throw new AwsServiceException(Service.DisplayName, call.Action, ConnectionFailureCode,
                        "Could not reach " + Service.DisplayName + " at " + Service.Endpoint + ": " + ex.Message + " Check the network, proxy settings or -EndpointUrl.",
                        0, null, ex);
                }

                using (response)
                {
                    var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    var headers = response.Headers.Concat(response.Content.Headers)
                        .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
                        .ToDictionary(g => g.Key, g => string.Join(",", g.First().Value), StringComparer.OrdinalIgnoreCase);
                    headers.TryGetValue("x-amzn-RequestId", out var requestId);
                    var answer = new AwsWireAnswer((int)response.StatusCode, text, response.ReasonPhrase, requestId, headers);
                    if (!response.IsSuccessStatusCode) throw call.ReadError(answer);
                    return answer;
                }
            }
        }
    }
}
