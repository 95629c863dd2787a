#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Least privilege through the built module: Get-V1AwsOperatorPolicy's policy held by an IAM user of the emulator with
# enforcement on, the preflight's refusal, its warning when the simulator cannot answer, and the Organization check.
# (Every action of the table, taken out one at a time, is refused by the preflight in xunit's PermissionTests.)

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:V1 = Get-V1TestParams -WithRegion
    $script:BusinessId = '1234567890'
    $script:Account = '123456789012'

    function Get-Mutations { @(Get-EmulatorCalls | Where-Object { $_.mutating -and $_.success -and $_.service -eq 'iam' }) }

    # An IAM user "operator" holding $PolicyText as a managed policy; its keys as the AWS parameters of a cmdlet.
    function New-Operator([string] $PolicyText) {
        $file = Join-Path $TestDrive 'operator-policy.json'
        $PolicyText | Set-Content -Path $file
        $null = Invoke-AwsCli iam create-user --user-name operator
        $arn = (Invoke-AwsCli iam create-policy --policy-name VisionOneOperator --policy-document "file://$file").Policy.Arn
        $null = Invoke-AwsCli iam attach-user-policy --user-name operator --policy-arn $arn
        $key = (Invoke-AwsCli iam create-access-key --user-name operator).AccessKey
        @{ AccessKey = $key.AccessKeyId; SecretKey = $key.SecretAccessKey; EndpointUrl = $script:Emulator.Url }
    }

    function Remove-Action([string] $PolicyText, [string] $Action) {
        $policy = $PolicyText | ConvertFrom-Json
        foreach ($statement in $policy.Statement) { $statement.Action = @($statement.Action | Where-Object { $_ -ne $Action }) }
        $policy.Statement = @($policy.Statement | Where-Object { $_.Action.Count -gt 0 })
        $policy | ConvertTo-Json -Depth 10
    }

    function Set-Enforcement([bool] $On) { $null = Invoke-Emulator POST '/_emulator/enforcement' @{ enabled = $On } }
}

AfterAll { Stop-TestEmulator $script:Emulator }

Describe 'Get-V1AwsOperatorPolicy' {
    It 'writes one policy document as JSON text, with no wildcard action, that Set-Content saves as is' {
        foreach ($scope in 'Account', 'Organization', 'Member') {
            $text = Get-V1AwsOperatorPolicy -Scope $scope -AccountId $script:Account
            $text | Should -BeOfType [string]
            $policy = $text | ConvertFrom-Json
            $policy.Version | Should -Be '2012-10-17'
            $actions = @($policy.Statement.Action)
            $actions | Should -Not -Contain '*'
            $actions | Where-Object { $_ -like '*`**' } | Should -BeNullOrEmpty
            ($actions -contains 'sts:AssumeRole') | Should -Be ($scope -eq 'Organization')
        }
        $path = Join-Path $TestDrive 'operator-policy.json'
        Get-V1AwsOperatorPolicy | Set-Content $path
        (Get-Content $path -Raw | ConvertFrom-Json).Statement.Count | Should -BeGreaterThan 3
    }

    It 'refuses a malformed account id and calls nothing' {
        Clear-EmulatorCalls
        { Get-V1AwsOperatorPolicy -AccountId 12345 -ErrorAction Stop } | Should -Throw -ErrorId 'VisionOne.InvalidAccountId*'
        @(Get-EmulatorCalls).Count | Should -Be 0
    }
}

Describe 'The preflight, with the emulator enforcing IAM policies' {
    BeforeEach { Reset-Emulator }
    AfterEach { Set-Enforcement $false }

    It 'lets an identity holding exactly the operator policy onboard, re-run, check and remove' {
        $aws = New-Operator (Get-V1AwsOperatorPolicy -AccountId $script:Account)
        Set-Enforcement $true

        $state = Invoke-V1AwsOnboarding -Name 'Least privilege' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 @aws @script:V1 -WarningVariable warnings -ErrorAction Stop
        $state.CloudAccountState | Should -Be 'managed'
        $warnings | Should -BeNullOrEmpty
        Clear-EmulatorCalls
        $again = Invoke-V1AwsOnboarding -Name 'Least privilege' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 @aws @script:V1 -ErrorAction Stop
        @($again.Changes).Count | Should -Be 0
        Get-Mutations | Should -BeNullOrEmpty
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @aws @script:V1 | Should -BeTrue
        Remove-V1AwsOnboarding -Force @aws @script:V1 -ErrorAction Stop
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @aws @script:V1 | Should -BeFalse
        @(Get-EmulatorCalls | Where-Object { $_.action -eq 'SimulatePrincipalPolicy' -and $_.success }).Count | Should -BeGreaterThan 2
        @(Get-EmulatorCalls | Where-Object errorCode -eq 'AccessDenied').Count | Should -Be 0
    }

    It 'refuses, before any change, an identity that lacks one action, naming it and the policy cmdlet' {
        $aws = New-Operator (Remove-Action (Get-V1AwsOperatorPolicy -AccountId $script:Account) 'iam:AttachRolePolicy')
        Set-Enforcement $true
        Clear-EmulatorCalls
        $caught = $null
        try { Invoke-V1AwsOnboarding -Name 'Least privilege' -BusinessId $script:BusinessId @aws @script:V1 } catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -BeLike 'VisionOne.AwsPermissionMissing*'
        $caught.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $caught.Exception.Message | Should -BeLike '*iam:AttachRolePolicy on arn:aws:iam::123456789012:role/VisionOneRole (implicitDeny)*Nothing was changed*Get-V1AwsOperatorPolicy*'
        Write-Host ('    preflight error: ' + $caught.Exception.Message)
        Get-Mutations | Should -BeNullOrEmpty
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @aws @script:V1 | Should -BeFalse
    }

    It 'warns once when the caller may not ask the simulator, and still onboards with the full policy' {
        $aws = New-Operator (Remove-Action (Get-V1AwsOperatorPolicy -AccountId $script:Account) 'iam:SimulatePrincipalPolicy')
        Set-Enforcement $true
        $state = Invoke-V1AwsOnboarding -Name 'Least privilege' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 @aws @script:V1 -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop
        $state.CloudAccountState | Should -Be 'managed'
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike 'Could not check permissions in advance:*not authorized to perform: iam:SimulatePrincipalPolicy*'
    }

    It 'asks nothing with -SkipPreflight' {
        $admin = Get-AwsTestParams
        Clear-EmulatorCalls
        $null = Invoke-V1AwsOnboarding -Name 'Skipped' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 -SkipPreflight @admin @script:V1 -ErrorAction Stop
        @(Get-EmulatorCalls | Where-Object action -eq 'SimulatePrincipalPolicy').Count | Should -Be 0
    }
}

Describe 'A run over the Organization' {
    AfterEach { Set-Enforcement $false }

    It 'is refused, before any AssumeRole, when the caller is a member account' {
        Reset-Emulator
        $org = Invoke-Emulator POST '/_emulator/organization' @{ accounts = 3 }
        $member = @($org.accounts | Where-Object { $_.id -ne $script:Account })[0].id
        $keys = Invoke-Emulator POST '/_emulator/accounts' @{ accountId = $member }
        Clear-EmulatorCalls
        $caught = $null
        try {
            Invoke-V1AwsOnboarding -AllOrganizationAccounts -BusinessId $script:BusinessId -AccessKey $keys.accessKeyId -SecretKey $keys.secretAccessKey -EndpointUrl $script:Emulator.Url @script:V1
        } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'VisionOne.NotOrganizationManagementAccount*'
        $caught.Exception.Message | Should -BeLike "*$member*neither the management account*$($script:Account)*"
        @(Get-EmulatorCalls | Where-Object action -eq 'AssumeRole').Count | Should -Be 0
        @(Get-EmulatorCalls | Where-Object { $_.mutating -and $_.success }).Count | Should -Be 0
    }

    It 'fails only the member whose role lacks a permission, its preflight running after its AssumeRole' {
        Reset-Emulator
        $org = Invoke-Emulator POST '/_emulator/organization' @{ accounts = 2 }
        $members = @($org.accounts | Where-Object { $_.id -ne $script:Account } | ForEach-Object id)
        $narrow = $members[0]
        # In that member, OrganizationAccountAccessRole holds the Member policy without iam:CreateRole instead of AdministratorAccess.
        $keys = Invoke-Emulator POST '/_emulator/accounts' @{ accountId = $narrow }
        $file = Join-Path $TestDrive 'member-policy.json'
        Remove-Action (Get-V1AwsOperatorPolicy -Scope Member) 'iam:CreateRole' | Set-Content $file
        $saved = Save-Environment 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION'
        $env:AWS_ACCESS_KEY_ID = $keys.accessKeyId; $env:AWS_SECRET_ACCESS_KEY = $keys.secretAccessKey; $env:AWS_DEFAULT_REGION = 'us-east-1'
        try {
            $arn = (& aws --endpoint-url $script:Emulator.Url --output json iam create-policy --policy-name VisionOneOperator --policy-document "file://$file" | ConvertFrom-Json).Policy.Arn
            & aws --endpoint-url $script:Emulator.Url iam attach-role-policy --role-name OrganizationAccountAccessRole --policy-arn $arn
            & aws --endpoint-url $script:Emulator.Url iam detach-role-policy --role-name OrganizationAccountAccessRole --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
        }
        finally { Restore-Environment $saved }
        Set-Enforcement $true
        Clear-EmulatorCalls

        $admin = Get-AwsTestParams
        $out = Invoke-V1AwsOnboarding -AllOrganizationAccounts -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 @admin @script:V1 -ErrorVariable failures -ErrorAction SilentlyContinue
        $summary = @($out | Where-Object { $_ -is [VisionOneOnboarding.ManyAccountsSummary] })[0]
        $summary.Succeeded | Should -Be 2
        $summary.Failed | Should -Be 1
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'VisionOne.AwsPermissionMissing*'
        "$($failures[0])" | Should -BeLike "*iam:CreateRole on arn:aws:iam::$($narrow):role/VisionOneRole*"
        @(Get-EmulatorCalls | Where-Object { $_.account -eq $narrow -and $_.action -eq 'SimulatePrincipalPolicy' -and $_.success }).Count | Should -BeGreaterThan 0
        @(Get-EmulatorCalls | Where-Object { $_.account -eq $narrow -and $_.mutating -and $_.success -and $_.service -eq 'iam' }).Count | Should -Be 0
    }
}
