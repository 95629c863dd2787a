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

    It 'warns, listing the actions, before applying a policy that differs from the published one; -Verbose shows the difference' {
        $path = New-TemplateFile 'extra-action.json' {
            param($t)
            $t.Resources.VisionOnePolicyPart2.Properties.PolicyDocument.Statement += @{ Effect = 'Allow'; Action = @('iam:CreateAccessKey'); Resource = '*' }
        }
        $verbose = Invoke-V1AwsOnboarding -Name 'Extra action' -BusinessId $script:BusinessId -TemplatePath $path @script:Aws @script:V1 `
            -WarningVariable warnings -WarningAction SilentlyContinue -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $warnings | Should -HaveCount 1
        $warnings[0] | Should -Match 'VisionOnePolicyPart2 differs from the document Trend publishes: it adds iam:CreateAccessKey'
        ($verbose.Message -join "`n") | Should -Match '\+ "iam:CreateAccessKey"'
    }
}

Describe 'Endpoints come from the command line, the session or the environment, never from piped data' {
    BeforeAll { $script:Trap = Start-TestEmulator }
    AfterAll { Stop-TestEmulator $script:Trap }

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
