# Runs the Pester suite in this (child) pwsh and writes a small JSON summary for build.ps1 to total.
param(
    [Parameter(Mandatory)] [string] $PesterModule,
    # One path, or several joined by the platform's path separator (a -File argument is a single string).
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string] $Output = 'Normal'
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterModule -Force
$config = New-PesterConfiguration
$config.Run.Path = @($Path.Split([IO.Path]::PathSeparator, [StringSplitOptions]::RemoveEmptyEntries))
$config.Run.PassThru = $true
$config.Output.Verbosity = $Output
$result = Invoke-Pester -Configuration $config
# A skipped test is never silent: each one on its own line (e.g. the terraform round trip where terraform is missing).
foreach ($test in $result.Skipped) { Write-Host "skipped: $($test.ExpandedPath)" }
[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount
} | ConvertTo-Json | Set-Content -Path $SummaryPath
if ($result.FailedCount -gt 0 -or $result.FailedBlocksCount -gt 0 -or $result.FailedContainersCount -gt 0) { exit 1 }
exit 0
