<#
.SYNOPSIS
    A runbook (Azure Automation, a scheduled job, a CI step): onboard one AWS account, verify it, exit non-zero on failure.
.DESCRIPTION
    Non-interactive: every change runs with -Confirm:$false and nothing prompts. Credentials come from the
    environment (AWS as AWS.Tools reads them; the Vision One key from VISIONONE_API_KEY). Exit codes: 0 onboarded and
    verified, 1 failed (the error is written), 2 onboarded but the verification found drift.
.EXAMPLE
    pwsh -NonInteractive -File ./Invoke-OnboardingRunbook.ps1 -BusinessId 1234567890 -AccountName 'Payments prod' -V1Region us
#>
param(
    [Parameter(Mandatory)] [string] $BusinessId,
    [Parameter(Mandatory)] [string] $AccountName,
    [string] $V1Region = 'us',
    [string] $ProfileName,
    # Only for tests against a local emulator.
    [string] $EndpointUrl,
    [string] $ApiBaseUrl
)
$ErrorActionPreference = 'Stop'
$target = @{ V1Region = $V1Region }
if ($ProfileName) { $target.ProfileName = $ProfileName }
if ($EndpointUrl) { $target.EndpointUrl = $EndpointUrl }
if ($ApiBaseUrl) { $target.ApiBaseUrl = $ApiBaseUrl }

try {
    Import-Module VisionOneOnboarding
    $state = Invoke-V1AwsOnboarding -Name $AccountName -BusinessId $BusinessId -Confirm:$false @target
    Write-Output "Account $($state.AccountId): $($state.Changes.Count) change(s); Vision One state '$($state.CloudAccountState)'."
    if (-not (Test-V1AwsOnboarding -BusinessId $BusinessId -Quiet @target)) {
        Write-Output 'Drift after the onboarding:'
        Test-V1AwsOnboarding -BusinessId $BusinessId @target | Where-Object Status -ne Ok | Format-Table Step, Resource, Item, Status | Out-String | Write-Output
        exit 2
    }
    exit 0
}
catch {
    Write-Output "Onboarding failed: $($_.FullyQualifiedErrorId): $($_.Exception.Message)"
    exit 1
}
