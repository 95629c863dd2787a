# Shared by every *.Tests.ps1: import the built module as a user would, and drive the bundled emulator.
# build.ps1 sets VISIONONE_TEST_MODULE and VISIONONE_TEST_EMULATOR; run `dotnet pwsh ./build.ps1 Test`.

$script:ModulePath = $env:VISIONONE_TEST_MODULE
$script:EmulatorPath = $env:VISIONONE_TEST_EMULATOR
if (-not $script:ModulePath -or -not (Test-Path $script:ModulePath)) { throw 'VISIONONE_TEST_MODULE does not name the built module manifest; run the tests through build.ps1.' }
if (-not $script:EmulatorPath -or -not (Test-Path $script:EmulatorPath)) { throw 'VISIONONE_TEST_EMULATOR does not name the built emulator; run the tests through build.ps1.' }

# The emulator's seeded account and its credentials (documented, not secrets).
$script:EmuAccount = '123456789012'
$script:EmuAccessKey = 'EMULATORAKID00000001'
$script:EmuSecretKey = 'emulatorSecretKey0000000000000000000000001'

. (Join-Path $PSScriptRoot '../EmulatorProcess.ps1')
function Start-TestEmulator { Start-EmulatorProcess $script:EmulatorPath }
function Stop-TestEmulator($Emulator) { Stop-EmulatorProcess $Emulator }

function Invoke-Emulator([string] $Method, [string] $Path, $Body) {
    $params = @{ Method = $Method; Uri = "$($script:Emulator.Url)$Path" }
    if ($null -ne $Body) { $params.Body = ($Body | ConvertTo-Json -Depth 10); $params.ContentType = 'application/json' }
    Invoke-RestMethod @params
}

function Reset-Emulator { Invoke-Emulator POST '/_emulator/reset' | Out-Null }
function Get-EmulatorCalls { Invoke-Emulator GET '/_emulator/calls' | ForEach-Object { $_ } }   # unroll the JSON array
function Clear-EmulatorCalls { Invoke-Emulator DELETE '/_emulator/calls' | Out-Null }
function Get-EmulatorState([string] $Account = $script:EmuAccount) { Invoke-Emulator GET "/_emulator/state?account=$Account" | ConvertTo-Json -Depth 20 }

# Saves and restores environment variables; a variable that was absent is removed again (PowerShell would
# otherwise pass $null to SetEnvironmentVariable as an empty string, which still counts as set).
function Save-Environment([string[]] $Names) {
    $saved = @{}; foreach ($n in $Names) { $saved[$n] = [Environment]::GetEnvironmentVariable($n) }; $saved
}
function Restore-Environment([hashtable] $Saved) {
    foreach ($n in $Saved.Keys) {
        if ($null -eq $Saved[$n]) { Remove-Item "Env:$n" -ErrorAction SilentlyContinue } else { Set-Item "Env:$n" $Saved[$n] }
    }
}

# A real client nobody here wrote, for setting up awkward starting states. Its credentials go to the
# child process only, so the module under test never sees them in its environment.
function Invoke-AwsCli {
    $saved = Save-Environment 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION'
    $env:AWS_ACCESS_KEY_ID = $script:EmuAccessKey
    $env:AWS_SECRET_ACCESS_KEY = $script:EmuSecretKey
    $env:AWS_DEFAULT_REGION = 'us-east-1'
    try { $out = & aws --endpoint-url $script:Emulator.Url --output json @args 2>&1 }
    finally { Restore-Environment $saved }
    if ($LASTEXITCODE -ne 0) { throw "aws $args failed: $out" }
    if ($out) { $out | ConvertFrom-Json }
}

# The AWS parameters every cmdlet takes, pointed at the emulator.
function Get-AwsTestParams {
    @{ AccessKey = $script:EmuAccessKey; SecretKey = $script:EmuSecretKey; EndpointUrl = $script:Emulator.Url }
}

# The emulator tenant's API key (documented, not a secret): us, business id 1234567890.
$script:EmuApiKeyText = 'emulator-visionone-api-key'

# The Vision One parameters, pointed at the emulator; -WithRegion names the tenant's region as well.
function Get-V1TestParams([switch] $WithRegion) {
    $parameters = @{ ApiKey = (ConvertTo-SecureString $script:EmuApiKeyText -AsPlainText -Force); ApiBaseUrl = $script:Emulator.Url }
    if ($WithRegion) { $parameters.V1Region = 'us' }
    $parameters
}

# No test reaches for EC2 instance metadata: a credential chain that found nothing must say so at once.
$env:AWS_EC2_METADATA_DISABLED = 'true'

Import-Module $script:ModulePath -Force
