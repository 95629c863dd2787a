<#
.SYNOPSIS
    The one entry point: bootstrap the build tools, then run tasks (Build, Test, Demo, Bench, Pack, Clean).
.DESCRIPTION
    Run it with `dotnet tool restore && dotnet pwsh ./build.ps1 <Task>` on a machine that has only the
    .NET SDK. On first use it saves Pester and Invoke-Build (versions in build.tools.psd1) from a NuGet feed
    (PSResourceGet) into ./.tools, then hands the tasks to Invoke-Build, which runs the task file
    VisionOneOnboarding.build.ps1.
.EXAMPLE
    dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Demo
.EXAMPLE
    dotnet pwsh ./build.ps1 Pack
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [string[]] $Tasks = @('Build'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # The PSResourceGet repository that serves Pester and Invoke-Build (PowerShell Gallery need not be reachable).
    [string] $Repository = 'NuGet',
    [string] $RepositoryUri = 'https://api.nuget.org/v3/index.json',
    # Pester's output detail for the Test task (None, Normal, Detailed, Diagnostic).
    [string] $PesterOutput = 'Normal',
    # While working on one area: the Pester files (or folders, comma-separated) the Test task runs, instead of all of tests/Pester.
    [string[]] $PesterPath = @(),
    # While working on one area: a `dotnet test --filter` expression for the xunit part, e.g. 'FullyQualifiedName~PlanTests'.
    [string] $XunitFilter = ''
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$toolVersions = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'build.tools.psd1')
$toolsDir = Join-Path $PSScriptRoot '.tools'

function Save-BuildTool([string] $Name, [string] $Version) {
    $manifest = Join-Path $toolsDir "$($Name.ToLowerInvariant())/$Version/tools"
    if (Test-Path $manifest) { return $manifest }
    if (-not (Get-PSResourceRepository -Name $Repository -ErrorAction SilentlyContinue)) {
        Register-PSResourceRepository -Name $Repository -Uri $RepositoryUri -Trusted
    }
    $null = New-Item -ItemType Directory -Force -Path $toolsDir
    Write-Host "Saving $Name $Version from '$Repository' into .tools"
    Save-PSResource -Name $Name -Version $Version -Repository $Repository -Path $toolsDir -TrustRepository -Quiet
    if (-not (Test-Path $manifest)) { throw "Save-PSResource did not produce $manifest." }
    return $manifest
}

$null = Save-BuildTool 'Pester' $toolVersions.Pester
$invokeBuild = Save-BuildTool 'Invoke-Build' $toolVersions.InvokeBuild
$taskParameters = @{
    Configuration = $Configuration
    PesterOutput  = $PesterOutput
    PesterPath    = $PesterPath
    XunitFilter   = $XunitFilter
}
try {
    & (Join-Path $invokeBuild 'Invoke-Build.ps1') -Task $Tasks -File (Join-Path $PSScriptRoot 'VisionOneOnboarding.build.ps1') @taskParameters
}
catch {
    Write-Host ($_ | Out-String) -ForegroundColor Red
    exit 1
}
exit 0
