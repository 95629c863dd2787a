using System;
using System.Net.Http;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Aws
{
    /// <summary>Everything needed to reach AWS for one account: where the credentials come from and how to talk.</summary>
    public sealed class AwsClientSettings
    {
        public AwsCredentialRequest Credentials { get; set; } = new AwsCredentialRequest();
        /// <summary>-EndpointUrl: replaces the IAM and the STS endpoint alike (http only to loopback).</summary>
        public string? EndpointUrl { get; set; }
        /// <summary>Null: the default policy (5 attempts, jittered exponential back-off).</summary>
        public RetryPolicy? Retry { get; set; }
        /// <summary>Null: a process-wide pooled handler. Tests pass a fake.</summary>
        public HttpMessageHandler? Handler { get; set; }
        /// <summary>Per-attempt timeout; null: 60 s.</summary>
        public TimeSpan? AttemptTimeout { get; set; }
        /// <summary>Reads environment variables for credential and region resolution; null: the process environment.</summary>
        public Func<string, string?>? Environment { get; set; }
    }

    /// <summary>Makes the IAM and STS clients for a set of credentials; lets tests and multi-account runs swap the transport.</summary>
    public interface IAwsClientFactory
    {
        IStsClient CreateSts(AwsCredentialSet credentials, string region);
        IIamClient CreateIam(AwsCredentialSet credentials, AwsPartition partition);
    }

    /// <summary>Query-protocol clients on the partition's endpoints, or on one -EndpointUrl for both services.</summary>
    public sealed class AwsQueryClientFactory : IAwsClientFactory
    {
        private readonly Uri? _endpointOverride;
        private readonly RetryPolicy? _retry;
        private readonly HttpClient? _http;
        private readonly TimeSpan? _attemptTimeout;
        private readonly ILogSink _log;

        /// <exception cref="AwsSetupException">The endpoint URL is malformed or plain http to a non-loopback host.</exception>
        public AwsQueryClientFactory(AwsClientSettings settings, ILogSink log)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            _endpointOverride = string.IsNullOrWhiteSpace(settings.EndpointUrl) ? null : AwsEndpoints.ValidateEndpointUrl(settings.EndpointUrl!);
            _retry = settings.Retry;
            _http = settings.Handler == null ? null : AwsQueryClient.CreateHttpClient(settings.Handler);
            _attemptTimeout = settings.AttemptTimeout;
            _log = log ?? NullLogSink.Instance;
        }

        public Uri? EndpointOverride => _endpointOverride;

        public IStsClient CreateSts(AwsCredentialSet credentials, string region) =>
            new StsQueryClient(NewQueryClient(AwsQueryService.Sts(_endpointOverride ?? AwsEndpoints.StsEndpointForRegion(region), region), credentials));

        public IIamClient CreateIam(AwsCredentialSet credentials, AwsPartition partition) =>
            new EventuallyConsistentIamClient(new IamQueryClient(NewQueryClient(AwsQueryService.Iam(_endpointOverride ?? partition.IamEndpoint, partition.IamSigningRegion), credentials)), _log);

        private AwsQueryClient NewQueryClient(AwsQueryService service, AwsCredentialSet credentials) =>
            new AwsQueryClient(service, credentials, _log, _retry, _http, _attemptTimeout);
    }
}
