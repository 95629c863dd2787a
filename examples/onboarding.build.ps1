<#
.SYNOPSIS
    A release pipeline's onboarding stage, as an Invoke-Build task file: plan, onboard, verify, remove.
.DESCRIPTION
    Run it with Invoke-Build (`Invoke-Build Onboard -File ./onboarding.build.ps1 -BusinessId …`). Credentials come
    from the pipeline's environment: AWS as AWS.Tools reads them (AWS_ACCESS_KEY_ID…, AWS_PROFILE, instance or
    container roles), the Vision One API key from VISIONONE_API_KEY. Nothing asks a question: every change runs
    with -Confirm:$false, and any failure fails the build.

      Plan     shows every change the onboarding would make (-WhatIf); changes nothing
      Onboard  plans, then onboards the account (idempotent: a second run changes nothing)
      Verify   fails the build when the account drifted from what the procedure prescribes
      Remove   disconnects the account and removes what the procedure created
.EXAMPLE
    Invoke-Build Onboard, Verify -File ./onboarding.build.ps1 -BusinessId 1234567890 -AccountName 'Payments prod' -V1Region us
#>
param(
    # Your Vision One business id.
    [Parameter(Mandatory)] [string] $BusinessId,
    # The name the account gets in Vision One.
    [string] $AccountName = "AWS account ($env:AWS_PROFILE)",
    [string] $V1Region = 'us',
    # An AWS CLI profile; default: the environment's credentials.
    [string] $ProfileName,
    # Only for tests against a local emulator: where IAM/STS and the Vision One API are served.
    [string] $EndpointUrl,
    [string] $ApiBaseUrl
)

Import-Module VisionOneOnboarding -ErrorAction Stop

# The parameters every cmdlet takes, once.
$script:Target = @{ V1Region = $V1Region }
if ($ProfileName) { $script:Target.ProfileName = $ProfileName }
if ($EndpointUrl) { $script:Target.EndpointUrl = $EndpointUrl }
if ($ApiBaseUrl) { $script:Target.ApiBaseUrl = $ApiBaseUrl }

# Synopsis: Show every change the onboarding would make; change nothing.
task Plan {
    Invoke-V1AwsOnboarding -Name $AccountName -BusinessId $BusinessId -WhatIf @Target
}

# Synopsis: Onboard the account (plan first); a second run changes nothing.
task Onboard Plan, {
    $state = Invoke-V1AwsOnboarding -Name $AccountName -BusinessId $BusinessId -Confirm:$false -ErrorAction Stop @Target
    Write-Build Green "Account $($state.AccountId): $($state.Changes.Count) change(s); Vision One state '$($state.CloudAccountState)'."
    assert ($state.CloudAccountState -eq 'managed') "Vision One reports the account '$($state.CloudAccountState)', not managed."
}

# Synopsis: Fail the build when the account drifted from what the procedure prescribes.
task Verify {
    if (-not (Test-V1AwsOnboarding -BusinessId $BusinessId -Quiet -ErrorAction Stop @Target)) {
        $drift = Test-V1AwsOnboarding -BusinessId $BusinessId @Target | Where-Object Status -ne Ok
        Write-Build Yellow ($drift | Format-Table Step, Resource, Item, Status | Out-String)
        throw 'The AWS account drifted from the Vision One onboarding (the checks above). Run the Onboard task to put it back.'
    }
    Write-Build Green 'The account matches what the procedure prescribes.'
}

# Synopsis: Disconnect the account and remove what the procedure created.
task Remove {
    Remove-V1AwsOnboarding -Confirm:$false -ErrorAction Stop @Target
}

task . Plan
