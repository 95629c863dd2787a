using System.Management.Automation;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Creates the three Vision One managed policies (VisionOnePolicyPart1, 2 and 3), or brings existing ones up to date.</para>
    /// <para type="description">Step 3 of the procedure. The documents come from the CloudFormation template you downloaded from Vision One (-TemplatePath, JSON or YAML; its resources VisionOnePolicyPart1/2/3), or, with no template, from the three published documents shipped with the module. Every document is checked first (JSON, Version 2012-10-17, at most 6,144 characters without white space), so a bad one changes nothing. A policy that exists with the same document (compared semantically) is adopted; one with a different document gets a new default version, the oldest non-default version being deleted first when IAM's five are used.</para>
    /// </summary>
    /// <example>
    ///   <code>New-V1Policies</code>
    ///   <para>Creates the three policies from the published documents shipped with the module.</para>
    /// </example>
    /// <example>
    ///   <code>New-V1Policies -TemplatePath ./vision-one-template.yaml -WhatIf</code>
    ///   <para>Shows which policies would be created or updated from a downloaded template.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "V1Policies", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = ModuleLinks.ReadmeCmdlets + "new-v1policies")]
    [OutputType(typeof(AwsOnboardingState))]
    // The singular noun, as admins type it (the manifest's AliasesToExport lists it).
    [Alias("New-V1Policy")]
    public sealed class NewV1PoliciesCommand : AwsCmdletBase
    {
        /// <summary>The state from a previous step, or Get-V1AwsTemplate's output (piped); its facts are carried forward.</summary>
        [Parameter(ValueFromPipeline = true)]
        public object? InputObject { get; set; }

        /// <summary>A Vision One CloudFormation template (JSON or YAML) to take the three policy documents from.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Path")]
        public string? TemplatePath { get; set; }

        /// <summary>Accept a template whose policies grant actions the documents Trend publishes do not; without it such a template is refused (VisionOne.TemplatePolicyWidened), since Vision One would get more access than the published procedure gives it. Documents that only drop actions or add Deny statements are applied with a warning.</summary>
        [Parameter]
        public SwitchParameter AllowPolicyChanges { get; set; }

        protected override void ProcessRecord() => Guard(() =>
        {
            var state = ContinueFrom(InputObject);
            string? templateText = null;
            string? templateFile = null;
            if (!string.IsNullOrEmpty(TemplatePath)) templateText = ReadTemplateFile(TemplatePath!, out templateFile);

            if (templateText == null && state.TemplateText != null)
            {
                templateText = state.TemplateText;
                templateFile = state.TemplateUrl ?? "from the pipeline";
            }

            var result = RunEngine(async bridge =>
            {
                var context = await ConnectAwsAsync(bridge, StopToken);
                RequireSameAccount(state, context);
                var scope = ScopeOf(context);
                var documents = templateText != null
                    ? PolicySource.FromTemplate(templateText, templateFile!, scope, context.Region, bridge, AllowPolicyChanges.IsPresent)
                    : PolicySource.Published(bridge);
                var desired = DesiredOnboarding.ForPolicies(context.AccountId, context.Partition, documents, templateText != null ? templateFile! : "published");
                state.FoldIn(await ApplyStepAsync(new AccountOnboarding(scope, null, bridge, bridge), desired));
                return state;
            });
            WriteObject(result);
        });
    }
}
