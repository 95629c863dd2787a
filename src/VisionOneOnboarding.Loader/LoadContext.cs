using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace VisionOneOnboarding.Loader
{
    /// <summary>
    /// AWSSDK assemblies keep one assembly version per major line, so whichever copy of AWSSDK.Core a session loads
    /// first wins in the default context, and a module built against another copy fails with "Method not found" or
    /// "already loaded". This context (PowerShell 7 only) gives VisionOneOnboarding and the dependencies it ships (from
    /// the folder of the chosen build) a private home; PowerShell itself and the framework still come from the default context, so cmdlets,
    /// output types and formatting work as usual.
    /// </summary>
    internal sealed class LoadContext : AssemblyLoadContext
    {
        // One per process: an assembly is loaded once, however often the module is removed and imported again.
        private static readonly LoadContext Instance = new LoadContext(ModuleInitializer.BinDirectory);
        private readonly string _binDirectory;

        private LoadContext(string binDirectory) => _binDirectory = binDirectory;

        /// <summary>
        /// The default context asks this resolver only for what it cannot find itself: the module's assembly, which the
        /// manifest names as a nested module, is then served from this context (its references follow it here). No
        /// other name is answered, so nothing of the module's leaks to the rest of the session.
        /// </summary>
        internal static void Register() => Default.Resolving += Resolve;

        internal static void Unregister() => Default.Resolving -= Resolve;

        private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
            string.Equals(name.Name, ModuleInitializer.ModuleAssemblyName, StringComparison.OrdinalIgnoreCase)
                ? Instance.LoadFromAssemblyName(new AssemblyName(ModuleInitializer.ModuleAssemblyName))
                : null;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name == null || PlatformAssemblies.Value.Contains(assemblyName.Name)) return null;
            var path = Path.Combine(_binDirectory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        /// <summary>
        /// What the host provides, the framework and PowerShell itself (System.Management.Automation must be shared, or
        /// the cmdlet types would not be PowerShell's), is never loaded here.
        /// </summary>
        private static readonly Lazy<HashSet<string>> PlatformAssemblies = new Lazy<HashSet<string>>(() =>
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
            foreach (var file in tpa.Split(Path.PathSeparator))
            {
                if (file.Length > 0) names.Add(Path.GetFileNameWithoutExtension(file));
            }
            return names;
        });
    }
}
