using System.IO;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using VisionOneOnboarding.HandOff;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding.Cmdlets;

/// <summary>
/// <para type="synopsis">Writes, without any AWS credentials, exactly what the onboarding would create in an AWS account — for the team that owns IAM to review and apply.</para>
/// <para type="description">Computes the OIDC provider (URL, audience, thumbprints), the three policy documents, the role's trust policy, its tags and attachments from the same desired state Invoke-V1AwsOnboarding applies, and writes them as -Format Json (the plan objects, round-trippable), AwsCli (a bash script of aws iam calls, onboard.sh, with the documents beside it; it checks that the credentials act in the named account and passes its arguments to every aws call), Terraform (hashicorp/aws resources aws_iam_openid_connect_provider, aws_iam_policy, aws_iam_role and aws_iam_role_policy_attachment, with the terraform import lines for an account that already has them) or Markdown (a change request: every object and document, why each is needed, and the single Vision One call that follows). No AWS and no Vision One call is made: the policies come from -TemplatePath, else from the documents Trend Micro publishes (shipped with the module). With -Path the files go into that folder (created if absent) and their FileInfo objects are written; without it the text goes to the pipeline (for AwsCli, one object per file with Name and Content). Every object carries the procedure's ownership tags, so Remove-V1AwsOnboarding recognises what the hand-off created; every value is quoted for the language it is written in, so a hostile -Name stays one literal. After the IAM team applied it, Connect-V1AwsAccount -RoleArn finishes the onboarding (or Invoke-V1AwsOnboarding, which then makes no IAM change).</para>
/// </summary>
/// <example>
///   <code>Export-V1AwsOnboardingPlan -AccountId 123456789012 -BusinessId 1234567890 -V1Region us -Format Markdown -Path ./change-request</code>
///   <para>Writes change-request/change-request.md for the IAM team's review.</para>
/// </example>
/// <example>
///   <code>Export-V1AwsOnboardingPlan -AccountId 123456789012 -BusinessId 1234567890 -V1Region us -Format AwsCli -Path ./iam; bash ./iam/onboard.sh --profile payments-prod</code>
///   <para>Writes the AWS CLI script and its documents; the cloud team runs it with its own profile.</para>
/// </example>
/// <example>
///   <code>Export-V1AwsOnboardingPlan -AccountId 123456789012 -BusinessId 1234567890 -V1Region eu -AwsDeploymentRegion eu-central-1 -TemplatePath ./template.yaml -Format Terraform -Path ./tf</code>
///   <para>Terraform from a template downloaded from the console, for the eu region.</para>
/// </example>
[Cmdlet(VerbsData.Export, "V1AwsOnboardingPlan", SupportsShouldProcess = true, HelpUri = ModuleLinks.ReadmeCmdlets + "export-v1awsonboardingplan")]
[OutputType(typeof(string), typeof(HandOffFile), typeof(FileInfo))]
public sealed class ExportV1AwsOnboardingPlanCommand : V1CmdletBase
{
    /// <summary>The 12-digit id of the AWS account the plan is for.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public string AccountId { get; set; } = "";

    /// <summary>Your Vision One business id (the role's trust policy names it).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("VisionOneAccountID")]
    public string BusinessId { get; set; } = "";

    /// <summary>Your Vision One region (us, eu, jp, sg, au, in, mea, uk, ca, za, id, br, usgov): it decides the provider's URL and the API the connection call goes to.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(V1RegionCompleter))]
    public string V1Region { get; set; } = "";

    /// <summary>The AWS region recorded in the role's VisionOneCloudFormationStackRegion tag (and its partition). Default: us-east-1.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AwsRegionCompleter))]
    public string? AwsDeploymentRegion { get; set; }

    /// <summary>A Vision One CloudFormation template you downloaded (JSON or YAML), for the policies. Default: the published policies shipped with the module.</summary>
    [Parameter]
    public string? TemplatePath { get; set; }

    /// <summary>Accept a template whose policies grant actions the documents Trend publishes do not; without it such a template is refused (VisionOne.TemplatePolicyWidened), since Vision One would get more access than the published procedure gives it. Documents that only drop actions or add Deny statements are applied with a warning.</summary>
    [Parameter]
    public SwitchParameter AllowPolicyChanges { get; set; }

    /// <summary>Json, AwsCli, Terraform or Markdown.</summary>
    [Parameter(Mandatory = true)]
    public HandOffFormat Format { get; set; }

    /// <summary>A folder for the files (created if absent). Default: the text goes to the pipeline.</summary>
    [Parameter]
    public string? Path { get; set; }

    /// <summary>The name the account gets in Vision One, used in the connection call the plan shows. Default: AWS followed by the account id.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Name { get; set; }

    protected override void ProcessRecord() => Guard(() =>
    {
        string? templateText = null;
        string? templateFile = null;
        if (!string.IsNullOrEmpty(TemplatePath)) templateText = ReadTemplateFile(TemplatePath!, out templateFile);
        if (Name != null) InputRules.CloudAccountName(Name);
        var request = new HandOffRequest
        {
            AccountId = AccountId,
            BusinessId = BusinessId,
            V1Region = V1Region,
            AwsDeploymentRegion = AwsDeploymentRegion,
            TemplateText = templateText,
            TemplateSource = templateFile,
            CloudAccountName = Name,
            AllowPolicyChanges = AllowPolicyChanges.IsPresent,
        };
        var plan = RunEngine(bridge => Task.FromResult(OnboardingHandOffPlan.For(request, bridge)));
        var files = HandOffRenderer.Render(plan, Format);

        if (string.IsNullOrEmpty(Path))
        {
            if (files.Count == 1) WriteObject(files[0].Content);
            else foreach (var file in files) WriteObject(file);
            return;
        }

        var folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(folder, "Write the " + Format + " hand-off plan of account " + plan.AccountId + " (" + files.Count + " file(s))")) return;
        Directory.CreateDirectory(folder);
        foreach (var file in files)
        {
            var target = System.IO.Path.Combine(folder, file.Name);
            File.WriteAllText(target, file.Content, new UTF8Encoding(false));
            WriteObject(new FileInfo(target));
        }
    });
}
