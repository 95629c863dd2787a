#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# A session that already loaded another AWSSDK.Core (as AWS.Tools does) can still use the module, and vice versa.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Foreign = $env:VISIONONE_TEST_FOREIGN_AWSSDK
}

AfterAll { Stop-TestEmulator $script:Emulator }

Describe 'Dependency isolation' {
    It 'works in a session where AWSSDK.Core 3.7 was loaded first, and leaves that copy in charge' {
        $script:Foreign | Should -Exist -Because 'build.ps1 points VISIONONE_TEST_FOREIGN_AWSSDK at the downloaded AWSSDK.Core 3.7'
        # A profile, so that credential resolution runs through AWSSDK.Core's profile classes.
        $profiles = Join-Path $TestDrive 'credentials'
        "[emulator]`naws_access_key_id = $($script:EmuAccessKey)`naws_secret_access_key = $($script:EmuSecretKey)`n" | Set-Content $profiles
        $script = @"
`$ErrorActionPreference = 'Stop'
`$env:AWS_EC2_METADATA_DISABLED = 'true'
Add-Type -Path '$($script:Foreign)'
`$before = [Amazon.Runtime.AWSCredentials].Assembly.GetName().Version.ToString()
Import-Module '$($script:ModulePath)'
`$state = New-V1OidcProvider -V1Region us -ProfileName emulator -ProfileLocation '$profiles' -EndpointUrl $($script:Emulator.Url) -WhatIf
`$after = [Amazon.Runtime.AWSCredentials].Assembly.GetName().Version.ToString()
`$copies = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'AWSSDK.Core' } | ForEach-Object { `$_.GetName().Version.ToString() })
[pscustomobject]@{ Account = `$state.AccountId; Before = `$before; After = `$after; Copies = (`$copies | Sort-Object) -join ',' } | ConvertTo-Json -Compress
"@
        $out = dotnet pwsh -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        $result = ($out | Select-Object -Last 1) | ConvertFrom-Json
        $result.Account | Should -Be $script:EmuAccount
        $result.Before | Should -Be '3.3.0.0'
        $result.After | Should -Be '3.3.0.0'          # the session's own copy is still the one it resolves
        $result.Copies | Should -Be '3.3.0.0,4.0.0.0' # ours lives beside it, in the module's private context
    }
}
