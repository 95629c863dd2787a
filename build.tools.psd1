# The versions of the PowerShell build tools build.ps1 saves into ./.tools (PowerShell itself is pinned in
# .config/dotnet-tools.json, the .NET packages in Directory.Packages.props).
@{
    Pester      = '5.7.1'
    InvokeBuild = '5.14.23'
}
