#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The hand-off to the team that owns IAM: Export-V1AwsOnboardingPlan without credentials, the AWS CLI script run by
# the real `aws` against a fresh emulator account, the Terraform applied by the real `terraform` and hashicorp/aws
# provider (skipped, and said so, where this machine has neither), hostile names through every format, and the
# onboarding finished from the Vision One side.

BeforeDiscovery {
    # terraform on PATH and the hashicorp/aws provider as a local plugin mirror (this machine image ships both; the
    # folder that holds registry.terraform.io is what `terraform init -plugin-dir` takes).
    $script:TerraformExe = (Get-Command terraform -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    $script:TerraformMirror = $null
    if ($script:TerraformExe) {
        $provider = & find / -path /proc -prune -o -path '*registry.terraform.io/hashicorp/aws*' -name 'terraform-provider-aws*' -print 2>$null | Select-Object -First 1
        if ($provider) { $script:TerraformMirror = $provider.Substring(0, $provider.IndexOf('/registry.terraform.io/')) }
    }

    # Names a member account's owner could give (Organizations allows up to 128 characters of any text): quotes of
    # every kind, subexpressions, template sequences, backtick runs, option-like words, and 128 random characters.
    $pool = @("'", [char]0x2018, [char]0x2019, [char]0x201A, [char]0x201B, '"', [char]0x201C, [char]0x201D, '`', '$', '(', ')', '{', '}', '%',
        '@', '#', '|', '&', ';', '<', '>', '\', '*', '?', '~', '!', '[', ']', ' ', '-', 'é', 'ß', '中', 'ش', 'Ω', 'a', 'Z', '0')
    $random = [System.Random]::new(16)
    $script:HostileNames = @(
        "Prod'; Remove-Item -Recurse -Force ~ #"
        "Prod$([char]0x2018); Remove-Item -Recurse -Force ~ #"
        "a$([char]0x2019)b$([char]0x201A)c$([char]0x201B)d'e$([char]0x2018)"
        '$(Remove-Item ~) ${env:HOME} %{ for x in y }x%{ endfor } ${y} `$z @(1)'
        'code ``` fence ```` and `span` EOT'
        '-Name x --help "double" \back\ \\'
        '`starts and ends with a backtick`'
        ' padded '
        (-join (1..128 | ForEach-Object { $pool[$random.Next($pool.Count)] }))
        (-join (1..128 | ForEach-Object { $pool[$random.Next($pool.Count)] }))
    ) | ForEach-Object { @{ Value = $_ } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Emulator = Start-TestEmulator
    $script:V1 = Get-V1TestParams -WithRegion
    $script:BusinessId = '1234567890'

    # A fresh emulator account and an AWS CLI configuration for it (the one the cloud team's script uses).
    function New-HandOffAccount([string] $AccountId) {
        $keys = Invoke-Emulator POST '/_emulator/accounts' @{ accountId = $AccountId }
        $file = Join-Path $TestDrive "credentials-$AccountId"
        "[cloud-team]`naws_access_key_id = $($keys.accessKeyId)`naws_secret_access_key = $($keys.secretAccessKey)`n" | Set-Content $file
        [pscustomobject]@{ AccountId = $AccountId; CredentialsFile = $file; Aws = @{ ProfileName = 'cloud-team'; ProfileLocation = $file; EndpointUrl = $script:Emulator.Url } }
    }

    # Runs the exported script with bash and the real AWS CLI, as the cloud team would, against the emulator.
    function Invoke-HandOffScript([string] $Folder, $Account) {
        $saved = Save-Environment 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'
        try {
            Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY -ErrorAction SilentlyContinue
            $env:AWS_SHARED_CREDENTIALS_FILE = $Account.CredentialsFile
            $env:AWS_PROFILE = 'cloud-team'
            $env:AWS_DEFAULT_REGION = 'us-east-1'
            $output = & bash (Join-Path $Folder 'onboard.sh') --endpoint-url $script:Emulator.Url 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
        }
        finally { Restore-Environment $saved }
    }

    # Exports the AWS CLI hand-off of -PlanAccountId (default: the account's own) and runs it with the account's configuration.
    function Invoke-ExportedScript($Account, [string] $PlanAccountId) {
        if (-not $PlanAccountId) { $PlanAccountId = $Account.AccountId }
        $folder = Join-Path $TestDrive "cli-$($Account.AccountId)"
        $null = Export-V1AwsOnboardingPlan -AccountId $PlanAccountId -BusinessId $script:BusinessId -V1Region us -Format AwsCli -Path $folder
        Invoke-HandOffScript $folder $Account
    }

    $script:TerraformExe = (Get-Command terraform -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source

    # The exported PowerShell must be exactly one Connect-V1AwsAccount command whose -RoleArn and -Name are single
    # literals, the name equal to the input: read by PowerShell's own parser, as a reviewer's paste would be.
    function Assert-ConnectCommand([string] $Code, [string] $RoleArn, [string] $Name) {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $errors)
        $errors | Should -BeNullOrEmpty -Because $Code
        $ast.EndBlock.Statements | Should -HaveCount 1 -Because $Code
        $commands = @($ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true))
        $commands | Should -HaveCount 1 -Because $Code
        $elements = $commands[0].CommandElements
        $elements | Should -HaveCount 5 -Because $Code
        $elements[0].Value | Should -BeExactly 'Connect-V1AwsAccount'
        $elements[1].ParameterName | Should -BeExactly 'RoleArn'
        $elements[2] | Should -BeOfType [System.Management.Automation.Language.StringConstantExpressionAst]
        $elements[2].Value | Should -BeExactly $RoleArn
        $elements[3].ParameterName | Should -BeExactly 'Name'
        $elements[4] | Should -BeOfType [System.Management.Automation.Language.StringConstantExpressionAst]
        $elements[4].StringConstantType | Should -Be 'SingleQuoted'
        $elements[4].Value | Should -BeExactly $Name
    }

    # The body of the fenced block of this info string, with the fence that opened it (CommonMark: closed by a run at least as long).
    function Get-MarkdownFence([string] $Markdown, [string] $Info) {
        $match = [regex]::Match($Markdown, "(?m)^(``{3,})$Info\n([\s\S]*?)\n\1``*\n")
        $match.Success | Should -BeTrue -Because "the change request has a $Info block"
        $match.Groups[2].Value
    }

    # A terraform child process with its own CLI configuration and no prompt.
    function Invoke-Terraform([string] $Folder) {
        $saved = Save-Environment 'TF_CLI_CONFIG_FILE', 'TF_IN_AUTOMATION', 'TF_INPUT', 'CHECKPOINT_DISABLE'
        try {
            $env:TF_CLI_CONFIG_FILE = Join-Path $TestDrive 'terraformrc'
            if (-not (Test-Path $env:TF_CLI_CONFIG_FILE)) { Set-Content $env:TF_CLI_CONFIG_FILE '' }
            $env:TF_IN_AUTOMATION = '1'; $env:TF_INPUT = '0'; $env:CHECKPOINT_DISABLE = '1'
            $output = & $script:TerraformExe "-chdir=$Folder" @args -no-color 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
        }
        finally { Restore-Environment $saved }
    }

    function Get-IamMutations([string] $AccountId) {
        @(Get-EmulatorCalls | Where-Object { $_.service -eq 'iam' -and $_.mutating -and $_.success -and $_.account -eq $AccountId })
    }
}

AfterAll { Stop-TestEmulator $script:Emulator }

Describe 'Export-V1AwsOnboardingPlan' {
    It 'needs no AWS credentials and calls nothing' {
        $saved = Save-Environment 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'VISIONONE_API_KEY'
        try {
            Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY, Env:AWS_PROFILE, Env:VISIONONE_API_KEY -ErrorAction SilentlyContinue
            $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $TestDrive 'no-such-credentials'
            $env:AWS_CONFIG_FILE = Join-Path $TestDrive 'no-such-config'
            Clear-EmulatorCalls
            foreach ($format in 'Json', 'AwsCli', 'Terraform', 'Markdown') {
                $files = Export-V1AwsOnboardingPlan -AccountId 111122223333 -BusinessId $script:BusinessId -V1Region us -Format $format -Path (Join-Path $TestDrive $format) -ErrorAction Stop
                $files | Should -Not -BeNullOrEmpty
                $files | ForEach-Object { $_ | Should -BeOfType [System.IO.FileInfo] }
            }
        }
        finally { Restore-Environment $saved }
        @(Get-EmulatorCalls) | Should -HaveCount 0
        (Get-ChildItem (Join-Path $TestDrive 'AwsCli')).Name | Sort-Object |
            Should -Be @('onboard.sh', 'VisionOnePolicyPart1.json', 'VisionOnePolicyPart2.json', 'VisionOnePolicyPart3.json', 'VisionOneRole.trust-policy.json')
        Join-Path $TestDrive 'Terraform/visionone-onboarding.tf' | Should -FileContentMatch 'resource "aws_iam_openid_connect_provider"'
        Join-Path $TestDrive 'Markdown/change-request.md' | Should -FileContentMatch 'Change request: connect AWS account 111122223333'
    }

    It 'writes the text to the pipeline without -Path; the Json plan reads back with the same documents' {
        $json = Export-V1AwsOnboardingPlan -AccountId 111122223333 -BusinessId $script:BusinessId -V1Region us -Format Json
        $json | Should -BeOfType [string]
        $plan = $json | ConvertFrom-Json
        $plan.accountId | Should -Be '111122223333'
        $plan.role.arn | Should -Be 'arn:aws:iam::111122223333:role/VisionOneRole'
        $plan.oidcProvider.thumbprints | Should -HaveCount 4
        $plan.role.trustPolicy.Statement[0].Principal.Federated | Should -Be $plan.oidcProvider.arn
        ($plan | ConvertTo-Json -Depth 30 | ConvertFrom-Json | ConvertTo-Json -Depth 30) | Should -Be ($plan | ConvertTo-Json -Depth 30)

        $cli = Export-V1AwsOnboardingPlan -AccountId 111122223333 -BusinessId $script:BusinessId -V1Region us -Format AwsCli
        $cli.Name | Should -Contain 'onboard.sh'
        ($cli | Where-Object Name -eq 'VisionOneRole.trust-policy.json').Content | ConvertFrom-Json |
            ForEach-Object { $_.Statement[0].Principal.Federated } | Should -Be $plan.oidcProvider.arn
    }

    It 'refuses bad input with a catchable error and writes nothing' {
        $folder = Join-Path $TestDrive 'bad'
        { Export-V1AwsOnboardingPlan -AccountId 12345 -BusinessId $script:BusinessId -V1Region us -Format Json -Path $folder -ErrorAction Stop } |
            Should -Throw -ErrorId 'VisionOne.InvalidAccountId*'
        $folder | Should -Not -Exist
    }

    It 'with -WhatIf writes no file' {
        $folder = Join-Path $TestDrive 'whatif'
        Export-V1AwsOnboardingPlan -AccountId 111122223333 -BusinessId $script:BusinessId -V1Region us -Format Markdown -Path $folder -WhatIf
        $folder | Should -Not -Exist
    }
}

Describe 'The hand-off applied by the cloud team' {
    It 'the AWS CLI script makes a fresh account compliant once Connect-V1AwsAccount -RoleArn has run' {
        $account = New-HandOffAccount '222233334444'
        $aws = $account.Aws
        $run = Invoke-ExportedScript $account
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'arn:aws:iam::222233334444:role/VisionOneRole'

        $connected = Connect-V1AwsAccount -RoleArn 'arn:aws:iam::222233334444:role/VisionOneRole' -Name 'Handed off' -VerifyTimeoutSeconds 5 @script:V1
        $connected.CloudAccountState | Should -Be 'managed'
        $checks = Test-V1AwsOnboarding -BusinessId $script:BusinessId @aws @script:V1
        @($checks | Where-Object { $_ -is [VisionOneOnboarding.OnboardingCheck] -and $_.Status -ne 'Ok' } | ForEach-Object { "$($_.Step) $($_.Item) $($_.Status)" }) | Should -BeNullOrEmpty
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @aws @script:V1 | Should -BeTrue
    }

    It 'after the script, Invoke-V1AwsOnboarding connects the account and makes no IAM change' {
        $account = New-HandOffAccount '333344445555'
        $aws = $account.Aws
        $run = Invoke-ExportedScript $account
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $iamBefore = (Get-IamMutations $account.AccountId).Count
        $iamBefore | Should -Be 8   # provider, three policies, role, three attachments

        $state = Invoke-V1AwsOnboarding -Name 'Invoked after hand-off' -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 @aws @script:V1
        $state.CloudAccountState | Should -Be 'managed'
        (Get-IamMutations $account.AccountId).Count | Should -Be $iamBefore
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @aws @script:V1 | Should -BeTrue
    }

    It 'the script refuses credentials of another account and changes nothing' {
        $account = New-HandOffAccount '444455556666'
        $run = Invoke-ExportedScript $account -PlanAccountId 555566667777
        $run.ExitCode | Should -Not -Be 0
        $run.Output | Should -Match 'not 555566667777: nothing was changed'
        Get-IamMutations $account.AccountId | Should -BeNullOrEmpty
    }
}

Describe 'Hostile names through every export format' {
    It 'the name <Value> stays one literal in the Markdown, the script, the Terraform and the Json' -ForEach $script:HostileNames {
        $name = $Value
        $arn = 'arn:aws:iam::111122223333:role/VisionOneRole'
        $common = @{ AccountId = '111122223333'; BusinessId = $script:BusinessId; V1Region = 'us'; Name = $name; ErrorAction = 'Stop' }

        # Markdown: the PowerShell a reviewer pastes is exactly the one command; the request shows the name as sent.
        $markdown = Export-V1AwsOnboardingPlan @common -Format Markdown
        Assert-ConnectCommand (Get-MarkdownFence $markdown 'powershell') $arn $name
        ((Get-MarkdownFence $markdown 'http') -split "`n", 3)[2] | ConvertFrom-Json | ForEach-Object name | Should -BeExactly $name

        # AwsCli: bash accepts the script; its closing message, run by bash, is the same command; and the words it
        # quotes survive the AWS CLI's own argument parsing unchanged (aws configure set/get round trip).
        $folder = Join-Path $TestDrive ("cli-fuzz-" + [guid]::NewGuid())
        $null = Export-V1AwsOnboardingPlan @common -Format AwsCli -Path $folder
        $script = Join-Path $folder 'onboard.sh'
        & bash -n $script 2>&1 | Should -BeNullOrEmpty
        $LASTEXITCODE | Should -Be 0
        $closing = (Get-Content $script)[-1]
        $closing | Should -Match '^echo '
        $printed = & bash -c $closing
        Assert-ConnectCommand ($printed -join "`n") $arn $name
        $saved = Save-Environment 'AWS_CONFIG_FILE'
        try {
            $env:AWS_CONFIG_FILE = Join-Path $folder 'aws-config'
            & bash -c ('aws configure set profile.fuzz.connect ' + $closing.Substring(5))
            $LASTEXITCODE | Should -Be 0
            $read = & aws configure get profile.fuzz.connect
            Assert-ConnectCommand ($read -join "`n") $arn $name
        }
        finally { Restore-Environment $saved }

        # Json: the name is the data the call sends.
        (Export-V1AwsOnboardingPlan @common -Format Json | ConvertFrom-Json).visionOneConnection.body.name | Should -BeExactly $name

        # Terraform: the connection command is one HCL string (terraform itself reads it, in the test below).
        Export-V1AwsOnboardingPlan @common -Format Terraform | Should -Match '(?m)^output "visionone_connect_command" \{\n  value = ".*"\n\}'
    }

    It 'terraform reads every name back verbatim from the exported HCL' -Skip:(-not $script:TerraformExe) -ForEach @(@{ Names = @($script:HostileNames.Value) }) {
        # One configuration holding every name's output block, applied once (no provider needed for outputs).
        $arn = 'arn:aws:iam::111122223333:role/VisionOneRole'
        $tf = Join-Path $TestDrive 'tf-fuzz'
        $null = New-Item -ItemType Directory $tf -Force
        $blocks = for ($i = 0; $i -lt $Names.Count; $i++) {
            $hcl = Export-V1AwsOnboardingPlan -AccountId 111122223333 -BusinessId $script:BusinessId -V1Region us -Name $Names[$i] -Format Terraform
            [regex]::Match($hcl, '(?m)^output "visionone_connect_command" \{\n  value = .*\n\}').Value -replace '"visionone_connect_command"', "`"name_$i`""
        }
        Set-Content (Join-Path $tf 'main.tf') ($blocks -join "`n`n") -Encoding utf8NoBOM
        $apply = Invoke-Terraform $tf apply -auto-approve
        $apply.ExitCode | Should -Be 0 -Because $apply.Output
        $outputs = (Invoke-Terraform $tf output -json).Output | ConvertFrom-Json
        for ($i = 0; $i -lt $Names.Count; $i++) { Assert-ConnectCommand $outputs."name_$i".value $arn $Names[$i] }
    }

    It 'a name with a line break is refused at the door in every format, and no file is written' {
        foreach ($format in 'Json', 'AwsCli', 'Terraform', 'Markdown') {
            $folder = Join-Path $TestDrive "newline-$format"
            { Export-V1AwsOnboardingPlan -AccountId 111122223333 -BusinessId $script:BusinessId -V1Region us -Format $format -Path $folder -Name "Prod`n'; Remove-Item ~ #" -ErrorAction Stop } |
                Should -Throw -ErrorId 'VisionOne.InvalidAccountName*'
            $folder | Should -Not -Exist
        }
    }
}

Describe 'The Terraform hand-off applied with terraform and hashicorp/aws' {
    It 'applies against the emulator, plans no change, connects, survives a module repair and is removed by Remove-V1AwsOnboarding' -Skip:(-not $script:TerraformMirror) -ForEach @(@{ Mirror = $script:TerraformMirror }) {
        $account = New-HandOffAccount '666677778888'
        $aws = $account.Aws
        $keys = (Get-Content $account.CredentialsFile) -match '=' | ForEach-Object { ($_ -split '=', 2)[1].Trim() }
        $folder = Join-Path $TestDrive 'terraform'
        $name = "Prod'; Remove-Item -Recurse -Force ~ # $([char]0x2019)"
        $null = Export-V1AwsOnboardingPlan -AccountId $account.AccountId -BusinessId $script:BusinessId -V1Region us -Format Terraform -Path $folder -Name $name
        @"
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "$($keys[0])"
  secret_key                  = "$($keys[1])"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    iam = "$($script:Emulator.Url)"
    sts = "$($script:Emulator.Url)"
  }
}
"@ | Set-Content (Join-Path $folder 'provider.tf')

        $init = Invoke-Terraform $folder init "-plugin-dir=$Mirror"
        $init.ExitCode | Should -Be 0 -Because $init.Output
        $apply = Invoke-Terraform $folder apply -auto-approve
        Write-Host ($apply.Output -split "`n" | Select-String -Pattern 'Apply complete|Creation complete|visionone_' | Out-String)
        $apply.ExitCode | Should -Be 0 -Because $apply.Output
        $apply.Output | Should -Match 'Apply complete! Resources: 8 added, 0 changed, 0 destroyed'

        # Every object the provider made carries the engine's ownership tag.
        $state = Invoke-Emulator GET "/_emulator/state?account=$($account.AccountId)"
        @($state.providers) + @($state.policies) + @($state.roles) | ForEach-Object { $_.tags.VisionOneCloudFormationStackName } |
            Should -Be (@('Vision-One-Cloud-Account-Management') * 5)

        $plan = Invoke-Terraform $folder plan -detailed-exitcode
        Write-Host ($plan.Output -split "`n" | Select-String -Pattern 'No changes|Plan:' | Out-String)
        $plan.ExitCode | Should -Be 0 -Because $plan.Output

        $connect = ((Invoke-Terraform $folder output -json).Output | ConvertFrom-Json).visionone_connect_command.value
        Assert-ConnectCommand $connect "arn:aws:iam::$($account.AccountId):role/VisionOneRole" $name
        $connected = Connect-V1AwsAccount -RoleArn "arn:aws:iam::$($account.AccountId):role/VisionOneRole" -Name $name -VerifyTimeoutSeconds 5 @script:V1
        $connected.CloudAccountState | Should -Be 'managed'
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @aws @script:V1 | Should -BeTrue

        # Drift repaired by the module (a detached policy) leaves exactly what terraform declares.
        $saved = Save-Environment 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_DEFAULT_REGION'
        try {
            $env:AWS_SHARED_CREDENTIALS_FILE = $account.CredentialsFile; $env:AWS_PROFILE = 'cloud-team'; $env:AWS_DEFAULT_REGION = 'us-east-1'
            & aws --endpoint-url $script:Emulator.Url iam detach-role-policy --role-name VisionOneRole --policy-arn "arn:aws:iam::$($account.AccountId):policy/VisionOnePolicyPart2"
            $LASTEXITCODE | Should -Be 0
        }
        finally { Restore-Environment $saved }
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @aws @script:V1 | Should -BeFalse
        $null = Invoke-V1AwsOnboarding -Name $name -BusinessId $script:BusinessId -VerifyTimeoutSeconds 5 -Confirm:$false @aws @script:V1
        Test-V1AwsOnboarding -BusinessId $script:BusinessId -Quiet @aws @script:V1 | Should -BeTrue
        $replan = Invoke-Terraform $folder plan -detailed-exitcode
        Write-Host ($replan.Output -split "`n" | Select-String -Pattern 'No changes|Plan:' | Out-String)
        $replan.ExitCode | Should -Be 0 -Because $replan.Output

        # What terraform created, the module recognises as its own and removes without -IncludeShared.
        Remove-V1AwsOnboarding -Force @aws @script:V1
        $after = Invoke-Emulator GET "/_emulator/state?account=$($account.AccountId)"
        @($after.providers) + @($after.policies) + @($after.roles) | Where-Object { $_ } | Should -BeNullOrEmpty
    }
}
