// The hand-off to the team that owns IAM: what the procedure would create in one account, computed without AWS
// credentials from the engine's own desired state (DesiredOnboarding), and rendered as JSON, an AWS CLI script,
// Terraform or a Markdown change request (HandOffRenderer).
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.HandOff;

/// <summary>The OIDC provider the procedure creates.</summary>
public sealed class HandOffProvider
{
    public string Arn { get; set; } = "";
    public string Url { get; set; } = "";
    public List<string> Audiences { get; set; } = new List<string>();
    public List<string> Thumbprints { get; set; } = new List<string>();
    /// <summary>The procedure's ownership tag, as the engine writes it when it creates the provider.</summary>
    public List<HandOffTag> Tags { get; set; } = new List<HandOffTag>();
}

/// <summary>One customer-managed policy and its document.</summary>
public sealed class HandOffPolicy
{
    public string Name { get; set; } = "";
    public string Arn { get; set; } = "";
    public JsonNode? Document { get; set; }
    /// <summary>The procedure's ownership tag, as the engine writes it when it creates the policy.</summary>
    public List<HandOffTag> Tags { get; set; } = new List<HandOffTag>();
}

/// <summary>One tag.</summary>
public sealed class HandOffTag
{
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}

/// <summary>The role Vision One assumes: trust policy, description, tags and attachments.</summary>
public sealed class HandOffRole
{
    public string Name { get; set; } = "";
    public string Arn { get; set; } = "";
    public string Description { get; set; } = "";
    public JsonNode? TrustPolicy { get; set; }
    public List<HandOffTag> Tags { get; set; } = new List<HandOffTag>();
    public List<string> AttachedPolicyArns { get; set; } = new List<string>();
}

/// <summary>The single Vision One call that follows the IAM work.</summary>
public sealed class HandOffConnection
{
    public string Method { get; set; } = "POST";
    public string Url { get; set; } = "";
    public JsonNode? Body { get; set; }
}

/// <summary>
/// What the procedure would create in one AWS account, and the Vision One call that finishes it. Serialises to JSON
/// and back without loss (<see cref="ToJson"/>, <see cref="FromJson"/>).
/// </summary>
public sealed class OnboardingHandOffPlan
{
    public const string CurrentFormat = "VisionOneOnboarding.HandOffPlan/1";

    public string Format { get; set; } = CurrentFormat;
    public string AccountId { get; set; } = "";
    public string Partition { get; set; } = "";
    public string BusinessId { get; set; } = "";
    public string V1Region { get; set; } = "";
    public string AwsDeploymentRegion { get; set; } = "";
    /// <summary>Where the policies came from: a template file, or "published" (the documents shipped with the module).</summary>
    public string PolicySource { get; set; } = "";
    public HandOffProvider OidcProvider { get; set; } = new HandOffProvider();
    public List<HandOffPolicy> Policies { get; set; } = new List<HandOffPolicy>();
    public HandOffRole Role { get; set; } = new HandOffRole();
    public HandOffConnection VisionOneConnection { get; set; } = new HandOffConnection();

    private static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = PolicyDocument.IndentedJson.Encoder,   // the documents as the engine sends them: no \u0027-style escapes
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static OnboardingHandOffPlan FromJson(string json)
    {
        var plan = JsonSerializer.Deserialize<OnboardingHandOffPlan>(json, JsonOptions)
            ?? throw new VisionOneException(ErrorCatalogue.HandOffPlanMalformed, "The hand-off plan is empty. Export it again with Export-V1AwsOnboardingPlan -Format Json.");
        if (plan.Format != CurrentFormat)
            throw new VisionOneException(ErrorCatalogue.HandOffPlanMalformed,
                "This is not a hand-off plan of this module (format '" + plan.Format + "', expected '" + CurrentFormat + "'). Export it again with Export-V1AwsOnboardingPlan -Format Json.");
        return plan;
    }

    /// <summary>
    /// The plan for one account, from the same desired state the engine applies (<see cref="DesiredOnboarding.ForProcedure"/>):
    /// provider, policies, role trust, tags and attachments are the engine's, never recomputed here.
    /// </summary>
    public static OnboardingHandOffPlan For(HandOffRequest request, ILogSink log)
    {
        var accountId = InputRules.AccountId(request.AccountId);
        var region = V1Regions.Get(request.V1Region);
        var expectationRequest = new ExpectationRequest
        {
            BusinessId = request.BusinessId,
            V1Region = region.Code,
            AwsDeploymentRegion = request.AwsDeploymentRegion,
            TemplateText = request.TemplateText,
            TemplateSource = request.TemplateSource,
            AllowPolicyChanges = request.AllowPolicyChanges,
        };
        var deploymentRegion = OnboardingExpectation.DeploymentRegion(expectationRequest, null);
        var partition = AwsEndpoints.PartitionForRegion(deploymentRegion).Name;
        var template = request.TemplateText == null ? null : FetchedTemplate.Given(request.TemplateText, request.TemplateSource);
        var expected = OnboardingExpectation.Resolve(accountId, partition, null, expectationRequest, template, log);
        var desired = DesiredOnboarding.ForProcedure(accountId, partition, expected, force: false, cloudAccount: null);
        var role = desired.Role!;

        return new OnboardingHandOffPlan
        {
            AccountId = accountId,
            Partition = partition,
            BusinessId = role.BusinessId,
            V1Region = role.V1Region,
            AwsDeploymentRegion = role.AwsDeploymentRegion,
            PolicySource = desired.PolicySource,
            OidcProvider = new HandOffProvider
            {
                Arn = desired.ProviderArn!,
                Url = desired.IssuerUrl!,
                Audiences = new List<string> { desired.Audience },
                Thumbprints = desired.Thumbprints.ToList(),
                Tags = Tags(RoleTags.Ownership),
            },
            Policies = desired.Policies.Select(p => new HandOffPolicy
            {
                Name = p.Key,
                Arn = AwsArns.Policy(partition, accountId, p.Key),
                Document = JsonNode.Parse(p.Value),
                Tags = Tags(RoleTags.Ownership),
            }).ToList(),
            Role = new HandOffRole
            {
                Name = role.Name,
                Arn = role.Arn,
                Description = OnboardingDefaults.RoleDescription,
                TrustPolicy = JsonNode.Parse(role.Trust),
                Tags = Tags(role.Tags),
                AttachedPolicyArns = role.PolicyArns.ToList(),
            },
            VisionOneConnection = new HandOffConnection
            {
                Method = "POST",
                Url = new Uri(region.ApiBaseUrl, ApiVersions.CamPrefix(ApiVersion.V3_0) + "/awsAccounts").ToString(),
                Body = CamClient.AddAwsAccountBody(role.Arn, request.CloudAccountName ?? "AWS " + accountId, null, null),
            },
        };
    }

    private static List<HandOffTag> Tags(IEnumerable<AwsTag> tags) => tags.Select(t => new HandOffTag { Key = t.Key, Value = t.Value }).ToList();
}

/// <summary>What <see cref="OnboardingHandOffPlan.For"/> needs: no credentials, only the facts that decide the desired state.</summary>
public sealed class HandOffRequest
{
    public string AccountId { get; set; } = "";
    public string BusinessId { get; set; } = "";
    public string V1Region { get; set; } = V1Regions.DefaultCode;
    public string? AwsDeploymentRegion { get; set; }
    public string? TemplateText { get; set; }
    public string? TemplateSource { get; set; }
    /// <summary>The name the Cloud Accounts entry gets in the Vision One call; default "AWS &lt;account id&gt;".</summary>
    public string? CloudAccountName { get; set; }
    /// <summary>Let the template's policies grant actions the published documents do not.</summary>
    public bool AllowPolicyChanges { get; set; }
}
