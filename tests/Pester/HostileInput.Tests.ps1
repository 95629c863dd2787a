#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Hostile and unlucky input, tried against every cmdlet of the built module: each case must fail with its catalogue
# id and change nothing — the emulator's call log shows no mutating call (and, for a value checked at the door, no
# call at all). The count of cases is printed.

BeforeDiscovery {
    # Calls: 'none' = refused before any call; 'read' = only reads were needed to see it (who the credentials are, a refused key).
    $script:HostileCases = @(
        # ---- account ids ----
        @{ Name = 'account id with letters'; Id = 'VisionOne.InvalidAccountId'; Calls = 'none'; Call = { Get-V1AwsAccount -AccountId 12ab @script:V1 } }
        @{ Name = 'account id of Arabic-Indic digits'; Id = 'VisionOne.InvalidAccountId'; Calls = 'none'; Call = { Get-V1AwsAccount -AccountId '١٢٣٤٥٦٧٨٩٠١٢' @script:V1 } }
        @{ Name = 'account id with a trailing newline'; Id = 'VisionOne.InvalidAccountId'; Calls = 'none'; Call = { Get-V1AwsAccount -AccountId "123456789012`n" @script:V1 } }
        @{ Name = 'disconnect an account id of 11 digits'; Id = 'VisionOne.InvalidAccountId'; Calls = 'none'; Call = { Disconnect-V1AwsAccount -AccountId 12345678901 -Force @script:V1 } }
        @{ Name = 'template resolved for a malformed account id'; Id = 'VisionOne.InvalidAccountId'; Calls = 'none'; Call = { Get-V1AwsTemplate -AccountId '1234-5678-9012' @script:V1 } }
        @{ Name = 'hand-off plan for a malformed account id'; Id = 'VisionOne.InvalidAccountId'; Calls = 'none'; Call = { Export-V1AwsOnboardingPlan -AccountId 12345 -BusinessId 1234567890 -V1Region us -Format Json } }
        @{ Name = 'hand-off plan with a name holding a control character'; Id = 'VisionOne.InvalidAccountName'; Calls = 'none'; Call = { Export-V1AwsOnboardingPlan -AccountId 123456789012 -BusinessId 1234567890 -V1Region us -Format Json -Name "a`0b" } }
        @{ Name = 'operator policy for a malformed account id'; Id = 'VisionOne.InvalidAccountId'; Calls = 'none'; Call = { Get-V1AwsOperatorPolicy -AccountId 1234567890123 } }
        @{ Name = 'operator policy for a member role name with a space'; Id = 'VisionOne.InvalidRoleName'; Calls = 'none'; Call = { Get-V1AwsOperatorPolicy -Scope Organization -AssumeRoleName 'Org Access' } }
        @{ Name = 'change request for a name with a line break and a command'; Id = 'VisionOne.InvalidAccountName'; Calls = 'none'; Call = { Export-V1AwsOnboardingPlan -AccountId 123456789012 -BusinessId 1234567890 -V1Region us -Format Markdown -Name "Prod`n'; Remove-Item ~ #" } }
        # ---- regions ----
        @{ Name = 'unknown Vision One region'; Id = 'VisionOne.UnknownRegion'; Calls = 'none'; Call = { Get-V1AwsTemplate -V1Region zz @script:V1 } }
        @{ Name = 'unknown Vision One region for the issuer'; Id = 'VisionOne.UnknownRegion'; Calls = 'none'; Call = { New-V1OidcProvider -V1Region 'us; rm -rf' @script:Aws } }
        @{ Name = 'unknown Vision One region for the session'; Id = 'VisionOne.UnknownRegion'; Calls = 'none'; Call = { Set-V1Credential -ApiKey $script:V1.ApiKey -V1Region mars } }
        @{ Name = 'unknown Vision One region for the role'; Id = 'VisionOne.UnknownRegion'; Calls = 'none'; Call = { New-V1Role -BusinessId 1 -V1Region xx -OidcProviderArn $script:GoodProvider -PolicyArn $script:OurPolicy @script:Aws } }
        @{ Name = 'AWS region that is not one'; Id = 'VisionOne.InvalidAwsRegion'; Calls = 'none'; Call = { Get-V1AwsTemplate -AwsRegion Mars @script:V1 } }
        @{ Name = 'AWS region with a CR LF'; Id = 'VisionOne.InvalidAwsRegion'; Calls = 'none'; Call = { Invoke-V1AwsOnboarding -Name x -BusinessId 1 -AwsDeploymentRegion "us-east-1`r`n" @script:Aws @script:V1 } }
        @{ Name = 'AWS region in capitals for the test'; Id = 'VisionOne.InvalidAwsRegion'; Calls = 'none'; Call = { Test-V1AwsOnboarding -BusinessId 1 -AwsDeploymentRegion US-EAST-1 @script:Aws @script:V1 } }
        @{ Name = 'AWS region of the credentials'; Id = 'VisionOne.InvalidAwsRegion'; Calls = 'none'; Call = { New-V1Policies -Region 'eu west 1' @script:Aws } }
        # ---- names and ids with control characters ----
        @{ Name = 'Cloud Accounts name with a newline'; Id = 'VisionOne.InvalidAccountName'; Calls = 'none'; Call = { Connect-V1AwsAccount -Name "Pay`nments" -RoleArn $script:OurRole @script:V1 } }
        @{ Name = 'Cloud Accounts name with an ANSI escape'; Id = 'VisionOne.InvalidAccountName'; Calls = 'none'; Call = { Invoke-V1AwsOnboarding -Name "`e[31mred" -BusinessId 1 @script:Aws @script:V1 } }
        @{ Name = 'Cloud Accounts name of 255 characters'; Id = 'VisionOne.InvalidAccountName'; Calls = 'none'; Call = { Connect-V1AwsAccount -Name ('n' * 255) -RoleArn $script:OurRole @script:V1 } }
        @{ Name = 'Cloud Accounts name of spaces'; Id = 'VisionOne.InvalidAccountName'; Calls = 'none'; Call = { Connect-V1AwsAccount -Name '   ' -RoleArn $script:OurRole @script:V1 } }
        @{ Name = 'description with a NUL'; Id = 'VisionOne.InvalidAccountDescription'; Calls = 'none'; Call = { Connect-V1AwsAccount -Name x -Description "a`0b" -RoleArn $script:OurRole @script:V1 } }
        @{ Name = 'business id with a space'; Id = 'VisionOne.InvalidBusinessId'; Calls = 'none'; Call = { Invoke-V1AwsOnboarding -Name x -BusinessId 'a b' @script:Aws @script:V1 } }
        @{ Name = 'business id with a slash'; Id = 'VisionOne.InvalidBusinessId'; Calls = 'none'; Call = { Test-V1AwsOnboarding -BusinessId '1/../2' @script:Aws @script:V1 } }
        @{ Name = 'business id with a newline'; Id = 'VisionOne.InvalidBusinessId'; Calls = 'none'; Call = { New-V1Role -BusinessId "1`n2" -OidcProviderArn $script:GoodProvider -PolicyArn $script:OurPolicy @script:Aws } }
        @{ Name = 'role name with a space'; Id = 'VisionOne.InvalidRoleName'; Calls = 'none'; Call = { New-V1Role -BusinessId 1 -RoleName 'Vision One' -OidcProviderArn $script:GoodProvider -PolicyArn $script:OurPolicy @script:Aws } }
        @{ Name = 'role name with a letter IAM refuses'; Id = 'VisionOne.InvalidRoleName'; Calls = 'none'; Call = { Invoke-V1AwsOnboarding -Name x -BusinessId 1 -RoleName 'Rôle' @script:Aws @script:V1 } }
        @{ Name = 'role name with a bell'; Id = 'VisionOne.InvalidRoleName'; Calls = 'none'; Call = { Remove-V1AwsOnboarding -RoleName "Role`a" -Force @script:Aws @script:V1 } }
        @{ Name = 'role name of 65 characters'; Id = 'VisionOne.InvalidRoleName'; Calls = 'none'; Call = { Test-V1AwsOnboarding -BusinessId 1 -RoleName ('r' * 65) @script:Aws @script:V1 } }
        # ---- ARNs of the wrong partition, account or kind ----
        @{ Name = 'role ARN of a user'; Id = 'VisionOne.InvalidRoleArn'; Calls = 'none'; Call = { Connect-V1AwsAccount -Name x -RoleArn 'arn:aws:iam::123456789012:user/bob' @script:V1 } }
        @{ Name = 'role ARN of a policy'; Id = 'VisionOne.InvalidRoleArn'; Calls = 'none'; Call = { Connect-V1AwsAccount -Name x -RoleArn $script:OurPolicy @script:V1 } }
        @{ Name = 'role ARN of an unknown partition'; Id = 'VisionOne.InvalidRoleArn'; Calls = 'none'; Call = { Connect-V1AwsAccount -Name x -RoleArn 'arn:aws-iso:iam::123456789012:role/VisionOneRole' @script:V1 } }
        @{ Name = 'role ARN of STS'; Id = 'VisionOne.InvalidRoleArn'; Calls = 'none'; Call = { Connect-V1AwsAccount -Name x -RoleArn 'arn:aws:sts::123456789012:assumed-role/VisionOneRole/s' @script:V1 } }
        @{ Name = 'AWS managed policy where ours are expected'; Id = 'VisionOne.InvalidPolicyArn'; Calls = 'none'; Call = { New-V1Role -BusinessId 1 -OidcProviderArn $script:GoodProvider -PolicyArn 'arn:aws:iam::aws:policy/AdministratorAccess' @script:Aws } }
        @{ Name = 'policy ARN of a role'; Id = 'VisionOne.InvalidPolicyArn'; Calls = 'none'; Call = { New-V1Role -BusinessId 1 -OidcProviderArn $script:GoodProvider -PolicyArn $script:OurRole @script:Aws } }
        @{ Name = 'policy ARN of another account'; Id = 'VisionOne.AccountMismatch'; Calls = 'read'; Call = { New-V1Role -BusinessId 1 -OidcProviderArn $script:GoodProvider -PolicyArn 'arn:aws:iam::210987654321:policy/VisionOnePolicyPart1' @script:Aws } }
        @{ Name = 'provider ARN of another account'; Id = 'VisionOne.AccountMismatch'; Calls = 'read'; Call = { Set-V1Thumbprints -OidcProviderArn 'arn:aws:iam::210987654321:oidc-provider/cloudaccounts-us.xdr.trendmicro.com' @script:Aws } }
        @{ Name = 'provider ARN of a SAML provider'; Id = 'VisionOne.InvalidOidcProviderArn'; Calls = 'none'; Call = { Set-V1Thumbprints -OidcProviderArn 'arn:aws:iam::123456789012:saml-provider/cloudaccounts-us.xdr.trendmicro.com' @script:Aws } }
        @{ Name = 'provider ARN of the China partition with a bad account'; Id = 'VisionOne.InvalidOidcProviderArn'; Calls = 'none'; Call = { New-V1Role -BusinessId 1 -OidcProviderArn 'arn:aws-cn:iam::1234:oidc-provider/cloudaccounts-us.xdr.trendmicro.com' -PolicyArn $script:OurPolicy @script:Aws } }
        @{ Name = 'provider ARN with a space in the host'; Id = 'VisionOne.InvalidOidcProviderArn'; Calls = 'none'; Call = { Remove-V1AwsOnboarding -OidcProviderArn 'arn:aws:iam::123456789012:oidc-provider/evil host.example.com' -Force @script:Aws @script:V1 } }
        # ---- issuers and thumbprints ----
        @{ Name = 'issuer on http'; Id = 'VisionOne.InvalidIssuerUrl'; Calls = 'none'; Call = { New-V1OidcProvider -Url 'http://cloudaccounts-us.xdr.trendmicro.com' @script:Aws } }
        @{ Name = 'issuer with a port'; Id = 'VisionOne.InvalidIssuerUrl'; Calls = 'none'; Call = { New-V1OidcProvider -Url 'https://cloudaccounts-us.xdr.trendmicro.com:8443' @script:Aws } }
        @{ Name = 'issuer host with a bell'; Id = 'VisionOne.InvalidIssuerUrl'; Calls = 'none'; Call = { New-V1OidcProvider -Url "https://cloud`aaccounts.example.com" @script:Aws } }
        @{ Name = 'thumbprint of 39 characters'; Id = 'VisionOne.InvalidThumbprint'; Calls = 'none'; Call = { Set-V1Thumbprints -OidcProviderArn $script:GoodProvider -Thumbprint ('a' * 39) @script:Aws } }
        @{ Name = 'six thumbprints'; Id = 'VisionOne.TooManyThumbprints'; Calls = 'none'; Call = { New-V1OidcProvider -V1Region us -Thumbprint (1..6 | ForEach-Object { "$_" * 40 }) @script:Aws } }
        # ---- templates ----
        @{ Name = 'template file that is not there'; Id = 'VisionOne.TemplateNotFound'; Calls = 'none'; Call = { Get-V1AwsTemplate -Path (Join-Path $TestDrive 'nowhere.yaml') @script:V1 } }
        @{ Name = 'template that is not YAML'; Id = 'VisionOne.TemplateMalformed'; Calls = 'none'; Call = { Get-V1AwsTemplate -Path $script:Templates.Malformed } }
        @{ Name = 'template of non-UTF-8 bytes'; Id = 'VisionOne.TemplateMalformed'; Calls = 'none'; Call = { Invoke-V1AwsOnboarding -Name x -BusinessId 1 -TemplatePath $script:Templates.NotUtf8 @script:Aws @script:V1 } }
        @{ Name = 'template without the Vision One resources'; Id = 'VisionOne.TemplateResourceMissing'; Calls = 'none'; Call = { Get-V1AwsTemplate -Path $script:Templates.NoResources } }
        @{ Name = 'template of the wrong kind for the policies'; Id = 'VisionOne.TemplateResourceMissing'; Calls = 'read'; Call = { New-V1Policies -TemplatePath $script:Templates.NoResources @script:Aws } }
        @{ Name = 'template that is not YAML for the test'; Id = 'VisionOne.TemplateMalformed'; Calls = 'read'; Call = { Test-V1AwsOnboarding -BusinessId 1 -TemplatePath $script:Templates.Malformed @script:Aws @script:V1 } }
        @{ Name = 'template with a self-referencing YAML anchor'; Id = 'VisionOne.TemplateMalformed'; Calls = 'none'; Call = { Get-V1AwsTemplate -Path $script:Templates.SelfReference } }
        @{ Name = 'billion-laughs template for the whole procedure'; Id = 'VisionOne.TemplateMalformed'; Calls = 'none'; Call = { Invoke-V1AwsOnboarding -Name x -BusinessId 1234567890 -TemplatePath $script:Templates.BillionLaughs @script:Aws @script:V1 } }
        @{ Name = 'template nested 10,000 deep for the policies'; Id = 'VisionOne.TemplateMalformed'; Calls = 'none'; Call = { New-V1Policies -TemplatePath $script:Templates.Deep @script:Aws } }
        @{ Name = 'template of 6 MB for the hand-off plan'; Id = 'VisionOne.TemplateMalformed'; Calls = 'none'; Call = { Export-V1AwsOnboardingPlan -AccountId 123456789012 -BusinessId 1234567890 -V1Region us -Format Json -TemplatePath $script:Templates.Oversized } }
        @{ Name = 'template path of an endless device (length 0)'; Id = 'VisionOne.TemplateMalformed'; Calls = 'none'; Call = { Get-V1AwsTemplate -Path '/dev/zero' } }
        @{ Name = 'template path of an endless device for the hand-off plan'; Id = 'VisionOne.TemplateMalformed'; Calls = 'none'; Call = { Export-V1AwsOnboardingPlan -AccountId 123456789012 -BusinessId 1234567890 -V1Region us -Format Json -TemplatePath '/dev/zero' } }
        @{ Name = 'template whose policy grants more than the published one'; Id = 'VisionOne.TemplatePolicyWidened'; Calls = 'read'; Call = { New-V1Policies -TemplatePath $script:Templates.Widened @script:Aws } }
        @{ Name = 'hand-off plan of a template whose policy grants more'; Id = 'VisionOne.TemplatePolicyWidened'; Calls = 'none'; Call = { Export-V1AwsOnboardingPlan -AccountId 123456789012 -BusinessId 1234567890 -V1Region us -Format Terraform -TemplatePath $script:Templates.Widened } }
        @{ Name = 'template naming a foreign issuer'; Id = 'VisionOne.UntrustedIssuer'; Calls = 'none'; Call = { Get-V1AwsTemplate -Path $script:Templates.ForeignIssuer } }
        @{ Name = 'foreign issuer for the provider'; Id = 'VisionOne.UntrustedIssuer'; Calls = 'none'; Call = { New-V1OidcProvider -Url 'https://issuer.attacker.example' @script:Aws } }
        @{ Name = 'template naming a foreign issuer for the test'; Id = 'VisionOne.UntrustedIssuer'; Calls = 'read'; Call = { Test-V1AwsOnboarding -BusinessId 1234567890 -TemplatePath $script:Templates.ForeignIssuer @script:Aws @script:V1 } }
        @{ Name = 'role trusting GitHub''s provider'; Id = 'VisionOne.UntrustedIssuer'; Calls = 'none'; Call = { New-V1Role -BusinessId 1 -V1Region us -OidcProviderArn 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' -PolicyArn $script:OurPolicy @script:Aws } }
        @{ Name = 'thumbprints of GitHub''s provider, piped'; Id = 'VisionOne.UntrustedIssuer'; Calls = 'none'; Call = { [pscustomobject]@{ OidcProviderArn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' } | Set-V1Thumbprints @script:Aws } }
        @{ Name = 'thumbprints of a provider piped by a bare Arn'; Id = 'VisionOne.InvalidOidcProviderArn'; Calls = 'none'; Call = { [pscustomobject]@{ Arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' } | Set-V1Thumbprints @script:Aws } }
        # ---- endpoints ----
        @{ Name = 'Vision One API on public http'; Id = 'VisionOne.InsecureEndpoint'; Calls = 'none'; Call = { Get-V1AwsAccount -ApiKey $script:V1.ApiKey -ApiBaseUrl 'http://api.example.com' } }
        @{ Name = 'session API on public http'; Id = 'VisionOne.InsecureEndpoint'; Calls = 'none'; Call = { Set-V1Credential -ApiKey $script:V1.ApiKey -ApiBaseUrl 'http://api.example.com' } }
        @{ Name = 'Vision One API with user info'; Id = 'VisionOne.InvalidEndpoint'; Calls = 'none'; Call = { Connect-V1AwsAccount -Name x -RoleArn $script:OurRole -ApiKey $script:V1.ApiKey -ApiBaseUrl 'https://user:pw@api.example.com' } }
        @{ Name = 'IAM endpoint on public http'; Id = 'VisionOne.InsecureEndpoint'; Calls = 'none'; Call = { New-V1OidcProvider -V1Region us -AccessKey $script:EmuAccessKey -SecretKey $script:EmuSecretKey -EndpointUrl 'http://iam.example.com' } }
        @{ Name = 'IAM endpoint on ftp'; Id = 'VisionOne.InvalidEndpointUrl'; Calls = 'none'; Call = { Test-V1AwsOnboarding -BusinessId 1 -AccessKey $script:EmuAccessKey -SecretKey $script:EmuSecretKey -EndpointUrl 'ftp://127.0.0.1' @script:V1 } }
        @{ Name = 'explicit region with the session naming a look-alike host'; Id = 'VisionOne.RegionMismatch'; Calls = 'none'; Call = { try { Set-V1Credential -ApiKey $script:V1.ApiKey -ApiBaseUrl $script:Emulator.Url; Get-V1AwsAccount -V1Region eu } finally { Clear-V1Credential } } }
        # ---- credentials and keys missing or wrong ----
        @{ Name = 'no API key'; Id = 'VisionOne.ApiKeyNotFound'; Calls = 'none'; Call = { Disconnect-V1AwsAccount -AccountId 123456789012 -Force -ApiBaseUrl $script:Emulator.Url } }
        @{ Name = 'wrong API key'; Id = 'VisionOne.InvalidCredentials'; Calls = 'read'; Call = { Get-V1AwsAccount -ApiKey (ConvertTo-SecureString 'not-the-key' -AsPlainText -Force) -ApiBaseUrl $script:Emulator.Url } }
        @{ Name = 'access key without secret key'; Id = 'VisionOne.AwsKeyPairIncomplete'; Calls = 'none'; Call = { New-V1OidcProvider -V1Region us -AccessKey $script:EmuAccessKey -EndpointUrl $script:Emulator.Url } }
        @{ Name = 'wrong secret key'; Id = 'VisionOne.Aws.SignatureDoesNotMatch'; Calls = 'read'; Call = { Remove-V1AwsOnboarding -Force -AccessKey $script:EmuAccessKey -SecretKey 'wrongSecretKey000000000000000000000000000' -EndpointUrl $script:Emulator.Url @script:V1 } }
        @{ Name = 'unknown access key'; Id = 'VisionOne.Aws.InvalidClientTokenId'; Calls = 'read'; Call = { Set-V1Thumbprints -OidcProviderArn $script:GoodProvider -AccessKey 'AKIANOTKNOWN00000000' -SecretKey $script:EmuSecretKey -EndpointUrl $script:Emulator.Url } }
        @{ Name = 'unknown profile'; Id = 'VisionOne.AwsProfileNotFound'; Calls = 'none'; Call = { Invoke-V1AwsOnboarding -Name x -BusinessId 1 -ProfileName nosuchprofile -ProfileLocation $script:EmptyCredentials -EndpointUrl $script:Emulator.Url @script:V1 } }
        @{ Name = 'no AWS credentials anywhere'; Id = 'VisionOne.AwsCredentialsNotFound'; Calls = 'none'; Call = { Invoke-WithoutAwsCredentials { New-V1Policies -EndpointUrl $script:Emulator.Url } } }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Aws = Get-AwsTestParams
    $script:V1 = Get-V1TestParams
    $script:SavedKey = Save-Environment 'VISIONONE_API_KEY'
    Remove-Item Env:VISIONONE_API_KEY -ErrorAction SilentlyContinue
    Clear-V1Credential

    $script:GoodProvider = "arn:aws:iam::$($script:EmuAccount):oidc-provider/cloudaccounts-us.xdr.trendmicro.com"
    $script:OurPolicy = "arn:aws:iam::$($script:EmuAccount):policy/VisionOnePolicyPart1"
    $script:OurRole = "arn:aws:iam::$($script:EmuAccount):role/VisionOneRole"
    $script:EmptyCredentials = Join-Path $TestDrive 'credentials'
    Set-Content $script:EmptyCredentials ''
    $script:Templates = @{
        Malformed   = Join-Path $TestDrive 'malformed.yaml'
        NotUtf8     = Join-Path $TestDrive 'latin1.yaml'
        NoResources = Join-Path $TestDrive 'no-resources.yaml'
        SelfReference = Join-Path $PSScriptRoot '../VisionOneOnboarding.Tests/Onboarding/Fixtures/hostile/self-referencing-anchor.yaml'
        BillionLaughs = Join-Path $PSScriptRoot '../VisionOneOnboarding.Tests/Onboarding/Fixtures/hostile/billion-laughs.yaml'
        Deep          = Join-Path $TestDrive 'deep.yaml'
        Oversized     = Join-Path $TestDrive 'oversized.yaml'
        ForeignIssuer = Join-Path $TestDrive 'foreign-issuer.yaml'
        Widened       = Join-Path $TestDrive 'widened.json'
    }
    Set-Content $script:Templates.Deep ('Resources: ' + ('[' * 10000) + (']' * 10000))
    Set-Content $script:Templates.Oversized ("Resources: {}`n# " + ('x' * (6MB)))
    (Get-Content (Join-Path $PSScriptRoot '../VisionOneOnboarding.Tests/Onboarding/Fixtures/vision-one-template.yaml') -Raw).
        Replace('Default: cloudaccounts-us.xdr.trendmicro.com', 'Default: issuer.attacker.example') | Set-Content $script:Templates.ForeignIssuer
    $widened = Get-Content (Join-Path $PSScriptRoot '../VisionOneOnboarding.Tests/Onboarding/Fixtures/vision-one-template.json') -Raw | ConvertFrom-Json -AsHashtable
    $widened.Resources.VisionOnePolicyPart1.Properties.PolicyDocument.Statement += @{ Effect = 'Allow'; Action = @('iam:CreateAccessKey'); Resource = '*' }
    $widened | ConvertTo-Json -Depth 100 | Set-Content $script:Templates.Widened
    Set-Content $script:Templates.Malformed "Resources: [`n  - {a: b`n"
    [System.IO.File]::WriteAllBytes($script:Templates.NotUtf8, [byte[]](0x52, 0x65, 0x73, 0x6F, 0x75, 0x72, 0x63, 0x65, 0x73, 0x3A, 0x20, 0xE9, 0xFF, 0xFE, 0x0A))
    Set-Content $script:Templates.NoResources "AWSTemplateFormatVersion: '2010-09-09'`nResources:`n  Bucket:`n    Type: AWS::S3::Bucket`n"

    function Invoke-WithoutAwsCredentials([scriptblock] $Body) {
        $saved = Save-Environment 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'
        try {
            Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY, Env:AWS_SESSION_TOKEN, Env:AWS_PROFILE -ErrorAction SilentlyContinue
            $env:AWS_SHARED_CREDENTIALS_FILE = $script:EmptyCredentials
            $env:AWS_CONFIG_FILE = $script:EmptyCredentials
            & $Body
        }
        finally { Restore-Environment $saved }
    }
}

AfterAll {
    Restore-Environment $script:SavedKey
    Stop-TestEmulator $script:Emulator
}

Describe 'Hostile input' {
    BeforeEach { Reset-Emulator }

    It '<Name> fails with <Id> and changes nothing' -ForEach $HostileCases {
        $before = Get-EmulatorState
        $ErrorActionPreference = 'Stop'
        $err = $null
        # -Confirm:$false: a refusal must come from the check, never from a prompt nobody answers.
        $PSDefaultParameterValues = @{ '*-V1*:Confirm' = $false; '*-V1*:WarningAction' = 'SilentlyContinue' }
        try { & $Call | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty -Because "$Name must fail"
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $calls = @(Get-EmulatorCalls)
        @($calls | Where-Object { $_.mutating }) | Should -BeNullOrEmpty -Because 'hostile input makes no mutating call'
        if ($Calls -eq 'none') { $calls | Should -BeNullOrEmpty -Because 'a value checked at the door costs no call' }
        Get-EmulatorState | Should -Be $before
    }

    It 'tries at least 40 hostile inputs across every cmdlet that takes input' -TestCases @(@{ Cases = $HostileCases }) {
        param($Cases)
        $tried = $Cases | ForEach-Object {
            $_.Call.Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true) |
                ForEach-Object { $_.GetCommandName() } | Where-Object { $_ -match '-V1' } | Select-Object -First 1
        } | Sort-Object -Unique
        # Clear-V1Credential takes no input at all.
        $cmdlets = Get-Command -Module VisionOneOnboarding -CommandType Cmdlet | Where-Object Name -ne 'Clear-V1Credential' | ForEach-Object Name | Sort-Object
        Write-Host "Hostile inputs tried: $($Cases.Count), across $(@($tried).Count) cmdlets; each failed with its id and made no mutating call."
        $Cases.Count | Should -BeGreaterOrEqual 40
        $tried | Should -Be $cmdlets
    }
}
