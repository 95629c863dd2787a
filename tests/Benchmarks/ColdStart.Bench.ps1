<#
.SYNOPSIS
    The cold-start benchmark items: a runbook, CI job or automation account starts a new pwsh for every job.
      5. the peer: the single-account onboarding as a whole new process against the AWS CLI script
         (Peer-Onboarding.sh) at 20 ms per call, median of 3 alternating pairs (target at least 5 x); beside it the
         floor: a bare pwsh plus the dependent round trips.
      6. Import-Module over a bare pwsh, median of alternating runs (target at most 120 ms), beside the same figure for
         an empty script module (the floor: what any module costs PowerShell to import).
      7. the first onboarding in a new process against a second one in that process, at 0 ms latency (target: first at
         most 2 x second + 60 ms).
      8. the peak working set of a new process after one onboarding, beside a bare pwsh's.
.DESCRIPTION
    Every sample is a new process started the way an installed pwsh is: the pinned PowerShell's pwsh.dll run by
    `dotnet` directly (not through the `dotnet pwsh` local-tool shim, which adds its own manifest lookup). The runs
    being compared alternate (bare, module, empty module; bare, module, ...), so a change in the machine's load falls on
    both sides. Progress goes to the host line by line; the rows are written as JSON lines (Item, Figure, Value,
    Target, Met) for Invoke-Benchmarks.ps1 to join its table.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [int] $LatencyMs = 50,
    # Alternating rounds for items 6 to 8 (each round: a bare pwsh, one importing the module, one importing an empty module, one onboarding).
    [int] $Rounds = 7,
    # Alternating pairs for item 5 (module process, AWS CLI script) and the latency per call there.
    [int] $PeerPairs = 3,
    [int] $PeerLatencyMs = 20
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '../EmulatorProcess.ps1')

function New-Row([string] $Item, [string] $Figure, [string] $Value, [string] $Target = '', $Met = $null) {
    [pscustomobject]@{ Item = $Item; Figure = $Figure; Value = $Value; Target = $Target; Met = $Met }
}
function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count % 2) { $sorted[($sorted.Count - 1) / 2] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}
function Write-Progress-Line([string] $Text) { Write-Host "  cold start: $Text" }

# An installed pwsh: PowerShell's own pwsh.dll under dotnet, as its apphost runs it.
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$dotnet = [Environment]::ProcessPath
if ([IO.Path]::GetFileNameWithoutExtension($dotnet) -ne 'dotnet') { $dotnet = 'dotnet' }

# One new pwsh running $Command; the wall time of the whole process, and what it wrote.
function Invoke-NewPwsh([string] $Command) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $output = & $dotnet $pwshDll -NoProfile -NonInteractive -Command $Command 2>&1
    $ms = $watch.Elapsed.TotalMilliseconds
    if ($LASTEXITCODE -ne 0) { throw "A new pwsh failed ($LASTEXITCODE): $Command`n$($output -join "`n")" }
    [pscustomobject]@{ Ms = $ms; Output = @($output) }
}

# The floor of item 6: a manifest and an empty script module.
$emptyModule = Join-Path ([IO.Path]::GetTempPath()) "ColdStartEmpty-$PID/Empty"
$null = New-Item -ItemType Directory -Force $emptyModule
Set-Content (Join-Path $emptyModule 'Empty.psm1') ''
New-ModuleManifest -Path (Join-Path $emptyModule 'Empty.psd1') -RootModule 'Empty.psm1' -ModuleVersion '1.0.0' -FunctionsToExport @() -CmdletsToExport @() -VariablesToExport @() -AliasesToExport @()

$emulator = Start-EmulatorProcess $EmulatorPath
$rows = [System.Collections.Generic.List[object]]::new()
$savedEnvironment = @{ AK = $env:AWS_ACCESS_KEY_ID; SK = $env:AWS_SECRET_ACCESS_KEY; R = $env:AWS_DEFAULT_REGION; V1 = $env:VISIONONE_API_KEY; MD = $env:AWS_EC2_METADATA_DISABLED }
try {
    $url = $emulator.Url
    $env:AWS_ACCESS_KEY_ID = 'EMULATORAKID00000001'
    $env:AWS_SECRET_ACCESS_KEY = 'emulatorSecretKey0000000000000000000000001'
    $env:AWS_DEFAULT_REGION = 'us-east-1'
    $env:VISIONONE_API_KEY = 'emulator-visionone-api-key'
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    function Reset-Emulator([int] $Latency) {
        Invoke-RestMethod -Method Post "$url/_emulator/reset" | Out-Null
        Invoke-RestMethod -Method Post "$url/_emulator/faults" -ContentType 'application/json' -Body (@{ latencyMs = $Latency } | ConvertTo-Json) | Out-Null
    }
    $onboard = "Invoke-V1AwsOnboarding -Name Bench -BusinessId 1234567890 -V1Region us -EndpointUrl '$url' -ApiBaseUrl '$url' -AccessKey $env:AWS_ACCESS_KEY_ID -SecretKey $env:AWS_SECRET_ACCESS_KEY"

    # 6, 7 and 8 in alternating rounds: a bare pwsh, one importing the module, one importing the empty module, and one
    # onboarding twice (the first run, the peak working set after it, then a second run on a reset emulator).
    $twice = @"
Import-Module '$ModulePath'
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$null = $onboard
`$first = `$watch.Elapsed.TotalMilliseconds
`$peak = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
`$null = Invoke-RestMethod -Method Post '$url/_emulator/reset'
`$watch.Restart()
`$null = $onboard
`$second = `$watch.Elapsed.TotalMilliseconds
'{0} {1} {2}' -f `$first, `$second, `$peak
"@
    $bare = @(); $module = @(); $empty = @(); $first = @(); $second = @(); $peak = @(); $barePeak = @()
    # One process thrown away first: the first start after a build pays for the disk cache.
    $null = Invoke-NewPwsh "Import-Module '$ModulePath'"
    $kinds = @{
        bare   = 'exit'
        module = "Import-Module '$ModulePath'"
        empty  = "Import-Module '$(Join-Path $emptyModule 'Empty.psd1')'"
    }
    $order = @('bare', 'module', 'empty')
    foreach ($round in 1..$Rounds) {
        # The order turns each round, so that no kind always follows the same one.
        $ms = @{}
        foreach ($i in 0..2) {
            $kind = $order[($i + $round) % 3]
            $ms[$kind] = (Invoke-NewPwsh $kinds[$kind]).Ms
        }
        $bare += $ms.bare; $module += $ms.module; $empty += $ms.empty
        $barePeak += [double]((Invoke-NewPwsh '[Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64').Output[-1])
        Reset-Emulator 0
        $figures = [double[]](((Invoke-NewPwsh $twice).Output[-1]) -split ' ')
        $first += $figures[0]; $second += $figures[1]; $peak += $figures[2]
        Write-Progress-Line ('round {0}/{1}: bare pwsh {2:N0} ms, + module {3:N0} ms, + empty module {4:N0} ms; first onboarding {5:N0} ms, second {6:N0} ms' -f
            $round, $Rounds, $ms.bare, ($ms.module - $ms.bare), ($ms.empty - $ms.bare), $figures[0], $figures[1])
    }
    # Each round's own difference, so that the load of that moment cancels.
    $importMs = Get-Median (0..($Rounds - 1) | ForEach-Object { $module[$_] - $bare[$_] })
    $emptyMs = Get-Median (0..($Rounds - 1) | ForEach-Object { $empty[$_] - $bare[$_] })
    $bareMs = Get-Median $bare
    $firstMs = Get-Median $first
    $secondMs = Get-Median $second
    $peakMb = (Get-Median $peak) / 1MB
    $barePeakMb = (Get-Median $barePeak) / 1MB

    # 5. Whole process against the AWS CLI script, alternating, each on a freshly reset emulator.
    $policyDir = Join-Path $PSScriptRoot '../../src/VisionOneOnboarding/Onboarding/Data'
    $whole = @(); $peer = @(); $trips = 0
    foreach ($pair in 1..$PeerPairs) {
        Reset-Emulator $PeerLatencyMs
        $run = Invoke-NewPwsh "Import-Module '$ModulePath'; ($onboard).DependentRoundTrips"
        $whole += $run.Ms; $trips = [int]($run.Output[-1])
        Reset-Emulator $PeerLatencyMs
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $null = & bash (Join-Path $PSScriptRoot 'Peer-Onboarding.sh') $url $policyDir 2>&1
        if ($LASTEXITCODE -ne 0) { throw 'The AWS CLI peer script failed.' }
        $peer += $watch.Elapsed.TotalMilliseconds
        Write-Progress-Line ('peer pair {0}/{1}: module process {2:N0} ms, AWS CLI script {3:N0} ms' -f $pair, $PeerPairs, $whole[-1], $peer[-1])
    }
    $wholeMs = Get-Median $whole
    $peerMs = Get-Median $peer
    $floorMs = $bareMs + $trips * $PeerLatencyMs
    $ratio = $peerMs / $wholeMs
    $rows.Add((New-Row "5 peer (AWS CLI script) at $PeerLatencyMs ms per call" 'whole process (median of alternating pairs)' (
        'module {0:N0} ms, AWS CLI script {1:N0} ms: module {2:N1} x faster; floor (bare pwsh {3:N0} ms + {4} round trips x {5} ms) {6:N0} ms = {7:N1} x' -f
        $wholeMs, $peerMs, $ratio, $bareMs, $trips, $PeerLatencyMs, $floorMs, ($peerMs / $floorMs)) '>= 5 x faster' ($ratio -ge 5)))
    $rows.Add((New-Row '6 Import-Module (new process)' 'over a bare pwsh (median of alternating runs)' (
        '{0:N0} ms; empty script module (the floor) {1:N0} ms; bare pwsh {2:N0} ms' -f $importMs, $emptyMs, $bareMs) '<= 120 ms' ($importMs -le 120)))
    $rows.Add((New-Row '7 first onboarding (new process)' 'first vs second in the process, 0 ms latency (median)' (
        'first {0:N0} ms, second {1:N0} ms' -f $firstMs, $secondMs) '<= 2 x second + 60 ms' ($firstMs -le 2 * $secondMs + 60)))
    $rows.Add((New-Row '8 working set (new process)' 'peak after one onboarding (median)' (
        '{0:N0} MB; bare pwsh {1:N0} MB' -f $peakMb, $barePeakMb)))
}
finally {
    Stop-EmulatorProcess $emulator
    $env:AWS_ACCESS_KEY_ID = $savedEnvironment.AK; $env:AWS_SECRET_ACCESS_KEY = $savedEnvironment.SK; $env:AWS_DEFAULT_REGION = $savedEnvironment.R
    $env:VISIONONE_API_KEY = $savedEnvironment.V1; $env:AWS_EC2_METADATA_DISABLED = $savedEnvironment.MD
    Remove-Item (Split-Path $emptyModule) -Recurse -Force -ErrorAction SilentlyContinue
}

foreach ($row in $rows) { $row | ConvertTo-Json -Compress }
