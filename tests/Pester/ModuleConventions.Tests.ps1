#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What admins expect of any module: help, approved verbs, -WhatIf, completion, views, credential conventions.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:CmdletCases = @(Get-Command -Module VisionOneOnboarding -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Module layout' {
    It 'exports the cmdlets the manifest names, and the manifest is valid' {
        $manifest = Test-ModuleManifest $script:ModulePath
        $exported = (Get-Command -Module VisionOneOnboarding).Name
        foreach ($name in $manifest.ExportedCmdlets.Keys) { $exported | Should -Contain $name }
        $exported.Count | Should -BeGreaterOrEqual 4
    }

    It 'has a table or list view for the state object' {
        Get-FormatData -TypeName VisionOneOnboarding.AwsOnboardingState | Should -Not -BeNullOrEmpty
    }

    It 'ships about_VisionOneOnboarding' {
        (Get-Help about_VisionOneOnboarding | Out-String) | Should -Match 'Set-V1Thumbprints'
    }
}

Describe '<Name>' -ForEach $script:CmdletCases {
    BeforeAll {
        $script:Command = Get-Command $Name
        $script:Help = Get-Help $Name -Full
    }

    It 'uses an approved verb' {
        (Get-Verb).Verb | Should -Contain $script:Command.Verb
    }

    It 'has a synopsis, a description and at least one example' {
        $script:Help.Synopsis | Should -Not -BeNullOrEmpty
        $script:Help.Synopsis | Should -Not -Match "^\s*$Name\s*\["   # the auto-generated syntax stands in when help is missing
        ($script:Help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        @($script:Help.Examples.Example).Count | Should -BeGreaterOrEqual 1
        $script:Help.Examples.Example[0].Code | Should -Match $Name.Split('-')[1].Substring(0, 3)
    }

    It 'describes every parameter' {
        foreach ($p in $script:Command.Parameters.Values | Where-Object { $script:Common -notcontains $_.Name }) {
            $ph = $script:Help.Parameters.Parameter | Where-Object Name -eq $p.Name
            ($ph.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($p.Name) of $Name needs a description"
        }
    }

    It 'supports -WhatIf when it changes things' {
        if ($script:Command.Verb -in 'New', 'Set', 'Remove', 'Connect', 'Disconnect', 'Invoke') {
            $script:Command.Parameters.Keys | Should -Contain 'WhatIf'
            $script:Command.Parameters.Keys | Should -Contain 'Confirm'
        }
    }

    It 'takes the AWS.Tools credential parameters' {
        if ($script:Command.Parameters.ContainsKey('EndpointUrl')) {
            foreach ($p in 'AccessKey', 'SecretKey', 'SessionToken', 'ProfileName', 'ProfileLocation', 'Region') {
                $script:Command.Parameters.Keys | Should -Contain $p
            }
            $script:Command.Parameters['ProfileName'].Aliases | Should -Contain 'StoredCredentials'
        }
    }
}

Describe 'Completion and credentials' {
    BeforeAll {
        $script:Emulator = Start-TestEmulator
        $env:AWS_EC2_METADATA_DISABLED = 'true'
    }
    AfterAll { Stop-TestEmulator $script:Emulator }

    It 'completes Vision One region codes' {
        $r = TabExpansion2 -inputScript 'New-V1OidcProvider -V1Region m' -cursorColumn 'New-V1OidcProvider -V1Region m'.Length
        $r.CompletionMatches.CompletionText | Should -Contain 'mea'
    }

    It 'completes profile names from -ProfileLocation' {
        $file = Join-Path $TestDrive 'credentials'
        "[alpha]`naws_access_key_id = EMULATORAKID00000001`naws_secret_access_key = x`n[beta]`naws_access_key_id = y`naws_secret_access_key = z`n" | Set-Content $file
        $line = "New-V1OidcProvider -ProfileLocation $file -ProfileName al"
        $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $r.CompletionMatches.CompletionText | Should -Contain 'alpha'
    }

    It 'uses $StoredAWSCredentials (a profile name), and -Debug names the source but never the secret' {
        Reset-Emulator
        $file = Join-Path $TestDrive 'stored-credentials'
        "[stored]`naws_access_key_id = $($script:EmuAccessKey)`naws_secret_access_key = $($script:EmuSecretKey)`n" | Set-Content $file
        $global:StoredAWSCredentials = 'stored'
        try {
            # -Debug in a non-interactive session: nothing may ask (Inquire) at a verbose message.
            $all = New-V1OidcProvider -V1Region us -EndpointUrl $script:Emulator.Url -ProfileLocation $file -Debug 5>&1 4>&1 6>&1 2>&1
            $all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Should -BeNullOrEmpty
            $debug = @($all | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message -join "`n"
            $debug | Should -Match 'stored'
            $debug | Should -Match 'CreateOpenIDConnectProvider'   # the narration too
            ($all | Out-String) + $debug | Should -Not -Match $script:EmuSecretKey
            ($all | Where-Object { $_ -is [VisionOneOnboarding.AwsOnboardingState] }).AccountId | Should -Be $script:EmuAccount
        }
        finally {
            Remove-Variable -Name StoredAWSCredentials -Scope Global -ErrorAction SilentlyContinue
        }
    }

    It 'stops in-flight calls when the pipeline is stopped (Ctrl+C)' {
        Reset-Emulator
        Invoke-Emulator POST '/_emulator/faults' @{ latencyMs = 20000 } | Out-Null
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$($script:ModulePath)'; New-V1OidcProvider -V1Region us -AccessKey $($script:EmuAccessKey) -SecretKey $($script:EmuSecretKey) -EndpointUrl $($script:Emulator.Url) -Verbose")
            $null = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(15)
            # The narration of the STS call comes just before it is sent: then it is in flight.
            while (-not ($ps.Streams.Verbose.Message -match 'GetCallerIdentity') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $ps.Streams.Verbose.Message -match 'GetCallerIdentity' | Should -Not -BeNullOrEmpty
            Start-Sleep -Milliseconds 300
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'Stop must cancel the call, not wait out the 20 s latency'
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $ps.Dispose()
            Invoke-Emulator DELETE '/_emulator/faults' | Out-Null
        }
    }
}
