using System;
using System.Net.Http;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Aws
{
    /// <summary>Everything needed to reach AWS for one account: where the credentials come from and how to talk.</summary>
    public sealed class AwsClientSettings
    {
        public AwsCredentialRequest Credentials { get; set; } = new AwsCredentialRequest();
        /// <summary>-EndpointUrl: replaces the IAM, STS and Organizations endpoints alike (http only to loopback).</summary>
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

    /// <summary>Makes the IAM, STS and Organizations clients for a set of credentials; lets tests and multi-account runs swap the transport.</summary>
    public interface IAwsClientFactory
    {
        IStsClient CreateSts(AwsCredentialSet credentials, string region);
        IIamClient CreateIam(AwsCredentialSet credentials, AwsPartition partition);
        IOrganizationsClient CreateOrganizations(AwsCredentialSet credentials, AwsPartition partition);
    }

    /// <summary>
    /// Query-protocol clients on the partition's endpoints, or where the standard endpoint settings send IAM and STS
    /// (-EndpointUrl first, then AWS_ENDPOINT_URL_IAM/_STS, AWS_ENDPOINT_URL, the profile's services/endpoint_url).
    /// </summary>
    public sealed class AwsQueryClientFactory : IAwsClientFactory
    {
        private readonly AwsServiceEndpoints _endpoints;
        private readonly RetryPolicy? _retry;
        private readonly HttpClient? _http;
        private readonly TimeSpan? _attemptTimeout;
        private readonly ILogSink _log;

        /// <exception cref="VisionOneException">The endpoint URL is malformed or plain http to a non-loopback host.</exception>
        public AwsQueryClientFactory(AwsClientSettings settings, ILogSink log)
            : this(settings, AwsCredentialResolver.EndpointsFor(settings?.Credentials ?? new AwsCredentialRequest(), settings?.EndpointUrl, settings?.Environment), log)
        {
        }

        public AwsQueryClientFactory(AwsClientSettings settings, AwsServiceEndpoints endpoints, ILogSink log)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            _endpoints = endpoints ?? throw new ArgumentNullException(nameof(endpoints));
            _retry = settings.Retry;
            _http = settings.Handler == null ? null : AwsQueryClient.CreateHttpClient(settings.Handler);
            _attemptTimeout = settings.AttemptTimeout;
            _log = log ?? NullLogSink.Instance;
        }

        /// <summary>The endpoint settings these clients (and the credential providers beside them) follow.</summary>
        public AwsServiceEndpoints Endpoints => _endpoints;

        public IStsClient CreateSts(AwsCredentialSet credentials, string region) =>
            new StsQueryClient(NewQueryClient(AwsQueryService.Sts(Configured(AwsServiceId.Sts) ?? AwsEndpoints.StsEndpointForRegion(region, Fips()), region), credentials));

        public IIamClient CreateIam(AwsCredentialSet credentials, AwsPartition partition) =>
            new EventuallyConsistentIamClient(new IamQueryClient(NewQueryClient(AwsQueryService.Iam(Configured(AwsServiceId.Iam) ?? AwsEndpoints.IamEndpointFor(partition, Fips()), partition.IamSigningRegion), credentials)), _log);

        private Uri? Configured(AwsServiceId service)
        {
            var endpoint = _endpoints.For(service);
            if (endpoint != null) _log.Debug(service + " endpoint " + endpoint.Url + " (from " + endpoint.Source + ").");
            return endpoint?.Url;
        }

        /// <summary>Whether AWS's FIPS hosts are used where no endpoint is configured; said in -Debug.</summary>
        private bool Fips()
        {
            var source = _endpoints.FipsSource;
            if (source != null) _log.Debug("FIPS endpoints (from " + source + ").");
            return source != null;
        }

        /// <summary>Organizations of the partition (us-east-1 for aws), or where the endpoint settings send it (AWS_ENDPOINT_URL_ORGANIZATIONS, AWS_ENDPOINT_URL, -EndpointUrl).</summary>
        public IOrganizationsClient CreateOrganizations(AwsCredentialSet credentials, AwsPartition partition)
        {
            var service = AwsQueryService.Organizations(Configured(AwsServiceId.Organizations) ?? AwsEndpoints.OrganizationsFor(partition, Fips()).Url, partition.OrganizationsRegion);
            return new OrganizationsJsonClient(new AwsSignedSender(service, credentials, _log, _retry, _http, _attemptTimeout));
        }

        private AwsQueryClient NewQueryClient(AwsQueryService service, AwsCredentialSet credentials) =>
            new AwsQueryClient(service, credentials, _log, _retry, _http, _attemptTimeout);
    }
}
