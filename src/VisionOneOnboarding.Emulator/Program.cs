using System;
using System.Threading.Tasks;
using VisionOneOnboarding.Emulator;

// The local IAM + STS + Vision One emulator. Binds 127.0.0.1 only; --port 0 picks a free port.
// The first line on stdout is always "Emulator listening on <url>" so scripts can read the URL.
var options = EmulatorOptions.FromArgs(args);
await using var host = await EmulatorHost.StartAsync(options);
Console.WriteLine("Emulator listening on " + host.BaseUrl);
Console.Out.Flush();
await host.WaitForShutdownAsync();
