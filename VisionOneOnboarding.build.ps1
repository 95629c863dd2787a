<#
.SYNOPSIS
    The build's tasks, run by Invoke-Build (build.ps1 bootstraps the tools and calls it with this file).
.DESCRIPTION
    Build lays out the module at out/VisionOneOnboarding/<version>/ and the emulator at out/emulator/;
    Pack writes out/VisionOneOnboarding.<version>.nupkg; Test runs the format check, xunit and Pester and prints
    'N passed, N failed'; Demo, Bench, Clean.
    The version lives in one place, the manifest's ModuleVersion: Directory.Build.props reads it into the
    assemblies, and the package takes it from the manifest.
#>
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Pester's output detail for the Test task (None, Normal, Detailed, Diagnostic).
    [string] $PesterOutput = 'Normal',
    # While working on one area: the Pester files (or folders, comma-separated) the Test task runs, instead of all of tests/Pester.
    [string[]] $PesterPath = @(),
    # While working on one area: a `dotnet test --filter` expression for the xunit part, e.g. 'FullyQualifiedName~PlanTests'.
    [string] $XunitFilter = ''
)

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleName = 'VisionOneOnboarding'
$Manifest = Import-PowerShellDataFile (Join-Path $Root "$ModuleName.psd1")
$Version = $Manifest.ModuleVersion
$ModuleOut = Join-Path $Out "$ModuleName/$Version"
$EmulatorOut = Join-Path $Out 'emulator'
$TestResults = Join-Path $Out 'TestResults'
$Layout = Import-PowerShellDataFile (Join-Path $Root 'build.layout.psd1')
# The module's builds, each in its own folder under bin/ (the loader picks one by edition, runtime and platform): the
# compiler's output of net8.0 and netstandard2.0, and net10.0 published ReadyToRun per runtime identifier; and the
# dependency closure of each (its deps.json), which the layout check compares with the allow-list.
$ReadyToRunIdentifiers = @('linux-x64', 'win-x64')
$BuildOutput = @{
    'net8.0'         = Join-Path $Root "src/$ModuleName/bin/$Configuration/net8.0"
    'netstandard2.0' = Join-Path $Root "src/$ModuleName/bin/$Configuration/netstandard2.0"
}
foreach ($rid in $ReadyToRunIdentifiers) { $BuildOutput["net10.0-$rid"] = Join-Path $Root "src/$ModuleName/bin/$Configuration/net10.0/$rid/publish" }
$ModuleDeps = @{}
foreach ($folder in $BuildOutput.Keys) { $ModuleDeps[$folder] = Join-Path $BuildOutput[$folder] "$ModuleName.deps.json" }
$Package = Join-Path $Out "$ModuleName.$Version.nupkg"
$ToolVersions = Import-PowerShellDataFile (Join-Path $Root 'build.tools.psd1')
$PesterModule = Join-Path $Root ".tools/pester/$($ToolVersions.Pester)/tools/Pester.psd1"
$InvokeBuildScript = Join-Path $Root ".tools/invoke-build/$($ToolVersions.InvokeBuild)/tools/Invoke-Build.ps1"
. (Join-Path $Root 'module/tools/ModuleLayout.ps1')

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
    foreach ($rid in $ReadyToRunIdentifiers) {
        Invoke-Native { dotnet publish "$Root/src/$ModuleName/$ModuleName.csproj" -c $Configuration -f net10.0 -r $rid --no-restore -nologo -v quiet }
    }

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Force -Path $ModuleOut
    # Exactly the allow-listed DLLs of each build go to bin/<framework>/; any other DLL the compiler produced fails the
    # build, so nothing ships by accident.
    foreach ($folder in $BuildOutput.Keys) {
        $bin = $BuildOutput[$folder]
        $null = New-Item -ItemType Directory -Force -Path "$ModuleOut/bin/$folder"
        foreach ($dll in Get-ChildItem $bin -Filter *.dll) {
            if ($dll.Name -in $Layout.HostProvided) { continue }
            if ($dll.Name -notin $Layout.Bin[$folder]) { throw "unexpected DLL $($dll.Name) in ${bin}: add it to build.layout.psd1 if it should ship." }
            Copy-Item $dll.FullName -Destination "$ModuleOut/bin/$folder"
        }
    }
    Copy-Item "$Root/src/$ModuleName.Loader/bin/$Configuration/netstandard2.0/$ModuleName.Loader.dll" $ModuleOut
    Copy-Item "$Root/$ModuleName.psd1", "$Root/LICENSE", "$Root/CHANGELOG.md" $ModuleOut
    Get-ChildItem "$Root/module" -File | Copy-Item -Destination $ModuleOut
    if (Test-Path "$Root/module/en-US") { Copy-Item "$Root/module/en-US" $ModuleOut -Recurse }
    # The cmdlets' nested module: a manifest whose RootModule names the assembly without a folder, so that PowerShell
    # loads it by name, which the loader (the nested module before it) resolves from the edition's folder. Written
    # here so that it carries the one version.
    Set-Content "$ModuleOut/bin/$ModuleName.Cmdlets.psd1" @"
# Written by the build: the cmdlets of $ModuleName, loaded by assembly name (see $ModuleName.Loader.dll).
@{
    RootModule        = '$ModuleName.dll'
    ModuleVersion     = '$Version'
    CmdletsToExport   = '*'
    AliasesToExport   = '*'
    FunctionsToExport = @()
    VariablesToExport = @()
}
"@
    $problems = @(Get-ModuleLayoutProblem -ModuleDirectory $ModuleOut -Layout $Layout -DepsJsonPath $ModuleDeps)
    if ($problems) { throw "The module layout is wrong:`n$($problems -join "`n")" }
    $helpScript = Join-Path $Root 'module/tools/New-MamlHelp.ps1'
    if (Test-Path $helpScript) {
        Invoke-Native { dotnet pwsh -NoProfile -NonInteractive -File $helpScript -ModuleDirectory $ModuleOut -XmlDoc "$Root/src/$ModuleName/bin/$Configuration/net8.0/$ModuleName.xml" }
    }

    if (Test-Path $EmulatorOut) { Remove-Item $EmulatorOut -Recurse -Force }
    Copy-Item "$Root/src/$ModuleName.Emulator/bin/$Configuration/net10.0" $EmulatorOut -Recurse
    Write-Build Green "Module: $ModuleOut"
}

# Synopsis: Pack the built module as out/VisionOneOnboarding.<version>.nupkg, the package Install-PSResource takes.
task Pack Build, {
    Get-ChildItem $Out -Filter "$ModuleName.*.nupkg" | Remove-Item
    Compress-PSResource -Path $ModuleOut -DestinationPath $Out
    if (-not (Test-Path $Package)) { throw "Compress-PSResource did not produce $Package." }
    Write-Build Green "Package: $Package"
}

# Synopsis: Fail when the code is not formatted as .editorconfig says (run `dotnet format` to fix it).
task FormatCheck {
    Invoke-Native { dotnet format "$Root/VisionOneOnboarding.sln" --verify-no-changes --no-restore -v quiet }
}

# Synopsis: Check the format, run xunit, then Pester against the built module in a child pwsh; print 'N passed, N failed'.
task Test Pack, FormatCheck, {
    if (Test-Path $TestResults) { Remove-Item $TestResults -Recurse -Force }
    $null = New-Item -ItemType Directory -Force -Path $TestResults

    $trx = Join-Path $TestResults 'xunit.trx'
    $narrowed = if ($XunitFilter) { @('--filter', $XunitFilter) } else { @() }
    dotnet test "$Root/tests/$ModuleName.Tests/$ModuleName.Tests.csproj" -c $Configuration -nologo @narrowed `
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
    $env:VISIONONE_TEST_PACKAGE = $Package
    $env:VISIONONE_TEST_MODULE_DEPS = $ModuleDeps | ConvertTo-Json -Compress
    $env:VISIONONE_TEST_INVOKE_BUILD = $InvokeBuildScript
    # The other AWSSDK.Core line the test project downloads, for the load-context isolation test.
    $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $env:VISIONONE_TEST_FOREIGN_AWSSDK = Join-Path $packages.Trim() 'awssdk.core/3.7.402/lib/net8.0/AWSSDK.Core.dll'
    $suite = if ($PesterPath) { ($PesterPath -split ',' | ForEach-Object { (Resolve-Path $_.Trim()).Path }) -join [IO.Path]::PathSeparator } else { "$Root/tests/Pester" }
    dotnet pwsh -NoProfile -NonInteractive -File "$Root/tests/Pester/Invoke-PesterSuite.ps1" `
        -PesterModule $PesterModule -Path $suite -SummaryPath $pesterSummary -Output $PesterOutput
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

# Synopsis: Print the benchmark table (not part of Test) and write it as JSON under out/bench/
task Bench Build, {
    Invoke-Native {
        dotnet pwsh -NoProfile -NonInteractive -File "$Root/tests/Benchmarks/Invoke-Benchmarks.ps1" `
            -ModulePath (Join-Path $ModuleOut "$ModuleName.psd1") -EmulatorPath (Join-Path $EmulatorOut "$ModuleName.Emulator.dll") `
            -OutDirectory (Join-Path $Out 'bench')
    }
}

task . Build
