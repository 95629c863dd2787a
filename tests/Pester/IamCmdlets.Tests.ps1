#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The four IAM cmdlets through the built module, against the bundled emulator.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:Aws = Get-AwsTestParams
    $script:BusinessId = '1234567890'
    $script:Issuer = 'https://cloudaccounts-us.xdr.trendmicro.com'
    $script:ProviderArn = "arn:aws:iam::$($script:EmuAccount):oidc-provider/cloudaccounts-us.xdr.trendmicro.com"
    $script:PolicyArns = 1..3 | ForEach-Object { "arn:aws:iam::$($script:EmuAccount):policy/VisionOnePolicyPart$_" }

    function Get-MutatingIamCalls { @(Get-EmulatorCalls | Where-Object { $_.service -eq 'iam' -and $_.mutating -and $_.success }) }

    function Invoke-Chain {
        param([hashtable] $Extra = @{})
        New-V1OidcProvider -V1Region us @script:Aws @Extra |
            Set-V1Thumbprints @script:Aws @Extra |
            New-V1Policies @script:Aws @Extra |
            New-V1Role -BusinessId $script:BusinessId @script:Aws @Extra
    }
}

AfterAll {
    Stop-TestEmulator $script:Emulator
}


Describe 'The IAM chain' {
    BeforeEach { Reset-Emulator }

    It 'creates provider, thumbprints, policies and role, and the state object carries every fact' {
        $state = Invoke-Chain
        $state.AccountId | Should -Be $script:EmuAccount
        $state.OidcProviderArn | Should -Be $script:ProviderArn
        $state.OidcProviderUrl | Should -Be $script:Issuer
        $state.Thumbprints | Should -HaveCount 4
        $state.PolicyArns | Should -Be $script:PolicyArns
        $state.RoleArn | Should -Be "arn:aws:iam::$($script:EmuAccount):role/VisionOneRole"
        $state.RoleName | Should -Be 'VisionOneRole'
        $state.PSObject.TypeNames[0] | Should -Be 'VisionOneOnboarding.AwsOnboardingState'

        $role = (Invoke-AwsCli iam get-role --role-name VisionOneRole).Role
        $stmt = $role.AssumeRolePolicyDocument.Statement[0]
        $stmt.Principal.Federated | Should -Be $script:ProviderArn
        $stmt.Action | Should -Be @('sts:AssumeRoleWithWebIdentity', 'sts:SetSourceIdentity')
        $stmt.Condition.StringEquals.'cloudaccounts-us.xdr.trendmicro.com:aud' | Should -Be "arn:aws:iam::$($script:EmuAccount):root"
        $stmt.Condition.StringEquals.'cloudaccounts-us.xdr.trendmicro.com:sub' | Should -Be @("urn:visionone:identity:us:$($script:BusinessId):account/$($script:BusinessId)")
        $tags = @{}; foreach ($t in $role.Tags) { $tags[$t.Key] = $t.Value }
        $tags['VisionOneCloudFormationStackName'] | Should -Be 'Vision-One-Cloud-Account-Management'
        $tags['VisionOneCloudFormationStackRegion'] | Should -Be 'us-east-1'
        $tags['VisionOneFeatures'] | Should -Be 'Base'
        (Invoke-AwsCli iam list-attached-role-policies --role-name VisionOneRole).AttachedPolicies.PolicyArn | Sort-Object | Should -Be $script:PolicyArns

        $provider = Invoke-AwsCli iam get-open-id-connect-provider --open-id-connect-provider-arn $script:ProviderArn
        $provider.ClientIDList | Should -Be @("arn:aws:iam::$($script:EmuAccount):root")
        $provider.ThumbprintList | Should -HaveCount 4
    }

    It 'makes zero mutating IAM calls when run a second time' {
        $null = Invoke-Chain
        Clear-EmulatorCalls
        $second = Invoke-Chain
        Get-MutatingIamCalls | Should -BeNullOrEmpty
        @(Get-EmulatorCalls).Count | Should -BeGreaterThan 0
        $second.Changes | Should -BeNullOrEmpty
    }

    It 'chains with credentials from the environment and the endpoint from the session ($PSDefaultParameterValues), never from the piped state' {
        $env:AWS_ACCESS_KEY_ID = $script:EmuAccessKey
        $env:AWS_SECRET_ACCESS_KEY = $script:EmuSecretKey
        $PSDefaultParameterValues['*-V1*:EndpointUrl'] = $script:Emulator.Url
        try {
            $state = New-V1OidcProvider -V1Region us | Set-V1Thumbprints | New-V1Policies | New-V1Role -BusinessId $script:BusinessId
            $state.RoleArn | Should -Not -BeNullOrEmpty
            $state.EndpointUrl | Should -Be $script:Emulator.Url
        }
        finally {
            $PSDefaultParameterValues.Remove('*-V1*:EndpointUrl')
            Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY -ErrorAction SilentlyContinue
        }
    }

    It '-WhatIf changes nothing and lists the planned changes' {
        $before = Get-EmulatorState
        $state = New-V1OidcProvider -V1Region us @script:Aws -WhatIf | New-V1Policies @script:Aws -WhatIf
        Get-MutatingIamCalls | Should -BeNullOrEmpty
        Get-EmulatorState | Should -Be $before
        $state.Changes.Count | Should -Be 4
        $state.Changes | ForEach-Object { $_.Applied | Should -BeFalse }
        $state.Changes.Action | Should -Contain 'Create IAM policy VisionOnePolicyPart2'
    }

    It 'narrates each call under -Verbose' {
        $verbose = New-V1OidcProvider -V1Region us @script:Aws -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'CreateOpenIDConnectProvider'
    }
}

Describe 'New-V1OidcProvider' {
    BeforeEach { Reset-Emulator }

    It 'adopts an existing provider for the same URL and adds the missing audience' {
        $null = Invoke-AwsCli iam create-open-id-connect-provider --url $script:Issuer --client-id-list other-client --thumbprint-list ('a' * 40)
        Clear-EmulatorCalls
        $state = New-V1OidcProvider -V1Region us @script:Aws
        $state.OidcProviderArn | Should -Be $script:ProviderArn
        (Get-MutatingIamCalls).action | Should -Be @('AddClientIDToOpenIDConnectProvider')
        (Invoke-AwsCli iam get-open-id-connect-provider --open-id-connect-provider-arn $script:ProviderArn).ClientIDList |
            Should -Contain "arn:aws:iam::$($script:EmuAccount):root"
    }

    It 'takes the issuer from -Url, a bare host included' {
        $state = New-V1OidcProvider -Url 'cloudaccounts-eu.xdr.trendmicro.com' @script:Aws
        $state.OidcProviderUrl | Should -Be 'https://cloudaccounts-eu.xdr.trendmicro.com'
    }
}

Describe 'Set-V1Thumbprints' {
    BeforeEach { Reset-Emulator }

    It 'replaces other thumbprints with the four documented ones' {
        $null = Invoke-AwsCli iam create-open-id-connect-provider --url $script:Issuer --client-id-list x --thumbprint-list ('b' * 40)
        $state = Set-V1Thumbprints -OidcProviderArn $script:ProviderArn @script:Aws
        $state.Thumbprints | Should -HaveCount 4
        (Invoke-AwsCli iam get-open-id-connect-provider --open-id-connect-provider-arn $script:ProviderArn).ThumbprintList | Should -HaveCount 4
    }

    It 'compares case-insensitively and makes no call when already equal' {
        $upper = '9E99A48A9960B14926BB7F3B02E22DA2B0AB7280 9565ad13689c2c4b4f018be31767084d197f2692 8cf427fd790c3ad166068de81e57efbb932272d4 f21c12f46cdb6b2e16f09f9419cdff328437b2d7'.Split(' ')
        $null = Invoke-AwsCli iam create-open-id-connect-provider --url $script:Issuer --client-id-list x --thumbprint-list @upper
        Clear-EmulatorCalls
        $null = Set-V1Thumbprints -OidcProviderArn $script:ProviderArn @script:Aws
        Get-MutatingIamCalls | Should -BeNullOrEmpty
    }
}

Describe 'New-V1Policies' {
    BeforeEach { Reset-Emulator }

    It 'creates the three policies from a template file' {
        $state = New-V1Policies -TemplatePath (Join-Path $PSScriptRoot '../VisionOneOnboarding.Tests/Onboarding/Fixtures/vision-one-template.yaml') @script:Aws
        $state.PolicyArns | Should -Be $script:PolicyArns
    }

    It 'sets a new default version when the document differs, pruning the oldest when five exist' {
        $null = New-V1Policies @script:Aws
        $arn = $script:PolicyArns[2]
        foreach ($i in 1..4) {
            $doc = @{ Version = '2012-10-17'; Statement = @(@{ Effect = 'Allow'; Action = "s3:GetObject$i"; Resource = '*' }) } | ConvertTo-Json -Depth 5 -Compress
            $null = Invoke-AwsCli iam create-policy-version --policy-arn $arn --policy-document $doc --set-as-default
        }
        (Invoke-AwsCli iam list-policy-versions --policy-arn $arn).Versions | Should -HaveCount 5
        Clear-EmulatorCalls
        $null = New-V1Policies @script:Aws
        (Get-MutatingIamCalls).action | Should -Be @('DeletePolicyVersion', 'CreatePolicyVersion')
        $versions = (Invoke-AwsCli iam list-policy-versions --policy-arn $arn).Versions
        $versions | Should -HaveCount 5
        $versions.VersionId | Should -Not -Contain 'v1'
        ($versions | Where-Object IsDefaultVersion).VersionId | Should -Be 'v6'
    }
}

Describe 'New-V1Role' {
    BeforeEach { Reset-Emulator }

    BeforeEach {
        $script:Base = New-V1OidcProvider -V1Region us @script:Aws | New-V1Policies @script:Aws
    }

    It 'refuses an existing role whose trust policy differs, and replaces it with -Force' {
        $other = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
        $null = Invoke-AwsCli iam create-role --role-name VisionOneRole --assume-role-policy-document $other
        $before = Get-EmulatorState
        { $script:Base | New-V1Role -BusinessId $script:BusinessId @script:Aws -ErrorAction Stop } | Should -Throw -ErrorId 'VisionOne.RoleTrustMismatch*'
        Get-EmulatorState | Should -Be $before
        $state = $script:Base | New-V1Role -BusinessId $script:BusinessId @script:Aws -Force
        (Invoke-AwsCli iam get-role --role-name VisionOneRole).Role.AssumeRolePolicyDocument.Statement[0].Principal.Federated | Should -Be $script:ProviderArn
        # The confirmation names what goes: the EC2 service's trust.
        ($state.Changes.Action -join "`n") | Should -Match 'Replace the trust policy of VisionOneRole, removing statement .*ec2\.amazonaws\.com'
    }

    It 'adds missing tags and attachments to an adopted role' {
        $null = $script:Base | New-V1Role -BusinessId $script:BusinessId @script:Aws
        $null = Invoke-AwsCli iam detach-role-policy --role-name VisionOneRole --policy-arn $script:PolicyArns[1]
        $null = Invoke-AwsCli iam untag-role --role-name VisionOneRole --tag-keys VisionOneFeatures
        Clear-EmulatorCalls
        $null = $script:Base | New-V1Role -BusinessId $script:BusinessId @script:Aws
        (Get-MutatingIamCalls).action | Sort-Object | Should -Be @('AttachRolePolicy', 'TagRole')
    }

    It 'retries "Invalid principal in policy" while a new provider propagates' {
        Reset-Emulator
        Invoke-Emulator POST '/_emulator/faults' @{ principalPropagationMs = 2500 } | Out-Null
        $verbose = Invoke-Chain -Extra @{ Verbose = $true } 4>&1
        $state = $verbose | Where-Object { $_ -is [VisionOneOnboarding.AwsOnboardingState] }
        $state.RoleArn | Should -Not -BeNullOrEmpty
        (@($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") | Should -Match 'does not see the OIDC provider yet'
        @(Get-EmulatorCalls | Where-Object { $_.action -eq 'CreateRole' -and -not $_.success }).Count | Should -BeGreaterThan 0
    }
}

Describe 'Bad input: a catchable error with a stable id, and nothing changed' {
    BeforeEach { Reset-Emulator }

    BeforeAll {
        $script:Big = Join-Path $TestDrive 'big.json'
        $statements = 1..200 | ForEach-Object { @{ Effect = 'Allow'; Action = "ec2:DescribeSomethingRatherLong$_"; Resource = '*' } }
        $huge = @{ Version = '2012-10-17'; Statement = $statements }
        @{ Resources = @{
                VisionOnePolicyPart1 = @{ Type = 'AWS::IAM::ManagedPolicy'; Properties = @{ PolicyDocument = $huge } }
                VisionOnePolicyPart2 = @{ Type = 'AWS::IAM::ManagedPolicy'; Properties = @{ PolicyDocument = $huge } }
                VisionOnePolicyPart3 = @{ Type = 'AWS::IAM::ManagedPolicy'; Properties = @{ PolicyDocument = $huge } }
            }
        } | ConvertTo-Json -Depth 10 | Set-Content $script:Big
        $script:Partial = Join-Path $TestDrive 'partial.json'
        @{ Resources = @{ VisionOnePolicyPart1 = @{ Type = 'AWS::IAM::ManagedPolicy'; Properties = @{ PolicyDocument = @{ Version = '2012-10-17'; Statement = @() } } } } } |
            ConvertTo-Json -Depth 10 | Set-Content $script:Partial
        $script:Malformed = Join-Path $TestDrive 'malformed.yaml'
        "Resources:`n  VisionOnePolicyPart1: [unclosed" | Set-Content $script:Malformed
        $script:EmptyAws = Join-Path $TestDrive 'empty-aws'
        $null = New-Item -ItemType Directory -Force $script:EmptyAws
        $script:Good = "arn:aws:iam::$($script:EmuAccount):oidc-provider/cloudaccounts-us.xdr.trendmicro.com"
    }

    It '<Name>' -TestCases @(
        @{ Name = 'unknown Vision One region'; Id = 'VisionOne.UnknownRegion'; Call = { New-V1OidcProvider -V1Region xx @script:Aws } }
        @{ Name = 'no issuer at all'; Id = 'VisionOne.IssuerUnknown'; Call = { New-V1OidcProvider @script:Aws } }
        @{ Name = 'http issuer'; Id = 'VisionOne.InvalidIssuerUrl'; Call = { New-V1OidcProvider -Url 'http://cloudaccounts-us.xdr.trendmicro.com' @script:Aws } }
        @{ Name = 'issuer with a port'; Id = 'VisionOne.InvalidIssuerUrl'; Call = { New-V1OidcProvider -Url 'https://cloudaccounts-us.xdr.trendmicro.com:8443' @script:Aws } }
        @{ Name = 'thumbprint of 39 characters'; Id = 'VisionOne.InvalidThumbprint'; Call = { New-V1OidcProvider -V1Region us -Thumbprint ('a' * 39) @script:Aws } }
        @{ Name = 'non-hex thumbprint'; Id = 'VisionOne.InvalidThumbprint'; Call = { Set-V1Thumbprints -OidcProviderArn $script:Good -Thumbprint ('g' * 40) @script:Aws } }
        @{ Name = 'six thumbprints'; Id = 'VisionOne.TooManyThumbprints'; Call = { Set-V1Thumbprints -OidcProviderArn $script:Good -Thumbprint (1..6 | ForEach-Object { "$_" * 40 }) @script:Aws } }
        @{ Name = 'bad account id in a provider ARN'; Id = 'VisionOne.InvalidOidcProviderArn'; Call = { Set-V1Thumbprints -OidcProviderArn 'arn:aws:iam::12345:oidc-provider/cloudaccounts-us.xdr.trendmicro.com' @script:Aws } }
        @{ Name = 'provider ARN of another account'; Id = 'VisionOne.AccountMismatch'; Call = { Set-V1Thumbprints -OidcProviderArn 'arn:aws:iam::999999999999:oidc-provider/cloudaccounts-us.xdr.trendmicro.com' @script:Aws } }
        @{ Name = 'provider that does not exist'; Id = 'VisionOne.OidcProviderNotFound'; Call = { Set-V1Thumbprints -OidcProviderArn $script:Good @script:Aws } }
        @{ Name = 'oversized policy'; Id = 'VisionOne.PolicyTooLarge'; Call = { New-V1Policies -TemplatePath $script:Big -AllowPolicyChanges @script:Aws } }
        @{ Name = 'template missing a policy resource'; Id = 'VisionOne.TemplateResourceMissing'; Call = { New-V1Policies -TemplatePath $script:Partial @script:Aws } }
        @{ Name = 'malformed template'; Id = 'VisionOne.TemplateMalformed'; Call = { New-V1Policies -TemplatePath $script:Malformed @script:Aws } }
        @{ Name = 'template file that does not exist'; Id = 'VisionOne.TemplateNotFound'; Call = { New-V1Policies -TemplatePath (Join-Path $TestDrive 'nope.yaml') @script:Aws } }
        @{ Name = 'role name with a space'; Id = 'VisionOne.InvalidRoleName'; Call = { New-V1Role -RoleName 'Vision One' -BusinessId 1 -OidcProviderArn $script:Good -PolicyArn "arn:aws:iam::$($script:EmuAccount):policy/X" @script:Aws } }
        @{ Name = 'business id with a colon'; Id = 'VisionOne.InvalidBusinessId'; Call = { New-V1Role -BusinessId 'a:b' -OidcProviderArn $script:Good -PolicyArn "arn:aws:iam::$($script:EmuAccount):policy/X" @script:Aws } }
        @{ Name = 'bad deployment region'; Id = 'VisionOne.InvalidAwsRegion'; Call = { New-V1Role -BusinessId 1 -AwsDeploymentRegion 'Mars' -OidcProviderArn $script:Good -PolicyArn "arn:aws:iam::$($script:EmuAccount):policy/X" @script:Aws } }
        @{ Name = 'role without policies'; Id = 'VisionOne.PolicyArnsMissing'; Call = { New-V1Role -BusinessId 1 -OidcProviderArn $script:Good @script:Aws } }
        @{ Name = 'http endpoint on a public host'; Id = 'VisionOne.InsecureEndpoint'; Call = { New-V1OidcProvider -V1Region us -AccessKey $script:EmuAccessKey -SecretKey $script:EmuSecretKey -EndpointUrl 'http://iam.example.com' } }
        @{ Name = 'access key without secret key'; Id = 'VisionOne.AwsKeyPairIncomplete'; Call = { New-V1OidcProvider -V1Region us -AccessKey $script:EmuAccessKey -EndpointUrl $script:Emulator.Url } }
        @{ Name = 'wrong secret key'; Id = 'VisionOne.Aws.SignatureDoesNotMatch'; Call = { New-V1OidcProvider -V1Region us -AccessKey $script:EmuAccessKey -SecretKey 'wrongSecretKey000000000000000000000000000' -EndpointUrl $script:Emulator.Url } }
        @{ Name = 'unknown profile'; Id = 'VisionOne.AwsProfileNotFound'; Call = { New-V1OidcProvider -V1Region us -ProfileName nosuchprofile -ProfileLocation (Join-Path $script:EmptyAws 'credentials') -EndpointUrl $script:Emulator.Url } }
        @{ Name = 'missing credentials'; Id = 'VisionOne.AwsCredentialsNotFound'; Call = {
                $saved = Save-Environment 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'
                try {
                    Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY, Env:AWS_SESSION_TOKEN, Env:AWS_PROFILE -ErrorAction SilentlyContinue
                    $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $script:EmptyAws 'credentials'
                    $env:AWS_CONFIG_FILE = Join-Path $script:EmptyAws 'config'
                    New-V1OidcProvider -V1Region us -EndpointUrl $script:Emulator.Url
                }
                finally { Restore-Environment $saved }
            } }
    ) {
        param($Name, $Id, $Call)
        $before = Get-EmulatorState
        $err = $null
        $ErrorActionPreference = 'Stop'
        try { & $Call | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty -Because 'bad input must fail'
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.Exception.Message | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -Not -Match 'emulatorSecretKey|wrongSecretKey'
        Get-EmulatorState | Should -Be $before
        Get-MutatingIamCalls | Should -BeNullOrEmpty
    }
}
