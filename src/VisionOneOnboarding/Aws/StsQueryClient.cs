using System;
using System.Threading;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Aws
{
    /// <summary><see cref="IStsClient"/> over the STS Query protocol (Version 2011-06-15).</summary>
    public sealed class StsQueryClient : IStsClient
    {
        private readonly AwsQueryClient _query;

        public StsQueryClient(AwsQueryClient query) { _query = query ?? throw new ArgumentNullException(nameof(query)); }

        public async Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken)
        {
            var result = await _query.SendAsync(new AwsQueryRequest("GetCallerIdentity"), cancellationToken).ConfigureAwait(false);
            return new CallerIdentity
            {
                Account = AwsXml.TextOrEmpty(result, "Account"),
                Arn = AwsXml.TextOrEmpty(result, "Arn"),
                UserId = AwsXml.TextOrEmpty(result, "UserId"),
            };
        }

        public async Task<AwsCredentialSet> AssumeRoleAsync(string roleArn, string sessionName, int durationSeconds, string? externalId, CancellationToken cancellationToken)
        {
            var request = new AwsQueryRequest("AssumeRole")
                .Add("RoleArn", roleArn)
                .Add("RoleSessionName", sessionName)
                .Add("DurationSeconds", durationSeconds)
                .AddHidden("ExternalId", externalId);
            var result = await _query.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var credentials = AwsXml.Child(result, "Credentials");
            var accessKeyId = AwsXml.Text(credentials, "AccessKeyId");
            var secretAccessKey = AwsXml.Text(credentials, "SecretAccessKey");
            if (string.IsNullOrEmpty(accessKeyId) || string.IsNullOrEmpty(secretAccessKey))
            {
                throw new AwsServiceException(_query.Service.DisplayName, "AssumeRole", "MalformedResponse",
                    "STS AssumeRole for " + roleArn + " answered without credentials.", 200, null);
            }
            return new AwsCredentialSet(accessKeyId!, secretAccessKey!, AwsXml.Text(credentials, "SessionToken"),
                "role " + roleArn + " assumed as session '" + sessionName + "'")
            {
                Expiration = AwsXml.Date(credentials, "Expiration"),
            };
        }
    }
}
