using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Emulator;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Tests.Onboarding
{
    /// <summary>Our real clients, pointed at an in-process emulator's seeded account and key.</summary>
    internal static class EmulatorClients
    {
        public const string AccessKey = "EMULATORAKID00000001";
        public const string SecretKey = "emulatorSecretKey0000000000000000000000001";
        public const string ApiKey = "emulator-visionone-api-key";

        public static async Task<AccountScope> AccountAsync(EmulatorHost host)
        {
            var context = await AwsAccountContext.CreateAsync(new AwsClientSettings
            {
                Credentials = new AwsCredentialRequest { AccessKey = AccessKey, SecretKey = SecretKey },
                EndpointUrl = host.BaseUrl.ToString(),
                Retry = RetryPolicy.None,
            }, NullLogSink.Instance, CancellationToken.None);
            return new AccountScope(context.AccountId, context.Partition, context.Iam, context.Region);
        }

        /// <summary>The seeded account, its IAM client wrapped as the module wraps it but with these waits.</summary>
        public static async Task<AccountScope> AccountAsync(EmulatorHost host, ILogSink log, WaitClock clock, WaitBudget invalidPrincipal)
        {
            var scope = await AccountAsync(host);
            return new AccountScope(scope.AccountId, scope.Partition, new EventuallyConsistentIamClient(RawIam(host), log, clock: clock, invalidPrincipal: invalidPrincipal), scope.Region);
        }

        /// <summary>Our Query client alone, without the waits AwsAccountContext puts around it.</summary>
        public static IIamClient RawIam(EmulatorHost host) =>
            new IamQueryClient(new AwsQueryClient(AwsQueryService.Iam(host.BaseUrl, "us-east-1"), new AwsCredentialSet(AccessKey, SecretKey, null, "emulator keys"),
                NullLogSink.Instance, RetryPolicy.None, AwsQueryClient.CreateHttpClient(new System.Net.Http.HttpClientHandler()), null, () => System.DateTime.UtcNow));

        public static CamClient VisionOne(EmulatorHost host) =>
            new CamClient(new ApiKeyResolver(_ => null, () => null).Resolve(SensitiveString.FromPlainText(ApiKey), "us", host.BaseUrl.ToString()));
    }
}
