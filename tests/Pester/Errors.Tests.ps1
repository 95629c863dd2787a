#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# How failures reach the user through the built module: setup failures stop the command once (terminating, so
# try/catch needs no -ErrorAction Stop), failures of one input let the pipeline go on, and every record carries
# its catalogue id, category and what to do next.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Aws = Get-AwsTestParams
    $script:V1 = Get-V1TestParams
    $script:EmptyAws = Join-Path $TestDrive 'empty-aws'
    $null = New-Item -ItemType Directory -Force -Path $script:EmptyAws
    Set-Content (Join-Path $script:EmptyAws 'credentials') ''
    function Get-MutatingCalls { @(Get-EmulatorCalls | Where-Object { $_.mutating }) }
    function New-Accounts([int] $Count) {
        1..$Count | ForEach-Object { [pscustomobject]@{ Name = "Account $_"; BusinessId = '1234567890'; RoleArn = "arn:aws:iam::$($script:EmuAccount):role/VisionOneRole" } }
    }
}

AfterAll { Stop-TestEmulator $script:Emulator }

Describe 'Setup failures stop the command once' {
    BeforeEach {
        Reset-Emulator
        $script:SavedKey = Save-Environment 'VISIONONE_API_KEY'
        Remove-Item Env:VISIONONE_API_KEY -ErrorAction SilentlyContinue
        Clear-V1Credential
    }
    AfterEach { Restore-Environment $script:SavedKey }

    It '<Name>: try/catch catches it without -ErrorAction Stop, and 50 piped inputs print it once' -TestCases @(
        @{ Name = 'no API key'; Id = 'VisionOne.ApiKeyNotFound'; Category = 'AuthenticationError'
            Call = { New-Accounts 50 | Invoke-V1AwsOnboarding -ApiBaseUrl $script:Emulator.Url @script:Aws } }
        @{ Name = 'no API key, connecting only'; Id = 'VisionOne.ApiKeyNotFound'; Category = 'AuthenticationError'
            Call = { New-Accounts 50 | Connect-V1AwsAccount -ApiBaseUrl $script:Emulator.Url } }
        @{ Name = 'a profile that does not exist'; Id = 'VisionOne.AwsProfileNotFound'; Category = 'ObjectNotFound'
            Call = { New-Accounts 50 | Invoke-V1AwsOnboarding @script:V1 -ProfileName nosuchprofile -ProfileLocation (Join-Path $script:EmptyAws 'credentials') -EndpointUrl $script:Emulator.Url } }
        @{ Name = 'a wrong AWS secret key'; Id = 'VisionOne.Aws.SignatureDoesNotMatch'; Category = 'AuthenticationError'
            Call = { New-Accounts 50 | Invoke-V1AwsOnboarding @script:V1 -AccessKey $script:EmuAccessKey -SecretKey 'wrongSecretKey000000000000000000000000000' -EndpointUrl $script:Emulator.Url } }
        @{ Name = 'a wrong API key'; Id = 'VisionOne.InvalidCredentials'; Category = 'AuthenticationError'
            Call = { New-Accounts 50 | Connect-V1AwsAccount -ApiKey (ConvertTo-SecureString 'not-the-key' -AsPlainText -Force) -ApiBaseUrl $script:Emulator.Url -VerifyTimeoutSeconds 0 } }
    ) {
        param($Name, $Id, $Category, $Call)
        $ErrorActionPreference = 'Continue'
        $Error.Clear()
        $caught = $null
        $output = @()
        try { $output = @(& $Call) } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty -Because 'a setup failure is terminating'
        $caught.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $caught.CategoryInfo.Category | Should -Be $Category
        $caught.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $output | Should -BeNullOrEmpty
        $Error.Count | Should -Be 1 -Because 'the error is raised once, not once per input'
        Get-MutatingCalls | Should -BeNullOrEmpty
    }
}

Describe 'A failure of one input lets the pipeline go on' {
    BeforeEach { Reset-Emulator }

    It 'reports each bad input, non-terminating, and still handles the good one' {
        # The good input's role exists, so Vision One can verify it managed.
        $null = New-V1OidcProvider -V1Region us @script:Aws | Set-V1Thumbprints @script:Aws | New-V1Policies @script:Aws | New-V1Role -BusinessId 1234567890 @script:Aws
        $inputs = @(
            [pscustomobject]@{ Name = 'Bad 1'; RoleArn = 'arn:aws:iam::123:role/x' }
            [pscustomobject]@{ Name = 'Good'; RoleArn = "arn:aws:iam::$($script:EmuAccount):role/VisionOneRole" }
            [pscustomobject]@{ Name = 'Bad 2'; RoleArn = 'not an arn' }
        )
        $out = @($inputs | Connect-V1AwsAccount @script:V1 -VerifyTimeoutSeconds 0 -WarningAction SilentlyContinue -ErrorVariable failures -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 1
        $out[0].CloudAccountName | Should -Be 'Good'
        $failures.Count | Should -Be 2
        $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'VisionOne.InvalidRoleArn,*' }
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'role ARN'
    }
}

Describe 'Connection failures: one id for AWS and Vision One, advice that fits the cause' {
    BeforeAll {
        # A port nothing listens on: bound, then let go.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $script:ClosedPort = $listener.LocalEndpoint.Port; $listener.Stop()
        $script:Closed = "http://127.0.0.1:$($script:ClosedPort)"
    }

    It 'stops at once with VisionOne.ConnectionFailed naming the <Service> address and the setting to check' -TestCases @(
        @{ Service = 'AWS'; Setting = '-EndpointUrl'; Call = { Test-V1AwsOnboarding -BusinessId 1234567890 -AccessKey $script:EmuAccessKey -SecretKey $script:EmuSecretKey -EndpointUrl $script:Closed @script:V1 } }
        @{ Service = 'Vision One'; Setting = '-ApiBaseUrl'; Call = { Get-V1AwsAccount -ApiKey $script:V1.ApiKey -ApiBaseUrl $script:Closed } }
    ) {
        $err = $null
        $took = Measure-Command { try { $null = & $Call } catch { $err = $_ } }
        # Terminating (caught without -ErrorAction Stop), one id whichever service it was.
        $err.FullyQualifiedErrorId | Should -BeLike 'VisionOne.ConnectionFailed,*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        "$err" | Should -Match 'the connection was refused'
        "$err" | Should -Match ([regex]::Escape("Check $Setting"))
        "$err" | Should -Match ([regex]::Escape("127.0.0.1:$($script:ClosedPort)"))
        "$err" | Should -Not -Match 'later'
        Write-Host "    $Service, connection refused: reported after $([int]$took.TotalMilliseconds) ms"
    }
}
