#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What the real services do and our emulator can be told to show: an answer lost after the change landed, a dropped
# connection, read-after-write lag, a duplicate reported with any 4xx, entries whose fields differ, verification that
# fails. The fault matrix fails every mutating call of a fresh onboarding three ways and proves a plain re-run converges.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Aws = Get-AwsTestParams
    $script:V1 = Get-V1TestParams
    $script:BusinessId = '1234567890'
    function Invoke-Onboarding { param([hashtable] $Extra = @{}) Invoke-V1AwsOnboarding -Name 'Real service' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 10 @script:Aws @script:V1 @Extra }
    # The Cloud Accounts entries without the times Vision One stamps whenever it re-reads an account.
    function Get-V1Entries { @(Invoke-Emulator GET '/_emulator/visionone/accounts' | ForEach-Object { $_ } | ForEach-Object { "$($_.id) $($_.name) $($_.roleArn) $($_.state)" }) }
    function Add-Fault([hashtable] $Rule) { Invoke-Emulator POST '/_emulator/faults/fail' $Rule | Out-Null }
    function Add-Lag([string] $Service, [string] $Action, [int] $Ms) { Invoke-Emulator POST '/_emulator/faults/lag' @{ service = $Service; action = $Action; lagMs = $Ms } | Out-Null }
}

AfterAll { Stop-TestEmulator $script:Emulator }

Describe 'Cloud Accounts as the real service behaves' {
    BeforeEach { Reset-Emulator }

    It 'settles a duplicate answered with any 4xx by reading the account back, not by the error code' {
        # The connection lands, then the answer the client sees is a 400 with a code nobody documented.
        Add-Fault @{ service = 'cam'; action = 'AddAwsAccount'; nth = 1; status = 400; code = 'SomethingUndocumented'; mode = 'lose-response' }
        $state = Invoke-Onboarding -Extra @{ Verbose = $true } 4>&1 | Tee-Object -Variable narration | Where-Object { $_ -is [VisionOneOnboarding.AwsOnboardingState] }
        $state.CloudAccountState | Should -Be 'managed'
        ($narration | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'HTTP 400 SomethingUndocumented.*connected already'
        Get-V1Entries | Should -HaveCount 1
    }

    It 'updates an entry whose name, description or workload instance differ (PATCH with If-Match), and Test- reports those fields' {
        $null = Invoke-Onboarding
        $checks = Test-V1AwsOnboarding -BusinessId $script:BusinessId @script:Aws @script:V1 | Where-Object { $_ -is [VisionOneOnboarding.OnboardingCheck] -and $_.Step -eq 'CloudAccount' }
        $items = @($checks | ForEach-Object { $_.Item })
        $items | Should -Contain 'Name'
        $items | Should -Contain 'Description'
        $items | Should -Contain 'Workload instance'
        Clear-EmulatorCalls
        $state = Invoke-V1AwsOnboarding -Name 'Renamed' -Description 'New words' -WorkloadInstanceId 'i-0123456789abcdef0' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 10 @script:Aws @script:V1
        $state.CloudAccount.Name | Should -Be 'Renamed'
        $state.CloudAccount.Description | Should -Be 'New words'
        $state.CloudAccount.ConnectedSecurityServices.InstanceIds | Should -Be 'i-0123456789abcdef0'
        @(Get-EmulatorCalls | Where-Object { $_.mutating -and $_.success }).action | Should -Be @('UpdateAwsAccount')
        $again = Invoke-V1AwsOnboarding -Name 'Renamed' -Description 'New words' -WorkloadInstanceId 'i-0123456789abcdef0' -BusinessId $script:BusinessId @script:Aws @script:V1
        $again.Changes | Should -BeNullOrEmpty
    }

    It 'Test- shows Vision One''s own view beside the IAM checks: a state other than managed with its last sync, and each permission it reports missing' {
        $null = Invoke-Onboarding
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @script:Aws @script:V1 | Should -BeExactly $true
        # Vision One's background sync found the entry outdated and a feature's role short of two permissions.
        Invoke-Emulator POST "/_emulator/visionone/accounts/$($script:EmuAccount)/sync" @{
            state = 'outdated'; lastSyncedDateTime = '2026-12-01T08:30:00Z'
            missingAwsPermissions = @{ 'cloud-posture' = @('s3:GetBucketPolicy', 'iam:GetRole') }
        } | Out-Null

        $findings = @(Test-V1AwsOnboarding -BusinessId $script:BusinessId @script:Aws @script:V1 | Where-Object Status -ne 'Ok')

        @($findings | ForEach-Object { "$($_.Item): $($_.Actual)" } | Sort-Object) | Should -Be @(
            'AWS permission iam:GetRole: missing for feature cloud-posture (Vision One reports it)'
            'AWS permission s3:GetBucketPolicy: missing for feature cloud-posture (Vision One reports it)'
            'State: outdated (last synced 2026-12-01T08:30:00Z)')
        $findings | ForEach-Object { $_.Status | Should -Be 'Drifted'; $_.Step | Should -Be 'CloudAccount' }
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @script:Aws @script:V1 | Should -BeExactly $false
    }

    It 'a retried PATCH whose first attempt landed converges' {
        $null = Invoke-Onboarding
        Add-Fault @{ service = 'cam'; action = 'UpdateAwsAccount'; nth = 1; status = 502; mode = 'lose-response' }
        $state = Invoke-V1AwsOnboarding -Name 'Patched once' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 10 @script:Aws @script:V1
        $state.CloudAccount.Name | Should -Be 'Patched once'
        Get-V1Entries | Should -HaveCount 1
    }

    It 'verification that ends failed is the error VisionOne.CloudAccountNotManaged naming the missing pieces' {
        $null = Invoke-Onboarding
        $null = Invoke-AwsCli iam detach-role-policy --role-name VisionOneRole --policy-arn "arn:aws:iam::$($script:EmuAccount):policy/VisionOnePolicyPart2"
        $err = { Connect-V1AwsAccount -Name 'Real service' -RoleArn "arn:aws:iam::$($script:EmuAccount):role/VisionOneRole" -Force -VerifyTimeoutSeconds 0 @script:V1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'VisionOne.CloudAccountNotManaged*' -PassThru
        $err.Exception.Message | Should -Match 'VisionOnePolicyPart2'
    }

    It 'IAM read-after-write lag (NoSuchEntity after create, DeleteConflict after detach) is waited out within the run' {
        foreach ($write in 'CreateRole', 'CreatePolicy', 'CreateOpenIDConnectProvider', 'DetachRolePolicy') { Add-Lag iam $write 1500 }
        Add-Lag cam AddAwsAccount 1500
        $state = Invoke-Onboarding
        $state.CloudAccountState | Should -Be 'managed'
        @(Get-EmulatorCalls | Where-Object errorCode -eq 'NoSuchEntity').Count | Should -BeGreaterThan 0
        Remove-V1AwsOnboarding -Force @script:Aws @script:V1
        @(Get-EmulatorCalls | Where-Object errorCode -eq 'DeleteConflict').Count | Should -BeGreaterThan 0
        (Invoke-AwsCli iam list-roles).Roles | Should -BeNullOrEmpty
    }
}

Describe 'Fault matrix' {
    It 'every mutating call of a fresh onboarding, failed before it applies, with its answer lost, or with the connection dropped, converges on a plain re-run with nothing duplicated' {
        Reset-Emulator
        $clean = Invoke-Onboarding
        $clean.CloudAccountState | Should -Be 'managed'
        $prescribed = Get-EmulatorState
        $prescribedEntries = Get-V1Entries
        # Each mutating call of the fresh run, with its occurrence among calls of the same action.
        $seen = @{}
        $calls = foreach ($c in @(Get-EmulatorCalls | Where-Object { $_.mutating -and $_.success -and $_.service -in 'iam', 'cam' })) {
            $key = "$($c.service):$($c.action)"; $seen[$key] = 1 + [int]$seen[$key]
            [pscustomobject]@{ Service = $c.service; Action = $c.action; Nth = $seen[$key] }
        }
        $calls.Count | Should -BeGreaterOrEqual 9
        $modes = 'before', 'lose-response', 'drop-connection'
        $rows = foreach ($call in $calls) {
            $row = [ordered]@{ Call = "$($call.Service) $($call.Action) #$($call.Nth)" }
            foreach ($mode in $modes) {
                Reset-Emulator
                # Failing every attempt of the call: the first run cannot simply retry its way through.
                Add-Fault @{ service = $call.Service; action = $call.Action; nth = $call.Nth; times = 10; status = 500; mode = $mode }
                $first = try { (Invoke-Onboarding -Extra @{ WarningAction = 'SilentlyContinue' } -ErrorAction Stop).CloudAccountState } catch { 'error' }
                Invoke-Emulator DELETE '/_emulator/faults' | Out-Null
                $second = try { (Invoke-Onboarding -Extra @{ WarningAction = 'SilentlyContinue' } -ErrorAction Stop).CloudAccountState } catch { "error: $($_.FullyQualifiedErrorId)" }
                $converged = $second -eq 'managed' -and (Get-EmulatorState) -eq $prescribed -and ((Get-V1Entries) -join '|') -eq ($prescribedEntries -join '|')
                $row[$mode] = "$first → $(if ($converged) { 'converged' } else { "NOT converged ($second)" })"
            }
            [pscustomobject]$row
        }
        Write-Host ($rows | Format-Table -AutoSize | Out-String -Width 200)
        $cases = @($rows | ForEach-Object { $r = $_; $modes | ForEach-Object { $r.$_ } })
        Write-Host ("    fault matrix: {0} of {1} cases converged" -f @($cases | Where-Object { $_ -like '*converged' -and $_ -notlike '*NOT*' }).Count, $cases.Count)
        $cases | Where-Object { $_ -like '*NOT converged*' } | Should -BeNullOrEmpty
    }
}

Describe 'Vision One refusing a role it cannot assume yet' {
    # The real service checks the role when an account is added and answers 400 BadRequest "Unable to assume role …",
    # creating nothing, while AWS has not yet let it assume a role just created (seconds, sometimes a minute).
    BeforeEach { Reset-Emulator }

    It 'connects a fresh onboarding under a 20 s window in one run, each retry of the add said in -Verbose and on the progress bar' {
        Invoke-Emulator POST '/_emulator/faults' @{ assumeRoleWindowSeconds = 20 } | Out-Null
        # Progress is not a redirectable stream: a runspace of its own collects it (and the verbose lines), as a host would.
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddArgument($script:ModulePath).AddStatement()
            $parameters = @{ Name = 'Real service'; BusinessId = $script:BusinessId; VerifyTimeoutSeconds = 10; Verbose = $true } + $script:Aws + $script:V1
            $null = $ps.AddCommand('Invoke-V1AwsOnboarding').AddParameters($parameters)
            $took = Measure-Command { $result = $ps.Invoke() }
            $retries = @($ps.Streams.Verbose | Where-Object { $_.Message -like 'Waiting for AWS to let Vision One assume VisionOneRole: Vision One answered HTTP 400 BadRequest*' })
            $progress = @($ps.Streams.Progress | Where-Object Activity -eq 'Waiting for AWS to let Vision One assume VisionOneRole')
        }
        finally { $ps.Dispose() }

        $result[-1].CloudAccountState | Should -Be 'managed'
        $retries.Count | Should -BeGreaterThan 0
        $adds = @(Get-EmulatorCalls | Where-Object { $_.service -eq 'cam' -and $_.action -eq 'AddAwsAccount' })
        @($adds | Where-Object { $_.status -eq 400 }).Count | Should -Be $retries.Count
        $adds[-1].success | Should -BeTrue
        Get-V1Entries | Should -HaveCount 1
        @($progress | Where-Object RecordType -eq 'Processing').Count | Should -Be $retries.Count
        $progress[0].StatusDescription | Should -BeLike 'Vision One answered HTTP 400 BadRequest*; trying again in *'
        $progress[-1].RecordType | Should -Be 'Completed'
        Write-Host "    20 s window: one run of $([int]$took.TotalSeconds) s, $($retries.Count) retries of the add"
    }

    It 'fails past its budget with VisionOne.RoleNotAssumableYet saying when the role was created, and a re-run finishes' {
        # A 10 s window against a 3 s budget (-AssumeRoleTimeoutSeconds): the add is refused to the end; the read-back
        # that follows (10 s) outlasts the window, so the re-run right after meets a role Vision One can assume.
        Invoke-Emulator POST '/_emulator/faults' @{ assumeRoleWindowSeconds = 10 } | Out-Null
        $err = $null
        try { $null = Invoke-Onboarding -Extra @{ AssumeRoleTimeoutSeconds = 3; ErrorAction = 'Stop' } } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.RoleNotAssumableYet,*'
        $err.Exception.Message | Should -Match 'The role was created \d+ s ago'
        $err.Exception.Message | Should -Match 'run the same command again'
        Get-V1Entries | Should -HaveCount 0

        $state = Invoke-Onboarding
        $state.CloudAccountState | Should -Be 'managed'
        Get-V1Entries | Should -HaveCount 1
    }
}

Describe 'IAM paths and instance profiles, as IAM keeps them' {
    BeforeEach { Reset-Emulator }

    It 'reports a Vision One policy name taken under another path, with its ARN, instead of asking for a re-run' {
        $document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}'
        $null = Invoke-AwsCli iam create-policy --policy-name VisionOnePolicyPart2 --path /legacy/ --policy-document $document
        $err = $null
        try { $null = Invoke-Onboarding -Extra @{ ErrorAction = 'Stop' } } catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.PolicyUnderOtherPath*'
        "$err" | Should -Match ([regex]::Escape("arn:aws:iam::$($script:EmuAccount):policy/legacy/VisionOnePolicyPart2"))
        "$err" | Should -Not -Match 'cannot return it'
    }

    It 'adopts VisionOneRole under another path, connects it by its ARN with the path, and removes it' {
        $null = Invoke-Onboarding
        $role = (Invoke-AwsCli iam get-role --role-name VisionOneRole).Role
        $trust = $role.AssumeRolePolicyDocument | ConvertTo-Json -Depth 20 -Compress
        # The same role made again by hand under /security/ (the provider stays, so its trust is valid).
        $null = Remove-V1AwsOnboarding -Force -KeepAwsResources @script:Aws @script:V1
        foreach ($part in 1..3) { $null = Invoke-AwsCli iam detach-role-policy --role-name VisionOneRole --policy-arn "arn:aws:iam::$($script:EmuAccount):policy/VisionOnePolicyPart$part" }
        $null = Invoke-AwsCli iam delete-role --role-name VisionOneRole
        $tags = @($role.Tags | ForEach-Object { "Key=$($_.Key),Value=$($_.Value)" })
        $null = Invoke-AwsCli iam create-role --role-name VisionOneRole --path /security/ --assume-role-policy-document $trust --tags @tags

        $state = Invoke-Onboarding
        $pathArn = "arn:aws:iam::$($script:EmuAccount):role/security/VisionOneRole"
        $state.RoleArn | Should -Be $pathArn
        $state.CloudAccount.RoleArn | Should -Be $pathArn
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @script:Aws @script:V1 | Should -BeExactly $true

        $null = Remove-V1AwsOnboarding -Force @script:Aws @script:V1
        Get-V1Entries | Should -BeNullOrEmpty
        (Invoke-Emulator GET "/_emulator/state?account=$($script:EmuAccount)").roles.name | Should -Not -Contain 'VisionOneRole'
    }

    It 'refuses to remove a role that sits in an instance profile, saying so, and with -IncludeShared takes it out first' {
        $null = Invoke-Onboarding
        $null = Invoke-AwsCli iam create-instance-profile --instance-profile-name web-servers
        $null = Invoke-AwsCli iam add-role-to-instance-profile --instance-profile-name web-servers --role-name VisionOneRole
        Clear-EmulatorCalls

        $err = $null
        try { $null = Remove-V1AwsOnboarding -Force @script:Aws @script:V1 } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.RemovalRoleInUse*'
        "$err" | Should -Match 'instance profile\(s\) web-servers'
        @(Get-EmulatorCalls | Where-Object { $_.mutating -and $_.success }) | Should -BeNullOrEmpty

        $null = Remove-V1AwsOnboarding -Force -IncludeShared @script:Aws @script:V1
        (Invoke-Emulator GET "/_emulator/state?account=$($script:EmuAccount)").roles.name | Should -Not -Contain 'VisionOneRole'
        @(Get-EmulatorCalls | Where-Object { $_.action -eq 'RemoveRoleFromInstanceProfile' -and $_.success }).Count | Should -Be 1
    }
}
