#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Installing it like any module: the allow-listed layout, one version everywhere, the package Install-PSResource
# takes, and the module imported by name from where it was installed.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot '../../module/tools/ModuleLayout.ps1')
    $script:Root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $script:Layout = Import-PowerShellDataFile (Join-Path $script:Root 'build.layout.psd1')
    $script:ModuleDirectory = Split-Path $script:ModulePath
    $script:Manifest = Import-PowerShellDataFile $script:ModulePath
    $script:Version = $script:Manifest.ModuleVersion
    $script:Package = $env:VISIONONE_TEST_PACKAGE
    # Per build folder (net8.0, netstandard2.0): that build's deps.json.
    $script:DepsJson = $env:VISIONONE_TEST_MODULE_DEPS | ConvertFrom-Json -AsHashtable
    # A child pwsh of the same PowerShell, started without the dotnet tool lookup (so its environment can differ).
    $script:Pwsh = Join-Path $PSHOME 'pwsh.dll'
    Add-Type -AssemblyName System.IO.Compression.FileSystem
}

Describe 'What ships' {
    It 'is exactly the allow-listed DLLs, and every DLL the module depends on, in both builds' {
        $problems = @(Get-ModuleLayoutProblem -ModuleDirectory $script:ModuleDirectory -Layout $script:Layout -DepsJsonPath $script:DepsJson)
        $problems -join "`n" | Should -BeNullOrEmpty
        @($script:DepsJson.Keys | Sort-Object) | Should -Be @('net10.0-linux-x64', 'net10.0-win-x64', 'net8.0', 'netstandard2.0')
        @($script:Layout.Bin.Keys | Sort-Object) | Should -Be @('net10.0-linux-x64', 'net10.0-win-x64', 'net8.0', 'netstandard2.0')
    }

    It 'has the PowerShell 7 builds on net8.0 and net10.0 with AWSSDK''s assemblies of the same target, and the Windows PowerShell build on netstandard2.0' {
        foreach ($case in @(@{ Folder = 'net8.0'; Framework = '.NETCoreApp,Version=v8.0' }, @{ Folder = 'net10.0-linux-x64'; Framework = '.NETCoreApp,Version=v10.0' },
                @{ Folder = 'net10.0-win-x64'; Framework = '.NETCoreApp,Version=v10.0' }, @{ Folder = 'netstandard2.0'; Framework = '.NETStandard,Version=v2.0' })) {
            foreach ($name in 'VisionOneOnboarding.dll', 'AWSSDK.Core.dll') {
                $path = Join-Path $script:ModuleDirectory "bin/$($case.Folder)/$name"
                $bytes = [IO.File]::ReadAllBytes($path)
                # The TargetFrameworkAttribute's value is stored as UTF-8 in the assembly's metadata.
                [Text.Encoding]::UTF8.GetString($bytes) | Should -Match ([regex]::Escape($case.Framework)) -Because "$($case.Folder)/$name targets $($case.Framework)"
            }
        }
        Join-Path $script:ModuleDirectory 'bin/net8.0/System.Text.Json.dll' | Should -Not -Exist -Because 'PowerShell 7 brings its own'
    }

    It 'has ReadyToRun images (native code for their platform, and the IL) in the net10.0 builds, IL only elsewhere' {
        function Test-ReadyToRun([string] $Path) {
            $stream = [IO.File]::OpenRead($Path)
            try {
                $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
                try { $null -ne $pe.PEHeaders.CorHeader -and $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 } finally { $pe.Dispose() }
            }
            finally { $stream.Dispose() }
        }
        foreach ($name in $script:Layout.Bin['net10.0-linux-x64']) {
            foreach ($folder in 'net10.0-linux-x64', 'net10.0-win-x64') {
                Test-ReadyToRun (Join-Path $script:ModuleDirectory "bin/$folder/$name") | Should -BeTrue -Because "$folder/$name is precompiled"
            }
            Test-ReadyToRun (Join-Path $script:ModuleDirectory "bin/net8.0/$name") | Should -BeFalse -Because "net8.0/$name is the IL fallback"
        }
    }

    It 'imports with no script: the loader is the first nested module, the cmdlets and aliases come from the build for this runtime and platform' {
        $script:Manifest.ContainsKey('RootModule') | Should -BeFalse
        $script:Manifest.NestedModules[0] | Should -Be 'VisionOneOnboarding.Loader.dll'
        @(Get-ChildItem $script:ModuleDirectory -Recurse -Include *.psm1, *.ps1) | Should -BeNullOrEmpty
        $module = Get-Module VisionOneOnboarding
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($script:Manifest.CmdletsToExport | Sort-Object)
        @($module.ExportedAliases.Keys | Sort-Object) | Should -Be @($script:Manifest.AliasesToExport | Sort-Object)
        $rid = "$(if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' })-$("$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant())"
        $expected = if ([Environment]::Version.Major -ge 10 -and $script:Layout.Bin.ContainsKey("net10.0-$rid")) { "net10.0-$rid" } else { 'net8.0' }
        (Get-Command Invoke-V1AwsOnboarding).ImplementingType.Assembly.Location | Should -Be (Join-Path $script:ModuleDirectory "bin/$expected/VisionOneOnboarding.dll")
    }

    It 'is checked by name: a DLL that is not on the list, or one the module needs that is absent, is named' {
        $copy = Join-Path $TestDrive 'layout'
        Copy-Item $script:ModuleDirectory $copy -Recurse
        Set-Content (Join-Path $copy 'bin/net8.0/Rogue.Extra.dll') 'not an assembly'
        Set-Content (Join-Path $copy 'bin/Stray.dll') 'not an assembly'
        Remove-Item (Join-Path $copy 'bin/net8.0/YamlDotNet.dll')
        Remove-Item (Join-Path $copy 'bin/netstandard2.0/System.Memory.dll')
        Remove-Item (Join-Path $copy 'VisionOneOnboarding.Loader.dll')
        $null = New-Item -ItemType Directory (Join-Path $copy 'bin/net9.0')
        Set-Content (Join-Path $copy 'bin/net9.0/VisionOneOnboarding.dll') 'not an assembly'
        $problems = @(Get-ModuleLayoutProblem -ModuleDirectory $copy -Layout $script:Layout -DepsJsonPath $script:DepsJson)
        $problems | Should -HaveCount 6
        $problems | Should -Contain 'unexpected DLL bin/net8.0/Rogue.Extra.dll: it is not on the allow-list (build.layout.psd1)'
        $problems | Should -Contain 'unexpected DLL bin/Stray.dll: it is not on the allow-list (build.layout.psd1)'
        $problems | Should -Contain 'missing DLL bin/net8.0/YamlDotNet.dll: the module depends on it but it is not shipped'
        $problems | Should -Contain 'missing DLL bin/netstandard2.0/System.Memory.dll: the module depends on it but it is not shipped'
        $problems | Should -Contain 'missing DLL VisionOneOnboarding.Loader.dll: on the allow-list but not shipped'
        $problems | Should -Contain 'unexpected folder bin/net9.0: it is not a build on the allow-list (build.layout.psd1)'
    }

    It 'names a dependency that is not on the allow-list' {
        $narrow = @{} + $script:Layout
        $narrow.Bin = @{} + $script:Layout.Bin
        $narrow.Bin['netstandard2.0'] = @($script:Layout.Bin['netstandard2.0'] | Where-Object { $_ -ne 'System.Memory.dll' })
        $narrow.Bin['net8.0'] = @($script:Layout.Bin['net8.0'] | Where-Object { $_ -ne 'System.IO.Hashing.dll' })
        $problems = @(Get-ModuleLayoutProblem -ModuleDirectory $script:ModuleDirectory -Layout $narrow -DepsJsonPath $script:DepsJson)
        $problems | Should -Contain 'unexpected DLL bin/netstandard2.0/System.Memory.dll: it is not on the allow-list (build.layout.psd1)'
        $problems | Should -Contain 'needed DLL bin/netstandard2.0/System.Memory.dll: the module depends on it but it is not on the allow-list (build.layout.psd1)'
        $problems | Should -Contain 'needed DLL bin/net8.0/System.IO.Hashing.dll: the module depends on it but it is not on the allow-list (build.layout.psd1)'
    }

    It 'includes LICENSE (Apache-2.0, as the manifest says) and CHANGELOG.md naming this version' {
        Join-Path $script:ModuleDirectory 'LICENSE' | Should -FileContentMatch 'Apache License'
        $script:Manifest.Copyright | Should -Match 'Apache-2.0'
        Join-Path $script:ModuleDirectory 'CHANGELOG.md' | Should -FileContentMatch ([regex]::Escape("## $($script:Version)"))
    }

    It 'has a manifest with ProjectUri, LicenseUri, ReleaseNotes, Tags, CompatiblePSEditions and PowerShellVersion' {
        $psData = $script:Manifest.PrivateData.PSData
        [uri]::IsWellFormedUriString($psData.ProjectUri, 'Absolute') | Should -BeTrue
        [uri]::IsWellFormedUriString($psData.LicenseUri, 'Absolute') | Should -BeTrue
        $psData.LicenseUri | Should -BeLike "$($psData.ProjectUri)/*LICENSE"
        $psData.ReleaseNotes | Should -Match 'CHANGELOG'
        $psData.Tags | Should -Contain 'VisionOne'
        $script:Manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
        $script:Manifest.PowerShellVersion | Should -Not -BeNullOrEmpty
    }
}

Describe 'One version' {
    It 'is the manifest''s, in the assembly (AssemblyInformationalVersion), the package name and its nuspec' {
        foreach ($framework in $script:Layout.Bin.Keys) {
            $assembly = Join-Path $script:ModuleDirectory "bin/$framework/VisionOneOnboarding.dll"
            $informational = [System.Reflection.AssemblyName]::GetAssemblyName($assembly).Version
            [System.Diagnostics.FileVersionInfo]::GetVersionInfo($assembly).ProductVersion | Should -Be $script:Version
            $informational.ToString(3) | Should -Be $script:Version
        }
        (Import-PowerShellDataFile (Join-Path $script:ModuleDirectory 'bin/VisionOneOnboarding.Cmdlets.psd1')).ModuleVersion | Should -Be $script:Version
        $loader = Join-Path $script:ModuleDirectory 'VisionOneOnboarding.Loader.dll'
        [System.Diagnostics.FileVersionInfo]::GetVersionInfo($loader).ProductVersion | Should -Be $script:Version

        Split-Path $script:Package -Leaf | Should -Be "VisionOneOnboarding.$($script:Version).nupkg"
        $zip = [System.IO.Compression.ZipFile]::OpenRead($script:Package)
        try {
            $nuspec = $zip.Entries | Where-Object FullName -eq 'VisionOneOnboarding.nuspec'
            $reader = [System.IO.StreamReader]::new($nuspec.Open())
            try { $xml = [xml]$reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
        $xml.package.metadata.version | Should -Be $script:Version
        $xml.package.metadata.projectUrl | Should -Be $script:Manifest.PrivateData.PSData.ProjectUri
    }
}

Describe 'The package' {
    BeforeAll {
        $script:Extracted = Join-Path $TestDrive 'extracted'
        [System.IO.Compression.ZipFile]::ExtractToDirectory($script:Package, $script:Extracted)
    }

    It 'holds the same allow-listed layout, LICENSE and CHANGELOG.md' {
        $problems = @(Get-ModuleLayoutProblem -ModuleDirectory $script:Extracted -Layout $script:Layout -DepsJsonPath $script:DepsJson)
        $problems -join "`n" | Should -BeNullOrEmpty
        Join-Path $script:Extracted 'LICENSE' | Should -Exist
        Join-Path $script:Extracted 'CHANGELOG.md' | Should -Exist
        Join-Path $script:Extracted 'en-US/VisionOneOnboarding.dll-Help.xml' | Should -Exist
    }

    It 'installs with Install-PSResource from a folder repository, imports by name in a fresh pwsh and onboards the emulator (the Demo)' {
        # A private home: PSResourceGet keeps its repository list and the CurrentUser module folder under HOME
        # (XDG_DATA_HOME, when set, moves only the former), so nothing of the user's is read or changed.
        $privateHome = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'home')).FullName
        $feed = Split-Path $script:Package
        $installScript = Join-Path $TestDrive 'install.ps1'
        Set-Content $installScript @'
param($Feed)
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name LocalFeed -Uri $Feed -Trusted
Install-PSResource -Name VisionOneOnboarding -Repository LocalFeed -Scope CurrentUser -TrustRepository -Quiet
'@
        $runScript = Join-Path $TestDrive 'run.ps1'
        Set-Content $runScript @'
param($Demo, $EmulatorPath)
$ErrorActionPreference = 'Stop'
Import-Module VisionOneOnboarding
'loaded from ' + (Get-Module VisionOneOnboarding).ModuleBase
& $Demo -ModulePath VisionOneOnboarding -EmulatorPath $EmulatorPath *>&1 | Out-String
'@
        $saved = Save-Environment 'HOME', 'XDG_DATA_HOME', 'PSModulePath'
        try {
            $env:HOME = $privateHome
            Remove-Item Env:XDG_DATA_HOME -ErrorAction SilentlyContinue
            $installOutput = & dotnet $script:Pwsh -NoProfile -NonInteractive -File $installScript -Feed $feed 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($installOutput -join "`n")
            $modules = Join-Path $privateHome '.local/share/powershell/Modules'
            Join-Path $modules "VisionOneOnboarding/$($script:Version)/VisionOneOnboarding.psd1" | Should -Exist

            # Only the installed copy can be found: the fresh pwsh's module path is the install folder and PowerShell's own.
            $env:PSModulePath = $modules
            $demo = Join-Path $PSScriptRoot '../Demo/Invoke-Demo.ps1'
            $output = (& dotnet $script:Pwsh -NoProfile -NonInteractive -File $runScript -Demo $demo -EmulatorPath $script:EmulatorPath 2>&1) -join "`n"
            $LASTEXITCODE | Should -Be 0 -Because $output
        }
        finally { Restore-Environment $saved }
        $output | Should -Match ([regex]::Escape("loaded from $modules/VisionOneOnboarding/$($script:Version)"))
        $output | Should -Match "account state 'managed'"
        $output | Should -Match 'Second run: 0 changes \(0 mutating calls\)'
    }
}
