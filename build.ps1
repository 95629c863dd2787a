<#
.SYNOPSIS
    The one entry point: bootstrap tools, build, test, demo, bench, pack.
.DESCRIPTION
    Run it with `dotnet tool restore && dotnet pwsh ./build.ps1 <Task>` on a machine that has only the
    .NET SDK. On first use it saves Pester and Invoke-Build from a NuGet feed (PSResourceGet) into
    ./.tools, then hands the tasks to Invoke-Build, which runs this same file as its task script.
.EXAMPLE
    dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Demo
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
    [string] $PesterVersion = '5.7.1',
    [string] $InvokeBuildVersion = '5.14.23',
    # Pester's output detail for the Test task (None, Normal, Detailed, Diagnostic).
    [string] $PesterOutput = 'Normal'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# ---------------------------------------------------------------- bootstrap (outside Invoke-Build)
if ([System.IO.Path]::GetFileName($MyInvocation.ScriptName) -ne 'Invoke-Build.ps1') {

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

    $null = Save-BuildTool 'Pester' $PesterVersion
    $ib = Save-BuildTool 'Invoke-Build' $InvokeBuildVersion
    $params = @{} + $PSBoundParameters
    $null = $params.Remove('Tasks')
    try {
        & (Join-Path $ib 'Invoke-Build.ps1') -Task $Tasks -File $PSCommandPath @params
    }
    catch {
        Write-Host ($_ | Out-String) -ForegroundColor Red
        exit 1
    }
    exit 0
}

# ---------------------------------------------------------------- task script (inside Invoke-Build)
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleName = 'VisionOneOnboarding'
$Manifest = Import-PowerShellDataFile (Join-Path $Root "$ModuleName.psd1")
$Version = $Manifest.ModuleVersion
$ModuleOut = Join-Path $Out "$ModuleName/$Version"
$EmulatorOut = Join-Path $Out 'emulator'
$TestResults = Join-Path $Out 'TestResults'
$PesterModule = Join-Path $Root ".tools/pester/$PesterVersion/tools/Pester.psd1"

function Invoke-Native([scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "Command failed with exit code ${LASTEXITCODE}: $Command" }
}

# Synopsis: Remove build output.
task Clean {
    remove out, src/*/bin, src/*/obj, tests/*/bin, tests/*/obj
}

# Synopsis: Compile the module and the emulator, and lay out an importable module at out/VisionOneOnboarding/<version>/.
task Build {
    foreach ($project in $ModuleName, "$ModuleName.Loader", "$ModuleName.Emulator") {
        Invoke-Native { dotnet build "$Root/src/$project/$project.csproj" -c $Configuration -nologo -v quiet }
    }

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Force -Path "$ModuleOut/bin"
    $bin = "$Root/src/$ModuleName/bin/$Configuration/netstandard2.0"
    # The module and what it depends on go to bin/ (loaded into a private context on PowerShell 7);
    # PowerShell itself provides System.Management.Automation.
    Get-ChildItem $bin -Filter *.dll | Where-Object Name -ne 'System.Management.Automation.dll' |
        Copy-Item -Destination "$ModuleOut/bin"
    Copy-Item "$Root/src/$ModuleName.Loader/bin/$Configuration/net8.0/$ModuleName.Loader.dll" $ModuleOut
    Copy-Item "$Root/$ModuleName.psd1" $ModuleOut
    Get-ChildItem "$Root/module" -File | Copy-Item -Destination $ModuleOut
    if (Test-Path "$Root/module/en-US") { Copy-Item "$Root/module/en-US" $ModuleOut -Recurse }
    $helpScript = Join-Path $Root 'module/tools/New-MamlHelp.ps1'
    if (Test-Path $helpScript) {
        Invoke-Native { dotnet pwsh -NoProfile -NonInteractive -File $helpScript -ModuleDirectory $ModuleOut -XmlDoc "$bin/$ModuleName.xml" }
    }

    if (Test-Path $EmulatorOut) { Remove-Item $EmulatorOut -Recurse -Force }
    Copy-Item "$Root/src/$ModuleName.Emulator/bin/$Configuration/net10.0" $EmulatorOut -Recurse
    Write-Build Green "Module: $ModuleOut"
}

# Synopsis: Run xunit, then Pester against the built module in a child pwsh; print 'N passed, N failed'.
task Test Build, {
    if (Test-Path $TestResults) { Remove-Item $TestResults -Recurse -Force }
    $null = New-Item -ItemType Directory -Force -Path $TestResults

    $trx = Join-Path $TestResults 'xunit.trx'
    dotnet test "$Root/tests/$ModuleName.Tests/$ModuleName.Tests.csproj" -c $Configuration -nologo `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal'
    $xunitExit = $LASTEXITCODE
    $xPassed = 0; $xFailed = 0
    if (Test-Path $trx) {
        $counters = ([xml](Get-Content $trx -Raw)).TestRun.ResultSummary.Counters
        $xPassed = [int]$counters.passed
        $xFailed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    }
    if ($xunitExit -ne 0 -and $xFailed -eq 0) { $xFailed = 1 }   # the runner itself failed: count it

    $pesterSummary = Join-Path $TestResults 'pester.json'
    $env:VISIONONE_TEST_MODULE = Join-Path $ModuleOut "$ModuleName.psd1"
    $env:VISIONONE_TEST_EMULATOR = Join-Path $EmulatorOut "$ModuleName.Emulator.dll"
    # The other AWSSDK.Core line the test project downloads, for the load-context isolation test.
    $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $env:VISIONONE_TEST_FOREIGN_AWSSDK = Join-Path $packages.Trim() 'awssdk.core/3.7.402/lib/net8.0/AWSSDK.Core.dll'
    dotnet pwsh -NoProfile -NonInteractive -File "$Root/tests/Pester/Invoke-PesterSuite.ps1" `
        -PesterModule $PesterModule -Path "$Root/tests/Pester" -SummaryPath $pesterSummary -Output $PesterOutput
    $pesterExit = $LASTEXITCODE
    $pPassed = 0; $pFailed = 0
    if (Test-Path $pesterSummary) {
        $s = Get-Content $pesterSummary -Raw | ConvertFrom-Json
        $pPassed = [int]$s.Passed; $pFailed = [int]$s.Failed
    }
    if ($pesterExit -ne 0 -and $pFailed -eq 0) { $pFailed = 1 }

    $passed = $xPassed + $pPassed
    $failed = $xFailed + $pFailed
    Write-Build Cyan "xunit: $xPassed passed, $xFailed failed; Pester: $pPassed passed, $pFailed failed"
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { throw "Tests failed." }
}

# Synopsis: The main job: start the bundled emulator and run the onboarding against it, twice.
task Demo Build, {
    Invoke-Native {
        dotnet pwsh -NoProfile -NonInteractive -File "$Root/tests/Demo/Invoke-Demo.ps1" `
            -ModulePath (Join-Path $ModuleOut "$ModuleName.psd1") -EmulatorPath (Join-Path $EmulatorOut "$ModuleName.Emulator.dll")
    }
}

# Synopsis: Print the benchmark figures (ratios measured in one run).
task Bench Build, {
    Invoke-Native {
        dotnet pwsh -NoProfile -NonInteractive -File "$Root/tests/Benchmarks/Invoke-Benchmarks.ps1" `
            -ModulePath (Join-Path $ModuleOut "$ModuleName.psd1") -EmulatorPath (Join-Path $EmulatorOut "$ModuleName.Emulator.dll")
    }
}

task . Build
