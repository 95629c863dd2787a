using System;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Aws
{
    /// <summary>What an assume-role profile asks for (role_arn and the settings around it).</summary>
    internal sealed class AssumeRoleSettings
    {
        public string RoleArn { get; set; } = "";
        public string SessionName { get; set; } = "";
        public string? ExternalId { get; set; }
        public string? MfaSerial { get; set; }
        public int? DurationSeconds { get; set; }
        /// <summary>The profile that asked, for messages.</summary>
        public string ProfileName { get; set; } = "";
    }

    /// <summary>
    /// Refreshing credentials from STS AssumeRole, as AWSSDK.Core's AssumeRoleAWSCredentials, with what that class
    /// leaves out for profiles: duration_seconds, an MFA code asked for only when a prompt is possible, and the STS
    /// client built here (AWSSDK.SecurityToken from this module's bin/) on the standard endpoint settings.
    /// </summary>
    internal sealed class AssumeRoleCredentials : RefreshingAWSCredentials
    {
        private readonly AWSCredentials _source;
        private readonly AssumeRoleSettings _settings;
        private readonly string _region;
        private readonly AwsServiceEndpoints _endpoints;
        private readonly Func<string, string?>? _mfaPrompt;

        /// <remarks>mfaPrompt: Asks the user for the code of the named MFA device; null where nobody can answer.</remarks>
        public AssumeRoleCredentials(AWSCredentials source, AssumeRoleSettings settings, string region, AwsServiceEndpoints endpoints, Func<string, string?>? mfaPrompt)
        {
            _source = source; _settings = settings; _region = region; _endpoints = endpoints; _mfaPrompt = mfaPrompt;
            // As the SDK does: refresh a short session 5 minutes before it ends, a longer one 15 minutes before.
            PreemptExpiryTime = settings.DurationSeconds is int d && d <= 1200 ? TimeSpan.FromMinutes(5) : TimeSpan.FromMinutes(15);
        }

        public AWSCredentials Source => _source;

        protected override CredentialsRefreshState GenerateNewCredentials() =>
            GenerateNewCredentialsAsync().ConfigureAwait(false).GetAwaiter().GetResult();

        protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
        {
            var request = new AssumeRoleRequest
            {
                RoleArn = _settings.RoleArn,
                RoleSessionName = _settings.SessionName,
                ExternalId = _settings.ExternalId,
                DurationSeconds = _settings.DurationSeconds,
            };
            if (!string.IsNullOrEmpty(_settings.MfaSerial))
            {
                var code = _mfaPrompt?.Invoke(_settings.MfaSerial!);
                if (string.IsNullOrWhiteSpace(code))
                {
                    throw new VisionOneException(ErrorCatalogue.AwsMfaCodeRequired,
                        "The AWS profile '" + _settings.ProfileName + "' assumes " + _settings.RoleArn + " with the MFA device " + _settings.MfaSerial +
                        ", and no code could be asked for (this session is not interactive). Run the command in an interactive session, " +
                        "or use credentials that need no MFA code (for example temporary keys from 'aws sts get-session-token').",
                        _settings.ProfileName);
                }
                request.SerialNumber = _settings.MfaSerial;
                request.TokenCode = code!.Trim();
            }

            var config = SdkServiceClients.Configure(new AmazonSecurityTokenServiceConfig(), AwsServiceId.Sts, RegionEndpoint.GetBySystemName(_region), _endpoints);
            using var sts = new AmazonSecurityTokenServiceClient(_source, config);
            var response = await sts.AssumeRoleAsync(request).ConfigureAwait(false);
            var issued = response.Credentials;
            var expiration = issued.Expiration ?? DateTime.UtcNow.AddHours(1);
            return new CredentialsRefreshState(new ImmutableCredentials(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken), expiration.ToUniversalTime());
        }
    }
}
