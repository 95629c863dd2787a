#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Safe by construction, through the built module: hostile templates, foreign issuers and policies, endpoints that
# piped data cannot choose, throttling waited out, and the Vision One key kept per runspace.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Aws = Get-AwsTestParams
    $script:V1 = Get-V1TestParams
    $script:BusinessId = '1234567890'
    $script:Fixtures = Join-Path $PSScriptRoot '../VisionOneOnboarding.Tests/Onboarding/Fixtures'
    function Get-Mutations { @(Get-EmulatorCalls | Where-Object { $_.service -in 'iam', 'cam' -and $_.mutating -and $_.success }) }
    # The JSON fixture template, changed by a script block, written to a file.
    function New-TemplateFile([string] $Name, [scriptblock] $Change) {
        $template = Get-Content (Join-Path $script:Fixtures 'vision-one-template.json') -Raw | ConvertFrom-Json -AsHashtable
        # The emulator tenant's own template: any refusal comes from the change under test, not from another tenant's id.
        $template.Parameters.VisionOneAccountID.Default = $script:BusinessId
        & $Change $template
        $path = Join-Path $TestDrive $Name
        $template | ConvertTo-Json -Depth 100 | Set-Content -Path $path
        $path
    }
}

AfterAll { Stop-TestEmulator $script:Emulator }

Describe 'Hostile templates' {
    It '<Name> is VisionOne.TemplateMalformed at once, and the host lives on' -ForEach @(
        @{ Name = 'a self-referencing anchor'; File = 'self-referencing-anchor.yaml' }
        @{ Name = 'billion laughs'; File = 'billion-laughs.yaml' }
        @{ Name = 'nesting 100,000 deep'; Text = 'Resources: ' + ('[' * 100000) + (']' * 100000) }
        @{ Name = 'a 6 MB file'; Text = "Resources:`n  X: '" + ('x' * 6MB) + "'`n" }
    ) {
        $path = if ($File) { Join-Path $script:Fixtures "hostile/$File" } else { $p = Join-Path $TestDrive 'hostile.yaml'; [IO.File]::WriteAllText($p, $Text); $p }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        { Get-V1AwsTemplate -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'VisionOne.TemplateMalformed*'
        $watch.Stop()
        Write-Host ("    hostile template, {0}: {1:0} ms" -f $Name, $watch.Elapsed.TotalMilliseconds)
    }
}

Describe 'Issuer and policies of a template' {
    BeforeEach { Reset-Emulator }

    It 'refuses a template whose issuer is not Vision One''s, changing nothing, unless -AllowCustomIssuer' {
        $path = New-TemplateFile 'foreign.json' { param($t) $t.Parameters.VisionOneOIDCProviderURL.Default = 'issuer.attacker.example' }
        { Get-V1AwsTemplate -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'VisionOne.UntrustedIssuer*'
        $err = { Invoke-V1AwsOnboarding -Name 'Foreign' -BusinessId $script:BusinessId -TemplatePath $path @script:Aws @script:V1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'VisionOne.UntrustedIssuer*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.Message | Should -Match 'issuer\.attacker\.example'
        Get-Mutations | Should -BeNullOrEmpty

        $t = Get-V1AwsTemplate -Path $path -AllowCustomIssuer -WarningVariable warnings -WarningAction SilentlyContinue
        $t.OidcProviderUrl | Should -Be 'https://issuer.attacker.example'
        $warnings | Should -Match 'not a Vision One issuer'
        { New-V1OidcProvider -Url 'https://issuer.attacker.example' @script:Aws -ErrorAction Stop } | Should -Throw -ErrorId 'VisionOne.UntrustedIssuer*'
        Get-Mutations | Should -BeNullOrEmpty
    }

    It 'refuses a template policy that grants more than the published one, changing nothing, unless -AllowPolicyChanges' {
        $path = New-TemplateFile 'extra-action.json' {
            param($t)
            $t.Resources.VisionOnePolicyPart2.Properties.PolicyDocument.Statement += @{ Effect = 'Allow'; Action = @('iam:CreateAccessKey'); Resource = '*' }
        }
        $err = { Invoke-V1AwsOnboarding -Name 'Extra action' -BusinessId $script:BusinessId -TemplatePath $path @script:Aws @script:V1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'VisionOne.TemplatePolicyWidened*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.Message | Should -Match 'VisionOnePolicyPart2 .*iam:CreateAccessKey'
        { New-V1Policies -TemplatePath $path @script:Aws -ErrorAction Stop } | Should -Throw -ErrorId 'VisionOne.TemplatePolicyWidened*'
        { Export-V1AwsOnboardingPlan -AccountId 123456789012 -BusinessId $script:BusinessId -V1Region us -TemplatePath $path -Format Json -ErrorAction Stop } |
            Should -Throw -ErrorId 'VisionOne.TemplatePolicyWidened*'
        Get-Mutations | Should -BeNullOrEmpty

        # Fewer actions narrow it: applied, and reported.
        $fewer = New-TemplateFile 'fewer-actions.json' {
            param($t)
            $statement = @($t.Resources.VisionOnePolicyPart3.Properties.PolicyDocument.Statement)[0]
            $statement.Action = @(@($statement.Action)[0])
        }
        $state = Invoke-V1AwsOnboarding -Name 'Fewer actions' -BusinessId $script:BusinessId -TemplatePath $fewer -VerifyTimeoutSeconds 5 @script:Aws @script:V1 `
            -WarningVariable narrowed -WarningAction SilentlyContinue
        $state.CloudAccountState | Should -Be 'managed'
        $narrowed | Should -Match 'VisionOnePolicyPart3 differs from the document Trend publishes: it drops '
    }

    It 'with -AllowPolicyChanges warns, listing the actions, before applying a policy that grants more; -Verbose shows the difference' {
        $path = New-TemplateFile 'extra-action.json' {
            param($t)
            $t.Resources.VisionOnePolicyPart2.Properties.PolicyDocument.Statement += @{ Effect = 'Allow'; Action = @('iam:CreateAccessKey'); Resource = '*' }
        }
        $verbose = Invoke-V1AwsOnboarding -Name 'Extra action' -BusinessId $script:BusinessId -TemplatePath $path -AllowPolicyChanges @script:Aws @script:V1 `
            -WarningVariable warnings -WarningAction SilentlyContinue -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $warnings | Should -HaveCount 1
        $warnings[0] | Should -Match 'VisionOnePolicyPart2 differs from the document Trend publishes: it adds iam:CreateAccessKey'
        ($verbose.Message -join "`n") | Should -Match '\+ "iam:CreateAccessKey"'
    }
}

Describe 'Who the role trusts is never decided by piped data' {
    BeforeEach {
        Reset-Emulator
        # GitHub's provider, as a CI setup has it: its own thumbprint.
        $script:GitHub = (Invoke-AwsCli iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com `
                --client-id-list sts.amazonaws.com --thumbprint-list 1c58a3a8518e8759bf075b76b750d4f2df264fcd).OpenIDConnectProviderArn
        $script:OurPolicy = "arn:aws:iam::$($script:EmuAccount):policy/VisionOnePolicyPart1"
        $script:Before = Get-EmulatorState
        Clear-EmulatorCalls
    }

    It 'Set-V1Thumbprints leaves a provider of another issuer untouched, by pipeline and by parameter, and binds no bare Arn' {
        # What Get-IAMOpenIDConnectProviderList writes: objects with an Arn. They no longer bind to the provider ARN.
        $err = [pscustomobject]@{ Arn = $script:GitHub } | Set-V1Thumbprints @script:Aws -ErrorAction SilentlyContinue -ErrorVariable e
        $e | Should -Not -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike 'VisionOne.InvalidOidcProviderArn*'
        # The chain's own property names a foreign provider: refused as untrusted, before any call.
        $err = { [pscustomobject]@{ OidcProviderArn = $script:GitHub } | Set-V1Thumbprints @script:Aws -ErrorAction Stop } |
            Should -Throw -ErrorId 'VisionOne.UntrustedIssuer*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        { Set-V1Thumbprints -OidcProviderArn $script:GitHub @script:Aws -ErrorAction Stop } | Should -Throw -ErrorId 'VisionOne.UntrustedIssuer*'
        @(Get-EmulatorCalls) | Should -HaveCount 0
        Get-EmulatorState | Should -Be $script:Before
    }

    It 'New-V1Role with a provider of another issuer makes no role, by parameter and by pipeline, unless -AllowCustomIssuer' {
        { New-V1Role -BusinessId $script:BusinessId -V1Region us -OidcProviderArn $script:GitHub -PolicyArn $script:OurPolicy @script:Aws -ErrorAction Stop } |
            Should -Throw -ErrorId 'VisionOne.UntrustedIssuer*'
        { [pscustomobject]@{ OidcProviderArn = $script:GitHub; PolicyArns = @($script:OurPolicy) } |
            New-V1Role -BusinessId $script:BusinessId -V1Region us @script:Aws -ErrorAction Stop } | Should -Throw -ErrorId 'VisionOne.UntrustedIssuer*'
        { [pscustomobject]@{ ProviderArn = $script:GitHub; PolicyArn = @($script:OurPolicy) } |
            New-V1Role -BusinessId $script:BusinessId -V1Region us @script:Aws -ErrorAction Stop } | Should -Throw -ErrorId 'VisionOne.UntrustedIssuer*'
        @(Get-EmulatorCalls) | Should -HaveCount 0
        Get-EmulatorState | Should -Be $script:Before

        # Said explicitly, it is the user's decision: warned, and the role trusts that provider.
        $null = New-V1Policies @script:Aws
        $state = New-V1Role -BusinessId $script:BusinessId -V1Region us -OidcProviderArn $script:GitHub -PolicyArn $script:OurPolicy -AllowCustomIssuer `
            @script:Aws -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -Match 'not a Vision One issuer'
        $state.RoleArn | Should -Be "arn:aws:iam::$($script:EmuAccount):role/VisionOneRole"
    }
}

Describe 'A repair never loosens what the customer tightened' {
    BeforeEach { Reset-Emulator }

    It 'keeps a customer Deny statement and an extra StringLike condition, removes only an extra trusted sub, and Test is then $true' {
        $null = Invoke-V1AwsOnboarding -Name 'Narrowed' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 @script:Aws @script:V1
        $issuer = 'cloudaccounts-us.xdr.trendmicro.com'
        $provider = "arn:aws:iam::$($script:EmuAccount):oidc-provider/$issuer"
        $ours = "urn:visionone:identity:us:$($script:BusinessId):account/$($script:BusinessId)"
        $foreign = 'urn:visionone:identity:us:6666666666:account/6666666666'
        $trust = @{ Version = '2012-10-17'; Statement = @(
                @{ Effect = 'Allow'; Principal = @{ Federated = $provider }; Action = @('sts:AssumeRoleWithWebIdentity', 'sts:SetSourceIdentity')
                    Condition = @{ StringEquals = @{ "$($issuer):aud" = "arn:aws:iam::$($script:EmuAccount):root"; "$($issuer):sub" = @($ours, $foreign) }
                        StringLike = @{ "$($issuer):sub" = 'urn:visionone:identity:us:*' } } }
                # Restrictions Vision One's own sign-in meets: only its region's subjects, and never a token for another audience.
                @{ Effect = 'Deny'; Principal = @{ Federated = $provider }; Action = 'sts:AssumeRoleWithWebIdentity'
                    Condition = @{ StringNotEquals = @{ "$($issuer):aud" = "arn:aws:iam::$($script:EmuAccount):root" } } }) } | ConvertTo-Json -Depth 10 -Compress
        Invoke-AwsCli iam update-assume-role-policy --role-name VisionOneRole --policy-document $trust | Out-Null

        # Test names the widening as drift and each restriction as the customer's (Ok).
        $checks = Test-V1AwsOnboarding -BusinessId $script:BusinessId @script:Aws @script:V1 | Where-Object { $_ -is [VisionOneOnboarding.OnboardingCheck] -and $_.Step -eq 'RoleTrust' }
        @($checks | Where-Object Status -ne 'Ok' | ForEach-Object Item) | Should -Be @("Subject ($($issuer):sub)")
        $restrictions = @($checks | Where-Object Item -eq 'Your restriction')
        $restrictions.Status | Should -Be @('Ok', 'Ok')
        ($restrictions.Actual -join "`n") | Should -Match 'Deny statement .*StringNotEquals'
        ($restrictions.Actual -join "`n") | Should -Match "condition StringLike $([regex]::Escape($issuer)):sub"

        # The confirmation lists exactly what goes.
        # (What if: lines go to the host, so a transcript reads them as the user sees them.)
        $transcript = Join-Path $TestDrive 'narrowed-whatif.txt'
        $null = Start-Transcript -Path $transcript
        try { $null = Invoke-V1AwsOnboarding -Name 'Narrowed' -BusinessId $script:BusinessId @script:Aws @script:V1 -WhatIf }
        finally { $null = Stop-Transcript }
        $whatIf = Get-Content $transcript -Raw
        $whatIf | Should -Match ([regex]::Escape("removing sub value $foreign (keeping your restrictions: Deny statement"))

        $null = Invoke-V1AwsOnboarding -Name 'Narrowed' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 -Confirm:$false @script:Aws @script:V1
        $written = (Invoke-AwsCli iam get-role --role-name VisionOneRole).Role.AssumeRolePolicyDocument
        $written = if ($written -is [string]) { [uri]::UnescapeDataString($written) | ConvertFrom-Json } else { $written }
        $allow = $written.Statement | Where-Object Effect -eq 'Allow'
        @($allow.Condition.StringEquals."$($issuer):sub") | Should -Be @($ours)
        $allow.Condition.StringLike."$($issuer):sub" | Should -Be 'urn:visionone:identity:us:*'
        @($written.Statement | Where-Object Effect -eq 'Deny').Condition.StringNotEquals."$($issuer):aud" | Should -Be "arn:aws:iam::$($script:EmuAccount):root"
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @script:Aws @script:V1 | Should -BeTrue
    }
}

Describe 'Organizations account names and e-mails are sensitive' {
    It 'reach neither -Verbose nor Vision One unless -NameFormat asks for them' {
        Reset-Emulator
        $organization = Invoke-Emulator POST '/_emulator/organization' @{ organizationalUnits = @('Prod'); accounts = 3 }
        $members = @($organization.accounts | Where-Object { $_.id -ne $script:EmuAccount })
        $members | Should -Not -BeNullOrEmpty
        $output = Invoke-V1AwsOnboarding -AllOrganizationAccounts -NameFormat 'Account {AccountId}' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 `
            @script:Aws @script:V1 -V1Region us -Verbose 4>&1
        $verbose = (@($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message) -join "`n"
        $verbose | Should -Not -BeNullOrEmpty
        $entries = @(Invoke-Emulator GET '/_emulator/visionone/accounts' | ForEach-Object { $_ })
        foreach ($member in $members) {
            $verbose | Should -Not -Match ([regex]::Escape($member.name))
            $verbose | Should -Not -Match ([regex]::Escape($member.email))
            ($entries | ConvertTo-Json -Depth 10) | Should -Not -Match ([regex]::Escape($member.email))
        }
        @($entries | ForEach-Object name | Where-Object { $_ -notmatch '^Account \d{12}$' }) | Should -BeNullOrEmpty
    }
}

Describe 'Endpoints come from the command line, the session or the environment, never from piped data' {
    BeforeAll { $script:Trap = Start-TestEmulator }
    AfterAll { Stop-TestEmulator $script:Trap }

    It 'an explicit -V1Region never sends the key to a host VISIONONE_REGIONAL_FQDN or the session names outside the region table' {
        Invoke-RestMethod -Method Delete -Uri "$($script:Trap.Url)/_emulator/calls" | Out-Null
        $saved = Save-Environment 'VISIONONE_API_KEY', 'VISIONONE_REGIONAL_FQDN'
        $env:VISIONONE_API_KEY = $script:EmuApiKeyText
        $env:VISIONONE_REGIONAL_FQDN = $script:Trap.Url
        try {
            $err = { Get-V1AwsAccount -V1Region eu -ErrorAction Stop } | Should -Throw -ErrorId 'VisionOne.RegionMismatch*' -PassThru
            $err.Exception.Message | Should -Match 'VISIONONE_REGIONAL_FQDN'
            { Connect-V1AwsAccount -V1Region eu -Name x -RoleArn "arn:aws:iam::$($script:EmuAccount):role/VisionOneRole" -ErrorAction Stop } |
                Should -Throw -ErrorId 'VisionOne.RegionMismatch*'
            Remove-Item Env:VISIONONE_REGIONAL_FQDN
            Set-V1Credential -ApiKey $script:V1.ApiKey -ApiBaseUrl $script:Trap.Url
            try { { Get-V1AwsAccount -V1Region eu -ErrorAction Stop } | Should -Throw -ErrorId 'VisionOne.RegionMismatch*' }
            finally { Clear-V1Credential }
        }
        finally { Restore-Environment $saved }
        @(Invoke-RestMethod "$($script:Trap.Url)/_emulator/calls" | ForEach-Object { $_ }) | Should -BeNullOrEmpty
        # Named on the same command, the host is the user's choice.
        { Get-V1AwsAccount -V1Region us -ApiBaseUrl $script:Trap.Url -ApiKey $script:V1.ApiKey -ErrorAction Stop } | Should -Not -Throw
    }

    It 'Import-Csv with ApiBaseUrl and EndpointUrl columns sends nothing to the hosts they name' {
        Reset-Emulator
        Invoke-RestMethod -Method Post -Uri "$($script:Trap.Url)/_emulator/reset" | Out-Null
        $csv = Join-Path $TestDrive 'accounts.csv'
        [pscustomobject]@{ Name = 'From CSV'; BusinessId = $script:BusinessId; ApiBaseUrl = $script:Trap.Url; EndpointUrl = $script:Trap.Url } |
            Export-Csv -Path $csv -NoTypeInformation
        $saved = Save-Environment 'VISIONONE_API_KEY', 'VISIONONE_REGIONAL_FQDN'
        $env:VISIONONE_API_KEY = $script:EmuApiKeyText
        $env:VISIONONE_REGIONAL_FQDN = $script:Emulator.Url
        $PSDefaultParameterValues['Invoke-V1AwsOnboarding:EndpointUrl'] = $script:Emulator.Url
        try {
            $state = Import-Csv $csv | Invoke-V1AwsOnboarding -AccessKey $script:EmuAccessKey -SecretKey $script:EmuSecretKey
        }
        finally {
            $PSDefaultParameterValues.Remove('Invoke-V1AwsOnboarding:EndpointUrl')
            Restore-Environment $saved
        }
        $state.CloudAccountState | Should -Be 'managed'
        @(Invoke-RestMethod "$($script:Trap.Url)/_emulator/calls" | ForEach-Object { $_ }) | Should -BeNullOrEmpty
        foreach ($command in Get-Command -Module VisionOneOnboarding) {
            foreach ($name in 'ApiBaseUrl', 'EndpointUrl') {
                $parameter = $command.Parameters[$name]
                if ($parameter) { $parameter.Attributes.Where({ $_ -is [Parameter] -and $_.ValueFromPipelineByPropertyName }) | Should -BeNullOrEmpty -Because "$($command.Name) -$name" }
            }
        }
    }
}

Describe 'Throttling is waited out' {
    It '20 onboardings in a row under a storm (30 % IAM Throttling, 30 % Vision One 429) all end managed' {
        Reset-Emulator
        $accounts = foreach ($i in 1..20) {
            $id = '2000000000{0:00}' -f $i
            Invoke-Emulator POST '/_emulator/accounts' @{ accountId = $id }
        }
        Invoke-Emulator POST '/_emulator/faults' @{ throttleRate = 0.3; throttleRetryAfterSeconds = 0 } | Out-Null
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $states = foreach ($a in $accounts) {
                Invoke-V1AwsOnboarding -Name "Storm $($a.accountId)" -BusinessId $script:BusinessId -AccessKey $a.accessKeyId -SecretKey $a.secretAccessKey `
                    -EndpointUrl $script:Emulator.Url @script:V1 -WarningAction SilentlyContinue
            }
            $watch.Stop()
        }
        finally { Invoke-Emulator DELETE '/_emulator/faults' | Out-Null }
        $throttled = @(Get-EmulatorCalls | Where-Object { $_.status -in 400, 429 -and $_.errorCode -in 'Throttling', 'TooManyRequests' }).Count
        Write-Host ("    storm: 20 onboardings in {0:0.0} s, {1} calls throttled" -f $watch.Elapsed.TotalSeconds, $throttled)
        $throttled | Should -BeGreaterThan 20
        @($states | Where-Object CloudAccountState -eq 'managed') | Should -HaveCount 20
    }
}

Describe 'Set-V1Credential' {
    It 'keeps the key per PowerShell session (runspace), not per process' {
        Reset-Emulator
        $saved = Save-Environment 'VISIONONE_API_KEY', 'VISIONONE_REGIONAL_FQDN'
        Remove-Item Env:VISIONONE_API_KEY, Env:VISIONONE_REGIONAL_FQDN -ErrorAction SilentlyContinue
        $first = [powershell]::Create()
        $second = [powershell]::Create()
        try {
            $null = $first.AddScript({
                param($Module, $Url, $Key)
                Import-Module $Module
                Set-V1Credential -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -ApiBaseUrl $Url
                @(Get-V1AwsAccount -ErrorAction Stop).Count
            }).AddParameters(@{ Module = $script:ModulePath; Url = $script:Emulator.Url; Key = $script:EmuApiKeyText })
            $first.Invoke() | Should -Be 0
            $first.HadErrors | Should -BeFalse

            $null = $second.AddScript({
                param($Module, $Url)
                Import-Module $Module
                try { Get-V1AwsAccount -ApiBaseUrl $Url -ErrorAction Stop; 'no error' } catch { $_.FullyQualifiedErrorId }
            }).AddParameters(@{ Module = $script:ModulePath; Url = $script:Emulator.Url })
            $second.Invoke() | Should -BeLike 'VisionOne.ApiKeyNotFound*'
            { Get-V1AwsAccount -ApiBaseUrl $script:Emulator.Url -ErrorAction Stop } | Should -Throw -ErrorId 'VisionOne.ApiKeyNotFound*'

            $first.Commands.Clear()
            $null = $first.AddScript({ @(Get-V1AwsAccount -ErrorAction Stop).Count })
            $first.Invoke() | Should -Be 0
        }
        finally {
            $first.Dispose(); $second.Dispose()
            Restore-Environment $saved
        }
    }
}
