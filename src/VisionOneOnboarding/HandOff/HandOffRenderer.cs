using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

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

    private static readonly JsonSerializerOptions Indented = new JsonSerializerOptions { WriteIndented = true };

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

    private static string Document(JsonNode? node) => node?.ToJsonString(Indented) ?? "{}";

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
            .Append(" --output text \"$@\"\n\n");

        s.Append("# 2. The permission policies Vision One works with.\n");
        foreach (var policy in plan.Policies)
        {
            s.Append("aws iam create-policy --policy-name ").Append(Quote(policy.Name))
                .Append(" --policy-document \"file://$here/").Append(PolicyFileName(policy)).Append("\" --query Policy.Arn --output text \"$@\"\n");
        }

        var role = plan.Role;
        var tags = new JsonArray(role.Tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray()).ToJsonString();
        s.Append("\n# 3. The role Vision One assumes: it trusts the provider above, for your Vision One business only.\n");
        s.Append("# IAM may not see a provider made seconds ago yet (\"Invalid principal in policy\"): that answer is retried.\n");
        s.Append("for attempt in 1 2 3 4 5 6; do\n");
        s.Append("  if error=\"$(aws iam create-role --role-name ").Append(Quote(role.Name))
            .Append(" --assume-role-policy-document \"file://$here/").Append(TrustPolicyFileName(role)).Append("\"")
            .Append(" --description ").Append(Quote(role.Description))
            .Append(" --tags ").Append(Quote(tags))
            .Append(" --query Role.Arn --output text \"$@\" 2>&1)\"; then echo \"$error\"; break; fi\n");
        s.Append("  if [[ \"$error\" != *\"Invalid principal\"* || $attempt -eq 6 ]]; then echo \"$error\" >&2; exit 1; fi\n");
        s.Append("  sleep 5\n");
        s.Append("done\n\n");

        s.Append("# 4. The policies attached to the role.\n");
        foreach (var arn in role.AttachedPolicyArns)
            s.Append("aws iam attach-role-policy --role-name ").Append(Quote(role.Name)).Append(" --policy-arn ").Append(Quote(arn)).Append(" \"$@\"\n");

        s.Append("\necho ").Append(Quote("Done. Give Vision One this role: " + role.Arn + " (Connect-V1AwsAccount -RoleArn " + role.Arn + ")")).Append('\n');

        var files = new List<HandOffFile> { new HandOffFile(ScriptFileName, s.ToString()) };
        files.AddRange(plan.Policies.Select(p => new HandOffFile(PolicyFileName(p), Document(p.Document) + "\n")));
        files.Add(new HandOffFile(TrustPolicyFileName(role), Document(role.TrustPolicy) + "\n"));
        return files;
    }

    /// <summary>A single-quoted bash word.</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";

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
        s.Append("}\n\n");

        foreach (var policy in plan.Policies)
        {
            s.Append("resource \"aws_iam_policy\" \"").Append(ResourceName(policy.Name)).Append("\" {\n");
            s.Append("  name   = ").Append(Hcl(policy.Name)).Append('\n');
            s.Append("  policy = ").Append(Heredoc(policy.Document)).Append('\n');
            s.Append("}\n\n");
        }

        s.Append("resource \"aws_iam_role\" \"visionone\" {\n");
        s.Append("  name               = ").Append(Hcl(role.Name)).Append('\n');
        s.Append("  description        = ").Append(Hcl(role.Description)).Append('\n');
        s.Append("  assume_role_policy = ").Append(Heredoc(role.TrustPolicy)).Append('\n');
        s.Append("  tags = {\n");
        foreach (var tag in role.Tags) s.Append("    ").Append(Hcl(tag.Key)).Append(" = ").Append(Hcl(tag.Value)).Append('\n');
        s.Append("  }\n");
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

    /// <summary>An HCL string literal: quotes, backslashes and template sequences escaped.</summary>
    private static string Hcl(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("${", "$${").Replace("%{", "%%{") + "\"";

    private static string HclList(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Hcl)) + "]";

    /// <summary>A document as an HCL heredoc: verbatim JSON, only template sequences escaped.</summary>
    private static string Heredoc(JsonNode? document) =>
        "<<-EOT\n" + string.Join("\n", Document(document).Replace("${", "$${").Replace("%{", "%%{").Split('\n').Select(l => "    " + l)) + "\n  EOT";

    private static string Markdown(OnboardingHandOffPlan plan)
    {
        var provider = plan.OidcProvider;
        var role = plan.Role;
        var s = new StringBuilder();
        s.Append("# Change request: connect AWS account ").Append(plan.AccountId).Append(" to Trend Vision One Cloud Accounts\n\n");
        s.Append("Vision One's Cloud Accounts feature reads this AWS account by assuming a role in it. The usual CloudFormation stack is not\n");
        s.Append("used here; instead, the IAM team creates the objects below (exactly these, nothing else), then the Vision One administrator\n");
        s.Append("makes one API call. Vision One business id `").Append(plan.BusinessId).Append("`, Vision One region `").Append(plan.V1Region)
            .Append("`, AWS deployment region `").Append(plan.AwsDeploymentRegion).Append("`; policies from ")
            .Append(plan.PolicySource == "published" ? "the documents Trend Micro publishes (shipped with VisionOneOnboarding)" : "`" + plan.PolicySource + "`").Append(".\n\n");

        s.Append("| # | object | name / ARN | why |\n|---|---|---|---|\n");
        s.Append("| 1 | OpenID Connect provider | `").Append(provider.Arn).Append("` | Vision One signs in with its own identity; IAM trusts only identity providers it knows |\n");
        var n = 2;
        foreach (var policy in plan.Policies)
            s.Append("| ").Append(n++).Append(" | managed policy | `").Append(policy.Arn).Append("` | the permissions Vision One works with (three parts: IAM's size limit per policy) |\n");
        s.Append("| ").Append(n++).Append(" | role | `").Append(role.Arn).Append("` | the identity Vision One assumes; trusts only the provider above, for this business |\n");
        s.Append("| ").Append(n).Append(" | attachments | ").Append(role.AttachedPolicyArns.Count).Append(" policies → `").Append(role.Name).Append("` | gives the role the permissions |\n\n");

        s.Append("## 1. OpenID Connect provider\n\n");
        s.Append("- URL: `").Append(provider.Url).Append("` — Vision One's token issuer for region `").Append(plan.V1Region).Append("`.\n");
        s.Append("- Audience (client id): ").Append(string.Join(", ", provider.Audiences.Select(a => "`" + a + "`"))).Append(" — the value Vision One's tokens carry for this account.\n");
        s.Append("- Thumbprints: ").Append(string.Join(", ", provider.Thumbprints.Select(t => "`" + t + "`"))).Append(" — the certificate thumbprints Trend Micro documents for the issuer.\n\n");

        s.Append("## 2. Policies\n\n");
        foreach (var policy in plan.Policies)
        {
            s.Append("### ").Append(policy.Name).Append("\n\n`").Append(policy.Arn).Append("`\n\n```json\n").Append(Document(policy.Document)).Append("\n```\n\n");
        }

        s.Append("## 3. Role ").Append(role.Name).Append("\n\n");
        s.Append("Description: ").Append(role.Description).Append("\n\n");
        s.Append("Trust policy — only web-identity sign-ins from the provider above whose `aud` is this account and whose `sub` is this Vision One business:\n\n");
        s.Append("```json\n").Append(Document(role.TrustPolicy)).Append("\n```\n\n");
        s.Append("Tags (they mark the role as the procedure's, which the repair and removal rely on, and record the deployment region):\n\n");
        s.Append("| key | value |\n|---|---|\n");
        foreach (var tag in role.Tags) s.Append("| `").Append(tag.Key).Append("` | `").Append(tag.Value).Append("` |\n");
        s.Append("\nAttached policies:\n\n");
        foreach (var arn in role.AttachedPolicyArns) s.Append("- `").Append(arn).Append("`\n");

        s.Append("\n## 4. Then: the single Vision One call\n\n");
        s.Append("When the objects exist, the Vision One administrator connects the account (no AWS credentials needed):\n\n");
        s.Append("```powershell\nConnect-V1AwsAccount -RoleArn ").Append(role.Arn).Append(" -Name '").Append(plan.VisionOneConnection.Body?["name"]?.GetValue<string>() ?? "").Append("'\n```\n\n");
        s.Append("which is this request:\n\n```http\n").Append(plan.VisionOneConnection.Method).Append(' ').Append(plan.VisionOneConnection.Url).Append("\n\n")
            .Append(Document(plan.VisionOneConnection.Body)).Append("\n```\n\n");
        s.Append("Verify with `Test-V1AwsOnboarding -BusinessId ").Append(plan.BusinessId).Append(" -V1Region ").Append(plan.V1Region).Append(" -Quiet` (read-only; `$true` when every object matches).\n\n");

        s.Append("## Rollback\n\n");
        s.Append("`Remove-V1AwsOnboarding` (disconnect, detach, delete the policies, the role, the provider), or by hand in the reverse order of this request.\n");
        return s.ToString();
    }
}
