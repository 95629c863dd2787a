using Microsoft.AspNetCore.Builder;

namespace VisionOneOnboarding.Emulator
{
    // SKELETON: replaced by the IAM/STS emulator work.
    public static class AwsQueryEndpoint
    {
        public static void Map(WebApplication app, EmulatorState state) { }
    }
}
