using System;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Values;

namespace VisionOneOnboarding.Aws
{
    /// <summary>
    /// Everything specific to one AWS account — who we are there, its partition and region, and the clients —
    /// in one object, so many accounts can be worked on side by side with no process-wide state.
    /// </summary>
    public sealed class AwsAccountContext
    {
        private readonly IAwsClientFactory _clients;
        private readonly AwsCredentialSet? _credentials;

        public AwsAccountContext(string accountId, string partition, string callerArn, string region, IIamClient iam, IStsClient sts,
            string credentialSource, IAwsClientFactory clients)
            : this(accountId, partition, callerArn, region, iam, sts, credentialSource, clients, null)
        {
        }

        private AwsAccountContext(string accountId, string partition, string callerArn, string region, IIamClient iam, IStsClient sts,
            string credentialSource, IAwsClientFactory clients, AwsCredentialSet? credentials)
        {
            AccountId = accountId; Partition = partition; CallerArn = callerArn; Region = region;
            Iam = iam; Sts = sts; CredentialSource = credentialSource;
            _clients = clients ?? throw new ArgumentNullException(nameof(clients));
            _credentials = credentials;
        }

        public string AccountId { get; }
        /// <summary>aws, aws-cn or aws-us-gov, from the caller's ARN.</summary>
        public string Partition { get; }
        public string CallerArn { get; }
        public string Region { get; }
        public IIamClient Iam { get; }
        public IStsClient Sts { get; }
        /// <summary>Where the credentials came from (never the credentials themselves).</summary>
        public string CredentialSource { get; }

        /// <summary>
        /// Resolves credentials and region, asks STS who we are (account id and partition come from the caller ARN)
        /// and builds the IAM client for that partition's endpoint, or for -EndpointUrl.
        /// </summary>
        /// <exception cref="VisionOneException">Bad endpoint URL, region, or no usable credentials.</exception>
        /// <exception cref="AwsServiceException">STS refused the credentials or could not be reached.</exception>
        public static Task<AwsAccountContext> CreateAsync(AwsClientSettings settings, ILogSink log, CancellationToken cancellationToken)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            log = log ?? NullLogSink.Instance;
            var endpoints = AwsCredentialResolver.EndpointsFor(settings.Credentials, settings.EndpointUrl, settings.Environment);
            var clients = new AwsQueryClientFactory(settings, endpoints, log);
            var region = AwsCredentialResolver.ResolveRegion(settings.Credentials, log, settings.Environment);
            var credentials = AwsCredentialResolver.Resolve(settings.Credentials, log, settings.Environment, region, endpoints);
            return CreateAsync(credentials, region, clients, log, cancellationToken);
        }

        /// <summary>The same, for credentials already in hand and any client factory (tests, other transports).</summary>
        public static async Task<AwsAccountContext> CreateAsync(AwsCredentialSet credentials, string region, IAwsClientFactory clients, ILogSink log, CancellationToken cancellationToken)
        {
            log = log ?? NullLogSink.Instance;
            var sts = clients.CreateSts(credentials, region);
            var identity = await sts.GetCallerIdentityAsync(cancellationToken).ConfigureAwait(false);
            var partition = AwsEndpoints.ForPartitionName(identity.Partition);
            log.Debug("AWS account " + identity.Account + " (partition " + partition.Name + ") as " + identity.Arn + ".");
            return new AwsAccountContext(identity.Account, partition.Name, identity.Arn, region,
                clients.CreateIam(credentials, partition), sts, credentials.Source, clients, credentials);
        }

        /// <summary>An Organizations client acting as this account's caller (the management or a delegated administrator account).</summary>
        public IOrganizationsClient CreateOrganizationsClient()
        {
            if (_credentials == null) throw new InvalidOperationException("This account context was built without credentials; build it with CreateAsync.");
            return _clients.CreateOrganizations(_credentials, AwsEndpoints.ForPartitionName(Partition));
        }

        /// <summary>A context for a member account, acting through <paramref name="roleArn"/> with one-hour credentials.</summary>
        public Task<AwsAccountContext> AssumeRoleAsync(string roleArn, string sessionName, CancellationToken cancellationToken) =>
            AssumeRoleAsync(roleArn, sessionName, null, 3600, cancellationToken);

        public async Task<AwsAccountContext> AssumeRoleAsync(string roleArn, string sessionName, string? externalId, int durationSeconds, CancellationToken cancellationToken)
        {
            AwsRoleArn.Parse(roleArn);
            var assumed = await Sts.AssumeRoleAsync(roleArn, sessionName, durationSeconds, externalId, cancellationToken).ConfigureAwait(false);
            return await CreateAsync(assumed, Region, _clients, NullLogSink.Instance, cancellationToken).ConfigureAwait(false);
        }

        public override string ToString() => AccountId + " (" + Partition + ", " + Region + ")";
    }
}
