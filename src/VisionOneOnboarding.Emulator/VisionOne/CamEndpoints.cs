using Microsoft.AspNetCore.Builder;

namespace VisionOneOnboarding.Emulator
{
    // SKELETON: replaced by the Vision One emulator work.
    public static class CamEndpoints
    {
        public static void Map(WebApplication app, EmulatorState state) { }
    }
}
