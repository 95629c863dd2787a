#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Many accounts through the built module: an emulated Organization onboarded, checked and removed in one command each.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Aws = Get-AwsTestParams
    $script:V1 = Get-V1TestParams -WithRegion
    $script:BusinessId = '1234567890'

    # 29 members in two OUs (Prod has a child OU, Payments) plus one suspended member; with the management account, 30 ACTIVE accounts.
    function New-TestOrganization([hashtable] $Extra = @{}) {
        Reset-Emulator
        Invoke-Emulator POST '/_emulator/organization' (@{ organizationalUnits = @('Prod', 'Dev', 'Prod/Payments'); accounts = 29; suspendedAccounts = 1 } + $Extra)
    }
    function Get-ActiveIds($Organization) { @($Organization.accounts | Where-Object state -eq 'ACTIVE' | ForEach-Object id | Sort-Object) }
    function Get-Mutations { @(Get-EmulatorCalls | Where-Object { $_.mutating -and $_.success }) }
    function Get-V1Entries { @(Invoke-Emulator GET '/_emulator/visionone/accounts' | ForEach-Object { $_ }) }
    function Get-Summary($Output) { @($Output | Where-Object { $_ -is [VisionOneOnboarding.ManyAccountsSummary] }) }
    function Get-CheckedIds($Output) { @($Output | Where-Object { $_ -is [VisionOneOnboarding.OnboardingCheckSummary] } | ForEach-Object AccountId | Sort-Object) }
    function Invoke-Organization([hashtable] $Extra = @{}) {
        Invoke-V1AwsOnboarding -AllOrganizationAccounts -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 @script:Aws @script:V1 @Extra
    }
    function Test-Organization([hashtable] $Extra = @{}) { Test-V1AwsOnboarding -AllOrganizationAccounts -BusinessId $script:BusinessId @script:Aws @script:V1 @Extra }

    # The AWS CLI as the administrator of one member account (keys issued by the emulator), to change that account behind the module's back.
    function Invoke-MemberCli([string] $AccountId) {
        $keys = Invoke-Emulator POST '/_emulator/accounts' @{ accountId = $AccountId }
        $saved = Save-Environment 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION'
        $env:AWS_ACCESS_KEY_ID = $keys.accessKeyId
        $env:AWS_SECRET_ACCESS_KEY = $keys.secretAccessKey
        $env:AWS_DEFAULT_REGION = 'us-east-1'
        try { $out = & aws --endpoint-url $script:Emulator.Url --output json @args 2>&1 }
        finally { Restore-Environment $saved }
        if ($LASTEXITCODE -ne 0) { throw "aws $args failed: $out" }
    }
}

AfterAll { Stop-TestEmulator $script:Emulator }

Describe 'Invoke-, Test- and Remove-V1AwsOnboarding over an Organization' {
    BeforeAll {
        $script:Org = New-TestOrganization
        $script:Active = Get-ActiveIds $script:Org
    }

    It 'onboards every ACTIVE account of the Organization, each named after its account, with a summary last' {
        $script:Active.Count | Should -Be 30
        $out = Invoke-Organization

        $states = @($out | Where-Object { $_ -is [VisionOneOnboarding.AwsOnboardingState] })
        @($states.AccountId | Sort-Object) | Should -Be $script:Active
        $states | ForEach-Object { $_.CloudAccountState | Should -Be 'managed' }
        $summary = Get-Summary $out
        $summary.Count | Should -Be 1
        $out[-1] | Should -Be $summary[0]
        $summary[0].Succeeded | Should -Be 30
        $summary[0].Changed | Should -Be 30
        $summary[0].Failed | Should -Be 0
        $entries = Get-V1Entries
        @($entries.id | Sort-Object) | Should -Be $script:Active
        $member = $script:Org.accounts | Where-Object name -eq 'Member 007'
        ($entries | Where-Object id -eq $member.id).name | Should -Be "Member 007 ($($member.id))"
        $suspended = ($script:Org.accounts | Where-Object state -eq 'SUSPENDED').id
        @(Get-EmulatorCalls | Where-Object account -eq $suspended) | Should -BeNullOrEmpty
        $summary[0].LeftOut | Should -Be 1
        $summary[0].LeftOutAccounts.AccountId | Should -Be $suspended
    }

    It 'makes no mutating call at all when run again' {
        Clear-EmulatorCalls
        $summary = Get-Summary (Invoke-Organization)
        $summary[0].Unchanged | Should -Be 30
        $summary[0].Changed | Should -Be 0
        Get-Mutations | Should -BeNullOrEmpty
        @(Get-EmulatorCalls | Where-Object { $_.service -eq 'sts' -and $_.action -eq 'AssumeRole' }).Count | Should -Be 29   # the caller's own account needs none
    }

    It 'checks the same accounts: compliant, then one drifted member found' {
        Test-Organization @{ Quiet = $true } | Should -BeExactly $true
        $member = ($script:Org.accounts | Where-Object name -eq 'Member 011').id
        Invoke-MemberCli $member iam untag-role --role-name VisionOneRole --tag-keys VisionOneFeatures

        $out = Test-Organization
        Get-CheckedIds $out | Should -Be $script:Active
        $drifted = @($out | Where-Object { $_ -is [VisionOneOnboarding.OnboardingCheckSummary] -and -not $_.IsCompliant })
        $drifted.AccountId | Should -Be $member
        (Get-Summary $out)[0].Changed | Should -Be 1
        Test-Organization @{ Quiet = $true } | Should -BeExactly $false
    }

    It 'tells the host how far it is, account by account: done, failed, remaining' {
        # Progress is not a redirectable stream: a runspace of its own collects it, as a host would show it.
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument($script:ModulePath).AddStatement()
            $parameters = @{ AllOrganizationAccounts = $true; BusinessId = $script:BusinessId; Quiet = $true } + $script:Aws + $script:V1
            $null = $ps.AddCommand('Test-V1AwsOnboarding').AddParameters($parameters)
            $result = $ps.Invoke()
            $records = @($ps.Streams.Progress | Where-Object Activity -eq 'Checking 30 AWS account(s) for Vision One')
        }
        finally { $ps.Dispose() }

        $result[-1] | Should -BeOfType ([bool])
        $records[0].StatusDescription | Should -Be '0 done, 0 failed, 30 remaining'
        $records.StatusDescription | Should -Contain '15 done, 0 failed, 15 remaining'
        $records.StatusDescription | Should -Contain '30 done, 0 failed, 0 remaining'
        @($records | Where-Object { $_.CurrentOperation -like 'Finished *' }).Count | Should -Be 30
        $records[-1].RecordType | Should -Be 'Completed'
    }

    It 'takes -OrganizationalUnitId as the OU and every OU below it' {
        $prod = $script:Org.organizationalUnits | Where-Object path -eq 'Prod'
        $payments = $script:Org.organizationalUnits | Where-Object path -eq 'Prod/Payments'
        $expected = @($script:Org.accounts | Where-Object { $_.state -eq 'ACTIVE' -and $_.parentId -in $prod.id, $payments.id } | ForEach-Object id | Sort-Object)
        $expected.Count | Should -BeGreaterThan 10

        Get-CheckedIds (Test-Organization @{ OrganizationalUnitId = $prod.id }) | Should -Be $expected
    }

    It 'splits the accounts into -Shard slices that take every account exactly once' {
        $slices = foreach ($i in 1..3) { , (Get-CheckedIds (Test-Organization @{ Shard = "$i/3"; ExcludeAccountId = $script:EmuAccount })) }
        $all = @($slices | ForEach-Object { $_ })
        $all.Count | Should -Be 29
        @($all | Sort-Object -Unique) | Should -Be @($script:Active | Where-Object { $_ -ne $script:EmuAccount })
        $slices | ForEach-Object { $_.Count | Should -BeGreaterThan 0 }
        Get-CheckedIds (Test-Organization @{ Shard = '2/3'; ExcludeAccountId = $script:EmuAccount }) | Should -Be $slices[1]   # the same slice on every run
    }

    It 'removes the onboarding from every account of the Organization' {
        Clear-EmulatorCalls
        $out = Remove-V1AwsOnboarding -AllOrganizationAccounts -Force @script:Aws @script:V1
        (Get-Summary $out)[0].Succeeded | Should -Be 30
        Get-V1Entries | Should -BeNullOrEmpty
        Test-Organization @{ Quiet = $true } | Should -BeExactly $false
        $member = ($script:Org.accounts | Where-Object name -eq 'Member 003').id
        (Invoke-Emulator GET "/_emulator/state?account=$member").roles.name | Should -Be @('OrganizationAccountAccessRole')
    }
}

Describe 'Failures and refusals over many accounts' {
    BeforeEach {
        $script:Org = New-TestOrganization
        $script:Active = Get-ActiveIds $script:Org
    }

    It 'reports a member whose role cannot be assumed, and finishes the others' {
        # The member's admin made OrganizationAccountAccessRole trust someone else: STS itself refuses the AssumeRole.
        $member = @($script:Active | Where-Object { $_ -ne $script:EmuAccount })[6]
        $elsewhere = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole"}]}'
        Invoke-MemberCli $member iam update-assume-role-policy --role-name OrganizationAccountAccessRole --policy-document $elsewhere

        $out = Invoke-V1AwsOnboarding -AllOrganizationAccounts -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 -ErrorVariable failures -ErrorAction SilentlyContinue @script:Aws @script:V1

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'VisionOne.AssumeRoleDenied*'
        $failures[0].TargetObject | Should -Be $member
        "$($failures[0])" | Should -Match $member
        @(Get-EmulatorCalls | Where-Object { $_.action -eq 'AssumeRole' -and $_.errorCode -eq 'AccessDenied' }).Count | Should -Be 1
        $summary = (Get-Summary $out)[0]
        $summary.Succeeded | Should -Be 29
        $summary.Failures.AccountId | Should -Be $member
        $summary.Failures.ErrorId | Should -Be 'VisionOne.AssumeRoleDenied'
        @((Get-V1Entries).id | Sort-Object) | Should -Be @($script:Active | Where-Object { $_ -ne $member })
    }

    It 'stops once, before any account is reached, when the region or the tenant disagrees with the template' -TestCases @(
        @{ Case = '-V1Region eu against the us issuer'; Extra = @{ V1Region = 'eu' }; BusinessId = '1234567890'; Id = 'VisionOne.RegionMismatch' }
        @{ Case = 'another tenant''s business id'; Extra = @{}; BusinessId = '1234567899'; Id = 'VisionOne.BusinessIdMismatch' }
    ) {
        $v1 = $script:V1.Clone()
        foreach ($key in $Extra.Keys) { $v1[$key] = $Extra[$key] }
        Clear-EmulatorCalls
        $err = $null
        try { $null = Invoke-V1AwsOnboarding -AllOrganizationAccounts -BusinessId $BusinessId -VerifyTimeoutSeconds 5 @script:Aws @v1 } catch { $err = $_ }

        # Terminating: caught without -ErrorAction Stop, and raised once rather than once per account.
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        @(Get-EmulatorCalls | Where-Object { $_.action -eq 'AssumeRole' }).Count | Should -Be 0
        Get-Mutations | Should -BeNullOrEmpty
    }

    It 'refuses a template''s foreign issuer once for the run, and with -AllowCustomIssuer plans every account with it' {
        $template = Join-Path $TestDrive 'custom-issuer.yaml'
        (Get-Content (Join-Path $PSScriptRoot '../VisionOneOnboarding.Tests/Onboarding/Fixtures/vision-one-template.yaml') -Raw).
            Replace('Default: cloudaccounts-us.xdr.trendmicro.com', 'Default: oidc.internal.example').
            Replace("Default: '1f0e2d3c-4b5a-6978-8695-a4b3c2d1e0f9'", "Default: '$($script:BusinessId)'") | Set-Content $template
        $run = @{ AllOrganizationAccounts = $true; BusinessId = $script:BusinessId; TemplatePath = $template; WhatIf = $true }
        Clear-EmulatorCalls

        $err = $null
        try { $null = Invoke-V1AwsOnboarding @run @script:Aws @script:V1 -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.UntrustedIssuer,*'
        @(Get-EmulatorCalls | Where-Object { $_.action -eq 'AssumeRole' }).Count | Should -Be 0

        $out = Invoke-V1AwsOnboarding @run -AllowCustomIssuer @script:Aws @script:V1 -WarningAction SilentlyContinue
        $states = @($out | Where-Object { $_ -is [VisionOneOnboarding.AwsOnboardingState] })
        $states.Count | Should -Be 30
        $states | ForEach-Object { $_.OidcProviderUrl | Should -Be 'https://oidc.internal.example' }
        Get-Mutations | Should -BeNullOrEmpty
    }

    It 'plans every account under -WhatIf and makes no mutating call anywhere' {
        Clear-EmulatorCalls
        $summary = (Get-Summary (Invoke-Organization @{ WhatIf = $true }))[0]
        $summary.Changed | Should -Be 30
        Get-Mutations | Should -BeNullOrEmpty
        @(Get-EmulatorCalls | Where-Object mutating) | Should -BeNullOrEmpty
    }

    It 'takes accounts piped by property name: an AccountId column, or Get-ORGAccountList''s Id, Name and Email' {
        $members = @($script:Org.accounts | Where-Object state -eq 'ACTIVE' | Select-Object -Skip 1 -First 3)
        $csv = Join-Path $TestDrive 'accounts.csv'
        $members | ForEach-Object { [pscustomobject]@{ AccountId = $_.id; Owner = 'team' } } | Export-Csv $csv
        Get-CheckedIds (Import-Csv $csv | Test-V1AwsOnboarding -BusinessId $script:BusinessId @script:Aws @script:V1) | Should -Be @($members.id | Sort-Object)
        # Given by id alone, the accounts take their names from the Organization for the default -NameFormat.
        $planned = Import-Csv $csv | Invoke-V1AwsOnboarding -BusinessId $script:BusinessId -WhatIf @script:Aws @script:V1
        @($planned | Where-Object { $_ -is [VisionOneOnboarding.AwsOnboardingState] } | ForEach-Object CloudAccountName | Sort-Object) |
            Should -Be @($members | ForEach-Object { "$($_.name) ($($_.id))" } | Sort-Object)

        $listed = $members | ForEach-Object { [pscustomobject]@{ Id = $_.id; Name = $_.name; Email = $_.email; Status = 'ACTIVE' } }
        $out = $listed | Invoke-V1AwsOnboarding -BusinessId $script:BusinessId -NameFormat '{Email}' -ExcludeAccountId $members[0].id -VerifyTimeoutSeconds 5 @script:Aws @script:V1
        @($out | Where-Object { $_ -is [VisionOneOnboarding.AwsOnboardingState] } | ForEach-Object CloudAccountName | Sort-Object) | Should -Be @($members[1..2].email | Sort-Object)
    }

    It 'refuses, before any change, accounts whose Cloud Accounts names would clash' {
        $members = @($script:Org.accounts | Where-Object state -eq 'ACTIVE' | Select-Object -Skip 1 -First 3)
        $piped = @(
            [pscustomobject]@{ AccountId = $members[0].id; Name = 'Shared' }
            [pscustomobject]@{ AccountId = $members[1].id; Name = 'Shared' }
            [pscustomobject]@{ AccountId = $members[2].id; Name = 'Own' })
        Clear-EmulatorCalls
        $out = $piped | Invoke-V1AwsOnboarding -BusinessId $script:BusinessId -NameFormat '{AccountName}' -VerifyTimeoutSeconds 5 -ErrorVariable clashes -ErrorAction SilentlyContinue @script:Aws @script:V1

        $clashes.Count | Should -Be 2
        $clashes | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'VisionOne.CloudAccountNameClash*' }
        @($clashes.TargetObject | Sort-Object) | Should -Be @($members[0..1].id | Sort-Object)
        (Get-V1Entries).id | Should -Be $members[2].id
        @(Get-Mutations | Where-Object { $_.account -in $members[0].id, $members[1].id }) | Should -BeNullOrEmpty
        (Get-Summary $out)[0].Failed | Should -Be 2
    }

    It 'refuses bad input with a clear error and no call: <Case>' -ForEach @(
        @{ Case = 'shard out of range'; Extra = @{ Shard = '4/3' }; Id = 'VisionOne.InvalidShard' }
        @{ Case = 'not an OU id'; Extra = @{ OrganizationalUnitId = 'Prod' }; Id = 'VisionOne.InvalidOrganizationalUnitId' }
        @{ Case = 'unknown placeholder'; Extra = @{ NameFormat = '{AccountAlias}' }; Id = 'VisionOne.InvalidNameFormat' }
        @{ Case = 'excluded id not an account id'; Extra = @{ ExcludeAccountId = '12345' }; Id = 'VisionOne.InvalidAccountId' }
    ) {
        Clear-EmulatorCalls
        { Invoke-Organization ($Extra + @{ ErrorAction = 'Stop' }) } | Should -Throw -ErrorId "$Id*"
        Get-EmulatorCalls | Should -BeNullOrEmpty
    }
}

Describe 'Account states as AWS Organizations answers them today (State, not the retired Status)' {
    BeforeEach {
        $script:Org = New-TestOrganization
        $script:Active = Get-ActiveIds $script:Org
        $script:Suspended = ($script:Org.accounts | Where-Object state -eq 'SUSPENDED').id
    }

    It 'leaves out a member closed with the AWS CLI, names each left-out account once with its state, and counts them in the summary' {
        $closed = @($script:Active | Where-Object { $_ -ne $script:EmuAccount })[3]
        Invoke-AwsCli organizations close-account --account-id $closed
        (Invoke-AwsCli organizations describe-account --account-id $closed).Account.State | Should -Be 'SUSPENDED'
        Clear-EmulatorCalls

        $out = Test-V1AwsOnboarding -AllOrganizationAccounts -BusinessId $script:BusinessId -WarningVariable warned -WarningAction SilentlyContinue @script:Aws @script:V1

        Get-CheckedIds $out | Should -Be @($script:Active | Where-Object { $_ -ne $closed })
        @($warned | ForEach-Object { "$_" } | Where-Object { $_ -like '*left out' } | Sort-Object) |
            Should -Be @("$closed (SUSPENDED): left out", "$($script:Suspended) (SUSPENDED): left out" | Sort-Object)
        $summary = (Get-Summary $out)[0]
        $summary.LeftOut | Should -Be 2
        @($summary.LeftOutAccounts.AccountId | Sort-Object) | Should -Be @($closed, $script:Suspended | Sort-Object)
        @(Get-EmulatorCalls | Where-Object { $_.account -in $closed, $script:Suspended }) | Should -BeNullOrEmpty
    }

    It 'reports an account given by -AccountId that is not ACTIVE as that account''s error, naming its state, and onboards the others' {
        $open = @($script:Active | Where-Object { $_ -ne $script:EmuAccount })[0]
        Clear-EmulatorCalls

        $out = Invoke-V1AwsOnboarding -AccountId $script:Suspended, $open -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 -ErrorVariable failures -ErrorAction SilentlyContinue @script:Aws @script:V1

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'VisionOne.AwsAccountNotActive*'
        $failures[0].TargetObject | Should -Be $script:Suspended
        "$($failures[0])" | Should -Match "$($script:Suspended) is SUSPENDED"
        @(Get-EmulatorCalls | Where-Object { $_.action -eq 'AssumeRole' -and $_.account -eq $script:Suspended }) | Should -BeNullOrEmpty
        @(Get-EmulatorCalls | Where-Object { $_.account -eq $script:Suspended -and $_.mutating }) | Should -BeNullOrEmpty
        $summary = (Get-Summary $out)[0]
        $summary.Succeeded | Should -Be 1
        $summary.Failures.ErrorId | Should -Be 'VisionOne.AwsAccountNotActive'
        (Get-V1Entries).id | Should -Be $open
    }

    It 'stops with one terminating error naming why each account was left out when none is selected' {
        Clear-EmulatorCalls
        $err = $null
        try { $null = Test-Organization @{ ExcludeAccountId = $script:Active; WarningAction = 'SilentlyContinue' } } catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.NoAccountSelected,*'
        "$err" | Should -Match ([regex]::Escape("$($script:Suspended) (SUSPENDED): left out"))
        "$err" | Should -Match ([regex]::Escape("$($script:EmuAccount) (excluded by -ExcludeAccountId): left out"))
        @(Get-EmulatorCalls | Where-Object { $_.action -eq 'AssumeRole' }) | Should -BeNullOrEmpty
    }

    It 'still reads an answer that carries only the retired Status, as older endpoints send' {
        $script:Org = New-TestOrganization @{ legacyStatusOnly = $true }
        $listed = Invoke-AwsCli organizations list-accounts
        @($listed.Accounts | Where-Object { $_.PSObject.Properties.Name -contains 'State' }) | Should -BeNullOrEmpty
        @($listed.Accounts | Where-Object Status -eq 'ACTIVE').Count | Should -Be 30

        $out = Test-Organization @{ WarningAction = 'SilentlyContinue' }

        Get-CheckedIds $out | Should -Be $script:Active
        (Get-Summary $out)[0].LeftOutAccounts.AccountId | Should -Be $script:Suspended
    }
}
