using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Tests.Emulator
{
    /// <summary>
    /// Runs the AWS CLI on PATH against the emulator with only the given credentials: empty config and credential
    /// files, no instance metadata, one attempt per call (so injected errors are seen, not retried).
    /// </summary>
    public sealed class AwsCli : IDisposable
    {
        private readonly Uri _endpoint;
        private readonly string _configFile = Path.GetTempFileName();
        private readonly string _credentialsFile = Path.GetTempFileName();

        public AwsCli(Uri endpoint) { _endpoint = endpoint; }

        /// <summary>Independent calls side by side: the CLI spends most of its second starting up.</summary>
        public async Task<CliResult[]> RunAllAsync(CliCredentials credentials, params string[][] commands) =>
            await Task.WhenAll(commands.Select(c => RunAsync(credentials, c)));

        public async Task<CliResult> RunAsync(CliCredentials credentials, params string[] arguments)
        {
            var start = new ProcessStartInfo("aws")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            start.ArgumentList.Add("--endpoint-url");
            start.ArgumentList.Add(_endpoint.ToString().TrimEnd('/'));
            start.ArgumentList.Add("--output");
            start.ArgumentList.Add("json");
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(name);
            }
            start.Environment["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId;
            start.Environment["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey;
            if (credentials.SessionToken != null) start.Environment["AWS_SESSION_TOKEN"] = credentials.SessionToken;
            start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
            start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            start.Environment["AWS_CONFIG_FILE"] = _configFile;
            start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = _credentialsFile;
            start.Environment["AWS_MAX_ATTEMPTS"] = "1";
            start.Environment["AWS_PAGER"] = "";

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the aws CLI.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            // Generous: on a shared, loaded machine one CLI start can take tens of seconds; this guards a hang, it times nothing.
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(240));
            return new CliResult(string.Join(" ", arguments), process.ExitCode, await stdout, await stderr);
        }

        public void Dispose()
        {
            File.Delete(_configFile);
            File.Delete(_credentialsFile);
        }
    }

    public sealed record CliCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null);

    public sealed record CliResult(string Command, int ExitCode, string Stdout, string Stderr)
    {
        private static readonly Regex ErrorLine = new Regex(@"An error occurred \((?<code>[^)]+)\) when calling the (?<op>\w+) operation");

        /// <summary>The AWS error code the CLI reports on stderr, or null.</summary>
        public string? ErrorCode => ErrorLine.Match(Stderr) is { Success: true } m ? m.Groups["code"].Value : null;

        public JsonElement Json
        {
            get
            {
                Assert.True(ExitCode == 0, "aws " + Command + " failed (" + ExitCode + "): " + Stderr);
                return Stdout.Trim().Length == 0 ? default : JsonDocument.Parse(Stdout).RootElement.Clone();
            }
        }

        public CliResult AssertOk()
        {
            Assert.True(ExitCode == 0, "aws " + Command + " failed (" + ExitCode + "): " + Stderr);
            return this;
        }

        public CliResult AssertError(string code)
        {
            Assert.True(ExitCode != 0 && ErrorCode == code, "aws " + Command + ": expected " + code + ", got exit " + ExitCode + ": " + Stderr + Stdout);
            return this;
        }
    }
}
