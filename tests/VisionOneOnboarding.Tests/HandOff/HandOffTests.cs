using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.HandOff;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding.Tests.HandOff;

public sealed class HandOffTests
{
    private const string Account = "123456789012";
    private const string BusinessId = "1234567890";

    private static OnboardingHandOffPlan Plan(string v1Region = "us", string? awsRegion = null) =>
        OnboardingHandOffPlan.For(new HandOffRequest { AccountId = Account, BusinessId = BusinessId, V1Region = v1Region, AwsDeploymentRegion = awsRegion }, NullLogSink.Instance);

    /// <summary>The engine's desired state for the same facts: what the plan must say, object for object.</summary>
    private static DesiredOnboarding Desired(string v1Region = "us", string awsRegion = "us-east-1", string partition = "aws")
    {
        var request = new ExpectationRequest { BusinessId = BusinessId, V1Region = v1Region, AwsDeploymentRegion = awsRegion };
        var expected = OnboardingExpectation.Resolve(Account, partition, null, request, null, NullLogSink.Instance);
        return DesiredOnboarding.ForProcedure(Account, partition, expected, force: false, cloudAccount: null);
    }

    [Fact]
    public void The_plan_is_the_engines_desired_state()
    {
        var plan = Plan();
        var desired = Desired();
        Assert.Equal(desired.ProviderArn, plan.OidcProvider.Arn);
        Assert.Equal("https://cloudaccounts-us.xdr.trendmicro.com", plan.OidcProvider.Url);
        Assert.Equal(new[] { "arn:aws:iam::123456789012:root" }, plan.OidcProvider.Audiences);
        Assert.Equal(OnboardingDefaults.Thumbprints, plan.OidcProvider.Thumbprints);
        Assert.Equal(OnboardingDefaults.PolicyNames, plan.Policies.Select(p => p.Name));
        foreach (var (policy, document) in plan.Policies.Zip(desired.Policies, (p, d) => (p, d.Value)))
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(document), policy.Document), policy.Name);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(desired.Role!.Trust), plan.Role.TrustPolicy));
        Assert.Equal(desired.Role.Tags.Select(t => t.Key + "=" + t.Value), plan.Role.Tags.Select(t => t.Key + "=" + t.Value));
        Assert.Equal(desired.PolicyArns, plan.Role.AttachedPolicyArns);
        Assert.Equal("arn:aws:iam::123456789012:role/VisionOneRole", plan.Role.Arn);
        Assert.Equal("https://api.xdr.trendmicro.com/v3.0/cam/awsAccounts", plan.VisionOneConnection.Url);
        Assert.Equal(plan.Role.Arn, plan.VisionOneConnection.Body!["roleArn"]!.GetValue<string>());
    }

    [Fact]
    public void The_region_decides_issuer_partition_and_the_stack_region_tag()
    {
        var plan = Plan("eu", "cn-north-1");
        Assert.Equal("aws-cn", plan.Partition);
        Assert.Equal("https://cloudaccounts-eu.xdr.trendmicro.com", plan.OidcProvider.Url);
        Assert.StartsWith("arn:aws-cn:iam::123456789012:", plan.Role.Arn);
        Assert.Contains(plan.Role.Tags, t => t.Key == OnboardingDefaults.StackRegionTagKey && t.Value == "cn-north-1");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Desired("eu", "cn-north-1", "aws-cn").Role!.Trust), plan.Role.TrustPolicy));
    }

    [Fact]
    public void Bad_input_is_refused_before_anything_is_computed()
    {
        var ex = Assert.Throws<VisionOneException>(() => OnboardingHandOffPlan.For(new HandOffRequest { AccountId = "12345", BusinessId = BusinessId, V1Region = "us" }, NullLogSink.Instance));
        Assert.Equal("VisionOne.InvalidAccountId", ex.ErrorId);
        var badRegion = Assert.Throws<VisionOneException>(() => Plan("us", "mars-1"));
        Assert.StartsWith("VisionOne.", badRegion.ErrorId);
    }

    [Fact]
    public void Json_round_trips()
    {
        var plan = Plan();
        var json = HandOffRenderer.Render(plan, HandOffFormat.Json).Single().Content;
        var back = OnboardingHandOffPlan.FromJson(json);
        Assert.Equal(json, back.ToJson() + "\n");
        Assert.Equal(plan.Role.Arn, back.Role.Arn);
        Assert.True(JsonNode.DeepEquals(plan.Role.TrustPolicy, back.Role.TrustPolicy));
        var foreign = Assert.Throws<VisionOneException>(() => OnboardingHandOffPlan.FromJson("{\"format\":\"something else\"}"));
        Assert.Equal("VisionOne.HandOffPlanMalformed", foreign.ErrorId);
    }

    [Fact]
    public void Terraform_declares_each_resource_with_the_json_plans_documents()
    {
        var plan = Plan();
        var hcl = HandOffRenderer.Render(plan, HandOffFormat.Terraform).Single().Content;
        var resources = Regex.Matches(hcl, "^resource \"(?<type>[a-z_]+)\" \"(?<name>[a-z0-9_]+)\" \\{\\n(?<body>.*?)^\\}", RegexOptions.Multiline | RegexOptions.Singleline)
            .Cast<Match>().ToDictionary(m => m.Groups["type"].Value + "." + m.Groups["name"].Value, m => m.Groups["body"].Value);
        Assert.Contains("source = \"hashicorp/aws\"", hcl);
        Assert.Equal(8, resources.Count);

        var provider = resources["aws_iam_openid_connect_provider.visionone"];
        Assert.Equal(plan.OidcProvider.Url, Attribute(provider, "url"));
        Assert.Equal("[\"arn:aws:iam::123456789012:root\"]", Attribute(provider, "client_id_list"));
        Assert.Equal("[" + string.Join(", ", plan.OidcProvider.Thumbprints.Select(t => "\"" + t + "\"")) + "]", Attribute(provider, "thumbprint_list"));

        foreach (var policy in plan.Policies)
        {
            var name = HandOffRenderer.ResourceName(policy.Name);
            var body = resources["aws_iam_policy." + name];
            Assert.Equal(policy.Name, Attribute(body, "name"));
            Assert.True(JsonNode.DeepEquals(policy.Document, JsonNode.Parse(Heredoc(body, "policy"))), policy.Name);
            var attachment = resources["aws_iam_role_policy_attachment." + name];
            Assert.Equal("aws_iam_role.visionone.name", Attribute(attachment, "role"));
            Assert.Equal("aws_iam_policy." + name + ".arn", Attribute(attachment, "policy_arn"));
        }

        var role = resources["aws_iam_role.visionone"];
        Assert.Equal(plan.Role.Name, Attribute(role, "name"));
        Assert.True(JsonNode.DeepEquals(plan.Role.TrustPolicy, JsonNode.Parse(Heredoc(role, "assume_role_policy"))));
        foreach (var tag in plan.Role.Tags)
            Assert.Matches("(?m)^    \"" + Regex.Escape(tag.Key) + "\" = \"" + Regex.Escape(tag.Value) + "\"$", role);

        Assert.Contains("#   terraform import aws_iam_openid_connect_provider.visionone " + plan.OidcProvider.Arn, hcl);
        Assert.Contains("#   terraform import aws_iam_role.visionone VisionOneRole", hcl);
        Assert.Contains("#   terraform import aws_iam_role_policy_attachment.vision_one_policy_part2 VisionOneRole/arn:aws:iam::123456789012:policy/VisionOnePolicyPart2", hcl);
        Assert.Equal(8, HandOffRenderer.TerraformImports(plan).Count);
    }

    [Fact]
    public void Terraform_escapes_template_sequences_in_documents()
    {
        var plan = Plan();
        plan.Policies[0].Document = JsonNode.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/${aws:username}/%{x}\"}]}");
        var hcl = HandOffRenderer.Render(plan, HandOffFormat.Terraform).Single().Content;
        Assert.Contains("b/$${aws:username}/%%{x}", hcl);
    }

    [Fact]
    public void The_aws_cli_script_makes_every_object_from_the_documents_beside_it()
    {
        var plan = Plan();
        var files = HandOffRenderer.Render(plan, HandOffFormat.AwsCli).ToDictionary(f => f.Name, f => f.Content);
        var script = files[HandOffRenderer.ScriptFileName];
        Assert.StartsWith("#!/usr/bin/env bash\n", script);
        Assert.Contains("aws iam create-open-id-connect-provider --url 'https://cloudaccounts-us.xdr.trendmicro.com' --client-id-list 'arn:aws:iam::123456789012:root'", script);
        Assert.Equal(3, Regex.Matches(script, "aws iam create-policy ").Count);
        Assert.Single(Regex.Matches(script, "aws iam create-role "));
        Assert.Equal(3, Regex.Matches(script, "aws iam attach-role-policy ").Count);
        Assert.Contains("!= '123456789012'", script);
        foreach (var policy in plan.Policies)
            Assert.True(JsonNode.DeepEquals(policy.Document, JsonNode.Parse(files[HandOffRenderer.PolicyFileName(policy)])));
        Assert.True(JsonNode.DeepEquals(plan.Role.TrustPolicy, JsonNode.Parse(files[HandOffRenderer.TrustPolicyFileName(plan.Role)])));
    }

    [Fact]
    public void The_change_request_shows_every_object_and_document_and_the_vision_one_call()
    {
        var plan = Plan();
        var markdown = HandOffRenderer.Render(plan, HandOffFormat.Markdown).Single().Content;
        var blocks = Regex.Matches(markdown, "```json\\n(.*?)\\n```", RegexOptions.Singleline).Cast<Match>().Select(m => JsonNode.Parse(m.Groups[1].Value)).ToList();
        foreach (var policy in plan.Policies)
        {
            Assert.Contains(policy.Arn, markdown);
            Assert.Contains(blocks, b => JsonNode.DeepEquals(b, policy.Document));
        }
        Assert.Contains(blocks, b => JsonNode.DeepEquals(b, plan.Role.TrustPolicy));
        Assert.Contains(plan.OidcProvider.Arn, markdown);
        foreach (var thumbprint in plan.OidcProvider.Thumbprints) Assert.Contains(thumbprint, markdown);
        foreach (var tag in plan.Role.Tags) Assert.Contains("| `" + tag.Key + "` | `" + tag.Value + "` |", markdown);
        Assert.Contains("Connect-V1AwsAccount -RoleArn '" + plan.Role.Arn + "' -Name 'AWS 123456789012'", markdown);
        Assert.Contains("POST https://api.xdr.trendmicro.com/v3.0/cam/awsAccounts", markdown);
        Assert.Contains("why", markdown);
    }

    [Fact]
    public void Every_object_carries_the_engines_ownership_tags_in_every_format()
    {
        var plan = Plan();
        var ownership = RoleTags.Ownership.Select(t => t.Key + "=" + t.Value).ToList();
        Assert.Equal(ownership, plan.OidcProvider.Tags.Select(t => t.Key + "=" + t.Value));
        foreach (var policy in plan.Policies) Assert.Equal(ownership, policy.Tags.Select(t => t.Key + "=" + t.Value));
        Assert.Equal(RoleTags.Desired("us-east-1").Select(t => t.Key + "=" + t.Value), plan.Role.Tags.Select(t => t.Key + "=" + t.Value));

        var back = OnboardingHandOffPlan.FromJson(HandOffRenderer.Render(plan, HandOffFormat.Json).Single().Content);
        Assert.Equal(ownership, back.OidcProvider.Tags.Select(t => t.Key + "=" + t.Value));
        Assert.All(back.Policies, p => Assert.Equal(ownership, p.Tags.Select(t => t.Key + "=" + t.Value)));

        var script = HandOffRenderer.Render(plan, HandOffFormat.AwsCli).Single(f => f.Name == HandOffRenderer.ScriptFileName).Content;
        const string cliOwnership = "--tags '[{\"Key\":\"VisionOneCloudFormationStackName\",\"Value\":\"Vision-One-Cloud-Account-Management\"}]'";
        Assert.Contains(cliOwnership, Regex.Match(script, "^aws iam create-open-id-connect-provider .*$", RegexOptions.Multiline).Value);
        Assert.All(Regex.Matches(script, "^aws iam create-policy .*$", RegexOptions.Multiline).Cast<Match>(), m => Assert.Contains(cliOwnership, m.Value));
        Assert.Contains("\"Key\":\"VisionOneFeatures\",\"Value\":\"Base\"", Regex.Match(script, "aws iam create-role .*$", RegexOptions.Multiline).Value);

        var hcl = HandOffRenderer.Render(plan, HandOffFormat.Terraform).Single().Content;
        var tagged = Regex.Matches(hcl, "^resource \"(aws_iam_openid_connect_provider|aws_iam_policy|aws_iam_role)\" .*?^\\}", RegexOptions.Multiline | RegexOptions.Singleline).Cast<Match>().ToList();
        Assert.Equal(5, tagged.Count);
        Assert.All(tagged, m => Assert.Matches("(?m)^    \"VisionOneCloudFormationStackName\" = \"Vision-One-Cloud-Account-Management\"$", m.Value));

        var markdown = HandOffRenderer.Render(plan, HandOffFormat.Markdown).Single().Content;
        Assert.Equal(5, Regex.Matches(markdown, "\\| `VisionOneCloudFormationStackName` \\| `Vision-One-Cloud-Account-Management` \\|").Count);
    }

    [Fact]
    public void Exported_documents_use_the_relaxed_encoding_the_engine_sends()
    {
        var plan = Plan();
        // A statement with the characters the default encoder escapes (' + < > & and Latin-1 letters).
        plan.Policies[0].Document = JsonNode.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"x\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/it's+<a>&é\"}]}");
        foreach (HandOffFormat format in System.Enum.GetValues(typeof(HandOffFormat)))
        {
            var text = string.Concat(HandOffRenderer.Render(plan, format).Select(f => f.Content));
            Assert.DoesNotContain("\\u00", text);
            Assert.Contains("b/it's+<a>&é", text);
        }
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("a\u2018b\u2019c\u201Ad\u201Be", "'a\u2018\u2018b\u2019\u2019c\u201A\u201Ad\u201B\u201Be'")]
    [InlineData("$(x) `n ${y}", "'$(x) `n ${y}'")]
    public void PowerShell_quoting_doubles_all_five_quote_characters(string value, string expected) =>
        Assert.Equal(expected, ScriptQuoting.PowerShell(value));

    [Theory]
    [InlineData("a'b", "'a'\\''b'")]
    [InlineData("$(rm) `x` \\", "'$(rm) `x` \\'")]
    public void Bash_quoting_leaves_only_the_quote_special(string value, string expected) =>
        Assert.Equal(expected, ScriptQuoting.Bash(value));

    [Theory]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("${x} %{y} $z %w", "\"$${x} %%{y} $z %w\"")]
    [InlineData("line\nbreak\u0001", "\"line\\nbreak\\u0001\"")]
    public void Hcl_quoting_escapes_quotes_backslashes_controls_and_templates(string value, string expected) =>
        Assert.Equal(expected, ScriptQuoting.Hcl(value));

    [Theory]
    [InlineData("abc", "`abc`")]
    [InlineData("a`b", "``a`b``")]
    [InlineData("`x``", "``` `x`` ```")]
    [InlineData(" lead", "`  lead `")]
    [InlineData(" both ", "`  both  `")]
    public void Markdown_code_spans_outrun_every_backtick_run(string value, string expected) =>
        Assert.Equal(expected, ScriptQuoting.MarkdownCode(value));

    [Fact]
    public void Markdown_fences_outrun_every_backtick_run()
    {
        Assert.Equal("```json\n{}\n```\n", ScriptQuoting.MarkdownFence("{}", "json"));
        Assert.Equal("````powershell\nx ``` y\n````\n", ScriptQuoting.MarkdownFence("x ``` y", "powershell"));
    }

    private static string Attribute(string body, string name)
    {
        var match = Regex.Match(body, "^  " + name + " +=\\s*(.+)$", RegexOptions.Multiline);
        Assert.True(match.Success, "attribute " + name + " missing");
        var value = match.Groups[1].Value.Trim();
        return value.StartsWith("\"") && value.EndsWith("\"") ? value.Substring(1, value.Length - 2) : value;
    }

    private static string Heredoc(string body, string name)
    {
        var match = Regex.Match(body, "^  " + name + " += <<-EOT\\n(.*?)\\n\\s*EOT$", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(match.Success, "heredoc " + name + " missing");
        return match.Groups[1].Value.Replace("$${", "${").Replace("%%{", "%{");
    }
}
