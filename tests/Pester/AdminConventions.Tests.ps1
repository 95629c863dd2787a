#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What admins expect beyond the basics: singular aliases, -Online help into the README, one name and tab completion
# for every region parameter.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:CmdletCases = @(Get-Command -Module VisionOneOnboarding -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
    # Every (cmdlet, region parameter) pair, dynamic parameters included (TabExpansion2 sees those too).
    $script:RegionCases = @(foreach ($command in Get-Command -Module VisionOneOnboarding -CommandType Cmdlet) {
            $names = @($command.Parameters.Keys) + @('V1Region')
            foreach ($parameter in $names | Sort-Object -Unique | Where-Object { $_ -like '*Region' }) {
                if ($parameter -eq 'V1Region' -and -not $command.Parameters.ContainsKey('V1Region') -and -not $command.ImplementingType.GetInterface('IDynamicParameters')) { continue }
                @{ Name = $command.Name; Parameter = $parameter }
            }
        })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Readme = Get-Content (Join-Path $PSScriptRoot '../../README.md') -Raw
    $script:ProjectUri = (Import-PowerShellDataFile $script:ModulePath).PrivateData.PSData.ProjectUri
}

Describe 'Aliases' {
    It 'offers the singular nouns admins type: <Alias> for <Target>' -TestCases @(
        @{ Alias = 'Set-V1Thumbprint'; Target = 'Set-V1Thumbprints' }
        @{ Alias = 'New-V1Policy'; Target = 'New-V1Policies' }
    ) {
        $resolved = Get-Command $Alias
        $resolved.CommandType | Should -Be 'Alias'
        $resolved.ResolvedCommand.Name | Should -Be $Target
        (Get-Module VisionOneOnboarding).ExportedAliases.Keys | Should -Contain $Alias
        (Import-PowerShellDataFile $script:ModulePath).AliasesToExport | Should -Contain $Alias
    }
}

Describe '<Name> -Online' -ForEach $script:CmdletCases {
    It 'has a HelpUri into the README''s cmdlet table, and the anchor exists' {
        $uri = (Get-Command $Name).HelpUri
        $uri | Should -Be "$($script:ProjectUri)/blob/main/README.md#$($Name.ToLowerInvariant())"
        $script:Readme | Should -Match ([regex]::Escape("<a id=""$($Name.ToLowerInvariant())""></a>"))
    }
}

Describe 'Region parameters' {
    It 'the AWS region of the deployment has one name, -AwsDeploymentRegion (Get-V1AwsTemplate keeps -AwsRegion as an alias)' {
        foreach ($command in Get-Command -Module VisionOneOnboarding -CommandType Cmdlet) {
            $command.Parameters.Keys | Should -Not -Contain 'AwsRegion' -Because $command.Name
        }
        (Get-Command Get-V1AwsTemplate).Parameters['AwsDeploymentRegion'].Aliases | Should -Contain 'AwsRegion'
    }

    It '<Name> -<Parameter> completes with region names' -TestCases $script:RegionCases {
        $line = "$Name -$Parameter "
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $completions | Should -Not -BeNullOrEmpty
        if ($Parameter -eq 'V1Region') { $completions.CompletionText | Should -Contain 'eu' }
        else { $completions.CompletionText | Should -Contain 'eu-central-1' }
    }
}
