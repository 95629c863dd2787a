# What the module ships, by name (an allow-list, as PSResourceGet's build keeps one): the Build task copies exactly
# these DLLs into bin/ and fails on any other DLL the compiler drops into the output; a Pester test checks the built
# layout and the package against this list and the module's dependency closure (VisionOneOnboarding.deps.json).
@{
    # Loaded from bin/ (into the private AssemblyLoadContext on PowerShell 7).
    Bin          = @(
        'VisionOneOnboarding.dll'
        'AWSSDK.Core.dll'
        'AWSSDK.Extensions.Numerics.dll'
        # AWS sign-in (assume-role, SSO): shipped as soon as the module references them.
        'AWSSDK.SecurityToken.dll'
        'AWSSDK.SSO.dll'
        'AWSSDK.SSOOIDC.dll'
        'YamlDotNet.dll'
        # The System.Text.Json family, for hosts on .NET Framework / netstandard2.0 (Windows PowerShell 5.1).
        'Microsoft.Bcl.AsyncInterfaces.dll'
        'System.Buffers.dll'
        'System.IO.Hashing.dll'
        'System.Memory.dll'
        'System.Numerics.Vectors.dll'
        'System.Runtime.CompilerServices.Unsafe.dll'
        'System.Text.Encodings.Web.dll'
        'System.Text.Json.dll'
        'System.Threading.Tasks.Extensions.dll'
    )
    # Beside the manifest: the loader PowerShell 7 imports first.
    Root         = @('VisionOneOnboarding.Loader.dll')
    # Provided by PowerShell itself: never shipped.
    HostProvided = @('System.Management.Automation.dll')
}
