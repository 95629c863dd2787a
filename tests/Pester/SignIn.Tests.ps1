#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Every way admins sign in to AWS, through the built module against the emulator: assume-role profiles (and a chain),
# credential_source, IAM Identity Center with a cached token, web identity, credential_process, -Credential and
# $StoredAWSCredentials as AWS.Tools leaves them, the standard endpoint settings, and credentials refreshed mid-run.
# Profiles, token caches and HOME are temporary: nothing touches the real user's files.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Url = $script:Emulator.Url.TrimEnd('/')
    $script:Member = '555566667777'
    $script:AwsVariables = 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION',
        'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_IAM', 'AWS_ENDPOINT_URL_SSO', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN',
        'AWS_ROLE_SESSION_NAME', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED', 'HOME'
    $script:SavedEnvironment = Save-Environment $script:AwsVariables

    function Clear-AwsEnvironment {
        foreach ($name in $script:AwsVariables) { Remove-Item "Env:$name" -ErrorAction SilentlyContinue }
        $env:AWS_EC2_METADATA_DISABLED = 'true'
        $env:HOME = $script:TempHome
    }

    # A profile folder of its own per test: credentials + config beside it, as 'aws configure' writes them.
    function New-ProfileFiles([string] $Credentials = '', [string] $Config = '') {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
        Set-Content (Join-Path $folder 'credentials') $Credentials
        Set-Content (Join-Path $folder 'config') $Config
        Join-Path $folder 'credentials'
    }

    $script:BaseKeys = "[base]`naws_access_key_id = $($script:EmuAccessKey)`naws_secret_access_key = $($script:EmuSecretKey)`n"
    # Every service of the profile goes to the emulator: the module's IAM/STS calls and the providers' STS/SSO calls alike.
    $script:EmulatorServices = "[services emulator]`niam =`n  endpoint_url = $($script:Url)`nsts =`n  endpoint_url = $($script:Url)`nsso =`n  endpoint_url = $($script:Url)`n"

    function New-Role([string] $Name, [string] $Trust, [string] $Account = $script:EmuAccount) {
        if ($Account -eq $script:EmuAccount) { $null = Invoke-AwsCli iam create-role --role-name $Name --assume-role-policy-document $Trust; return }
        # Roles in the member account are made through its own administrator.
        $keys = Invoke-Emulator POST '/_emulator/accounts' @{ accountId = $Account }
        $saved = Save-Environment 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION'
        $env:AWS_ACCESS_KEY_ID = $keys.accessKeyId; $env:AWS_SECRET_ACCESS_KEY = $keys.secretAccessKey; $env:AWS_DEFAULT_REGION = 'us-east-1'
        try { $out = & aws --endpoint-url $script:Url iam create-role --role-name $Name --assume-role-policy-document $Trust 2>&1 }
        finally { Restore-Environment $saved }
        if ($LASTEXITCODE -ne 0) { throw "create-role failed: $out" }
    }
    function Get-Trust([string] $Principal, [string] $Condition) {
        $statement = @{ Effect = 'Allow'; Principal = @{ AWS = $Principal }; Action = 'sts:AssumeRole' }
        if ($Condition) { $statement.Condition = $Condition | ConvertFrom-Json }
        @{ Version = '2012-10-17'; Statement = @($statement) } | ConvertTo-Json -Depth 10 -Compress
    }

    # The cheapest real run: who am I (STS) and what exists (IAM), changing nothing.
    function Invoke-SignedIn([hashtable] $Parameters) {
        New-V1OidcProvider -V1Region us -WhatIf -ErrorAction Stop @Parameters
    }

    function Get-StsCalls([string] $Action) { @(Get-EmulatorCalls | Where-Object { $_.service -eq 'sts' -and $_.action -eq $Action }) }

    # A JWT shaped as an OIDC issuer mints it; the emulator reads its claims (real STS also checks the signature).
    function New-Jwt([string] $Issuer, [string] $Audience, [string] $Subject, [int] $ExpiresInSeconds = 600) {
        $encode = { param($o) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(($o | ConvertTo-Json -Compress))).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        (& $encode @{ alg = 'RS256'; typ = 'JWT'; kid = 'test' }) + '.' +
        (& $encode @{ iss = $Issuer; aud = $Audience; sub = $Subject; iat = $now; exp = $now + $ExpiresInSeconds }) + '.c2lnbmF0dXJl'
    }

    $script:TempHome = Join-Path $TestDrive 'home'
    $null = New-Item -ItemType Directory -Path $script:TempHome
    Clear-AwsEnvironment

    # AWS.Tools' copy of AWSSDK.Core (here the 3.7 line), in the session's default load context, and a stand-in for its
    # AWSPSCredentials: a public class whose Credentials property is internal and holds that other copy's credentials.
    Add-Type -Path $env:VISIONONE_TEST_FOREIGN_AWSSDK
    Add-Type -TypeDefinition @'
namespace AwsToolsStandIn
{
    public class AWSPSCredentials
    {
        public AWSPSCredentials(object credentials, string name) { Credentials = credentials; Name = name; }
        // AWS.Tools types it as its own AWSSDK.Core's AWSCredentials; what matters is that it is internal.
        internal object Credentials { get; private set; }
        public string Name { get; private set; }
        public override string ToString() { return Name ?? base.ToString(); }
    }
}
'@
}

AfterAll {
    Restore-Environment $script:SavedEnvironment
    Stop-TestEmulator $script:Emulator
}

Describe 'Assume-role profiles' {
    BeforeEach {
        Reset-Emulator
        Clear-AwsEnvironment
        New-Role Payments (Get-Trust "arn:aws:iam::$($script:EmuAccount):root" '{"StringEquals":{"sts:ExternalId":"payments-7f3a"}}') -Account $script:Member
    }

    It 'assumes role_arn from source_profile with external_id, role_session_name and duration_seconds, all through the config file''s services section' {
        $config = "[profile payments]`nrole_arn = arn:aws:iam::$($script:Member):role/Payments`nsource_profile = base`nexternal_id = payments-7f3a`n" +
            "role_session_name = onboarding`nduration_seconds = 900`nservices = emulator`n`n" + $script:EmulatorServices
        $location = New-ProfileFiles -Credentials $script:BaseKeys -Config $config

        $output = Invoke-SignedIn @{ ProfileName = 'payments'; ProfileLocation = $location; Debug = $true } 5>&1
        $state = $output | Where-Object { $_ -is [VisionOneOnboarding.AwsOnboardingState] }
        $debug = (@($output | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message) -join "`n"

        $state.AccountId | Should -Be $script:Member
        (Get-StsCalls AssumeRole).Count | Should -Be 1
        (Get-StsCalls AssumeRole)[0].account | Should -Be $script:EmuAccount
        $debug | Should -Match "profile 'payments' .*assume role arn:aws:iam::$($script:Member):role/Payments via 'base', external id"
        $debug | Should -Match 'STS endpoint .* \(from \[services emulator\] sts.endpoint_url'
        $debug | Should -Not -Match ([regex]::Escape($script:EmuSecretKey))
    }

    It 'follows a chain of two roles, each assumed with the credentials of the one before' {
        New-Role Admin (Get-Trust "arn:aws:iam::$($script:Member):role/Payments") -Account $script:Member
        $config = "[profile payments]`nrole_arn = arn:aws:iam::$($script:Member):role/Payments`nsource_profile = base`nexternal_id = payments-7f3a`nservices = emulator`n`n" +
            "[profile payments-admin]`nrole_arn = arn:aws:iam::$($script:Member):role/Admin`nsource_profile = payments`nrole_session_name = admin`nservices = emulator`n`n" + $script:EmulatorServices
        $location = New-ProfileFiles -Credentials $script:BaseKeys -Config $config

        $state = Invoke-SignedIn @{ ProfileName = 'payments-admin'; ProfileLocation = $location }

        $state.AccountId | Should -Be $script:Member
        $assumes = Get-StsCalls AssumeRole
        $assumes.Count | Should -Be 2
        $assumes.account | Should -Be @($script:EmuAccount, $script:Member)   # the second call is made as the Payments session
    }

    It 'uses credential_source = Environment, with AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_IAM for every call' {
        $env:AWS_ACCESS_KEY_ID = $script:EmuAccessKey
        $env:AWS_SECRET_ACCESS_KEY = $script:EmuSecretKey
        $env:AWS_ENDPOINT_URL_STS = $script:Url
        $env:AWS_ENDPOINT_URL_IAM = $script:Url
        New-Role Runner (Get-Trust "arn:aws:iam::$($script:EmuAccount):root") -Account $script:Member
        $location = New-ProfileFiles -Config "[profile runner]`nrole_arn = arn:aws:iam::$($script:Member):role/Runner`ncredential_source = Environment`n"

        $state = Invoke-SignedIn @{ ProfileName = 'runner'; ProfileLocation = $location }

        $state.AccountId | Should -Be $script:Member
        (Get-StsCalls AssumeRole).Count | Should -Be 1
    }

    It 'refuses a trust that does not admit the caller, as STS does, with the profile named' {
        $config = "[profile payments]`nrole_arn = arn:aws:iam::$($script:Member):role/Payments`nsource_profile = base`nexternal_id = wrong-id`nservices = emulator`n`n" + $script:EmulatorServices
        $location = New-ProfileFiles -Credentials $script:BaseKeys -Config $config

        { Invoke-SignedIn @{ ProfileName = 'payments'; ProfileLocation = $location } } | Should -Throw -ErrorId 'VisionOne.AwsProfileUnusable*'
        (Get-StsCalls AssumeRole)[0].errorCode | Should -Be 'AccessDenied'
    }

    It 'asks for the mfa_serial code only when it can: a non-interactive session gets a clear error and no STS call' {
        $config = "[profile guarded]`nrole_arn = arn:aws:iam::$($script:Member):role/Payments`nsource_profile = base`nmfa_serial = arn:aws:iam::$($script:EmuAccount):mfa/admin`nservices = emulator`n`n" + $script:EmulatorServices
        $location = New-ProfileFiles -Credentials $script:BaseKeys -Config $config

        $err = { Invoke-SignedIn @{ ProfileName = 'guarded'; ProfileLocation = $location } } | Should -Throw -ErrorId 'VisionOne.AwsMfaCodeRequired*' -PassThru
        $err.Exception.Message | Should -Match 'interactive'
        (Get-StsCalls AssumeRole).Count | Should -Be 0
    }

    It 'asks an interactive session for the mfa_serial code and passes it to STS, for a role whose trust requires MFA' {
        New-Role Guarded (Get-Trust "arn:aws:iam::$($script:EmuAccount):root" '{"Bool":{"aws:MultiFactorAuthPresent":"true"}}') -Account $script:Member
        $config = "[profile guarded]`nrole_arn = arn:aws:iam::$($script:Member):role/Guarded`nsource_profile = base`nmfa_serial = arn:aws:iam::$($script:EmuAccount):mfa/admin`nservices = emulator`n`n" + $script:EmulatorServices
        $location = New-ProfileFiles -Credentials $script:BaseKeys -Config $config
        # A console session that can ask: a child pwsh whose typed answer comes on its standard input.
        $script = @"
`$env:AWS_EC2_METADATA_DISABLED = 'true'
`$env:HOME = '$($script:TempHome)'
Import-Module '$($script:ModulePath)'
`$state = New-V1OidcProvider -V1Region us -WhatIf -ProfileName guarded -ProfileLocation '$location'
'ACCOUNT: ' + `$state.AccountId
"@
        # The child starts with the real HOME (where dotnet finds its tools) and then takes the test's own.
        $saved = Save-Environment 'HOME'
        Restore-Environment $script:SavedEnvironment
        try { $out = '123456' | dotnet pwsh -NoProfile -Command $script 2>&1 }
        finally { Clear-AwsEnvironment; Restore-Environment $saved }
        ($out -join "`n") | Should -Match "MFA code for arn:aws:iam::$($script:EmuAccount):mfa/admin"
        ($out | Where-Object { "$_" -like 'ACCOUNT:*' }) | Should -Be "ACCOUNT: $($script:Member)"
        $assumed = Get-StsCalls AssumeRole
        $assumed.Count | Should -Be 1
        $assumed[0].success | Should -BeTrue
        # The code typed is a secret of the moment: it is not echoed back or logged.
        ($out -join "`n") | Should -Not -Match 'TokenCode'
    }

    It 'refreshes temporary credentials that expire during one run instead of signing with a stale snapshot' {
        New-Role Short (Get-Trust "arn:aws:iam::$($script:EmuAccount):root")
        $config = "[profile short]`nrole_arn = arn:aws:iam::$($script:EmuAccount):role/Short`nsource_profile = base`nservices = emulator`n`n" + $script:EmulatorServices
        $location = New-ProfileFiles -Credentials $script:BaseKeys -Config $config
        # Credentials live 2 s; a provider created moments before keeps CreateRole failing for 4 s, retried meanwhile.
        Invoke-Emulator POST '/_emulator/sts' @{ credentialLifetimeSeconds = 2 } | Out-Null
        Invoke-Emulator POST '/_emulator/faults' @{ principalPropagationMs = 4000 } | Out-Null
        $signIn = @{ ProfileName = 'short'; ProfileLocation = $location }

        $state = New-V1OidcProvider -V1Region us @signIn | Set-V1Thumbprints @signIn | New-V1Policies @signIn | New-V1Role -BusinessId 1234567890 @signIn

        $state.RoleArn | Should -Not -BeNullOrEmpty
        $calls = Get-EmulatorCalls
        @($calls | Where-Object { $_.action -eq 'CreateRole' -and -not $_.success }).Count | Should -BeGreaterThan 0
        @($calls | Where-Object { $_.errorCode -eq 'ExpiredToken' }).Count | Should -Be 0
        # One AssumeRole per cmdlet is the floor; more show refreshes within a run.
        (Get-StsCalls AssumeRole).Count | Should -BeGreaterThan 4
    }
}

Describe 'IAM Identity Center (SSO) profiles' {
    BeforeAll {
        function New-SsoToken([int] $ExpiresInSeconds = 3600) {
            Invoke-Emulator POST '/_emulator/sso/tokens' @{ assignments = @(@{ accountId = $script:Member; roleName = 'AdministratorAccess' }); expiresInSeconds = $ExpiresInSeconds }
        }
        # What 'aws sso login' leaves: ~/.aws/sso/cache/<sha1 of the session name, or of the start URL for legacy profiles>.json
        function Write-SsoCache([string] $Key, $Token, [string] $StartUrl) {
            $cache = Join-Path $script:TempHome '.aws/sso/cache'
            $null = New-Item -ItemType Directory -Force -Path $cache
            $hash = -join ([Security.Cryptography.SHA1]::HashData([Text.Encoding]::UTF8.GetBytes($Key)) | ForEach-Object { $_.ToString('x2') })
            @{ startUrl = $StartUrl; region = 'us-east-1'; accessToken = $Token.accessToken; expiresAt = $Token.expiresAt } | ConvertTo-Json |
                Set-Content (Join-Path $cache "$hash.json")
        }
        $script:StartUrl = 'https://example.awsapps.com/start'
        $script:SsoConfig = "[profile admin]`nsso_session = corp`nsso_account_id = $($script:Member)`nsso_role_name = AdministratorAccess`nregion = us-east-1`nservices = emulator`n`n" +
            "[sso-session corp]`nsso_start_url = $($script:StartUrl)`nsso_region = us-east-1`nsso_registration_scopes = sso:account:access`n`n" + $script:EmulatorServices
    }
    BeforeEach {
        Reset-Emulator
        Clear-AwsEnvironment
        Remove-Item (Join-Path $script:TempHome '.aws') -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'signs in with sso_session and the token that aws sso login cached' {
        Write-SsoCache 'corp' (New-SsoToken) $script:StartUrl
        $location = New-ProfileFiles -Config $script:SsoConfig

        $state = Invoke-SignedIn @{ ProfileName = 'admin'; ProfileLocation = $location }

        $state.AccountId | Should -Be $script:Member
        @(Get-EmulatorCalls | Where-Object { $_.service -eq 'sso' -and $_.success }).Count | Should -Be 1
    }

    It 'signs in with the legacy keys (sso_start_url, sso_region in the profile)' {
        Write-SsoCache $script:StartUrl (New-SsoToken) $script:StartUrl
        $location = New-ProfileFiles -Config ("[profile legacy]`nsso_start_url = $($script:StartUrl)`nsso_region = us-east-1`nsso_account_id = $($script:Member)`n" +
            "sso_role_name = AdministratorAccess`nservices = emulator`n`n" + $script:EmulatorServices)

        (Invoke-SignedIn @{ ProfileName = 'legacy'; ProfileLocation = $location }).AccountId | Should -Be $script:Member
    }

    It 'names aws sso login --profile NAME when the cached token has expired, or is missing, and changes nothing' -TestCases @(
        @{ Case = 'expired'; Write = $true }
        @{ Case = 'missing'; Write = $false }
    ) {
        if ($Write) { Write-SsoCache 'corp' (New-SsoToken -ExpiresInSeconds -600) $script:StartUrl }
        $location = New-ProfileFiles -Config $script:SsoConfig

        $err = { Invoke-SignedIn @{ ProfileName = 'admin'; ProfileLocation = $location } } | Should -Throw -ErrorId 'VisionOne.AwsSsoLoginRequired*' -PassThru
        $err.Exception.Message | Should -Match ([regex]::Escape("aws sso login --profile admin"))
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        @(Get-EmulatorCalls | Where-Object { $_.service -eq 'iam' }).Count | Should -Be 0
    }
}

Describe 'Web identity, credential_process' {
    BeforeAll {
        $script:Issuer = 'https://token.actions.githubusercontent.com'
        function New-WebIdentityRole {
            $null = Invoke-AwsCli iam create-open-id-connect-provider --url $script:Issuer --client-id-list sts.amazonaws.com
            $trust = @{ Version = '2012-10-17'; Statement = @(@{ Effect = 'Allow'; Principal = @{ Federated = "arn:aws:iam::$($script:EmuAccount):oidc-provider/token.actions.githubusercontent.com" }
                        Action = 'sts:AssumeRoleWithWebIdentity'; Condition = @{ StringEquals = @{ 'token.actions.githubusercontent.com:aud' = 'sts.amazonaws.com' }
                            StringLike = @{ 'token.actions.githubusercontent.com:sub' = 'repo:example/payments:*' } } }) } | ConvertTo-Json -Depth 10 -Compress
            New-Role CiDeployer $trust
        }
    }
    BeforeEach { Reset-Emulator; Clear-AwsEnvironment }

    It 'signs in as EKS pods and CI runners do: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN' {
        New-WebIdentityRole
        $tokenFile = Join-Path $TestDrive 'web-identity-token'
        Set-Content $tokenFile (New-Jwt $script:Issuer 'sts.amazonaws.com' 'repo:example/payments:ref:refs/heads/main') -NoNewline
        $env:AWS_WEB_IDENTITY_TOKEN_FILE = $tokenFile
        $env:AWS_ROLE_ARN = "arn:aws:iam::$($script:EmuAccount):role/CiDeployer"
        $env:AWS_ENDPOINT_URL = $script:Url

        $output = Invoke-SignedIn @{ Debug = $true } 5>&1
        $state = $output | Where-Object { $_ -is [VisionOneOnboarding.AwsOnboardingState] }

        $state.AccountId | Should -Be $script:EmuAccount
        (Get-StsCalls AssumeRoleWithWebIdentity)[0].success | Should -BeTrue
        ((@($output | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message) -join "`n") | Should -Match 'AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN \(web identity'
    }

    It 'signs in with web_identity_token_file in a profile, and a token for another repository is refused' {
        New-WebIdentityRole
        $good = Join-Path $TestDrive 'good-token'; Set-Content $good (New-Jwt $script:Issuer 'sts.amazonaws.com' 'repo:example/payments:ref:refs/heads/main') -NoNewline
        $bad = Join-Path $TestDrive 'bad-token'; Set-Content $bad (New-Jwt $script:Issuer 'sts.amazonaws.com' 'repo:example/other:ref:refs/heads/main') -NoNewline
        $config = "[profile ci]`nrole_arn = arn:aws:iam::$($script:EmuAccount):role/CiDeployer`nweb_identity_token_file = $good`nservices = emulator`n`n" +
            "[profile other]`nrole_arn = arn:aws:iam::$($script:EmuAccount):role/CiDeployer`nweb_identity_token_file = $bad`nservices = emulator`n`n" + $script:EmulatorServices
        $location = New-ProfileFiles -Config $config

        (Invoke-SignedIn @{ ProfileName = 'ci'; ProfileLocation = $location }).AccountId | Should -Be $script:EmuAccount
        { Invoke-SignedIn @{ ProfileName = 'other'; ProfileLocation = $location } } | Should -Throw -ErrorId 'VisionOne.AwsProfileUnusable*'
    }

    It 'runs credential_process and signs with what it prints' {
        $json = Join-Path $TestDrive 'process-output.json'
        @{ Version = 1; AccessKeyId = $script:EmuAccessKey; SecretAccessKey = $script:EmuSecretKey } | ConvertTo-Json | Set-Content $json
        $location = New-ProfileFiles -Config "[profile tool]`ncredential_process = cat $json`nservices = emulator`n`n$($script:EmulatorServices)"

        $output = Invoke-SignedIn @{ ProfileName = 'tool'; ProfileLocation = $location; Debug = $true } 5>&1

        ($output | Where-Object { $_ -is [VisionOneOnboarding.AwsOnboardingState] }).AccountId | Should -Be $script:EmuAccount
        ((@($output | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message) -join "`n") | Should -Match "profile 'tool' .*\(credential_process\)"
    }

    It 'a failing credential_process is told by its exit code and profile, never by what it printed' {
        $helper = Join-Path $TestDrive 'leaky-helper.sh'
        Set-Content $helper "#!/bin/sh`necho 'token=LEAKED-SECRET-0001' >&2`necho 'LEAKED-SECRET-0002'`nexit 3`n"
        $location = New-ProfileFiles -Config "[profile leaky]`ncredential_process = sh $helper`nservices = emulator`n`n$($script:EmulatorServices)"

        $err = { Invoke-SignedIn @{ ProfileName = 'leaky'; ProfileLocation = $location } } | Should -Throw -ErrorId 'VisionOne.AwsProfileUnusable*' -PassThru
        $err.Exception.Message | Should -Match "credential_process of profile 'leaky' failed with exit code 3"
        ($err | Out-String) + $err.Exception.ToString() | Should -Not -Match 'LEAKED-SECRET'
    }
}

Describe 'Credentials objects: -Credential and $StoredAWSCredentials as AWS.Tools leaves them' {
    BeforeEach { Reset-Emulator; Clear-AwsEnvironment }
    AfterEach { Remove-Variable StoredAWSCredentials, StoredAWSRegion -Scope Global -ErrorAction SilentlyContinue }

    It '-SecretKey takes a SecureString and -Credential a PSCredential (user name = access key id), so neither is plain text where PowerShell logs parameters' {
        $secure = ConvertTo-SecureString $script:EmuSecretKey -AsPlainText -Force
        (Invoke-SignedIn @{ AccessKey = $script:EmuAccessKey; SecretKey = $secure; EndpointUrl = $script:Url }).AccountId | Should -Be $script:EmuAccount
        (Invoke-SignedIn @{ Credential = [pscredential]::new($script:EmuAccessKey, $secure); EndpointUrl = $script:Url }).AccountId | Should -Be $script:EmuAccount
        # A plain string still works; the bound value of either form shows itself as ***.
        (Invoke-SignedIn @{ AccessKey = $script:EmuAccessKey; SecretKey = $script:EmuSecretKey; EndpointUrl = $script:Url }).AccountId | Should -Be $script:EmuAccount
        foreach ($name in 'SecretKey', 'SessionToken') { (Get-Command New-V1OidcProvider).Parameters[$name].ParameterType.Name | Should -Be 'SecretParameter' }
        (Get-Command Invoke-V1AwsOnboarding).Parameters['ExternalId'].ParameterType.Name | Should -Be 'SecretParameter'
        [VisionOneOnboarding.Cmdlets.SecretParameter]::new($secure).ToString() | Should -Be '***'
        [VisionOneOnboarding.Cmdlets.SecretParameter]::new($script:EmuSecretKey).ToString() | Should -Be '***'
        # A wrong secret as a SecureString is refused as any wrong key is.
        { Invoke-SignedIn @{ AccessKey = $script:EmuAccessKey; SecretKey = (ConvertTo-SecureString 'wrong' -AsPlainText -Force); EndpointUrl = $script:Url } } | Should -Throw
    }

    It '-Credential takes an AWSCredentials object of another AWSSDK.Core copy' {
        $foreign = [Amazon.Runtime.BasicAWSCredentials]::new($script:EmuAccessKey, $script:EmuSecretKey)
        $foreign.GetType().Assembly.GetName().Version.ToString() | Should -Be '3.3.0.0'

        (Invoke-SignedIn @{ Credential = $foreign; EndpointUrl = $script:Url }).AccountId | Should -Be $script:EmuAccount
    }

    It 'reads the internal Credentials of an AWSPSCredentials-shaped $StoredAWSCredentials, and $StoredAWSRegion' {
        $member = Invoke-Emulator POST '/_emulator/accounts' @{ accountId = $script:Member }
        $global:StoredAWSCredentials = [AwsToolsStandIn.AWSPSCredentials]::new([Amazon.Runtime.BasicAWSCredentials]::new($member.accessKeyId, $member.secretAccessKey), $null)
        $global:StoredAWSRegion = 'eu-central-1'

        $output = Invoke-SignedIn @{ EndpointUrl = $script:Url; Debug = $true } 5>&1
        $debug = (@($output | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message) -join "`n"

        ($output | Where-Object { $_ -is [VisionOneOnboarding.AwsOnboardingState] }).AccountId | Should -Be $script:Member
        $debug | Should -Match 'AWS region eu-central-1 from \$StoredAWSRegion'
        $debug | Should -Match '\$StoredAWSCredentials .*another AWSSDK.Core copy'
    }

    It 'falls back to the profile name an AWSPSCredentials carries when it holds no credentials' {
        $location = New-ProfileFiles -Credentials $script:BaseKeys
        $global:StoredAWSCredentials = [AwsToolsStandIn.AWSPSCredentials]::new($null, 'base')

        (Invoke-SignedIn @{ ProfileLocation = $location; EndpointUrl = $script:Url }).AccountId | Should -Be $script:EmuAccount
    }

    It '-Credential with something that is not credentials is a clear error that changes nothing' {
        { Invoke-SignedIn @{ Credential = 'not-credentials'; EndpointUrl = $script:Url } } | Should -Throw -ErrorId 'VisionOne.AwsCredentialObjectUnreadable*'
        @(Get-EmulatorCalls).Count | Should -Be 0
    }
}

Describe 'One Vision One region, from one source of truth' {
    BeforeAll {
        $script:V1Key = ConvertTo-SecureString 'emulator-visionone-api-key' -AsPlainText -Force
        $script:Keys = @{ AccessKey = $script:EmuAccessKey; SecretKey = $script:EmuSecretKey; EndpointUrl = $script:Url }
        # The emulator's tenant is us, business id 1234567890: its API names the us issuer and its template says so.
        function Get-WorldState { (Get-EmulatorState) + (Invoke-Emulator GET '/_emulator/visionone/accounts' | ConvertTo-Json -Depth 20) }
    }
    BeforeEach { Reset-Emulator; Clear-AwsEnvironment; Remove-Item Env:VISIONONE_REGIONAL_FQDN -ErrorAction SilentlyContinue }
    AfterAll { Remove-Item Env:VISIONONE_REGIONAL_FQDN -ErrorAction SilentlyContinue }

    It 'refuses <Case> before the first change, naming each value and where it came from' -TestCases @(
        @{ Case = '-V1Region eu against the us issuer the API names'; Extra = @{ V1Region = 'eu' }; Id = 'VisionOne.RegionMismatch'; Says = "'eu' by -V1Region; 'us' by the issuer https://cloudaccounts-us.xdr.trendmicro.com (named by the Vision One API)" }
        @{ Case = 'a business id the template was not made for'; Extra = @{}; BusinessId = '1234567899'; Id = 'VisionOne.BusinessIdMismatch'; Says = "made for '1234567890' (its VisionOneAccountID)" }
        @{ Case = '-V1Region jp with the eu API host'; Extra = @{ V1Region = 'jp'; ApiBaseUrl = 'https://api.eu.xdr.trendmicro.com' }; Id = 'VisionOne.RegionMismatch'; Says = "api.eu.xdr.trendmicro.com (from -ApiBaseUrl) is region 'eu'" }
    ) {
        $before = Get-WorldState
        $parameters = @{ Name = 'Mismatch'; BusinessId = $(if ($BusinessId) { $BusinessId } else { '1234567890' }); ApiKey = $script:V1Key; ApiBaseUrl = $script:Url; VerifyTimeoutSeconds = 5 }
        foreach ($key in $Extra.Keys) { $parameters[$key] = $Extra[$key] }

        $err = { Invoke-V1AwsOnboarding @parameters @script:Keys -ErrorAction Stop } | Should -Throw -ErrorId "$Id*" -PassThru

        $err.Exception.Message | Should -BeLike "*$Says*"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-EmulatorCalls | Where-Object { $_.mutating -and $_.success }).Count | Should -Be 0
        Get-WorldState | Should -Be $before
    }

    It 'takes the region from the issuer when the API host is in no table and nothing else names it' {
        $state = Invoke-V1AwsOnboarding -Name 'By issuer' -BusinessId 1234567890 -ApiKey $script:V1Key -ApiBaseUrl $script:Url -VerifyTimeoutSeconds 5 @script:Keys

        $state.V1Region | Should -Be 'us'
        $state.OidcProviderArn | Should -Be "arn:aws:iam::$($script:EmuAccount):oidc-provider/cloudaccounts-us.xdr.trendmicro.com"
    }

    It 'reads the region from VISIONONE_REGIONAL_FQDN (eu) and refuses a template made for us' {
        $env:VISIONONE_REGIONAL_FQDN = 'api.eu.xdr.trendmicro.com'
        # A template file (a us tenant's): the refusal comes before any call to the (unreachable) eu API.
        $template = Join-Path $PSScriptRoot '../VisionOneOnboarding.Tests/Onboarding/Fixtures/vision-one-template.yaml'

        $err = { Test-V1AwsOnboarding -BusinessId 1234567890 -TemplatePath $template -ApiKey $script:V1Key @script:Keys -ErrorAction Stop } |
            Should -Throw -ErrorId 'VisionOne.RegionMismatch*' -PassThru
        $err.Exception.Message | Should -BeLike "*'eu' by the API host api.eu.xdr.trendmicro.com (environment variable VISIONONE_REGIONAL_FQDN)*'us' by the template's VisionOneRegion*"
    }

    It 'maps every Vision One API host to its region: <ApiHost> is <Region>' -TestCases @(
        # From the region table of the Cloud Accounts reference, written out here rather than read from the module.
        @{ ApiHost = 'api.xdr.trendmicro.com'; Region = 'us' }
        @{ ApiHost = 'api.eu.xdr.trendmicro.com'; Region = 'eu' }
        @{ ApiHost = 'api.xdr.trendmicro.co.jp'; Region = 'jp' }
        @{ ApiHost = 'api.sg.xdr.trendmicro.com'; Region = 'sg' }
        @{ ApiHost = 'api.au.xdr.trendmicro.com'; Region = 'au' }
        @{ ApiHost = 'api.in.xdr.trendmicro.com'; Region = 'in' }
        @{ ApiHost = 'api.mea.xdr.trendmicro.com'; Region = 'mea' }
        @{ ApiHost = 'api.uk.xdr.trendmicro.com'; Region = 'uk' }
        @{ ApiHost = 'api.ca.xdr.trendmicro.com'; Region = 'ca' }
        @{ ApiHost = 'api.za.xdr.trendmicro.com'; Region = 'za' }
        @{ ApiHost = 'api.id.xdr.trendmicro.com'; Region = 'id' }
        @{ ApiHost = 'api.br.xdr.trendmicro.com'; Region = 'br' }
        @{ ApiHost = 'api.usgov.xdr.trendmicro.com'; Region = 'usgov' }
    ) {
        # A template made for another region than the host's: the refusal names the region the host was read as, and
        # comes before any call to that (unreachable) host.
        $other = if ($Region -eq 'us') { 'eu' } else { 'us' }
        $template = Join-Path $TestDrive "template-$other.yaml"
        (Get-Content (Join-Path $PSScriptRoot '../VisionOneOnboarding.Tests/Onboarding/Fixtures/vision-one-template.yaml') -Raw).
            Replace('Default: cloudaccounts-us.', "Default: cloudaccounts-$other.").Replace("Default: us`n", "Default: $other`n") | Set-Content $template
        $env:VISIONONE_REGIONAL_FQDN = $ApiHost

        $err = { Test-V1AwsOnboarding -BusinessId 1234567890 -TemplatePath $template -ApiKey $script:V1Key @script:Keys -ErrorAction Stop } |
            Should -Throw -ErrorId 'VisionOne.RegionMismatch*' -PassThru
        $err.Exception.Message | Should -BeLike "*'$Region' by the API host $ApiHost (environment variable VISIONONE_REGIONAL_FQDN)*'$other' by the template's VisionOneRegion*"
        @(Get-EmulatorCalls | Where-Object { $_.mutating -and $_.success }).Count | Should -Be 0
    }

    It 'has a test case above for every region the module knows (the regions -V1Region completes)' {
        $line = 'Test-V1AwsOnboarding -V1Region '
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Sort-Object |
            Should -Be (@('us', 'eu', 'jp', 'sg', 'au', 'in', 'mea', 'uk', 'ca', 'za', 'id', 'br', 'usgov') | Sort-Object)
    }

    It 'removes the provider of the issuer the API names, never of a default region' {
        $null = Invoke-V1AwsOnboarding -Name 'Remove me' -BusinessId 1234567890 -ApiKey $script:V1Key -ApiBaseUrl $script:Url -VerifyTimeoutSeconds 5 @script:Keys
        Remove-V1AwsOnboarding -ApiKey $script:V1Key -ApiBaseUrl $script:Url -Confirm:$false @script:Keys

        @(Get-EmulatorCalls | Where-Object { $_.action -eq 'DeleteOpenIDConnectProvider' -and $_.success }).Count | Should -Be 1
    }
}
