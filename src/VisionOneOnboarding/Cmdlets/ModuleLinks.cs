namespace VisionOneOnboarding.Cmdlets;

/// <summary>Where the module's documentation lives online (Get-Help -Online). The manifest's ProjectUri names the same home; a test keeps them in step.</summary>
internal static class ModuleLinks
{
    public const string ProjectUri = "https://github.com/VisionOneOnboarding/VisionOneOnboarding";

    /// <summary>The README's cmdlet table; each cmdlet's row carries an anchor named after it in lower case.</summary>
    public const string ReadmeCmdlets = ProjectUri + "/blob/main/README.md#";
}
