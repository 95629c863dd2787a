using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VisionOneOnboarding.Emulator
{
    /// <summary>
    /// Hosts the emulator in-process (xunit) or as the console program (demo, Pester, benchmarks).
    /// Bound to the loopback address only.
    /// </summary>
    public sealed class EmulatorHost : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private EmulatorHost(WebApplication app, EmulatorState state, Uri baseUrl)
        {
            _app = app; State = state; BaseUrl = baseUrl;
        }

        public Uri BaseUrl { get; }
        public EmulatorState State { get; }

        public static async Task<EmulatorHost> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
        {
            options ??= new EmulatorOptions();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
            var state = new EmulatorState();
            builder.Services.AddSingleton(state);
            var app = builder.Build();

            ControlEndpoints.Map(app, state);
            AwsQueryEndpoint.Map(app, state);
            SsoPortalEndpoint.Map(app, state);
            CamEndpoints.Map(app, state);

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var uri = new Uri(address.Replace("[::]", "127.0.0.1").TrimEnd('/') + "/");
            state.BaseUrl = uri;
            return new EmulatorHost(app, state, uri);
        }

        public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
