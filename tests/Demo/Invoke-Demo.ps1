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

. (Join-Path $PSScriptRoot '../EmulatorProcess.ps1')
$emulator = Start-EmulatorProcess $EmulatorPath
try {
    $endpoint = $emulator.Url
    Write-Host "Emulator: $endpoint (IAM, STS and Vision One; account 123456789012)" -ForegroundColor Cyan

    # The emulator's seeded credentials (not secrets), given the way a runbook would: through the environment.
    $env:AWS_ACCESS_KEY_ID = 'EMULATORAKID00000001'
    $env:AWS_SECRET_ACCESS_KEY = 'emulatorSecretKey0000000000000000000000001'
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    $env:VISIONONE_API_KEY = 'emulator-visionone-api-key'
    # Where signed IAM calls and the Vision One key go is never taken from piped objects: the session names it once,
    # as each command's own -EndpointUrl and -ApiBaseUrl (a host in no region table is used only when named so).
    $PSDefaultParameterValues['*-V1*:EndpointUrl'] = $endpoint
    $PSDefaultParameterValues['*-V1*:ApiBaseUrl'] = $endpoint

    function Invoke-Onboarding {
        Get-V1AwsTemplate -V1Region us -AwsDeploymentRegion us-east-1 |
            New-V1OidcProvider |
            Set-V1Thumbprints |
            New-V1Policies |
            New-V1Role -BusinessId 1234567890 -AwsDeploymentRegion us-east-1 |
            Connect-V1AwsAccount -Name 'Demo account' -Description 'Onboarded by VisionOneOnboarding without CloudFormation'
    }
    function Get-MutatingCalls { @(Invoke-RestMethod "$endpoint/_emulator/calls" | ForEach-Object { $_ } | Where-Object { $_.mutating -and $_.success }) }

    $chain = 'Get-V1AwsTemplate | New-V1OidcProvider | Set-V1Thumbprints | New-V1Policies | New-V1Role | Connect-V1AwsAccount'
    Write-Host "`n== First run: $chain" -ForegroundColor Cyan
    $first = Invoke-Onboarding
    $first | Format-List | Out-Host
    $firstCalls = (Get-MutatingCalls).Count

    Write-Host "== Verification: Get-V1AwsAccount" -ForegroundColor Cyan
    Get-V1AwsAccount -AccountId $first.AccountId | Format-Table -Wrap | Out-Host

    Write-Host "== Second run: the same chain again" -ForegroundColor Cyan
    $second = Invoke-Onboarding
    $second | Format-List | Out-Host
    $secondCalls = (Get-MutatingCalls).Count - $firstCalls

    Write-Host ("First run: {0} changes ({1} mutating calls); account state '{2}'. Second run: {3} changes ({4} mutating calls)." -f `
        $first.Changes.Count, $firstCalls, $first.CloudAccountState, $second.Changes.Count, $secondCalls) -ForegroundColor Green
    if ($first.CloudAccountState -ne 'managed') { throw "The account ended '$($first.CloudAccountState)', not managed." }
    if ($second.Changes.Count -ne 0 -or $secondCalls -ne 0) { throw 'The second run changed something: onboarding is not idempotent.' }
}
finally {
    Stop-EmulatorProcess $emulator
}
