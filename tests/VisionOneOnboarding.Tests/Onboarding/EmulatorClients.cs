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

        public static CamClient VisionOne(EmulatorHost host) =>
            new CamClient(new ApiKeyResolver(_ => null, () => null).Resolve(SensitiveString.FromPlainText(ApiKey), "us", host.BaseUrl.ToString()));
    }
}
