<#
.SYNOPSIS
    The many-account benchmark items, against the bundled emulator with a fixed latency per call:
      3. 48 accounts of an Organization onboarded at -ThrottleLimit 1 and at the default (16), same run: the speed-up
         (target at least 10 x).
      4. 500 accounts with 5 % of the AWS calls throttled and 5 % of the Vision One calls answered 429: every account
         managed and none duplicated; wall time, calls throttled, and the peak working set of this process (target
         below 400 MB).
.DESCRIPTION
    Run alone (dotnet pwsh tests/Benchmarks/Organization.Bench.ps1 -ModulePath … -EmulatorPath …) it prints a table
    and writes out/bench/organization.json; run by Invoke-Benchmarks.ps1 (dotnet pwsh ./build.ps1 Bench) its rows —
    the JSON lines it writes — join that table. The emulator's throttling rate applies to every AWS face (IAM, STS,
    Organizations) alike.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath,
    [int] $LatencyMs = 50,
    [int] $SpeedupAccounts = 48,
    [int] $ScaleAccounts = 500,
    [double] $ThrottleRate = 0.05,
    [string] $OutDirectory = (Join-Path $PSScriptRoot '../../out/bench')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
. (Join-Path $PSScriptRoot '../EmulatorProcess.ps1')

function New-Row([string] $Item, [string] $Figure, [string] $Value, [string] $Target = '', $Met = $null) {
    [pscustomobject]@{ Item = $Item; Figure = $Figure; Value = $Value; Target = $Target; Met = $Met }
}

$emulator = Start-EmulatorProcess $EmulatorPath
$rows = [System.Collections.Generic.List[object]]::new()
try {
    $url = $emulator.Url
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    $common = @{
        AllOrganizationAccounts = $true; BusinessId = '1234567890'; EndpointUrl = $url; ApiBaseUrl = $url; V1Region = 'us'
        AccessKey = 'EMULATORAKID00000001'; SecretKey = 'emulatorSecretKey0000000000000000000000001'
        ApiKey = (ConvertTo-SecureString 'emulator-visionone-api-key' -AsPlainText -Force)
        ProgressAction = 'SilentlyContinue'
    }
    function Invoke-Control([string] $Method, [string] $Path, $Body) {
        $params = @{ Method = $Method; Uri = "$url$Path" }
        if ($null -ne $Body) { $params.Body = ($Body | ConvertTo-Json -Depth 5); $params.ContentType = 'application/json' }
        Invoke-RestMethod @params
    }
    # A fresh emulator state: an Organization of $Accounts ACTIVE accounts (the management account and members in two OUs), the latency set.
    function Initialize-Organization([int] $Accounts, [double] $Throttle = 0) {
        Invoke-Control POST '/_emulator/reset' | Out-Null
        $null = Invoke-Control POST '/_emulator/organization' @{ organizationalUnits = @('Prod', 'Dev'); accounts = $Accounts - 1 }
        $null = Invoke-Control POST '/_emulator/faults' @{ latencyMs = $LatencyMs; throttleRate = $Throttle }
    }
    function Measure-Run([hashtable] $Extra = @{}) {
        $out = $null
        $seconds = (Measure-Command { $script:out = Invoke-V1AwsOnboarding @common @Extra -ErrorAction SilentlyContinue -ErrorVariable +script:runErrors }).TotalSeconds
        [pscustomobject]@{ Seconds = $seconds; Summary = @($script:out | Where-Object { $_ -is [VisionOneOnboarding.ManyAccountsSummary] })[0] }
    }

    # 3. The same fresh Organization onboarded one account at a time, then with the default throttle limit.
    Initialize-Organization $SpeedupAccounts
    $serial = Measure-Run @{ ThrottleLimit = 1; VerifyTimeoutSeconds = 30 }
    Initialize-Organization $SpeedupAccounts
    $parallel = Measure-Run @{ VerifyTimeoutSeconds = 30 }
    $speedup = $serial.Seconds / $parallel.Seconds
    $rows.Add((New-Row "3 $SpeedupAccounts accounts, -ThrottleLimit 1 vs default" 'speed-up' (
        '{0:N1} s vs {1:N1} s = {2:N1} x ({3} and {4} succeeded)' -f $serial.Seconds, $parallel.Seconds, $speedup, $serial.Summary.Succeeded, $parallel.Summary.Succeeded) '>= 10 x' ($speedup -ge 10 -and $serial.Summary.Succeeded -eq $SpeedupAccounts -and $parallel.Summary.Succeeded -eq $SpeedupAccounts)))

    # 4. 500 accounts while 5 % of the calls are throttled.
    Initialize-Organization $ScaleAccounts $ThrottleRate
    $scale = Measure-Run @{ VerifyTimeoutSeconds = 60 }
    $null = Invoke-Control POST '/_emulator/faults' @{ throttleRate = 0 }
    $entries = @(Invoke-Control GET '/_emulator/visionone/accounts' | ForEach-Object { $_ })
    $calls = @(Invoke-Control GET '/_emulator/calls' | ForEach-Object { $_ })
    $throttledIam = @($calls | Where-Object { $_.service -ne 'cam' -and $_.errorCode -in 'Throttling', 'TooManyRequestsException' }).Count
    $throttledV1 = @($calls | Where-Object { $_.service -eq 'cam' -and $_.status -eq 429 }).Count
    $managed = @($entries | Where-Object state -eq 'managed').Count
    $distinct = @($entries.id | Sort-Object -Unique).Count
    $names = @($entries.name | Sort-Object -Unique).Count
    $peakMb = [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB
    $allManaged = $managed -eq $ScaleAccounts -and $distinct -eq $entries.Count -and $names -eq $entries.Count -and $scale.Summary.Succeeded -eq $ScaleAccounts
    $rows.Add((New-Row "4 $ScaleAccounts accounts, $([int]($ThrottleRate * 100)) % throttled" 'accounts managed, none duplicated' (
        '{0} entries for {1} accounts, {2} managed, {3} distinct ids and names; summary {4} succeeded, {5} failed' -f $entries.Count, $ScaleAccounts, $managed, $distinct, $scale.Summary.Succeeded, $scale.Summary.Failed) "all $ScaleAccounts managed, 0 duplicated" $allManaged))
    $rows.Add((New-Row "4 $ScaleAccounts accounts, $([int]($ThrottleRate * 100)) % throttled" 'wall time, throttling met' (
        '{0:N1} s; {1} AWS calls throttled, {2} Vision One calls answered 429, of {3} calls' -f $scale.Seconds, $throttledIam, $throttledV1, $calls.Count)))
    $rows.Add((New-Row "4 $ScaleAccounts accounts, $([int]($ThrottleRate * 100)) % throttled" 'peak working set (this pwsh)' ('{0:N0} MB' -f $peakMb) '< 400 MB' ($peakMb -lt 400)))
}
finally {
    Stop-EmulatorProcess $emulator
}

foreach ($row in $rows) { $row | ConvertTo-Json -Compress }
$rows | Format-Table -AutoSize -Wrap | Out-String -Width 200 | Write-Host
$null = New-Item -ItemType Directory -Force $OutDirectory
[pscustomobject]@{ Date = (Get-Date).ToUniversalTime().ToString('o'); LatencyMs = $LatencyMs; Rows = $rows } |
    ConvertTo-Json -Depth 5 | Set-Content (Join-Path $OutDirectory 'organization.json')
