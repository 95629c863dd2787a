#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The Vision One side through the built module, against the bundled emulator: template, connect, verify,
# disconnect, the pipeline chain, the one-shot command, and every error path.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Aws = Get-AwsTestParams
    $script:V1 = Get-V1TestParams
    $script:BusinessId = '1234567890'
    $script:RoleArn = "arn:aws:iam::$($script:EmuAccount):role/VisionOneRole"

    function Get-CamCalls { @(Get-EmulatorCalls | Where-Object service -eq 'cam') }
    function Get-MutatingCalls { @(Get-EmulatorCalls | Where-Object { $_.service -in 'iam', 'cam' -and $_.mutating -and $_.success }) }
    function New-IamSide {
        New-V1OidcProvider -V1Region us @script:Aws | Set-V1Thumbprints @script:Aws | New-V1Policies @script:Aws |
            New-V1Role -BusinessId $script:BusinessId @script:Aws
    }
    function Get-V1Accounts { Invoke-Emulator GET '/_emulator/visionone/accounts' | ConvertTo-Json -Depth 20 }
    function Invoke-Captured([scriptblock] $Body) { try { & $Body; $null } catch { $_ } }
}

AfterAll { Stop-TestEmulator $script:Emulator }

Describe 'Get-V1AwsTemplate' {
    BeforeEach { Reset-Emulator }

    It 'asks the API for the template links, downloads the template and reads issuer, policies and parameters' {
        $t = Get-V1AwsTemplate -V1Region us -AwsRegion eu-west-1 @script:V1
        $t.TemplateUrl | Should -BeLike "$($script:Emulator.Url)/templates/*"
        $t.OidcProviderUrl | Should -Be 'https://cloudaccounts-us.xdr.trendmicro.com'
        $t.CreateStackUrl | Should -Not -BeNullOrEmpty
        $t.Policies.Keys | Sort-Object | Should -Be @('VisionOnePolicyPart1', 'VisionOnePolicyPart2', 'VisionOnePolicyPart3')
        ($t.Policies['VisionOnePolicyPart1'] | ConvertFrom-Json).Version | Should -Be '2012-10-17'
        $t.Parameters.Keys | Should -Contain 'VisionOneOIDCProviderURL'
        (Get-CamCalls).action | Should -Be @('GenerateCfnTemplateLinks', 'DownloadTemplate')
    }

    It 'reads a downloaded template with -Path and calls nothing' {
        $t = Get-V1AwsTemplate -Path (Join-Path $PSScriptRoot '../VisionOneOnboarding.Tests/Onboarding/Fixtures/vision-one-template.json') -V1Region eu -AccountId $script:EmuAccount
        $t.Policies.Count | Should -Be 3
        $t.OidcProviderUrl | Should -Match '^https://cloudaccounts-'
        Get-CamCalls | Should -BeNullOrEmpty
    }

    It 'shows the issuer and parameters of a template whose policies need the account, and says how to see those' {
        $t = Get-V1AwsTemplate -Path (Join-Path $PSScriptRoot '../VisionOneOnboarding.Tests/Onboarding/Fixtures/vision-one-template.yaml') -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -Match 'Pass -AccountId'
        $t.OidcProviderUrl | Should -Be 'https://cloudaccounts-us.xdr.trendmicro.com'
        $t.Parameters['VisionOneRegion'] | Should -Be 'us'
        $t.Policies.Count | Should -Be 0
    }
}

Describe 'The whole procedure as one pipeline' {
    BeforeEach { Reset-Emulator }

    It 'Get-V1AwsTemplate | New-V1OidcProvider | Set-V1Thumbprints | New-V1Policies | New-V1Role | Connect-V1AwsAccount ends managed, and a re-run changes nothing' {
        $chain = {
            Get-V1AwsTemplate @script:V1 |
                New-V1OidcProvider @script:Aws | Set-V1Thumbprints @script:Aws | New-V1Policies @script:Aws |
                New-V1Role -BusinessId $script:BusinessId @script:Aws |
                Connect-V1AwsAccount -Name 'Pipeline account' -Description 'made by the chain' @script:V1
        }
        $state = & $chain
        $state.CloudAccountState | Should -Be 'managed'
        $state.CloudAccount.RoleArn | Should -Be $script:RoleArn
        $state.CloudAccount.Description | Should -Be 'made by the chain'
        $state.ApiBaseUrl | Should -Be $script:Emulator.Url
        $state.TemplateUrl | Should -BeLike "$($script:Emulator.Url)/templates/*"
        (Get-CamCalls | Where-Object mutating).action | Should -Be @('AddAwsAccount')

        Clear-EmulatorCalls
        $again = & $chain
        Get-MutatingCalls | Should -BeNullOrEmpty
        $again.Changes | Should -BeNullOrEmpty
        $again.CloudAccountState | Should -Be 'managed'
    }
}

Describe 'Connect-V1AwsAccount' {
    BeforeEach {
        Reset-Emulator
        $script:Iam = New-IamSide
    }

    It 'connects alone with explicit parameters, with the workload instance' {
        $state = Connect-V1AwsAccount -Name 'Alone' -RoleArn $script:RoleArn -WorkloadInstanceId 'swp-123' @script:V1
        $state.CloudAccountState | Should -Be 'managed'
        $state.CloudAccount.ConnectedSecurityServices[0].Name | Should -Be 'workload'
        $state.CloudAccount.ConnectedSecurityServices[0].InstanceIds | Should -Be @('swp-123')
        (Get-V1AwsAccount -AccountId $script:EmuAccount @script:V1).Name | Should -Be 'Alone'
    }

    It 'speaks every path family: -ApiVersion <Version>' -TestCases @(@{ Version = 'v3.0' }, @{ Version = 'beta' }, @{ Version = 'beta-xdr' }) {
        param($Version)
        $state = Connect-V1AwsAccount -Name "Family $Version" -RoleArn $script:RoleArn -ApiVersion $Version @script:V1 -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $prefix = @{ 'v3.0' = '/v3.0/cam/'; 'beta' = '/beta/cam/'; 'beta-xdr' = '/beta/xdr/cam/' }[$Version]
        ($state.Message -join "`n") | Should -Match ([regex]::Escape("POST $prefix" + 'awsAccounts'))
        (Get-V1AwsAccount -AccountId $script:EmuAccount -ApiVersion $Version @script:V1).Name | Should -Be "Family $Version"
    }

    It 'makes no call that changes anything when already connected with the same role' {
        $null = Connect-V1AwsAccount -Name 'Once' -RoleArn $script:RoleArn @script:V1
        Clear-EmulatorCalls
        $state = Connect-V1AwsAccount -Name 'Once' -RoleArn $script:RoleArn @script:V1
        Get-MutatingCalls | Should -BeNullOrEmpty
        $state.Changes | Should -BeNullOrEmpty
    }

    It 'refuses an entry connected with another role, and re-points it with -Force (PATCH with If-Match)' {
        $null = $script:Iam | New-V1Role -RoleName OtherRole -BusinessId $script:BusinessId @script:Aws
        $null = Connect-V1AwsAccount -Name 'Other' -RoleArn "arn:aws:iam::$($script:EmuAccount):role/OtherRole" @script:V1
        $before = Get-V1Accounts
        $err = Invoke-Captured { Connect-V1AwsAccount -Name 'Other' -RoleArn $script:RoleArn @script:V1 -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.ConnectedWithOtherRole,*'
        Get-V1Accounts | Should -Be $before
        Clear-EmulatorCalls
        $state = Connect-V1AwsAccount -Name 'Other' -RoleArn $script:RoleArn -Force @script:V1
        $state.CloudAccount.RoleArn | Should -Be $script:RoleArn
        (Get-CamCalls | Where-Object mutating).action | Should -Be @('UpdateAwsAccount')
    }

    It 'waits for a role that is not assumable yet, within a bounded wait' {
        Reset-Emulator
        Invoke-Emulator POST '/_emulator/faults' @{ rolePropagationMs = 2000 } | Out-Null
        $null = New-IamSide
        $out = Connect-V1AwsAccount -Name 'Slow' -RoleArn $script:RoleArn @script:V1 -Verbose 4>&1
        $state = $out | Where-Object { $_ -is [VisionOneOnboarding.AwsOnboardingState] }
        $state.CloudAccountState | Should -Be 'managed'
        (@($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") | Should -Match 'propagate'
    }

    It 'reports a connection Vision One cannot use as the error VisionOne.CloudAccountNotManaged, with the missing pieces' {
        $null = Invoke-AwsCli iam detach-role-policy --role-name VisionOneRole --policy-arn "arn:aws:iam::$($script:EmuAccount):policy/VisionOnePolicyPart2"
        $err = { Connect-V1AwsAccount -Name 'Broken' -RoleArn $script:RoleArn -VerifyTimeoutSeconds 0 @script:V1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'VisionOne.CloudAccountNotManaged*' -PassThru
        $err.Exception.Message | Should -Match "'failed'.*VisionOnePolicyPart2"
    }
}

Describe 'Get-V1AwsAccount and Disconnect-V1AwsAccount' {
    BeforeAll {
        Reset-Emulator
        # 30 entries whose roles do not exist (they are stored as failed): enough for two pages of 25.
        foreach ($i in 1..30) {
            $acct = '2000000000{0:00}' -f $i
            # Connected, but not managed: the error says so; the entry stays, stored failed.
            $null = Connect-V1AwsAccount -Name "Bulk $i" -RoleArn "arn:aws:iam::$($acct):role/VisionOneRole" -VerifyTimeoutSeconds 0 @script:V1 -ErrorAction SilentlyContinue
        }
    }

    It 'lists every entry, following nextLink' {
        Clear-EmulatorCalls
        $all = Get-V1AwsAccount -PageSize 25 @script:V1
        $all | Should -HaveCount 30
        @(Get-CamCalls | Where-Object action -eq 'ListAwsAccounts').Count | Should -Be 2
    }

    It '-Top N returns at most N entries and reads no further page' {
        Clear-EmulatorCalls
        Get-V1AwsAccount -Top 3 @script:V1 | Should -HaveCount 3
        @(Get-CamCalls | Where-Object action -eq 'ListAwsAccounts').Count | Should -Be 1
        Clear-EmulatorCalls
        Get-V1AwsAccount -Top 27 -PageSize 25 @script:V1 | Should -HaveCount 27
        @(Get-CamCalls | Where-Object action -eq 'ListAwsAccounts').Count | Should -Be 2
        Get-V1AwsAccount -Top 500 @script:V1 | Should -HaveCount 30
    }

    It 'filters with TMV1-Filter' {
        $one = Get-V1AwsAccount -Filter "name eq 'Bulk 7'" @script:V1
        $one | Should -HaveCount 1
        $one.Id | Should -Be '200000000007'
        @(Get-V1AwsAccount -Filter "contains(name,'Bulk 1')" @script:V1).Count | Should -Be 11
    }

    It 'disconnects with -Force, treats "already gone" as done, and -WhatIf removes nothing' {
        Disconnect-V1AwsAccount -AccountId 200000000030 -WhatIf @script:V1
        (Get-V1AwsAccount -AccountId 200000000030 @script:V1).Id | Should -Be '200000000030'
        Disconnect-V1AwsAccount -AccountId 200000000030 -Force -PassThru @script:V1 | Should -BeTrue
        Disconnect-V1AwsAccount -AccountId 200000000030 -Force -PassThru @script:V1 | Should -BeFalse
        $err = Invoke-Captured { Get-V1AwsAccount -AccountId 200000000030 @script:V1 -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.CloudAccountNotFound,*'
    }

    It 'disconnects what the pipeline names' {
        Get-V1AwsAccount -Filter "name eq 'Bulk 29'" @script:V1 | Disconnect-V1AwsAccount -Force @script:V1
        @(Get-V1AwsAccount -Filter "name eq 'Bulk 29'" @script:V1).Count | Should -Be 0
    }
}

Describe 'Invoke-V1AwsOnboarding' {
    BeforeEach { Reset-Emulator }

    It 'runs the whole procedure, verifies it, and changes nothing on a re-run' {
        $state = Invoke-V1AwsOnboarding -Name 'One shot' -BusinessId $script:BusinessId @script:Aws @script:V1
        $state.CloudAccountState | Should -Be 'managed'
        $state.RoleArn | Should -Be $script:RoleArn
        $state.PolicyArns | Should -HaveCount 3
        $state.Changes.Count | Should -Be 9
        Clear-EmulatorCalls
        $again = Invoke-V1AwsOnboarding -Name 'One shot' -BusinessId $script:BusinessId @script:Aws @script:V1
        Get-MutatingCalls | Should -BeNullOrEmpty
        $again.Changes | Should -BeNullOrEmpty
    }

    It '-WhatIf lists each change it would make, and makes none' {
        $before = Get-EmulatorState
        $state = Invoke-V1AwsOnboarding -Name 'Planned' -BusinessId $script:BusinessId @script:Aws @script:V1 -WhatIf
        Get-MutatingCalls | Should -BeNullOrEmpty
        Get-EmulatorState | Should -Be $before
        $state.Changes.Count | Should -Be 9
        $state.Changes | ForEach-Object { $_.Applied | Should -BeFalse }
        $state.Changes.Step | Select-Object -Unique | Should -Be @('OidcProvider', 'Policies', 'Role', 'RoleAttachments', 'CloudAccount')
    }

    It 'reads a template file with -TemplatePath instead of calling the template API' {
        # The tenant's own template: the fixture was downloaded for another business id, which the module refuses.
        $template = Join-Path $TestDrive 'own-template.yaml'
        (Get-Content (Join-Path $PSScriptRoot '../VisionOneOnboarding.Tests/Onboarding/Fixtures/vision-one-template.yaml') -Raw).Replace(
            "'1f0e2d3c-4b5a-6978-8695-a4b3c2d1e0f9'", "'$($script:BusinessId)'") | Set-Content $template
        $state = Invoke-V1AwsOnboarding -Name 'From file' -BusinessId $script:BusinessId -TemplatePath $template @script:Aws @script:V1
        $state.CloudAccountState | Should -Be 'managed'
        (Get-CamCalls).action | Should -Not -Contain 'GenerateCfnTemplateLinks'
    }

    It 'uses the session key from Set-V1Credential' {
        Set-V1Credential -ApiKey $script:V1.ApiKey -ApiBaseUrl $script:Emulator.Url
        try {
            (Invoke-V1AwsOnboarding -Name 'Session key' -BusinessId $script:BusinessId @script:Aws).CloudAccountState | Should -Be 'managed'
        }
        finally { Clear-V1Credential }
        $err = Invoke-Captured { Get-V1AwsAccount -ApiBaseUrl $script:Emulator.Url -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.ApiKeyNotFound,*'
    }
}

Describe 'Vision One errors: a catchable error with the status, code and trace id' {
    BeforeEach {
        Reset-Emulator
        $script:Iam = New-IamSide
    }

    It '401 for a wrong key' {
        $wrong = ConvertTo-SecureString 'not-the-key' -AsPlainText -Force
        $err = Invoke-Captured { Connect-V1AwsAccount -Name 'x' -RoleArn $script:RoleArn -ApiKey $wrong -ApiBaseUrl $script:Emulator.Url -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.InvalidCredentials,*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.StatusCode | Should -Be 401
        $err.Exception.TraceId | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -Match $err.Exception.TraceId
        $err.Exception.Message | Should -Not -Match 'not-the-key'
    }

    It '403 for a key without write permission' {
        Invoke-Emulator POST '/_emulator/visionone/keys' @{ key = 'read-only-key'; businessId = $script:BusinessId; region = 'us'; readOnly = $true } | Out-Null
        $ro = ConvertTo-SecureString 'read-only-key' -AsPlainText -Force
        $err = Invoke-Captured { Connect-V1AwsAccount -Name 'x' -RoleArn $script:RoleArn -ApiKey $ro -ApiBaseUrl $script:Emulator.Url -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.AccessDenied,*'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It '404 is not retried' {
        Invoke-Emulator POST '/_emulator/faults/fail' @{ service = 'cam'; action = 'ListAwsAccounts'; nth = 1; status = 404; code = 'NotFound' } | Out-Null
        $err = Invoke-Captured { Get-V1AwsAccount @script:V1 -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.NotFound,*'
        @(Get-CamCalls | Where-Object action -eq 'ListAwsAccounts').Count | Should -Be 1
    }

    It '<Status> then success is retried' -TestCases @(@{ Status = 429 }, @{ Status = 503 }) {
        param($Status)
        Invoke-Emulator POST '/_emulator/faults/fail' @{ service = 'cam'; action = 'AddAwsAccount'; nth = 1; status = $Status } | Out-Null
        $state = Connect-V1AwsAccount -Name 'Retried' -RoleArn $script:RoleArn @script:V1
        $state.CloudAccountState | Should -Be 'managed'
        (Get-CamCalls | Where-Object action -eq 'AddAwsAccount').success | Should -Be @($false, $true)
    }

    It 'duplicate name' {
        $null = Connect-V1AwsAccount -Name 'Taken' -RoleArn $script:RoleArn @script:V1
        $before = Get-V1Accounts
        $err = Invoke-Captured { Connect-V1AwsAccount -Name 'Taken' -RoleArn 'arn:aws:iam::210987654321:role/VisionOneRole' -VerifyTimeoutSeconds 0 @script:V1 -ErrorAction Stop }
        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.DuplicateAccountName,*'
        Get-V1Accounts | Should -Be $before
    }

    It '<Name>' -TestCases @(
        @{ Name = 'name longer than 254'; Id = 'VisionOne.InvalidAccountName'; Call = { Connect-V1AwsAccount -Name ('n' * 255) -RoleArn $script:RoleArn @script:V1 } }
        @{ Name = 'role ARN that is not one'; Id = 'VisionOne.InvalidRoleArn'; Call = { Connect-V1AwsAccount -Name 'x' -RoleArn 'arn:aws:iam::123:user/bob' @script:V1 } }
        @{ Name = 'http API on a public host'; Id = 'VisionOne.InsecureEndpoint'; Call = { Get-V1AwsAccount -ApiKey $script:V1.ApiKey -ApiBaseUrl 'http://api.example.com' } }
        @{ Name = 'unknown Vision One region'; Id = 'VisionOne.UnknownRegion'; Call = { Get-V1AwsTemplate -V1Region zz -ApiKey $script:V1.ApiKey } }
        @{ Name = 'bad account id'; Id = 'VisionOne.InvalidAccountId'; Call = { Get-V1AwsAccount -AccountId 12ab @script:V1 } }
        @{ Name = 'one-shot with a bad business id'; Id = 'VisionOne.InvalidBusinessId'; Call = { Invoke-V1AwsOnboarding -Name x -BusinessId 'a b' @script:Aws @script:V1 } }
    ) {
        param($Name, $Id, $Call)
        $beforeIam = Get-EmulatorState; $beforeV1 = Get-V1Accounts
        $ErrorActionPreference = 'Stop'
        $err = Invoke-Captured $Call
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        Get-EmulatorState | Should -Be $beforeIam
        Get-V1Accounts | Should -Be $beforeV1
    }
}

Describe 'Secrets stay secret' {
    It 'the API key, the AWS secret and the pre-signed template URL''s signature appear in no stream, no transcript, no error and no property' {
        Reset-Emulator
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $wrong = ConvertTo-SecureString 'wrong-secret-api-key' -AsPlainText -Force
        Start-Transcript -Path $transcript | Out-Null
        try {
            $DebugPreference = 'Continue'; $VerbosePreference = 'Continue'; $InformationPreference = 'Continue'
            $streams = & {
                Invoke-V1AwsOnboarding -Name 'Secret test' -BusinessId $script:BusinessId @script:Aws @script:V1 | Format-List * | Out-String
                Get-V1AwsAccount @script:V1 | Format-List * | Out-String
                Get-V1AwsTemplate @script:V1 | Format-List * | Out-String
                Invoke-Emulator POST '/_emulator/faults/fail' @{ service = 'cam'; action = 'DownloadTemplate'; nth = 1; status = 403; code = 'AccessDenied' }
                try { Get-V1AwsTemplate @script:V1 -ErrorAction Continue } catch { $_ }
                # A wrong key or secret is a setup failure: terminating, so caught here and passed on as a record.
                try { Connect-V1AwsAccount -Name 'x' -RoleArn $script:RoleArn -ApiKey $wrong -ApiBaseUrl $script:Emulator.Url } catch { $_ }
                try { New-V1OidcProvider -V1Region us -AccessKey $script:EmuAccessKey -SecretKey 'wrongAwsSecretKey000000000000000000000000' -EndpointUrl $script:Emulator.Url } catch { $_ }
            } *>&1 | ForEach-Object { $_ | Out-String; if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.ToString() } }
        }
        finally {
            $DebugPreference = 'SilentlyContinue'; $VerbosePreference = 'SilentlyContinue'
            Stop-Transcript | Out-Null
        }
        $all = ($streams -join "`n") + (Get-Content $transcript -Raw) + (@(Get-ChildItem $TestDrive -Recurse -File | Get-Content -Raw) -join "`n")
        $all | Should -Match 'Secret test'          # the capture did capture
        $all | Should -Match 'API key from parameter'   # including Debug, which names the key's source
        $all | Should -Match 'HTTP 401 InvalidCredentials'
        $all | Should -Not -Match ([regex]::Escape($script:EmuApiKeyText))
        $all | Should -Not -Match 'wrong-secret-api-key'
        $all | Should -Not -Match ([regex]::Escape($script:EmuSecretKey))
        $all | Should -Not -Match 'wrongAwsSecretKey'
        $all | Should -Match '/templates/[0-9a-f]+/vision-one-template\.yaml'   # the template URL is shown, in properties and narration
        $all | Should -Match 'HTTP 403 AccessDenied'                             # and the failed download's error was captured
        $all | Should -Not -Match 'X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|IQoJemulator'
    }
}
