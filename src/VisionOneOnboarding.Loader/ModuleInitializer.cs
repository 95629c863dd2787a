using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VisionOneOnboarding.Loader
{
    /// <summary>
    /// The module's RootModule. PowerShell runs <see cref="OnImport"/> when it imports this assembly, before the manifest's
    /// nested module <c>VisionOneOnboarding</c> (the cmdlets) is loaded by name: this makes that name resolvable from the
    /// folder of the running edition, <c>bin/net8.0</c> on PowerShell 7 (into the module's private
    /// <see cref="LoadContext"/>) and <c>bin/netstandard2.0</c> on Windows PowerShell. Nothing else happens at import.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <summary>The assembly of the cmdlets: the manifest's nested module, by this name.</summary>
        internal const string ModuleAssemblyName = "VisionOneOnboarding";

        private static readonly bool IsWindowsPowerShell =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        /// <summary>The folder of the build this edition runs: one per target framework, beside each other under bin/.</summary>
        internal static string BinDirectory { get; } = Path.Combine(
            Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? throw new InvalidOperationException("The loader's location is unknown."),
            "bin",
            IsWindowsPowerShell ? "netstandard2.0" : "net8.0");

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
