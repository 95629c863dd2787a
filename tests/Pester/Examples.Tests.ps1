#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The pipeline examples in examples/, run as a pipeline would: the Invoke-Build task file with the Invoke-Build that
# build.ps1 bootstraps, and the runbook — each in a fresh pwsh that imports the module by name, against the emulator.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:InvokeBuild = $env:VISIONONE_TEST_INVOKE_BUILD
    $script:Examples = Join-Path $PSScriptRoot '../../examples'
    # out/: the folder that holds VisionOneOnboarding/<version>/, so the module imports by name.
    $script:ModuleRoot = Split-Path (Split-Path (Split-Path $script:ModulePath))
    $script:Pwsh = Join-Path $PSHOME 'pwsh.dll'
    $script:BuildRunner = Join-Path $TestDrive 'run-build.ps1'
    Set-Content $script:BuildRunner @'
param($InvokeBuild, $File, $Tasks, $Url, $BusinessId)
$ErrorActionPreference = 'Stop'
& $InvokeBuild -Task ($Tasks -split ',') -File $File -BusinessId $BusinessId -AccountName 'Release pipeline' -EndpointUrl $Url -ApiBaseUrl $Url
'@

    # A fresh pwsh with the pipeline's environment: the module on PSModulePath, credentials in environment variables.
    function Invoke-Pipeline([string[]] $Arguments) {
        $saved = Save-Environment 'PSModulePath', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION', 'VISIONONE_API_KEY'
        try {
            $env:PSModulePath = $script:ModuleRoot
            $env:AWS_ACCESS_KEY_ID = $script:EmuAccessKey
            $env:AWS_SECRET_ACCESS_KEY = $script:EmuSecretKey
            $env:AWS_DEFAULT_REGION = 'us-east-1'
            $env:VISIONONE_API_KEY = 'emulator-visionone-api-key'
            $output = & dotnet $script:Pwsh -NoProfile -NonInteractive @Arguments 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
        }
        finally { Restore-Environment $saved }
    }
    function Invoke-ReleaseBuild([string] $Tasks, [string] $BusinessId = '1234567890') {
        Invoke-Pipeline @('-File', $script:BuildRunner, '-InvokeBuild', $script:InvokeBuild, '-File', (Join-Path $script:Examples 'onboarding.build.ps1'),
            '-Tasks', $Tasks, '-Url', $script:Emulator.Url, '-BusinessId', $BusinessId)
    }
    function Invoke-Runbook([string] $V1Region = 'us') {
        Invoke-Pipeline @('-File', (Join-Path $script:Examples 'Invoke-OnboardingRunbook.ps1'), '-BusinessId', '1234567890', '-AccountName', 'Runbook', '-V1Region', $V1Region,
            '-EndpointUrl', $script:Emulator.Url, '-ApiBaseUrl', $script:Emulator.Url)
    }
    function Get-Mutations { @(Get-EmulatorCalls | Where-Object { $_.service -ne 'sts' -and $_.mutating -and $_.success }) }
}

AfterAll { Stop-TestEmulator $script:Emulator }

Describe 'examples/onboarding.build.ps1 (Invoke-Build)' {
    BeforeAll { Reset-Emulator }

    It 'plans, onboards and verifies the account; run again it changes nothing' {
        $script:InvokeBuild | Should -Exist
        $first = Invoke-ReleaseBuild 'Plan,Onboard,Verify'
        $first.ExitCode | Should -Be 0 -Because $first.Output
        $first.Output | Should -Match 'What if: .*Create IAM OIDC provider'
        $first.Output | Should -Match "Vision One state 'managed'"
        $first.Output | Should -Match 'The account matches what the procedure prescribes'
        $first.Output | Should -Match 'Build succeeded'

        Clear-EmulatorCalls
        $second = Invoke-ReleaseBuild 'Onboard'
        $second.ExitCode | Should -Be 0 -Because $second.Output
        $second.Output | Should -Match 'Account 123456789012: 0 change\(s\)'
        Get-Mutations | Should -BeNullOrEmpty
    }

    It 'fails the build when the account drifted' {
        $null = Invoke-AwsCli iam untag-role --role-name VisionOneRole --tag-keys VisionOneFeatures
        $verify = Invoke-ReleaseBuild 'Verify'
        $verify.ExitCode | Should -Not -Be 0
        $verify.Output | Should -Match 'drifted from the Vision One onboarding'
        $verify.Output | Should -Match 'RoleTags'
        $verify.Output | Should -Match 'Build FAILED'
    }

    It 'puts it back with Onboard, then Remove takes everything out' {
        (Invoke-ReleaseBuild 'Onboard,Verify').ExitCode | Should -Be 0
        $remove = Invoke-ReleaseBuild 'Remove'
        $remove.ExitCode | Should -Be 0 -Because $remove.Output
        (Invoke-AwsCli iam list-roles).Roles.RoleName | Should -Not -Contain 'VisionOneRole'
        (Invoke-AwsCli iam list-open-id-connect-providers).OpenIDConnectProviderList | Should -BeNullOrEmpty
    }
}

Describe 'examples/Invoke-OnboardingRunbook.ps1' {
    BeforeAll { Reset-Emulator }

    It 'onboards without a prompt and exits 0' {
        $run = Invoke-Runbook
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match "Vision One state 'managed'"
    }

    It 'exits 1 with the error id when the onboarding fails' {
        $run = Invoke-Runbook -V1Region 'mars'
        $run.ExitCode | Should -Be 1 -Because $run.Output
        $run.Output | Should -Match 'Onboarding failed: VisionOne\.'
    }
}
