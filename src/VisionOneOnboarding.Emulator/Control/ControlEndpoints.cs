using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace VisionOneOnboarding.Emulator
{
    // SKELETON: replaced by the IAM/STS emulator work.
    public static class ControlEndpoints
    {
        public static void Map(WebApplication app, EmulatorState state)
        {
            app.MapPost("/_emulator/reset", () => { state.Reset(); return Results.NoContent(); });
            app.MapGet("/_emulator/calls", () => Results.Json(state.Calls.Snapshot()));
        }
    }
}
