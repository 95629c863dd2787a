using System;
using System.Net.Http;
using System.Threading.Tasks;
using VisionOneOnboarding.Emulator;
using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Tests.Emulator
{
    /// <summary>One in-process emulator per test class (port 0); tests reset it rather than start another.</summary>
    public sealed class EmulatorFixture : IAsyncLifetime
    {
        public EmulatorHost Host { get; private set; } = null!;
        public HttpClient Http { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Host = await EmulatorHost.StartAsync(new EmulatorOptions { Port = 0 });
            Http = new HttpClient { BaseAddress = Host.BaseUrl };
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Host.DisposeAsync();
        }

        /// <summary>Seeded state, no faults, empty log, real time.</summary>
        public void Reset()
        {
            Host.State.Reset();
            Host.State.Iam.Clock = TimeProvider.System;
        }

        public QueryClient SeedClient() => new QueryClient(Http, IamStore.SeedAccessKeyId, IamStore.SeedSecretAccessKey);
    }

    /// <summary>A clock tests move by hand, so time-dependent behaviour needs no sleeping.</summary>
    public sealed class ManualClock : TimeProvider
    {
        public ManualClock(DateTimeOffset start) { Now = start; }
        public DateTimeOffset Now { get; set; }
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
