using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding.HandOff;

/// <summary>The forms a hand-off plan is written in.</summary>
public enum HandOffFormat
{
    /// <summary>The plan objects (round-trippable).</summary>
    Json,
    /// <summary>A bash script of aws iam calls, with the documents beside it.</summary>
    AwsCli,
    /// <summary>hashicorp/aws resources and the terraform import lines.</summary>
    Terraform,
    /// <summary>A change request for a reviewer.</summary>
    Markdown,
}

/// <summary>One file of a rendered hand-off.</summary>
public sealed class HandOffFile
{
    public HandOffFile(string name, string content)
    {
        Name = name;
        Content = content;
    }

    public string Name { get; }
    public string Content { get; }
}

/// <summary>Writes a <see cref="OnboardingHandOffPlan"/> in each <see cref="HandOffFormat"/>; every document comes from the plan, verbatim.</summary>
public static class HandOffRenderer
{
    public const string ScriptFileName = "onboard.sh";
    public const string TerraformFileName = "visionone-onboarding.tf";
    public const string MarkdownFileName = "change-request.md";
    public const string JsonFileName = "onboarding-plan.json";

    public static IReadOnlyList<HandOffFile> Render(OnboardingHandOffPlan plan, HandOffFormat format)
    {
        switch (format)
        {
            case HandOffFormat.AwsCli:
                return AwsCli(plan);
            case HandOffFormat.Terraform:
                return new[] { new HandOffFile(TerraformFileName, Terraform(plan)) };
            case HandOffFormat.Markdown:
                return new[] { new HandOffFile(MarkdownFileName, Markdown(plan)) };
            default:
                return new[] { new HandOffFile(JsonFileName, plan.ToJson() + "\n") };
        }
    }

    /// <summary>The file the AWS CLI script reads a policy document from.</summary>
    public static string PolicyFileName(HandOffPolicy policy) => policy.Name + ".json";

    /// <summary>The file the AWS CLI script reads the role's trust policy from.</summary>
    public static string TrustPolicyFileName(HandOffRole role) => role.Name + ".trust-policy.json";

    /// <summary>A document as the files show it: indented, with the engine's relaxed escaping (no \u0027-style escapes).</summary>
    private static string Document(JsonNode? node) => node?.ToJsonString(PolicyDocument.IndentedJson) ?? "{}";

    /// <summary>The name the Cloud Accounts entry gets in the Vision One call.</summary>
    private static string CloudAccountName(OnboardingHandOffPlan plan) => plan.VisionOneConnection.Body?["name"]?.GetValue<string>() ?? "";

    /// <summary>
    /// The PowerShell command that finishes the onboarding, every value one single-quoted literal (<see cref="ScriptQuoting.PowerShell"/>):
    /// the same text in the Markdown, the script's closing message and the Terraform output.
    /// </summary>
    public static string ConnectCommand(OnboardingHandOffPlan plan) =>
        "Connect-V1AwsAccount -RoleArn " + ScriptQuoting.PowerShell(plan.Role.Arn) + " -Name " + ScriptQuoting.PowerShell(CloudAccountName(plan));

    /// <summary>Tags as the AWS CLI's --tags JSON.</summary>
    private static string CliTags(IEnumerable<HandOffTag> tags) =>
        Quote(new JsonArray(tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray()).ToJsonString(PolicyDocument.CompactJson));

    private static IReadOnlyList<HandOffFile> AwsCli(OnboardingHandOffPlan plan)
    {
        var s = new StringBuilder();
        s.Append("#!/usr/bin/env bash\n");
        s.Append("# Trend Vision One Cloud Accounts, AWS account ").Append(plan.AccountId).Append(": the IAM objects of the onboarding\n");
        s.Append("# without CloudFormation (written by Export-V1AwsOnboardingPlan). Review it, then run it with your AWS CLI\n");
        s.Append("# configuration for that account; its arguments go to every aws call, e.g.  ./").Append(ScriptFileName).Append(" --profile my-profile\n");
        s.Append("# The documents it sends are the JSON files beside it.\n");
        s.Append("set -euo pipefail\n");
        s.Append("here=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n\n");
        s.Append("account=\"$(aws sts get-caller-identity --query Account --output text \"$@\")\"\n");
        s.Append("if [ \"$account\" != ").Append(Quote(plan.AccountId)).Append(" ]; then\n");
        s.Append("  echo \"These credentials act in account $account, not ").Append(plan.AccountId).Append(": nothing was changed.\" >&2\n");
        s.Append("  exit 1\n");
        s.Append("fi\n\n");

        var provider = plan.OidcProvider;
        s.Append("# 1. The OpenID Connect provider Vision One signs in through, with the documented thumbprints.\n");
        s.Append("aws iam create-open-id-connect-provider --url ").Append(Quote(provider.Url))
            .Append(" --client-id-list ").Append(string.Join(" ", provider.Audiences.Select(Quote)))
            .Append(" --thumbprint-list ").Append(string.Join(" ", provider.Thumbprints.Select(Quote)))
            .Append(" --tags ").Append(CliTags(provider.Tags))
            .Append(" --output text \"$@\"\n\n");

        s.Append("# 2. The permission policies Vision One works with.\n");
        foreach (var policy in plan.Policies)
        {
            s.Append("aws iam create-policy --policy-name ").Append(Quote(policy.Name))
                .Append(" --policy-document \"file://$here/").Append(PolicyFileName(policy)).Append("\" --tags ").Append(CliTags(policy.Tags)).Append(" --query Policy.Arn --output text \"$@\"\n");
        }

        var role = plan.Role;
        s.Append("\n# 3. The role Vision One assumes: it trusts the provider above, for your Vision One business only.\n");
        s.Append("# IAM may not see a provider made seconds ago yet (\"Invalid principal in policy\"): that answer is retried.\n");
        s.Append("for attempt in 1 2 3 4 5 6; do\n");
        s.Append("  if error=\"$(aws iam create-role --role-name ").Append(Quote(role.Name))
            .Append(" --assume-role-policy-document \"file://$here/").Append(TrustPolicyFileName(role)).Append("\"")
            .Append(" --description ").Append(Quote(role.Description))
            .Append(" --tags ").Append(CliTags(role.Tags))
            .Append(" --query Role.Arn --output text \"$@\" 2>&1)\"; then echo \"$error\"; break; fi\n");
        s.Append("  if [[ \"$error\" != *\"Invalid principal\"* || $attempt -eq 6 ]]; then echo \"$error\" >&2; exit 1; fi\n");
        s.Append("  sleep 5\n");
        s.Append("done\n\n");

        s.Append("# 4. The policies attached to the role.\n");
        foreach (var arn in role.AttachedPolicyArns)
            s.Append("aws iam attach-role-policy --role-name ").Append(Quote(role.Name)).Append(" --policy-arn ").Append(Quote(arn)).Append(" \"$@\"\n");

        s.Append("\necho ").Append(Quote("Done. The Vision One administrator connects the account with role " + role.Arn + ", in PowerShell:")).Append('\n');
        s.Append("echo ").Append(Quote("  " + ConnectCommand(plan))).Append('\n');

        var files = new List<HandOffFile> { new HandOffFile(ScriptFileName, s.ToString()) };
        files.AddRange(plan.Policies.Select(p => new HandOffFile(PolicyFileName(p), Document(p.Document) + "\n")));
        files.Add(new HandOffFile(TrustPolicyFileName(role), Document(role.TrustPolicy) + "\n"));
        return files;
    }

    private static string Quote(string value) => ScriptQuoting.Bash(value);

    private static string Terraform(OnboardingHandOffPlan plan)
    {
        var provider = plan.OidcProvider;
        var role = plan.Role;
        var s = new StringBuilder();
        s.Append("# Trend Vision One Cloud Accounts, AWS account ").Append(plan.AccountId).Append(": the IAM objects of the onboarding\n");
        s.Append("# without CloudFormation (written by Export-V1AwsOnboardingPlan). Apply it with credentials for that account.\n");
        s.Append("#\n# For an account that already has these objects, import them first:\n");
        foreach (var line in TerraformImports(plan)) s.Append("#   ").Append(line).Append('\n');
        s.Append('\n');
        s.Append("terraform {\n  required_providers {\n    aws = {\n      source = \"hashicorp/aws\"\n    }\n  }\n}\n\n");

        s.Append("resource \"aws_iam_openid_connect_provider\" \"visionone\" {\n");
        s.Append("  url             = ").Append(Hcl(provider.Url)).Append('\n');
        s.Append("  client_id_list  = ").Append(HclList(provider.Audiences)).Append('\n');
        s.Append("  thumbprint_list = ").Append(HclList(provider.Thumbprints)).Append('\n');
        HclTags(s, provider.Tags);
        s.Append("}\n\n");

        foreach (var policy in plan.Policies)
        {
            s.Append("resource \"aws_iam_policy\" \"").Append(ResourceName(policy.Name)).Append("\" {\n");
            s.Append("  name   = ").Append(Hcl(policy.Name)).Append('\n');
            s.Append("  policy = ").Append(Heredoc(policy.Document)).Append('\n');
            HclTags(s, policy.Tags);
            s.Append("}\n\n");
        }

        s.Append("resource \"aws_iam_role\" \"visionone\" {\n");
        s.Append("  name               = ").Append(Hcl(role.Name)).Append('\n');
        s.Append("  description        = ").Append(Hcl(role.Description)).Append('\n');
        s.Append("  assume_role_policy = ").Append(Heredoc(role.TrustPolicy)).Append('\n');
        HclTags(s, role.Tags);
        s.Append("  # IAM checks that the trusted provider exists.\n");
        s.Append("  depends_on = [aws_iam_openid_connect_provider.visionone]\n");
        s.Append("}\n");

        foreach (var policy in plan.Policies)
        {
            s.Append("\nresource \"aws_iam_role_policy_attachment\" \"").Append(ResourceName(policy.Name)).Append("\" {\n");
            s.Append("  role       = aws_iam_role.visionone.name\n");
            s.Append("  policy_arn = aws_iam_policy.").Append(ResourceName(policy.Name)).Append(".arn\n");
            s.Append("}\n");
        }

        s.Append("\noutput \"visionone_role_arn\" {\n  value = aws_iam_role.visionone.arn\n}\n");
        s.Append("\n# Then the Vision One administrator connects the account, in PowerShell.\n");
        s.Append("output \"visionone_connect_command\" {\n  value = ").Append(Hcl(ConnectCommand(plan))).Append("\n}\n");
        return s.ToString();
    }

    /// <summary>The terraform import commands for an account that already has every object.</summary>
    public static IReadOnlyList<string> TerraformImports(OnboardingHandOffPlan plan)
    {
        var lines = new List<string>
        {
            "terraform import aws_iam_openid_connect_provider.visionone " + plan.OidcProvider.Arn,
        };
        lines.AddRange(plan.Policies.Select(p => "terraform import aws_iam_policy." + ResourceName(p.Name) + " " + p.Arn));
        lines.Add("terraform import aws_iam_role.visionone " + plan.Role.Name);
        lines.AddRange(plan.Policies.Select(p => "terraform import aws_iam_role_policy_attachment." + ResourceName(p.Name) + " " + plan.Role.Name + "/" + p.Arn));
        return lines;
    }

    /// <summary>VisionOnePolicyPart1 → vision_one_policy_part1 (a Terraform resource name).</summary>
    public static string ResourceName(string policyName) =>
        Regex.Replace(Regex.Replace(policyName, "(?<=[a-z0-9])(?=[A-Z])", "_"), "[^A-Za-z0-9_]", "_").ToLowerInvariant();

    private static string Hcl(string value) => ScriptQuoting.Hcl(value);

    private static void HclTags(StringBuilder s, IEnumerable<HandOffTag> tags)
    {
        s.Append("  tags = {\n");
        foreach (var tag in tags) s.Append("    ").Append(Hcl(tag.Key)).Append(" = ").Append(Hcl(tag.Value)).Append('\n');
        s.Append("  }\n");
    }

    private static string HclList(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Hcl)) + "]";

    /// <summary>A document as an HCL heredoc: verbatim JSON, only template sequences escaped.</summary>
    private static string Heredoc(JsonNode? document) =>
        "<<-EOT\n" + string.Join("\n", ScriptQuoting.HclHeredocText(Document(document)).Split('\n').Select(l => "    " + l)) + "\n  EOT";

    /// <summary>A Markdown code span (<see cref="ScriptQuoting.MarkdownCode"/>).</summary>
    private static string C(string value) => ScriptQuoting.MarkdownCode(value);

    private static string TagTable(IEnumerable<HandOffTag> tags) =>
        "| key | value |\n|---|---|\n" + string.Concat(tags.Select(t => "| " + C(t.Key) + " | " + C(t.Value) + " |\n"));

    private static string Markdown(OnboardingHandOffPlan plan)
    {
        var provider = plan.OidcProvider;
        var role = plan.Role;
        var s = new StringBuilder();
        s.Append("# Change request: connect AWS account ").Append(plan.AccountId).Append(" to Trend Vision One Cloud Accounts\n\n");
        s.Append("Vision One's Cloud Accounts feature reads this AWS account by assuming a role in it. The usual CloudFormation stack is not\n");
        s.Append("used here; instead, the IAM team creates the objects below (exactly these, nothing else), then the Vision One administrator\n");
        s.Append("makes one API call. Vision One business id ").Append(C(plan.BusinessId)).Append(", Vision One region ").Append(C(plan.V1Region))
            .Append(", AWS deployment region ").Append(C(plan.AwsDeploymentRegion)).Append("; policies from ")
            .Append(plan.PolicySource == "published" ? "the documents Trend Micro publishes (shipped with VisionOneOnboarding)" : C(plan.PolicySource)).Append(".\n\n");

        s.Append("| # | object | name / ARN | why |\n|---|---|---|---|\n");
        s.Append("| 1 | OpenID Connect provider | ").Append(C(provider.Arn)).Append(" | Vision One signs in with its own identity; IAM trusts only identity providers it knows |\n");
        var n = 2;
        foreach (var policy in plan.Policies)
            s.Append("| ").Append(n++).Append(" | managed policy | ").Append(C(policy.Arn)).Append(" | the permissions Vision One works with (three parts: IAM's size limit per policy) |\n");
        s.Append("| ").Append(n++).Append(" | role | ").Append(C(role.Arn)).Append(" | the identity Vision One assumes; trusts only the provider above, for this business |\n");
        s.Append("| ").Append(n).Append(" | attachments | ").Append(role.AttachedPolicyArns.Count).Append(" policies → ").Append(C(role.Name)).Append(" | gives the role the permissions |\n\n");
        s.Append("Every object carries the procedure's tags (below): they mark it as the procedure's, which the repair and `Remove-V1AwsOnboarding` rely on.\n\n");

        s.Append("## 1. OpenID Connect provider\n\n");
        s.Append("- URL: ").Append(C(provider.Url)).Append(" — Vision One's token issuer for region ").Append(C(plan.V1Region)).Append(".\n");
        s.Append("- Audience (client id): ").Append(string.Join(", ", provider.Audiences.Select(C))).Append(" — the value Vision One's tokens carry for this account.\n");
        s.Append("- Thumbprints: ").Append(string.Join(", ", provider.Thumbprints.Select(C))).Append(" — the certificate thumbprints Trend Micro documents for the issuer.\n\n");
        s.Append("Tags:\n\n").Append(TagTable(provider.Tags)).Append('\n');

        s.Append("## 2. Policies\n\n");
        foreach (var policy in plan.Policies)
        {
            s.Append("### ").Append(C(policy.Name)).Append("\n\n").Append(C(policy.Arn)).Append("\n\n")
                .Append(ScriptQuoting.MarkdownFence(Document(policy.Document), "json")).Append('\n');
            s.Append("Tags:\n\n").Append(TagTable(policy.Tags)).Append('\n');
        }

        s.Append("## 3. Role ").Append(C(role.Name)).Append("\n\n");
        s.Append("Description: ").Append(C(role.Description)).Append("\n\n");
        s.Append("Trust policy — only web-identity sign-ins from the provider above whose `aud` is this account and whose `sub` is this Vision One business:\n\n");
        s.Append(ScriptQuoting.MarkdownFence(Document(role.TrustPolicy), "json")).Append('\n');
        s.Append("Tags (they mark the role as the procedure's, which the repair and removal rely on, and record the deployment region):\n\n");
        s.Append(TagTable(role.Tags));
        s.Append("\nAttached policies:\n\n");
        foreach (var arn in role.AttachedPolicyArns) s.Append("- ").Append(C(arn)).Append('\n');

        s.Append("\n## 4. Then: the single Vision One call\n\n");
        s.Append("When the objects exist, the Vision One administrator connects the account (no AWS credentials needed):\n\n");
        s.Append(ScriptQuoting.MarkdownFence(ConnectCommand(plan), "powershell")).Append('\n');
        s.Append("which is this request:\n\n");
        s.Append(ScriptQuoting.MarkdownFence(plan.VisionOneConnection.Method + " " + plan.VisionOneConnection.Url + "\n\n" + Document(plan.VisionOneConnection.Body), "http")).Append('\n');
        s.Append("Verify with ").Append(C("Test-V1AwsOnboarding -BusinessId " + ScriptQuoting.PowerShell(plan.BusinessId) + " -V1Region " + ScriptQuoting.PowerShell(plan.V1Region) + " -Quiet"))
            .Append(" (read-only; `$true` when every object matches).\n\n");

        s.Append("## Rollback\n\n");
        s.Append("`Remove-V1AwsOnboarding` (disconnect, detach, delete the policies, the role, the provider), or by hand in the reverse order of this request.\n");
        return s.ToString();
    }
}
