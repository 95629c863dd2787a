<#
.SYNOPSIS
    Prints the module's speed figures as a table and writes them as JSON under out/bench/ (dotnet pwsh ./build.ps1 Bench).
.DESCRIPTION
    Against the bundled emulator with a fixed latency per call (default 50 ms), so the number of dependent round trips,
    the thing the engine controls, dominates:
      1. fresh single account: calls (reads, writes), wall time, and the floor: the fewest dependent round trips the
         run needed (computed by the engine from its step dependency graph, AwsOnboardingState.DependentRoundTrips)
         times the latency. Target: at most 1.5 x the floor.
      2. re-run of that account: 0 writes, at most 1.5 x its own floor.
    Items 5 to 8 (ColdStart.Bench.ps1) are new processes: the peer (the same single-account onboarding as a script of AWS
    CLI calls, Peer-Onboarding.sh), Import-Module, the first run in a process, and the working set.
    The hook for more items: every tests/Benchmarks/*.Bench.ps1 is run with -ModulePath, -EmulatorPath and -LatencyMs,
    in its own pwsh; each writes rows (objects with Item, Figure, Value, Target, Met) to its output as JSON lines, which
    join the table.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [int] $LatencyMs = 50,
    [int] $Repeat = 5,
    [string] $OutDirectory = (Join-Path $PSScriptRoot '../../out/bench')
)
$ErrorActionPreference = 'Stop'
# A fresh pwsh the way this one was started: here PowerShell is a local dotnet tool (`dotnet pwsh`).
$self = [Environment]::ProcessPath
$pwsh = if ([IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { @($self, 'pwsh') } else { @($self) }
function Invoke-Pwsh { & $pwsh[0] @($pwsh | Select-Object -Skip 1) @args }

function Get-Median([double[]] $Values) { ($Values | Sort-Object)[[int][math]::Floor($Values.Count / 2)] }
function New-Row([string] $Item, [string] $Figure, $Value, [string] $Target = '', $Met = $null) {
    [pscustomobject]@{ Item = $Item; Figure = $Figure; Value = $Value; Target = $Target; Met = $Met }
}

Import-Module $ModulePath -Force
. (Join-Path $PSScriptRoot '../EmulatorProcess.ps1')
$rows = [System.Collections.Generic.List[object]]::new()
$emulator = Start-EmulatorProcess $EmulatorPath
try {
    $url = $emulator.Url
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    $accessKey = 'EMULATORAKID00000001'
    $secretKey = 'emulatorSecretKey0000000000000000000000001'
    $apiKey = 'emulator-visionone-api-key'
    $common = @{
        Name = 'Bench'; BusinessId = '1234567890'; EndpointUrl = $url; ApiBaseUrl = $url; V1Region = 'us'
        AccessKey = $accessKey; SecretKey = $secretKey; ApiKey = (ConvertTo-SecureString $apiKey -AsPlainText -Force)
    }
    function Reset-Bench([int] $Latency = $LatencyMs) {
        Invoke-RestMethod -Method Post "$url/_emulator/reset" | Out-Null
        Invoke-RestMethod -Method Post "$url/_emulator/faults" -ContentType 'application/json' -Body (@{ latencyMs = $Latency } | ConvertTo-Json) | Out-Null
    }
    function Invoke-Measured {
        Invoke-RestMethod -Method Delete "$url/_emulator/calls" | Out-Null
        $state = $null
        $ms = (Measure-Command { $script:state = Invoke-V1AwsOnboarding @common }).TotalMilliseconds
        $calls = @(Invoke-RestMethod "$url/_emulator/calls" | ForEach-Object { $_ })
        [pscustomobject]@{
            Ms = $ms; Calls = $calls.Count; Writes = @($calls | Where-Object mutating).Count; Reads = @($calls | Where-Object { -not $_.mutating }).Count
            FloorMs = $script:state.DependentRoundTrips * $LatencyMs; RoundTrips = $script:state.DependentRoundTrips; State = $script:state.CloudAccountState
        }
    }

    # Warm up the process (JIT, connection pool) on a run that is thrown away.
    Reset-Bench
    $null = Invoke-Measured
    $fresh = @(); $rerun = @(); $freshLocal = @(); $rerunLocal = @()
    foreach ($i in 1..$Repeat) {
        Reset-Bench
        $fresh += Invoke-Measured
        $rerun += Invoke-Measured
        # The same runs with no injected latency: what is left is this process's own work (and the machine's load).
        Reset-Bench -Latency 0
        $freshLocal += Invoke-Measured
        $rerunLocal += Invoke-Measured
    }
    foreach ($run in @(@{ Item = '1 fresh single account'; Runs = $fresh; Local = $freshLocal }, @{ Item = '2 re-run'; Runs = $rerun; Local = $rerunLocal })) {
        $median = Get-Median ($run.Runs | ForEach-Object Ms)
        $local = Get-Median ($run.Local | ForEach-Object Ms)
        $last = $run.Runs[-1]
        $rows.Add((New-Row $run.Item 'calls (reads, writes)' ('{0} ({1}, {2})' -f $last.Calls, $last.Reads, $last.Writes) `
            $(if ($run.Item -like '2*') { '0 writes' } else { '' }) $(if ($run.Item -like '2*') { $last.Writes -eq 0 } else { $null })))
        $rows.Add((New-Row $run.Item 'floor' ('{0} round trips x {1} ms = {2} ms' -f $last.RoundTrips, $LatencyMs, $last.FloorMs)))
        $rows.Add((New-Row $run.Item 'wall (median)' ('{0:N0} ms = {1:N2} x floor' -f $median, ($median / $last.FloorMs)) '<= 1.5 x floor' ($median -le 1.5 * $last.FloorMs)))
        $rows.Add((New-Row $run.Item 'wall at 0 ms latency (median)' ('{0:N0} ms: the process''s own work' -f $local)))
    }
}
finally {
    Stop-EmulatorProcess $emulator
}

# The hook: more items in their own files, each in its own process; their rows join the table, the rest of what they
# write is shown as it comes (progress).
foreach ($bench in Get-ChildItem $PSScriptRoot -Filter '*.Bench.ps1' | Sort-Object Name) {
    Write-Host "$($bench.Name) ..."
    Invoke-Pwsh -NoProfile -NonInteractive -File $bench.FullName -ModulePath $ModulePath -EmulatorPath $EmulatorPath -LatencyMs $LatencyMs | ForEach-Object {
        if ("$_" -match '^\s*\{') { $rows.Add(("$_" | ConvertFrom-Json)) } else { Write-Host "$_" }
    }
    if ($LASTEXITCODE -ne 0) { throw "$($bench.Name) failed." }
}

$cpu = (Get-Content /proc/cpuinfo -ErrorAction SilentlyContinue | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
$load = (Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -split ' ' | Select-Object -First 1
$machine = '{0}, {1} cores, {2}, PowerShell {3}, .NET {4}, load average {5}' -f $(if ($cpu) { $cpu } else { 'unknown CPU' }), [Environment]::ProcessorCount,
    [System.Runtime.InteropServices.RuntimeInformation]::OSDescription, $PSVersionTable.PSVersion, [Environment]::Version, $(if ($load) { $load } else { 'unknown' })
"Benchmarks at $LatencyMs ms per emulated call, median of $Repeat, on $machine"
$rows | Format-Table -AutoSize -Wrap | Out-String -Width 200
'| Item | Figure | Value | Target | Met |'
'|---|---|---|---|---|'
foreach ($row in $rows) { '| {0} | {1} | {2} | {3} | {4} |' -f $row.Item, $row.Figure, $row.Value, $row.Target, $(if ($null -eq $row.Met) { '' } elseif ($row.Met) { 'yes' } else { 'no' }) }

$null = New-Item -ItemType Directory -Force $OutDirectory
$report = [pscustomobject]@{ Date = (Get-Date).ToUniversalTime().ToString('o'); LatencyMs = $LatencyMs; Repeat = $Repeat; Machine = $machine; Rows = $rows }
$json = $report | ConvertTo-Json -Depth 5
$file = Join-Path $OutDirectory ('bench-{0:yyyyMMdd-HHmmss}.json' -f (Get-Date).ToUniversalTime())
$json | Set-Content $file
$json | Set-Content (Join-Path $OutDirectory 'latest.json')
"Written to $file"
