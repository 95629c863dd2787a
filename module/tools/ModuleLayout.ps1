# The one check of what the module ships (used by the Build task and by the Pester suite): the DLLs of a laid-out
# module folder against the allow-list in build.layout.psd1 and each build's dependency closure (its deps.json).

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
    .PARAMETER DepsJsonPath
        Per build folder (net8.0, netstandard2.0): the deps.json of that build, whose closure must ship in it.
    #>
    param(
        [Parameter(Mandatory)] [string] $ModuleDirectory,
        [Parameter(Mandatory)] [hashtable] $Layout,
        [hashtable] $DepsJsonPath = @{}
    )
    $shippedRoot = @(Get-ChildItem $ModuleDirectory -Filter *.dll -File | ForEach-Object Name)
    foreach ($name in $shippedRoot) {
        if ($name -notin $Layout.Root) { "unexpected DLL ${name}: it is not on the allow-list (build.layout.psd1)" }
    }
    foreach ($name in $Layout.Root) {
        if ($name -notin $shippedRoot) { "missing DLL ${name}: on the allow-list but not shipped" }
    }
    # bin/ itself holds no DLL; each build has its folder.
    foreach ($name in @(Get-ChildItem (Join-Path $ModuleDirectory 'bin') -Filter *.dll -File -ErrorAction SilentlyContinue | ForEach-Object Name)) {
        "unexpected DLL bin/${name}: it is not on the allow-list (build.layout.psd1)"
    }
    foreach ($framework in $Layout.Bin.Keys | Sort-Object) {
        $allowed = $Layout.Bin[$framework]
        $folder = "bin/$framework"
        $shipped = @(Get-ChildItem (Join-Path $ModuleDirectory $folder) -Filter *.dll -File -ErrorAction SilentlyContinue | ForEach-Object Name)
        foreach ($name in $shipped) {
            if ($name -notin $allowed) { "unexpected DLL $folder/${name}: it is not on the allow-list (build.layout.psd1)" }
        }
        if ($DepsJsonPath.ContainsKey($framework)) {
            foreach ($name in Get-DependencyClosure $DepsJsonPath[$framework] | Sort-Object -Unique) {
                if ($name -in $Layout.HostProvided) { continue }
                if ($name -notin $allowed) { "needed DLL $folder/${name}: the module depends on it but it is not on the allow-list (build.layout.psd1)" }
                elseif ($name -notin $shipped) { "missing DLL $folder/${name}: the module depends on it but it is not shipped" }
            }
        }
    }
    foreach ($folder in @(Get-ChildItem (Join-Path $ModuleDirectory 'bin') -Directory -ErrorAction SilentlyContinue | Where-Object { Get-ChildItem $_.FullName -Filter *.dll -File })) {
        if ($folder.Name -notin $Layout.Bin.Keys) { "unexpected folder bin/$($folder.Name): it is not a build on the allow-list (build.layout.psd1)" }
    }
}
