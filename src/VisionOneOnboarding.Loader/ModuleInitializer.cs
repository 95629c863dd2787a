using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VisionOneOnboarding.Loader
{
    /// <summary>
    /// The module's first nested module (PowerShell loads nested modules before a RootModule, so this cannot be one).
    /// PowerShell runs <see cref="OnImport"/> when it imports this assembly, before the next nested module loads the
    /// cmdlets' assembly <c>VisionOneOnboarding</c> by name: this makes that name resolvable from the folder of the
    /// running build, under <c>bin/</c>: into the module's private <see cref="LoadContext"/> on PowerShell 7, with
    /// <c>netstandard2.0</c> on Windows PowerShell. Nothing else happens at import.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <summary>The assembly of the cmdlets: the manifest's nested module, by this name.</summary>
        internal const string ModuleAssemblyName = "VisionOneOnboarding";

        private static readonly bool IsWindowsPowerShell =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        /// <summary>The folder of the build this process runs (see <see cref="ChooseBuild"/>), beside the others under bin/.</summary>
        internal static string BinDirectory { get; } = ChooseBuild(
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? throw new InvalidOperationException("The loader's location is unknown."), "bin"));

        /// <summary>
        /// Windows PowerShell: netstandard2.0. PowerShell 7 on .NET 10 or later, on a platform the module has a ReadyToRun
        /// build for: that build (net10.0-&lt;rid&gt;), whose precompiled code spares the first run most of its JIT work (a
        /// later runtime ignores that code and compiles the IL, which the images keep). Otherwise net8.0, IL only.
        /// </summary>
        private static string ChooseBuild(string bin)
        {
            if (IsWindowsPowerShell) return Path.Combine(bin, "netstandard2.0");
            var rid = CurrentRuntimeIdentifier();
            if (Environment.Version.Major >= 10 && rid != null)
            {
                var readyToRun = Path.Combine(bin, "net10.0-" + rid);
                if (Directory.Exists(readyToRun)) return readyToRun;
            }
            return Path.Combine(bin, "net8.0");
        }

        private static string? CurrentRuntimeIdentifier()
        {
            var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux"
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
                : null;
            var architecture = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => "x64",
                Architecture.Arm64 => "arm64",
                _ => null,
            };
            return os == null || architecture == null ? null : os + "-" + architecture;
        }

        /// <summary>Makes the module's assembly resolvable by name (PowerShell calls this on import).</summary>
        public void OnImport()
        {
            if (IsWindowsPowerShell) AppDomain.CurrentDomain.AssemblyResolve += ResolveOnWindowsPowerShell;
            else RegisterLoadContext();
        }

        /// <summary>Withdraws the resolver (PowerShell calls this on Remove-Module); a later import registers it again.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (IsWindowsPowerShell) AppDomain.CurrentDomain.AssemblyResolve -= ResolveOnWindowsPowerShell;
            else UnregisterLoadContext();
        }

        // Apart, and never inlined: Windows PowerShell's runtime has no AssemblyLoadContext, so it must never compile them.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RegisterLoadContext() => LoadContext.Register();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void UnregisterLoadContext() => LoadContext.Unregister();

        private static Assembly? ResolveOnWindowsPowerShell(object? sender, ResolveEventArgs args)
        {
            if (!string.Equals(new AssemblyName(args.Name).Name, ModuleAssemblyName, StringComparison.OrdinalIgnoreCase)) return null;
            // The LoadFrom context: the assembly's own dependencies are then found beside it, as before.
            return Assembly.LoadFrom(Path.Combine(BinDirectory, ModuleAssemblyName + ".dll"));
        }
    }
}
