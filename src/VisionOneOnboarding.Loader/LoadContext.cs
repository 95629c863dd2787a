using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace VisionOneOnboarding.Loader
{
    /// <summary>
    /// AWSSDK assemblies keep one assembly version per major line, so whichever copy of AWSSDK.Core a session loads
    /// first wins in the default context, and a module built against another copy fails with "Method not found" or
    /// "already loaded". This context gives VisionOneOnboarding and the dependencies it ships (from bin/) a private
    /// home; PowerShell itself and the framework still come from the default context, so cmdlets, output types and
    /// formatting work as usual.
    /// </summary>
    public sealed class LoadContext : AssemblyLoadContext
    {
        private static readonly object Gate = new object();
        private static LoadContext? _instance;
        private readonly string _binDirectory;

        private LoadContext(string binDirectory) : base("VisionOneOnboarding", isCollectible: false)
        {
            _binDirectory = binDirectory;
        }

        /// <summary>Loads the module assembly from <c>bin/</c> beside this loader into the private context (once per process).</summary>
        public static Assembly Initialize()
        {
            lock (Gate)
            {
                if (_instance == null)
                {
                    var here = Path.GetDirectoryName(typeof(LoadContext).Assembly.Location)
                        ?? throw new InvalidOperationException("The loader's location is unknown.");
                    _instance = new LoadContext(Path.Combine(here, "bin"));
                }
                return _instance.LoadFromAssemblyName(new AssemblyName("VisionOneOnboarding"));
            }
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name == null || PlatformAssemblies.Value.Contains(assemblyName.Name)) return null;
            var path = Path.Combine(_binDirectory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        /// <summary>
        /// What the host provides — the framework and PowerShell itself (System.Management.Automation must be shared,
        /// or the cmdlet types would not be PowerShell's) — is never loaded here. The netstandard2.0 build ships
        /// polyfills (System.Memory, System.Text.Json, …) for Windows PowerShell; on PowerShell 7 the host's own,
        /// newer copies are the right ones.
        /// </summary>
        private static readonly Lazy<System.Collections.Generic.HashSet<string>> PlatformAssemblies = new Lazy<System.Collections.Generic.HashSet<string>>(() =>
        {
            var names = new System.Collections.Generic.HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
            foreach (var file in tpa.Split(Path.PathSeparator))
            {
                if (file.Length > 0) names.Add(Path.GetFileNameWithoutExtension(file));
            }
            return names;
        });
    }
}
