<#
.SYNOPSIS
    Prints the module's speed figures, as ratios measured in one run (the machines are shared and noisy).
.DESCRIPTION
    - import: Import-Module in a fresh pwsh, against a fresh pwsh that imports nothing.
    - onboarding: Invoke-V1AwsOnboarding's first run, re-run and -WhatIf plan against the emulator with a fixed
      per-call latency (so call counts, the thing we control, dominate), as calls and seconds.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [int] $LatencyMs = 20,
    [int] $Repeat = 3
)
$ErrorActionPreference = 'Stop'

function Measure-Median([scriptblock] $Body) {
    $times = foreach ($i in 1..$Repeat) { (Measure-Command $Body).TotalMilliseconds }
    ($times | Sort-Object)[[int][math]::Floor($times.Count / 2)]
}

$bare = Measure-Median { dotnet pwsh -NoProfile -NonInteractive -Command '$null' | Out-Null }
$import = Measure-Median { dotnet pwsh -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'" | Out-Null }
'import: pwsh alone {0:N0} ms, pwsh + Import-Module {1:N0} ms, module cost {2:N0} ms ({3:N2}x a bare start)' -f $bare, $import, ($import - $bare), ($import / $bare)

Import-Module $ModulePath -Force
. (Join-Path $PSScriptRoot '../EmulatorProcess.ps1')
$emulator = Start-EmulatorProcess $EmulatorPath
try {
    $url = $emulator.Url
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    $common = @{
        Name = 'Bench'; BusinessId = '1234567890'; EndpointUrl = $url; ApiBaseUrl = $url
        AccessKey = 'EMULATORAKID00000001'; SecretKey = 'emulatorSecretKey0000000000000000000000001'
        ApiKey = (ConvertTo-SecureString 'emulator-visionone-api-key' -AsPlainText -Force)
    }
    function Invoke-Measured([hashtable] $Extra = @{}) {
        Invoke-RestMethod -Method Delete "$url/_emulator/calls" | Out-Null
        $ms = (Measure-Command { $null = Invoke-V1AwsOnboarding @common @Extra }).TotalMilliseconds
        $calls = @(Invoke-RestMethod "$url/_emulator/calls" | ForEach-Object { $_ })
        [pscustomobject]@{ Ms = $ms; Calls = $calls.Count; Mutating = @($calls | Where-Object mutating).Count }
    }
    Invoke-RestMethod -Method Post "$url/_emulator/reset" | Out-Null
    Invoke-RestMethod -Method Post "$url/_emulator/faults" -ContentType 'application/json' -Body (@{ latencyMs = $LatencyMs } | ConvertTo-Json) | Out-Null
    $plan = Invoke-Measured @{ WhatIf = $true }
    $first = Invoke-Measured
    $rerun = Invoke-Measured
    'onboarding at {0} ms per call: first run {1} calls ({2} mutating) in {3:N2} s; re-run {4} calls ({5} mutating) in {6:N2} s = {7:N2}x the first; -WhatIf plan {8} calls in {9:N2} s' -f `
        $LatencyMs, $first.Calls, $first.Mutating, ($first.Ms / 1000), $rerun.Calls, $rerun.Mutating, ($rerun.Ms / 1000), ($rerun.Ms / $first.Ms), $plan.Calls, ($plan.Ms / 1000)
    'overhead beyond the calls themselves: first run {0:N0} ms, re-run {1:N0} ms' -f ($first.Ms - $first.Calls * $LatencyMs), ($rerun.Ms - $rerun.Calls * $LatencyMs)
}
finally {
    Stop-EmulatorProcess $emulator
}
