# The one check of what the module ships (used by the Build task and by the Pester suite): the DLLs of a laid-out
# module folder against the allow-list in build.layout.psd1 and the module's dependency closure (its deps.json).

function Get-DependencyClosure([Parameter(Mandatory)] [string] $DepsJsonPath) {
    # Every runtime assembly the compiled module needs: one entry per package under the single target.
    $deps = Get-Content $DepsJsonPath -Raw | ConvertFrom-Json -AsHashtable
    foreach ($target in $deps.targets.Values) {
        foreach ($library in $target.Values) {
            if ($library.ContainsKey('runtime')) {
                foreach ($path in $library.runtime.Keys) { Split-Path $path -Leaf }
            }
        }
    }
}

function Get-ModuleLayoutProblem {
    <#
    .SYNOPSIS
        One line per problem, naming the DLL: unexpected (shipped, not on the allow-list), missing (on the list or
        needed by the module, not shipped), or needed but not allowed. No output: the layout is right.
    #>
    param(
        [Parameter(Mandatory)] [string] $ModuleDirectory,
        [Parameter(Mandatory)] [hashtable] $Layout,
        [string] $DepsJsonPath
    )
    $binDirectory = Join-Path $ModuleDirectory 'bin'
    $shippedBin = @(Get-ChildItem $binDirectory -Filter *.dll -File -ErrorAction SilentlyContinue | ForEach-Object Name)
    $shippedRoot = @(Get-ChildItem $ModuleDirectory -Filter *.dll -File | ForEach-Object Name)

    foreach ($name in $shippedBin) {
        if ($name -notin $Layout.Bin) { "unexpected DLL bin/${name}: it is not on the allow-list (build.layout.psd1)" }
    }
    foreach ($name in $shippedRoot) {
        if ($name -notin $Layout.Root) { "unexpected DLL ${name}: it is not on the allow-list (build.layout.psd1)" }
    }
    foreach ($name in $Layout.Root) {
        if ($name -notin $shippedRoot) { "missing DLL ${name}: on the allow-list but not shipped" }
    }
    if ($DepsJsonPath) {
        foreach ($name in Get-DependencyClosure $DepsJsonPath | Sort-Object -Unique) {
            if ($name -in $Layout.HostProvided) { continue }
            if ($name -notin $Layout.Bin) { "needed DLL ${name}: the module depends on it but it is not on the allow-list (build.layout.psd1)" }
            elseif ($name -notin $shippedBin) { "missing DLL bin/${name}: the module depends on it but it is not shipped" }
        }
    }
}
