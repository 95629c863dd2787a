#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Test-, Invoke- (repair) and Remove-V1AwsOnboarding through the built module, against the bundled emulator.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Aws = Get-AwsTestParams
    $script:V1 = Get-V1TestParams -WithRegion
    $script:BusinessId = '1234567890'
    $script:IssuerHost = 'cloudaccounts-us.xdr.trendmicro.com'
    $script:ProviderArn = "arn:aws:iam::$($script:EmuAccount):oidc-provider/$($script:IssuerHost)"
    $script:RoleArn = "arn:aws:iam::$($script:EmuAccount):role/VisionOneRole"
    function Invoke-Onboarding { param([hashtable] $Extra = @{}) Invoke-V1AwsOnboarding -Name 'Lifecycle' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 @script:Aws @script:V1 @Extra }
    function Test-Onboarding { param([hashtable] $Extra = @{}) Test-V1AwsOnboarding -BusinessId $script:BusinessId @script:Aws @script:V1 @Extra }
    function Get-V1Accounts { Invoke-Emulator GET '/_emulator/visionone/accounts' | ConvertTo-Json -Depth 20 }
    # The entries without the times Vision One stamps whenever it re-reads an account.
    function Get-V1Entries { @(Invoke-Emulator GET '/_emulator/visionone/accounts' | ForEach-Object { $_ } | ForEach-Object { "$($_.id) $($_.name) $($_.roleArn) $($_.state) $($_.etag)" }) }
    # Calls cut into consecutive groups of the given sizes, each group sorted: the order between groups, not within them.
    function Get-CallGroups([string[]] $Actions, [int[]] $Sizes) {
        $at = 0
        foreach ($size in $Sizes) { ($Actions[$at..($at + $size - 1)] | Sort-Object) -join ' '; $at += $size }
        if ($at -ne $Actions.Count) { "and $($Actions.Count - $at) more: $($Actions[$at..($Actions.Count - 1)] -join ' ')" }
    }
    function Get-Mutations { @(Get-EmulatorCalls | Where-Object { $_.service -ne 'sts' -and $_.mutating -and $_.success }) }

    # "Step Item Status" of every check that is not Ok, sorted.
    function Get-Findings($Checks) { @($Checks | Where-Object { $_ -is [VisionOneOnboarding.OnboardingCheck] -and $_.Status -ne 'Ok' } | ForEach-Object { "$($_.Step) $($_.Item) $($_.Status)" } | Sort-Object) }

    # What a check and the change that repairs it share: the step and the resource (the Cloud Accounts entry is
    # keyed by account id; its change names the role it connects). The entry's State is Vision One's verdict on the
    # IAM side and follows their repair, so it has no change of its own.
    function Get-CheckKeys($Checks) {
        @($Checks | Where-Object { $_ -is [VisionOneOnboarding.OnboardingCheck] -and $_.Status -ne 'Ok' -and -not ($_.Step -eq 'CloudAccount' -and $_.Item -eq 'State') } |
            ForEach-Object { "$($_.Step) $($_.Resource)" } | Sort-Object -Unique)
    }
    function Get-ChangeKeys($Changes) {
        @($Changes | ForEach-Object { "$($_.Step) $(if ($_.Step -eq 'CloudAccount') { $_.Target.Split(':')[4] } else { $_.Target })" } | Sort-Object -Unique)
    }

    function Set-TrustSubjects([string[]] $Subjects) {
        $trust = (Invoke-AwsCli iam get-role --role-name VisionOneRole).Role.AssumeRolePolicyDocument
        $trust.Statement[0].Condition.StringEquals."$($script:IssuerHost):sub" = $Subjects
        $file = Join-Path $TestDrive 'trust.json'
        $trust | ConvertTo-Json -Depth 10 | Set-Content $file
        $null = Invoke-AwsCli iam update-assume-role-policy --role-name VisionOneRole --policy-document "file://$file"
    }
}

AfterAll {
    Stop-TestEmulator $script:Emulator
}

Describe 'Test-V1AwsOnboarding on a compliant account' {
    BeforeAll {
        Reset-Emulator
        $null = Invoke-Onboarding
        Clear-EmulatorCalls
        $script:Output = Test-Onboarding
    }

    It 'writes one Ok check per piece and nothing else; -Summary a compliant summary; and changes nothing' {
        $checks = @($script:Output)
        $checks | ForEach-Object { $_ | Should -BeOfType ([VisionOneOnboarding.OnboardingCheck]) }
        $checks.Count | Should -Be 28
        $checks | ForEach-Object { $_.Status | Should -Be 'Ok' -Because "$($_.Step) $($_.Item)" }
        $checks.Step | Sort-Object -Unique | Should -Be @('CloudAccount', 'OidcProvider', 'Policies', 'Role', 'RoleAttachments', 'RoleTags', 'RoleTrust', 'Thumbprints')
        ($checks | Where-Object Item -like 'Subject*').Expected | Should -Be "urn:visionone:identity:us:$($script:BusinessId):account/$($script:BusinessId)"
        $summary = @(Test-Onboarding -Extra @{ Summary = $true })
        $summary | Should -HaveCount 1
        $summary[0] | Should -BeOfType ([VisionOneOnboarding.OnboardingCheckSummary])
        $summary[0].IsCompliant | Should -BeTrue
        $summary[0].Ok | Should -Be 28
        Get-Mutations | Should -BeNullOrEmpty
    }

    It '-Quiet returns just $true' {
        $quiet = @(Test-Onboarding -Extra @{ Quiet = $true })
        $quiet.Count | Should -Be 1
        $quiet[0] | Should -BeOfType ([bool])
        $quiet[0] | Should -BeTrue
    }

    It 'has views for the checks (one line each by default, a table for Format-Table) and the summary' {
        Get-FormatData -TypeName VisionOneOnboarding.OnboardingCheck | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName VisionOneOnboarding.OnboardingCheckSummary | Should -Not -BeNullOrEmpty
        ($script:Output | Out-String -Width 250) | Should -Match 'Ok\s+RoleTrust\s+Subject'
        ($script:Output | Format-Table | Out-String -Width 250) | Should -Match 'RoleTrust\s+role/VisionOneRole\s+Subject'
    }
}

Describe 'Drift: reported by Test, listed alike by Invoke -WhatIf, repaired by Invoke with only the needed calls' {
    BeforeAll {
        Reset-Emulator
        $script:Pristine = Invoke-Onboarding
        $script:Thumbprints = $script:Pristine.Thumbprints
        $script:Snapshot = Get-EmulatorState
    }

    BeforeEach {
        # Each case starts from the freshly onboarded account.
        Reset-Emulator
        $null = Invoke-Onboarding
        Clear-EmulatorCalls
    }

    It '<Name>' -ForEach @(
        @{ Name = 'a thumbprint removed'; Findings = @('Thumbprints Thumbprint Missing'); Calls = @('UpdateOpenIDConnectProviderThumbprint')
           Drift = { $null = Invoke-AwsCli iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn $script:ProviderArn --thumbprint-list @($script:Thumbprints | Select-Object -Skip 1) } }
        @{ Name = 'a fifth thumbprint added'; Findings = @('Thumbprints Thumbprint Extra'); Calls = @('UpdateOpenIDConnectProviderThumbprint')
           Drift = { $null = Invoke-AwsCli iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn $script:ProviderArn --thumbprint-list @($script:Thumbprints + ('c' * 40)) } }
        @{ Name = 'a policy document edited'; Findings = @('Policies VisionOnePolicyPart3 Drifted'); Calls = @('CreatePolicyVersion')
           Drift = {
               $doc = Get-Content (Join-Path $PSScriptRoot '../../src/VisionOneOnboarding/Onboarding/Data/VisionOnePolicyPart3.json') -Raw | ConvertFrom-Json
               $doc.Statement += [pscustomobject]@{ Effect = 'Allow'; Action = 's3:GetObject'; Resource = '*' }
               $file = Join-Path $TestDrive 'edited.json'
               $doc | ConvertTo-Json -Depth 10 | Set-Content $file
               $null = Invoke-AwsCli iam create-policy-version --policy-arn "arn:aws:iam::$($script:EmuAccount):policy/VisionOnePolicyPart3" --policy-document "file://$file" --set-as-default } }
        @{ Name = 'an extra sub in the trust policy'; Findings = @("RoleTrust Subject (cloudaccounts-us.xdr.trendmicro.com:sub) Extra"); Calls = @('UpdateAssumeRolePolicy'); HighImpact = $true
           Drift = { Set-TrustSubjects @("urn:visionone:identity:us:$($script:BusinessId):account/$($script:BusinessId)", 'urn:visionone:identity:us:9999999999:account/9999999999') } }
        @{ Name = 'a missing tag'; Findings = @('RoleTags VisionOneFeatures Missing'); Calls = @('TagRole')
           Drift = { $null = Invoke-AwsCli iam untag-role --role-name VisionOneRole --tag-keys VisionOneFeatures } }
        @{ Name = 'a detached policy'; Findings = @('CloudAccount State Drifted', 'RoleAttachments VisionOnePolicyPart2 Missing'); Calls = @('AttachRolePolicy')
           Drift = { $null = Invoke-AwsCli iam detach-role-policy --role-name VisionOneRole --policy-arn "arn:aws:iam::$($script:EmuAccount):policy/VisionOnePolicyPart2" } }
        @{ Name = 'a policy attached that the procedure does not prescribe'; Findings = @('RoleAttachments arn:aws:iam::123456789012:policy/SomeoneElses Extra'); Calls = @('DetachRolePolicy'); HighImpact = $true
           Drift = {
               $created = Invoke-AwsCli iam create-policy --policy-name SomeoneElses --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}'
               $null = Invoke-AwsCli iam attach-role-policy --role-name VisionOneRole --policy-arn $created.Policy.Arn } }
        @{ Name = 'the Cloud Accounts entry removed'; Findings = @('CloudAccount Entry Missing'); Calls = @('AddAwsAccount')
           Drift = { Disconnect-V1AwsAccount -AccountId $script:EmuAccount -Force @script:V1 } }
    ) {
        & $Drift
        Clear-EmulatorCalls

        $checks = Test-Onboarding
        Get-Findings $checks | Should -Be $Findings
        (Test-Onboarding -Extra @{ Summary = $true }).IsCompliant | Should -BeFalse
        Test-Onboarding -Extra @{ Quiet = $true } | Should -BeFalse
        Get-Mutations | Should -BeNullOrEmpty

        $plan = Invoke-Onboarding -Extra @{ WhatIf = $true }
        Get-ChangeKeys $plan.Changes | Should -Be (Get-CheckKeys $checks)
        $plan.Changes | ForEach-Object { $_.Applied | Should -BeFalse }
        Get-Mutations | Should -BeNullOrEmpty

        $repair = @{ Verbose = $true }
        if ($HighImpact) {
            # Replacing or taking away what may be in use is confirmed; this session cannot ask, so it is told so and nothing moves.
            $err = $null
            try { Invoke-Onboarding -Extra @{ ErrorAction = 'Stop' } | Out-Null } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.ConfirmationRequired,*'
            $err.Exception.Message | Should -Match '-Force'
            Get-Mutations | Should -BeNullOrEmpty
            $repair.Force = $true
        }
        $verbose = Invoke-Onboarding -Extra $repair 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        (Get-Mutations).action | Should -Be $Calls
        ($verbose.Message -join "`n") | Should -Match 'change\(s\) to match what the procedure prescribes, and nothing else'
        Test-Onboarding -Extra @{ Quiet = $true } | Should -BeTrue
    }

    It 'asks before replacing the trust policy of a role the procedure created: no keeps it, yes replaces it' {
        Set-TrustSubjects @('urn:visionone:identity:us:9999999999:account/9999999999')
        $drifted = Get-EmulatorState
        # A console session that can ask: a child pwsh whose answers come on its standard input.
        $script = @"
`$env:AWS_EC2_METADATA_DISABLED = 'true'
Import-Module '$($script:ModulePath)'
`$key = ConvertTo-SecureString 'emulator-visionone-api-key' -AsPlainText -Force
`$state = Invoke-V1AwsOnboarding -Name Lifecycle -BusinessId $($script:BusinessId) -VerifyTimeoutSeconds 0 -ApiKey `$key -ApiBaseUrl $($script:Emulator.Url) -V1Region us -AccessKey $($script:EmuAccessKey) -SecretKey $($script:EmuSecretKey) -EndpointUrl $($script:Emulator.Url) -Verbose 4>&1 -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
`$state | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { 'VERBOSE: ' + `$_.Message }
'APPLIED: ' + ((`$state | Where-Object { `$_ -is [VisionOneOnboarding.AwsOnboardingState] }).Changes | Where-Object Applied | ForEach-Object Action) -join ' | '
"@
        $no = 'n' | dotnet pwsh -NoProfile -Command $script 2>&1
        ($no -join "`n") | Should -Match 'Confirm a high-impact change'
        ($no -join "`n") | Should -Match 'Replace the trust policy of VisionOneRole'
        ($no -join "`n") | Should -Match 'carries the VisionOneCloudFormationStackName tag'
        ($no | Where-Object { "$_" -like 'APPLIED:*' }) | Should -Be 'APPLIED: '
        Get-EmulatorState | Should -Be $drifted

        $yes = 'y' | dotnet pwsh -NoProfile -Command $script 2>&1
        # The confirmed change names exactly what it removes.
        ($yes | Where-Object { "$_" -like 'APPLIED:*' }) | Should -Be 'APPLIED: Replace the trust policy of VisionOneRole, removing sub value urn:visionone:identity:us:9999999999:account/9999999999'
        Get-EmulatorState | Should -Be $script:Snapshot
    }

    It 'replaces it unattended with -Force or -Confirm:$false, and -WhatIf with -Force still changes nothing' {
        Set-TrustSubjects @('urn:visionone:identity:us:9999999999:account/9999999999')
        Clear-EmulatorCalls
        $null = Invoke-Onboarding -Extra @{ Force = $true; WhatIf = $true }
        Get-Mutations | Should -BeNullOrEmpty
        $null = Invoke-Onboarding -Extra @{ Confirm = $false }
        Get-EmulatorState | Should -Be $script:Snapshot
        Set-TrustSubjects @('urn:visionone:identity:us:9999999999:account/9999999999')
        $null = Invoke-Onboarding -Extra @{ Force = $true }
        Get-EmulatorState | Should -Be $script:Snapshot
    }

    It 'still refuses a role without the tag whose trust differs, unless -Force' {
        $null = Invoke-AwsCli iam untag-role --role-name VisionOneRole --tag-keys VisionOneCloudFormationStackName
        Set-TrustSubjects @('urn:visionone:identity:us:9999999999:account/9999999999')
        Clear-EmulatorCalls
        $err = $null
        try { Invoke-Onboarding -Extra @{ ErrorAction = 'Stop' } | Out-Null } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.RoleTrustMismatch,*'
        Get-Mutations | Should -BeNullOrEmpty
        $null = Invoke-Onboarding -Extra @{ Force = $true }
        Get-EmulatorState | Should -Be $script:Snapshot
    }
}

Describe 'Test-V1AwsOnboarding over many accounts' {
    It 'checks one account per piped object' {
        Reset-Emulator
        $other = Invoke-Emulator POST '/_emulator/accounts' @{ accountId = '210987654321' }
        $file = Join-Path $TestDrive 'credentials'
        "[first]`naws_access_key_id = $($script:EmuAccessKey)`naws_secret_access_key = $($script:EmuSecretKey)`n[second]`naws_access_key_id = $($other.accessKeyId)`naws_secret_access_key = $($other.secretAccessKey)`n" | Set-Content $file
        $states = 'first', 'second' | ForEach-Object {
            Invoke-V1AwsOnboarding -Name "Account $_" -BusinessId $script:BusinessId -ProfileName $_ -ProfileLocation $file -EndpointUrl $script:Emulator.Url -VerifyTimeoutSeconds 5 @script:V1
        }
        $states.AccountId | Should -Be @($script:EmuAccount, '210987654321')
        $null = Invoke-AwsCli iam untag-role --role-name VisionOneRole --tag-keys VisionOneFeatures   # drifts the first account only

        # The endpoint is named on the command line: it is never taken from the piped states.
        $states | Test-V1AwsOnboarding -ProfileLocation $file -EndpointUrl $script:Emulator.Url -Quiet @script:V1 | Should -Be @($false, $true)
        $summaries = $states | Test-V1AwsOnboarding -ProfileLocation $file -EndpointUrl $script:Emulator.Url -Summary @script:V1
        $summaries.AccountId | Should -Be @($script:EmuAccount, '210987654321')
    }
}

Describe 'Remove-V1AwsOnboarding' {
    BeforeEach {
        Reset-Emulator
        $script:IamBefore = Get-EmulatorState
        $script:V1Before = Get-V1Accounts
    }

    It 'is high impact' {
        $attribute = (Get-Command Remove-V1AwsOnboarding).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.ConfirmImpact | Should -Be 'High'
    }

    It 'leaves the account exactly as before the onboarding, even after a repair left old policy versions' {
        $null = Invoke-Onboarding
        $file = Join-Path $TestDrive 'v2.json'
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}' | Set-Content $file
        $null = Invoke-AwsCli iam create-policy-version --policy-arn "arn:aws:iam::$($script:EmuAccount):policy/VisionOnePolicyPart1" --policy-document "file://$file" --set-as-default
        $null = Invoke-Onboarding    # repair: a third version becomes the default
        Clear-EmulatorCalls

        Remove-V1AwsOnboarding -Force @script:Aws @script:V1
        # Step after step in the safe order; within a step the three attachments (or policies) go side by side, in any order.
        Get-CallGroups (Get-Mutations).action @(1, 3, 5, 1, 1) | Should -Be @('DeleteAwsAccount', 'DetachRolePolicy DetachRolePolicy DetachRolePolicy',
            'DeletePolicy DeletePolicy DeletePolicy DeletePolicyVersion DeletePolicyVersion', 'DeleteRole', 'DeleteOpenIDConnectProvider')
        Get-EmulatorState | Should -Be $script:IamBefore
        Get-V1Accounts | Should -Be $script:V1Before
    }

    It '-WhatIf lists every call and makes none' {
        $null = Invoke-Onboarding
        $onboarded = Get-EmulatorState
        Clear-EmulatorCalls
        $plan = @(Remove-V1AwsOnboarding -WhatIf -PassThru @script:Aws @script:V1)
        $plan.Count | Should -Be 9
        $plan | ForEach-Object { $_.Applied | Should -BeFalse }
        $plan.Action | Should -Contain "Disconnect AWS account $($script:EmuAccount) from Vision One Cloud Accounts"
        $plan.Action | Should -Contain 'Delete IAM role VisionOneRole'
        $plan.Action | Should -Contain 'Delete IAM OIDC provider https://cloudaccounts-us.xdr.trendmicro.com'
        Get-Mutations | Should -BeNullOrEmpty
        Get-EmulatorState | Should -Be $onboarded
    }

    It 'is finished by running it again after a failure halfway' {
        $null = Invoke-Onboarding
        Invoke-Emulator POST '/_emulator/faults/fail' @{ service = 'iam'; action = 'DeleteRole'; nth = 1; status = 500; times = 10 } | Out-Null
        $err = $null
        try { Remove-V1AwsOnboarding -Force -ErrorAction Stop @script:Aws @script:V1 } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.Aws.*'
        Get-EmulatorState | Should -Not -Be $script:IamBefore
        Invoke-Emulator DELETE '/_emulator/faults' | Out-Null

        Clear-EmulatorCalls
        Remove-V1AwsOnboarding -Force @script:Aws @script:V1
        (Get-Mutations).action | Should -Be @('DeleteRole', 'DeleteOpenIDConnectProvider')
        Get-EmulatorState | Should -Be $script:IamBefore
        Get-V1Accounts | Should -Be $script:V1Before

        # Everything is gone: a third run succeeds and changes nothing.
        Clear-EmulatorCalls
        Remove-V1AwsOnboarding -Force @script:Aws @script:V1
        Get-Mutations | Should -BeNullOrEmpty
    }

    It 'refuses <Name> with <Id>, also under -Force, changes nothing, and goes ahead with -IncludeShared' -ForEach @(
        @{ Name = 'a role without the procedure''s tag'; Id = 'VisionOne.RemovalRoleNotCreatedByProcedure'
           Setup = { $null = Invoke-AwsCli iam untag-role --role-name VisionOneRole --tag-keys VisionOneCloudFormationStackName } }
        @{ Name = 'a role with an inline policy'; Id = 'VisionOne.RemovalRoleInUse'
           Setup = { $null = Invoke-AwsCli iam put-role-policy --role-name VisionOneRole --policy-name Extra --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}' } }
        @{ Name = 'a provider with another audience'; Id = 'VisionOne.RemovalProviderInUse'
           Setup = { $null = Invoke-AwsCli iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn $script:ProviderArn --client-id sts.amazonaws.com } }
    ) {
        $null = Invoke-Onboarding
        & $Setup
        $setUp = Get-EmulatorState
        $accounts = Get-V1Entries
        Clear-EmulatorCalls
        $err = $null
        # -Force only skips the question: it does not switch the refusals off.
        try { Remove-V1AwsOnboarding -Force -ErrorAction Stop @script:Aws @script:V1 } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        Get-Mutations | Should -BeNullOrEmpty
        Get-EmulatorState | Should -Be $setUp
        Get-V1Entries | Should -Be $accounts

        Remove-V1AwsOnboarding -Force -IncludeShared @script:Aws @script:V1
        Get-EmulatorState | Should -Be $script:IamBefore
        Get-V1Accounts | Should -Be $script:V1Before
    }

    It 'leaves a provider and policies it did not create (no tag) in place unless -IncludeShared' {
        # Made before the onboarding, by someone else: adopted by the procedure, so not its to delete.
        $null = Invoke-AwsCli iam create-open-id-connect-provider --url "https://$($script:IssuerHost)" --client-id-list "arn:aws:iam::$($script:EmuAccount):root" --thumbprint-list ('a' * 40)
        $file = Join-Path $TestDrive 'part1.json'
        Get-Content (Join-Path $PSScriptRoot '../../src/VisionOneOnboarding/Onboarding/Data/VisionOnePolicyPart1.json') -Raw | Set-Content $file
        $null = Invoke-AwsCli iam create-policy --policy-name VisionOnePolicyPart1 --policy-document "file://$file"
        $null = Invoke-Onboarding
        $part2 = (Get-EmulatorState | ConvertFrom-Json).policies | Where-Object name -eq 'VisionOnePolicyPart2'
        ($part2.tags | ConvertTo-Json -Compress) | Should -Match 'VisionOneCloudFormationStackName'    # what it created carries its mark

        Remove-V1AwsOnboarding -Force @script:Aws @script:V1 -WarningVariable warnings -WarningAction SilentlyContinue
        ($warnings -join "`n") | Should -Match 'did not create it'
        (Invoke-AwsCli iam list-open-id-connect-providers).OpenIDConnectProviderList | Should -HaveCount 1
        (Invoke-AwsCli iam list-policies --scope Local).Policies.PolicyName | Should -Be @('VisionOnePolicyPart1')
        (Invoke-AwsCli iam list-roles).Roles | Should -BeNullOrEmpty

        Remove-V1AwsOnboarding -Force -IncludeShared @script:Aws @script:V1
        Get-EmulatorState | Should -Be $script:IamBefore
    }

    It '-KeepAwsResources only disconnects' {
        $null = Invoke-Onboarding
        $onboarded = Get-EmulatorState
        Clear-EmulatorCalls
        Remove-V1AwsOnboarding -KeepAwsResources -Force @script:Aws @script:V1
        (Get-Mutations).action | Should -Be @('DeleteAwsAccount')
        Get-EmulatorState | Should -Be $onboarded
        Get-V1Accounts | Should -Be $script:V1Before
    }
}
