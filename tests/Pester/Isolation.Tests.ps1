#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# A session that already loaded another AWSSDK.Core (as AWS.Tools does) can still use the module, and vice versa;
# for both builds the module ships (bin/net8.0, which PowerShell 7 runs, and bin/netstandard2.0, Windows PowerShell's,
# run here in its place).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Foreign = $env:VISIONONE_TEST_FOREIGN_AWSSDK
    # The folder the loader picks here: the ReadyToRun build of this platform on .NET 10 or later, else the IL of net8.0.
    $rid = "$(if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' })-$("$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant())"
    $readyToRun = "net10.0-$rid"
    $script:Chosen = if ([Environment]::Version.Major -ge 10 -and (Test-Path (Join-Path (Split-Path $script:ModulePath) "bin/$readyToRun"))) { $readyToRun } else { 'net8.0' }
    # The module as it ships, or a copy in which the loader can only pick net8.0, holding the build of $Framework.
    function Get-ModuleWithBuild([string] $Framework) {
        if ($Framework -eq 'chosen') { return $script:ModulePath }
        $copy = Join-Path $TestDrive "module-$Framework"
        Copy-Item (Split-Path $script:ModulePath) $copy -Recurse
        Get-ChildItem (Join-Path $copy 'bin') -Directory -Filter 'net10.0-*' | Remove-Item -Recurse
        if ($Framework -ne 'net8.0') {
            Remove-Item (Join-Path $copy 'bin/net8.0/*')
            Copy-Item (Join-Path $copy "bin/$Framework/*") (Join-Path $copy 'bin/net8.0')
        }
        Join-Path $copy (Split-Path $script:ModulePath -Leaf)
    }
}

AfterAll { Stop-TestEmulator $script:Emulator }


Describe 'Dependency isolation' {
    It 'works in a session where AWSSDK.Core 3.7 was loaded first, and leaves that copy in charge (<Framework> build)' -ForEach @(
        @{ Framework = 'chosen' }, @{ Framework = 'net8.0' }, @{ Framework = 'netstandard2.0' }
    ) {
        $script:Foreign | Should -Exist -Because 'build.ps1 points VISIONONE_TEST_FOREIGN_AWSSDK at the downloaded AWSSDK.Core 3.7'
        # A profile, so that credential resolution runs through AWSSDK.Core's profile classes.
        $profiles = Join-Path $TestDrive 'credentials'
        $module = Get-ModuleWithBuild $Framework
        "[emulator]`naws_access_key_id = $($script:EmuAccessKey)`naws_secret_access_key = $($script:EmuSecretKey)`n" | Set-Content $profiles
        $script = @"
`$ErrorActionPreference = 'Stop'
`$env:AWS_EC2_METADATA_DISABLED = 'true'
Add-Type -Path '$($script:Foreign)'
`$before = [Amazon.Runtime.AWSCredentials].Assembly.GetName().Version.ToString()
Import-Module '$module'
`$state = New-V1OidcProvider -V1Region us -ProfileName emulator -ProfileLocation '$profiles' -EndpointUrl $($script:Emulator.Url) -WhatIf
`$after = [Amazon.Runtime.AWSCredentials].Assembly.GetName().Version.ToString()
`$copies = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'AWSSDK.Core' } | ForEach-Object { `$_.GetName().Version.ToString() })
`$own = (Get-Command New-V1OidcProvider).ImplementingType.Assembly
`$context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$own)
`$coreContexts = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'AWSSDK.Core' -and [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_) -eq `$context })
[pscustomobject]@{ Account = `$state.AccountId; Before = `$before; After = `$after; Copies = (`$copies | Sort-Object) -join ','
    Private = `$context -ne [System.Runtime.Loader.AssemblyLoadContext]::Default; Folder = Split-Path (Split-Path `$own.Location) -Leaf
    OwnCore = @(`$coreContexts | ForEach-Object { `$_.GetName().Version.ToString() }) -join ',' } | ConvertTo-Json -Compress
"@
        $out = dotnet pwsh -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        $result = ($out | Select-Object -Last 1) | ConvertFrom-Json
        $result.Account | Should -Be $script:EmuAccount
        $result.Before | Should -Be '3.3.0.0'
        $result.After | Should -Be '3.3.0.0'          # the session's own copy is still the one it resolves
        $result.Copies | Should -Be '3.3.0.0,4.0.0.0' # ours lives beside it, in the module's private context
        $result.Private | Should -BeTrue              # the module's own assembly is in that context too
        $result.OwnCore | Should -Be '4.0.0.0'
        $result.Folder | Should -Be $(if ($Framework -eq 'chosen') { $script:Chosen } else { 'net8.0' })
    }

    It 'assumes a role with AWSSDK.SecurityToken from its own bin/, even when another copy of it was loaded first' {
        # AWSSDK.Core finds service assemblies by name across the whole process; the module hands it its own clients instead.
        $foreignSts = Join-Path (Split-Path (Split-Path (Split-Path (Split-Path (Split-Path $script:Foreign))))) 'awssdk.securitytoken/3.7.202/lib/netcoreapp3.1/AWSSDK.SecurityToken.dll'
        $foreignSts | Should -Exist -Because 'the test project downloads AWSSDK.SecurityToken 3.7 for this test'
        $trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}'
        $null = Invoke-AwsCli iam create-role --role-name Isolated --assume-role-policy-document $trust
        $folder = Join-Path $TestDrive 'assume'
        $null = New-Item -ItemType Directory -Path $folder
        "[base]`naws_access_key_id = $($script:EmuAccessKey)`naws_secret_access_key = $($script:EmuSecretKey)`n" | Set-Content (Join-Path $folder 'credentials')
        "[profile isolated]`nrole_arn = arn:aws:iam::123456789012:role/Isolated`nsource_profile = base`n" | Set-Content (Join-Path $folder 'config')
        $script = @"
`$ErrorActionPreference = 'Stop'
`$env:AWS_EC2_METADATA_DISABLED = 'true'
Add-Type -Path '$($script:Foreign)'
Add-Type -Path '$foreignSts'
Import-Module '$($script:ModulePath)'
`$state = New-V1OidcProvider -V1Region us -ProfileName isolated -ProfileLocation '$(Join-Path $folder 'credentials')' -EndpointUrl $($script:Emulator.Url) -WhatIf
`$contexts = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'AWSSDK.SecurityToken' } |
    ForEach-Object { `$context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_)
        `$name = if (`$context -eq [System.Runtime.Loader.AssemblyLoadContext]::Default) { 'Default' }
            elseif (`$context -eq [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command New-V1OidcProvider).ImplementingType.Assembly)) { 'Module' } else { 'other' }
        `$name + '=' + `$_.GetName().Version })
[pscustomobject]@{ Arn = `$state.AccountId; Contexts = (`$contexts | Sort-Object) -join ',' } | ConvertTo-Json -Compress
"@
        $out = dotnet pwsh -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        $result = ($out | Select-Object -Last 1) | ConvertFrom-Json
        $result.Arn | Should -Be $script:EmuAccount
        $result.Contexts | Should -Be 'Default=3.3.0.0,Module=4.0.0.0'
        @(Get-EmulatorCalls | Where-Object { $_.action -eq 'AssumeRole' -and $_.success }).Count | Should -Be 1
    }
}
