@{
    # No script at import. PowerShell loads nested modules in order, before any RootModule, so the loader comes first:
    # its IModuleAssemblyInitializer makes the assembly 'VisionOneOnboarding' resolvable from bin/net8.0 (into a private
    # AssemblyLoadContext, PowerShell 7) or bin/netstandard2.0 (Windows PowerShell); the cmdlets' nested module, which
    # the build writes, then loads that assembly by name. The cmdlets and aliases below are exported from it.
    NestedModules        = @('VisionOneOnboarding.Loader.dll', 'bin/VisionOneOnboarding.Cmdlets.psd1')
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core', 'Desktop')
    GUID                 = '5b0f3c1e-8a57-4d0e-9c55-7f1f6f2b9e41'
    Author               = 'VisionOneOnboarding contributors'
    CompanyName          = 'VisionOneOnboarding'
    Copyright            = '(c) VisionOneOnboarding contributors. Apache-2.0.'
    Description          = 'Connects AWS accounts to Trend Vision One Cloud Accounts without CloudFormation: OIDC provider, thumbprints, policies, role, connect and verify — idempotent, -WhatIf everywhere, pipeline-friendly.'
    PowerShellVersion    = '5.1'
    FormatsToProcess     = @('VisionOneOnboarding.Format.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'Get-V1AwsTemplate'
        'New-V1OidcProvider'
        'Set-V1Thumbprints'
        'New-V1Policies'
        'New-V1Role'
        'Connect-V1AwsAccount'
        'Get-V1AwsAccount'
        'Disconnect-V1AwsAccount'
        'Invoke-V1AwsOnboarding'
        'Test-V1AwsOnboarding'
        'Export-V1AwsOnboardingPlan'
        'Remove-V1AwsOnboarding'
        'Get-V1AwsOperatorPolicy'
        'Set-V1Credential'
        'Clear-V1Credential'
    )
    VariablesToExport    = @()
    AliasesToExport      = @('Set-V1Thumbprint', 'New-V1Policy')
    PrivateData          = @{
        PSData = @{
            Tags         = @('TrendMicro', 'VisionOne', 'AWS', 'IAM', 'OIDC', 'CloudAccounts', 'Onboarding', 'PSEdition_Core', 'PSEdition_Desktop', 'Linux', 'Windows', 'MacOS')
            # The project's home; the cmdlets' HelpUri point into its README (a test keeps the two in step).
            ProjectUri   = 'https://github.com/VisionOneOnboarding/VisionOneOnboarding'
            LicenseUri   = 'https://github.com/VisionOneOnboarding/VisionOneOnboarding/blob/main/LICENSE'
            ReleaseNotes = 'See CHANGELOG.md in the package, or https://github.com/VisionOneOnboarding/VisionOneOnboarding/blob/main/CHANGELOG.md'
        }
    }
}
