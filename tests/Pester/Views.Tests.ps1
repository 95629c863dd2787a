#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What an admin reads: the default views at 80 and 120 columns, and objects that serialise as people read them.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Aws = Get-AwsTestParams
    $script:V1 = Get-V1TestParams -WithRegion
    $script:BusinessId = '1234567890'
    $script:Wanted = 'F21C12F46CDB6B2E16F09F9419CDFF328437B2D7'
    $script:Wrong = 'F21C12F46CDB6B2E16F09F9419CDFF328437B2D8'   # one character off

    $script:State = Invoke-V1AwsOnboarding -Name 'Views' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 @script:Aws @script:V1
    $script:Compliant = @(Test-V1AwsOnboarding -BusinessId $script:BusinessId @script:Aws @script:V1)
    $thumbprints = @($script:State.Thumbprints | Select-Object -First 3) + $script:Wrong
    $null = Invoke-AwsCli iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn $script:State.OidcProviderArn --thumbprint-list @thumbprints
    $script:Checks = @(Test-V1AwsOnboarding -BusinessId $script:BusinessId @script:Aws @script:V1)

    function Get-Lines([string] $Text) { @($Text -split "`r?`n" | Where-Object { $_.Trim() }) }
}

AfterAll { Stop-TestEmulator $script:Emulator }

Describe 'The default views' {
    It 'shows every drifted check with its full expected and actual values at <Width> columns' -TestCases @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = $script:Checks | Where-Object Status -ne Ok | Out-String -Width $Width
        $lines = Get-Lines $text
        ($lines | Where-Object { $_ -match "^\s+expected: $($script:Wanted)$" }) | Should -HaveCount 1
        ($lines | Where-Object { $_ -match "^\s+actual:   $($script:Wrong)$" }) | Should -HaveCount 1
        ($lines | Where-Object { $_ -match '^Missing\s+Thumbprints\s+Thumbprint$' }) | Should -HaveCount 1
        ($lines | Where-Object { $_ -match '^Extra\s+Thumbprints\s+Thumbprint$' }) | Should -HaveCount 1
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
    }

    It 'shows a compliant account as one line per check, each within 80 columns' {
        $lines = Get-Lines ($script:Compliant | Out-String -Width 80)
        @($lines | Where-Object { $_ -match '^Ok\s' }).Count | Should -Be $script:Compliant.Count
        $lines | Where-Object { $_ -match 'expected:|actual:' } | Should -BeNullOrEmpty
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $lines | Should -Contain ('Ok      RoleTags        VisionOneFeatures: Base')
    }

    It 'keeps the table for Format-Table, with the values in its columns' {
        $text = $script:Checks | Where-Object Status -ne Ok | Format-Table -AutoSize | Out-String -Width 200
        $text | Should -Match $script:Wanted
        $text | Should -Match $script:Wrong
    }

    It 'names the item in -Summary findings, not the step twice' {
        $summary = Test-V1AwsOnboarding -BusinessId $script:BusinessId -Summary @script:Aws @script:V1
        @($summary.Findings | ForEach-Object { "$_" } | Sort-Object) | Should -Be @("Extra thumbprint $($script:Wrong)", "Missing thumbprint $($script:Wanted)")
        ($summary | Out-String -Width 80) | Should -Match "Missing thumbprint $($script:Wanted)"
    }

    It 'shows the state at 80 columns with every line in bounds and no ARN broken inside a name' {
        $lines = Get-Lines ($script:State | Out-String -Width 80)
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        foreach ($arn in $script:State.PolicyArns) { ($lines | Where-Object { $_.Contains($arn) }).Count | Should -BeGreaterThan 0 }
        ($lines | Where-Object { $_.Contains($script:State.RoleArn) }).Count | Should -BeGreaterThan 0
        foreach ($thumbprint in $script:State.Thumbprints) { ($lines | Where-Object { $_.Contains($thumbprint) }) | Should -HaveCount 1 }
        # Continuation lines of a wrapped change start after a space, '/' or ':' of the text before them.
        $text = ($script:State | Out-String -Width 80)
        $text | Should -Not -Match 'DependentRoundTrips|EndpointUrl|TemplateUrl'
        $text | Should -Match '(?m)oidc-provider/\s*$'
    }
}

Describe 'A rename is never silent' {
    It 'renames the connected entry only with a warning naming both names, and lists it as a change' {
        $state = Invoke-V1AwsOnboarding -Name 'Views renamed' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 -WarningVariable warned -WarningAction SilentlyContinue @script:Aws @script:V1
        @($warned | Where-Object { "$_" -match "named 'Views'; this run renames it to 'Views renamed'" }) | Should -HaveCount 1
        @($state.Changes | Where-Object { $_.Step -eq 'CloudAccount' -and $_.Action -match "name 'Views' → 'Views renamed'" }) | Should -HaveCount 1
        $state.CloudAccountName | Should -Be 'Views renamed'
        $again = Invoke-V1AwsOnboarding -Name 'Views renamed' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 -WarningVariable quiet @script:Aws @script:V1
        $quiet | Should -BeNullOrEmpty
    }
}

Describe 'Objects that serialise' {
    It 'writes a check''s status by name in JSON and CSV' {
        $json = $script:Checks | Where-Object Status -eq Missing | ConvertTo-Json | ConvertFrom-Json
        $json.Status | Should -Be 'Missing'
        ($script:Checks | ConvertTo-Csv | Select-Object -Skip 1) -join "`n" | Should -Match '"Extra"'
    }

    It 'writes the state''s lists as readable text in CSV and keeps them lists everywhere else' {
        $row = $script:State | ConvertTo-Csv | ConvertFrom-Csv
        $row.Thumbprints | Should -Be ($script:State.Thumbprints -join '; ')
        $row.PolicyArns | Should -Be ($script:State.PolicyArns -join '; ')
        $row.Changes | Should -Match '^Create IAM OIDC provider'
        ($script:State | ConvertTo-Csv) -join "`n" | Should -Not -Match 'System\.|List`1'
        $script:State.Thumbprints.Count | Should -Be 4
        $script:State.Thumbprints -contains $script:Wanted | Should -BeTrue
        ($script:State | ConvertTo-Json -Depth 3 | ConvertFrom-Json).PolicyArns | Should -HaveCount 3
    }
}

Describe 'What they type: -BusinessId only when it is not known' {
    It 'takes the business id the template names, says so in -Verbose, and asks for it by id when nothing names it' {
        $out = Invoke-V1AwsOnboarding -Name 'Views renamed' -VerifyTimeoutSeconds 5 -Verbose @script:Aws @script:V1 4>&1
        $state = $out | Where-Object { $_ -is [VisionOneOnboarding.AwsOnboardingState] }
        $state.BusinessId | Should -Be $script:BusinessId
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" |
            Should -Match "Business id $($script:BusinessId): named by the template .*VisionOneAccountID"

        # The template of another source, its VisionOneAccountID left empty: nothing names the business id.
        $template = Join-Path $TestDrive 'no-business-id.yaml'
        (Get-Content (Join-Path $PSScriptRoot '../VisionOneOnboarding.Tests/Onboarding/Fixtures/vision-one-template.yaml') -Raw).
            Replace("Default: '1f0e2d3c-4b5a-6978-8695-a4b3c2d1e0f9'", "Default: ''") | Set-Content $template
        Clear-EmulatorCalls
        { Test-V1AwsOnboarding -TemplatePath $template -ErrorAction Stop @script:Aws @script:V1 } | Should -Throw -ErrorId 'VisionOne.BusinessIdRequired*'
        { Invoke-V1AwsOnboarding -Name 'Views renamed' -TemplatePath $template -ErrorAction Stop @script:Aws @script:V1 } | Should -Throw -ErrorId 'VisionOne.BusinessIdRequired*'
        @(Get-EmulatorCalls | Where-Object { $_.mutating -and $_.success }) | Should -BeNullOrEmpty
    }
}
