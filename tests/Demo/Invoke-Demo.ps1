<#
.SYNOPSIS
    The README's main job: start the bundled emulator, onboard its account through the pipeline chain,
    run it again to show that nothing changes, and stop the emulator.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $EmulatorPath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

$psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
$psi.ArgumentList.Add($EmulatorPath); $psi.ArgumentList.Add('--port'); $psi.ArgumentList.Add('0')
$psi.RedirectStandardOutput = $true; $psi.UseShellExecute = $false
$emulator = [System.Diagnostics.Process]::Start($psi)
try {
    $line = $emulator.StandardOutput.ReadLine()
    if ($line -notmatch 'listening on (\S+)') { throw "The emulator did not start: $line" }
    $endpoint = $Matches[1].TrimEnd('/')
    Write-Host "Emulator: $endpoint (IAM, STS and Vision One; account 123456789012)" -ForegroundColor Cyan

    # The emulator's seeded credentials (not secrets), given the way a runbook would: through the environment.
    $env:AWS_ACCESS_KEY_ID = 'EMULATORAKID00000001'
    $env:AWS_SECRET_ACCESS_KEY = 'emulatorSecretKey0000000000000000000000001'
    $env:AWS_EC2_METADATA_DISABLED = 'true'

    function Invoke-Onboarding {
        New-V1OidcProvider -V1Region us -EndpointUrl $endpoint |
            Set-V1Thumbprints |
            New-V1Policies |
            New-V1Role -BusinessId 1234567890 -AwsDeploymentRegion us-east-1
    }

    Write-Host "`n== First run: New-V1OidcProvider | Set-V1Thumbprints | New-V1Policies | New-V1Role" -ForegroundColor Cyan
    $first = Invoke-Onboarding
    $first | Format-List | Out-Host

    Write-Host "== Second run: the same chain again" -ForegroundColor Cyan
    $second = Invoke-Onboarding
    $second | Format-List | Out-Host

    $calls = Invoke-RestMethod "$endpoint/_emulator/calls"
    $mutating = @($calls | Where-Object { $_.mutating -and $_.success })
    Write-Host ("First run: {0} changes. Second run: {1} changes. Mutating calls in all: {2}." -f $first.Changes.Count, $second.Changes.Count, $mutating.Count) -ForegroundColor Green
    if ($second.Changes.Count -ne 0) { throw 'The second run changed something: onboarding is not idempotent.' }
}
finally {
    if (-not $emulator.HasExited) { $emulator.Kill($true); $null = $emulator.WaitForExit(5000) }
}
