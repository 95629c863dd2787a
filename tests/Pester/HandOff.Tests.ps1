#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The hand-off to the team that owns IAM: Export-V1AwsOnboardingPlan without credentials, the AWS CLI script run by
# the real `aws` against a fresh emulator account, and the onboarding finished from the Vision One side.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:V1 = Get-V1TestParams -WithRegion
    $script:BusinessId = '1234567890'

    # A fresh emulator account and an AWS CLI configuration for it (the one the cloud team's script uses).
    function New-HandOffAccount([string] $AccountId) {
        $keys = Invoke-Emulator POST '/_emulator/accounts' @{ accountId = $AccountId }
        $file = Join-Path $TestDrive "credentials-$AccountId"
        "[cloud-team]`naws_access_key_id = $($keys.accessKeyId)`naws_secret_access_key = $($keys.secretAccessKey)`n" | Set-Content $file
        [pscustomobject]@{ AccountId = $AccountId; CredentialsFile = $file; Aws = @{ ProfileName = 'cloud-team'; ProfileLocation = $file; EndpointUrl = $script:Emulator.Url } }
    }

    # Runs the exported script with bash and the real AWS CLI, as the cloud team would, against the emulator.
    function Invoke-HandOffScript([string] $Folder, $Account) {
        $saved = Save-Environment 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'
        try {
            Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY -ErrorAction SilentlyContinue
            $env:AWS_SHARED_CREDENTIALS_FILE = $Account.CredentialsFile
            $env:AWS_PROFILE = 'cloud-team'
            $env:AWS_DEFAULT_REGION = 'us-east-1'
            $output = & bash (Join-Path $Folder 'onboard.sh') --endpoint-url $script:Emulator.Url 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
        }
        finally { Restore-Environment $saved }
    }

    # Exports the AWS CLI hand-off of -PlanAccountId (default: the account's own) and runs it with the account's configuration.
    function Invoke-ExportedScript($Account, [string] $PlanAccountId) {
        if (-not $PlanAccountId) { $PlanAccountId = $Account.AccountId }
        $folder = Join-Path $TestDrive "cli-$($Account.AccountId)"
        $null = Export-V1AwsOnboardingPlan -AccountId $PlanAccountId -BusinessId $script:BusinessId -V1Region us -Format AwsCli -Path $folder
        Invoke-HandOffScript $folder $Account
    }

    function Get-IamMutations([string] $AccountId) {
        @(Get-EmulatorCalls | Where-Object { $_.service -eq 'iam' -and $_.mutating -and $_.success -and $_.account -eq $AccountId })
    }
}

AfterAll { Stop-TestEmulator $script:Emulator }

Describe 'Export-V1AwsOnboardingPlan' {
    It 'needs no AWS credentials and calls nothing' {
        $saved = Save-Environment 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'VISIONONE_API_KEY'
        try {
            Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY, Env:AWS_PROFILE, Env:VISIONONE_API_KEY -ErrorAction SilentlyContinue
            $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $TestDrive 'no-such-credentials'
            $env:AWS_CONFIG_FILE = Join-Path $TestDrive 'no-such-config'
            Clear-EmulatorCalls
            foreach ($format in 'Json', 'AwsCli', 'Terraform', 'Markdown') {
                $files = Export-V1AwsOnboardingPlan -AccountId 111122223333 -BusinessId $script:BusinessId -V1Region us -Format $format -Path (Join-Path $TestDrive $format) -ErrorAction Stop
                $files | Should -Not -BeNullOrEmpty
                $files | ForEach-Object { $_ | Should -BeOfType [System.IO.FileInfo] }
            }
        }
        finally { Restore-Environment $saved }
        @(Get-EmulatorCalls) | Should -HaveCount 0
        (Get-ChildItem (Join-Path $TestDrive 'AwsCli')).Name | Sort-Object |
            Should -Be @('onboard.sh', 'VisionOnePolicyPart1.json', 'VisionOnePolicyPart2.json', 'VisionOnePolicyPart3.json', 'VisionOneRole.trust-policy.json')
        Join-Path $TestDrive 'Terraform/visionone-onboarding.tf' | Should -FileContentMatch 'resource "aws_iam_openid_connect_provider"'
        Join-Path $TestDrive 'Markdown/change-request.md' | Should -FileContentMatch 'Change request: connect AWS account 111122223333'
    }

    It 'writes the text to the pipeline without -Path; the Json plan reads back with the same documents' {
        $json = Export-V1AwsOnboardingPlan -AccountId 111122223333 -BusinessId $script:BusinessId -V1Region us -Format Json
        $json | Should -BeOfType [string]
        $plan = $json | ConvertFrom-Json
        $plan.accountId | Should -Be '111122223333'
        $plan.role.arn | Should -Be 'arn:aws:iam::111122223333:role/VisionOneRole'
        $plan.oidcProvider.thumbprints | Should -HaveCount 4
        $plan.role.trustPolicy.Statement[0].Principal.Federated | Should -Be $plan.oidcProvider.arn
        ($plan | ConvertTo-Json -Depth 30 | ConvertFrom-Json | ConvertTo-Json -Depth 30) | Should -Be ($plan | ConvertTo-Json -Depth 30)

        $cli = Export-V1AwsOnboardingPlan -AccountId 111122223333 -BusinessId $script:BusinessId -V1Region us -Format AwsCli
        $cli.Name | Should -Contain 'onboard.sh'
        ($cli | Where-Object Name -eq 'VisionOneRole.trust-policy.json').Content | ConvertFrom-Json |
            ForEach-Object { $_.Statement[0].Principal.Federated } | Should -Be $plan.oidcProvider.arn
    }

    It 'refuses bad input with a catchable error and writes nothing' {
        $folder = Join-Path $TestDrive 'bad'
        { Export-V1AwsOnboardingPlan -AccountId 12345 -BusinessId $script:BusinessId -V1Region us -Format Json -Path $folder -ErrorAction Stop } |
            Should -Throw -ErrorId 'VisionOne.InvalidAccountId*'
        $folder | Should -Not -Exist
    }

    It 'with -WhatIf writes no file' {
        $folder = Join-Path $TestDrive 'whatif'
        Export-V1AwsOnboardingPlan -AccountId 111122223333 -BusinessId $script:BusinessId -V1Region us -Format Markdown -Path $folder -WhatIf
        $folder | Should -Not -Exist
    }
}

Describe 'The hand-off applied by the cloud team' {
    It 'the AWS CLI script makes a fresh account compliant once Connect-V1AwsAccount -RoleArn has run' {
        $account = New-HandOffAccount '222233334444'
        $aws = $account.Aws
        $run = Invoke-ExportedScript $account
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'arn:aws:iam::222233334444:role/VisionOneRole'

        $connected = Connect-V1AwsAccount -RoleArn 'arn:aws:iam::222233334444:role/VisionOneRole' -Name 'Handed off' -VerifyTimeoutSeconds 5 @script:V1
        $connected.CloudAccountState | Should -Be 'managed'
        $checks = Test-V1AwsOnboarding -BusinessId $script:BusinessId @aws @script:V1
        @($checks | Where-Object { $_ -is [VisionOneOnboarding.OnboardingCheck] -and $_.Status -ne 'Ok' } | ForEach-Object { "$($_.Step) $($_.Item) $($_.Status)" }) | Should -BeNullOrEmpty
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @aws @script:V1 | Should -BeTrue
    }

    It 'after the script, Invoke-V1AwsOnboarding connects the account and makes no IAM change' {
        $account = New-HandOffAccount '333344445555'
        $aws = $account.Aws
        $run = Invoke-ExportedScript $account
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $iamBefore = (Get-IamMutations $account.AccountId).Count
        $iamBefore | Should -Be 8   # provider, three policies, role, three attachments

        $state = Invoke-V1AwsOnboarding -Name 'Invoked after hand-off' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 @aws @script:V1
        $state.CloudAccountState | Should -Be 'managed'
        (Get-IamMutations $account.AccountId).Count | Should -Be $iamBefore
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @aws @script:V1 | Should -BeTrue
    }

    It 'the script refuses credentials of another account and changes nothing' {
        $account = New-HandOffAccount '444455556666'
        $run = Invoke-ExportedScript $account -PlanAccountId 555566667777
        $run.ExitCode | Should -Not -Be 0
        $run.Output | Should -Match 'not 555566667777: nothing was changed'
        Get-IamMutations $account.AccountId | Should -BeNullOrEmpty
    }
}
