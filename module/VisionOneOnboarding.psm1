# Loads the binary module. On PowerShell 7 its assembly and the dependencies it ships (AWSSDK.Core, YamlDotNet)
# go into a private AssemblyLoadContext, so a session that already loaded another AWSSDK.Core (AWS.Tools, say)
# does not break it, and it does not break them. Windows PowerShell loads them as usual.

$binary = if ($PSEdition -eq 'Core') {
    Add-Type -Path (Join-Path $PSScriptRoot 'VisionOneOnboarding.Loader.dll')
    $assembly = [VisionOneOnboarding.Loader.LoadContext]::Initialize()
    Import-Module -Assembly $assembly -PassThru
}
else {
    Import-Module (Join-Path $PSScriptRoot 'bin/VisionOneOnboarding.dll') -PassThru
}

# The cmdlets belong to the nested binary module; make them this module's exports, as the manifest lists them.
$addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
foreach ($cmdlet in $binary.ExportedCmdlets.Values) {
    $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
}

# Singular-noun aliases for the plural cmdlet names, as admins type them (the manifest's AliasesToExport lists them).
Set-Alias -Name Set-V1Thumbprint -Value Set-V1Thumbprints
Set-Alias -Name New-V1Policy -Value New-V1Policies
Export-ModuleMember -Alias Set-V1Thumbprint, New-V1Policy
