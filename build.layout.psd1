# What the module ships, by name (an allow-list, as PSResourceGet's build keeps one): the Build task copies exactly
# these DLLs into bin/<framework>/ and fails on any other DLL the compiler drops into the output; a Pester test checks
# the built layout and the package against this list and each build's dependency closure (VisionOneOnboarding.deps.json).
@{
    # One folder per build; the loader picks one by edition, runtime and platform (the IL of net8.0 wherever no
    # ReadyToRun build fits).
    Bin          = @{
        # PowerShell 7.4+ (loaded into the module's private AssemblyLoadContext): the framework has the System.Text.Json family.
        'net8.0'         = @(
            'VisionOneOnboarding.dll'
            'AWSSDK.Core.dll'
            'AWSSDK.Extensions.Numerics.dll'
            # AWS sign-in (assume-role, SSO).
            'AWSSDK.SecurityToken.dll'
            'AWSSDK.SSO.dll'
            'AWSSDK.SSOOIDC.dll'
            'System.IO.Hashing.dll'
            'YamlDotNet.dll'
        )
        # PowerShell 7.6+ (.NET 10) on these platforms: the same assemblies (AWSSDK's net10.0 builds), ReadyToRun.
        'net10.0-linux-x64' = @(
            'VisionOneOnboarding.dll'
            'AWSSDK.Core.dll'
            'AWSSDK.Extensions.Numerics.dll'
            'AWSSDK.SecurityToken.dll'
            'AWSSDK.SSO.dll'
            'AWSSDK.SSOOIDC.dll'
            'System.IO.Hashing.dll'
            'YamlDotNet.dll'
        )
        'net10.0-win-x64'   = @(
            'VisionOneOnboarding.dll'
            'AWSSDK.Core.dll'
            'AWSSDK.Extensions.Numerics.dll'
            'AWSSDK.SecurityToken.dll'
            'AWSSDK.SSO.dll'
            'AWSSDK.SSOOIDC.dll'
            'System.IO.Hashing.dll'
            'YamlDotNet.dll'
        )
        # Windows PowerShell 5.1 (.NET Framework).
        'netstandard2.0' = @(
            'VisionOneOnboarding.dll'
            'AWSSDK.Core.dll'
            'AWSSDK.Extensions.Numerics.dll'
            'AWSSDK.SecurityToken.dll'
            'AWSSDK.SSO.dll'
            'AWSSDK.SSOOIDC.dll'
            'YamlDotNet.dll'
            # The System.Text.Json family, which .NET Framework lacks.
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
    }
    # Beside the manifest: the loader (the first nested module), for both editions.
    Root         = @('VisionOneOnboarding.Loader.dll')
    # Provided by PowerShell itself: never shipped.
    HostProvided = @('System.Management.Automation.dll')
}
