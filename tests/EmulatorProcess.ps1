# Starting and stopping the bundled emulator as a process: shared by the Pester suite, the demo and the benchmarks.

function Start-EmulatorProcess([Parameter(Mandatory)] [string] $EmulatorPath) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $psi.ArgumentList.Add($EmulatorPath)
    $psi.ArgumentList.Add('--port'); $psi.ArgumentList.Add('0')   # a free port; the first line names it
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $line = $process.StandardOutput.ReadLine()
    if ($line -notmatch 'listening on (\S+)') {
        $err = $process.StandardError.ReadToEnd()
        throw "The emulator did not start: $line $err"
    }
    [pscustomobject]@{ Process = $process; Url = $Matches[1].TrimEnd('/') }
}

function Stop-EmulatorProcess($Emulator) {
    if ($Emulator -and -not $Emulator.Process.HasExited) { $Emulator.Process.Kill($true); $null = $Emulator.Process.WaitForExit(5000) }
}
