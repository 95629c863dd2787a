using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.Tests.Aws;
using Xunit.Abstractions;

namespace VisionOneOnboarding.Tests.Onboarding
{
    /// <summary>Templates cannot hurt the host: bombs, recursion, depth and size are refused quickly; issuers and policies are checked.</summary>
    public class TemplateSafetyTests
    {
        private readonly ITestOutputHelper _output;

        public TemplateSafetyTests(ITestOutputHelper output) { _output = output; }

        private static string Hostile(string name) =>
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Onboarding", "Fixtures", "hostile", name));

        private static TemplateContext Context() => PolicySource.ContextFor("111122223333", "us-east-1");

        public static IEnumerable<object[]> HostileTemplates()
        {
            yield return new object[] { "self-referencing anchor", Hostile("self-referencing-anchor.yaml") };
            yield return new object[] { "billion laughs", Hostile("billion-laughs.yaml") };
            yield return new object[] { "100,000 nested flow sequences", "Resources: " + new string('[', 100_000) + new string(']', 100_000) };
            yield return new object[] { "100,000 nested block mappings", "Resources:\n" + string.Concat(Enumerable.Range(0, 2_000).Select(i => new string(' ', i + 1) + "k" + i + ":\n")) };
            yield return new object[] { "JSON nested 10,000 deep", "{\"Resources\":" + new string('[', 10_000) + new string(']', 10_000) + "}" };
            yield return new object[] { "an alias to a mapping that contains it", "Resources: &r\n  VisionOnePolicyPart1:\n    Properties:\n      PolicyDocument: *r\n" };
            yield return new object[] { "over 5 MB", "Resources:\n  X: '" + new string('x', (int)TemplateLimits.MaxBytes) + "'\n" };
        }

        [Theory]
        [MemberData(nameof(HostileTemplates))]
        public void A_hostile_template_is_TemplateMalformed_quickly(string what, string text)
        {
            var watch = Stopwatch.StartNew();
            var ex = Assert.Throws<TemplateException>(() => VisionOneTemplate.Read(text, Context()));
            watch.Stop();
            Assert.Equal(ErrorCatalogue.TemplateMalformed.Id, ex.ErrorId);
            _output.WriteLine(what + ": " + watch.Elapsed.TotalMilliseconds.ToString("0") + " ms — " + ex.Message);
        }

        [Fact]
        public void An_alias_repeating_a_node_within_the_budget_is_read_as_the_node()
        {
            var published = PublishedPolicies.Load()["VisionOnePolicyPart1"];
            var yaml = "Version: &v '2012-10-17'\nResources:\n" + string.Concat(PublishedPolicies.Names.Select(name =>
                "  " + name + ":\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: " +
                JsonNode.Parse(PublishedPolicies.Load()[name])!.ToJsonString() + "\n")) + "Extra: [*v, *v]\n";
            var template = VisionOneTemplate.Read(yaml, Context());
            Assert.True(PolicyDocument.SemanticallyEqual(published, template.Policies["VisionOnePolicyPart1"]));
        }

        [Theory]
        [InlineData("https://cloudaccounts-us.xdr.trendmicro.com")]
        [InlineData("cloudaccounts-eu.xdr.trendmicro.com")]
        [InlineData("https://cloudaccounts-za.xdr.trendmicro.com/")]
        public void Vision_One_issuers_are_trusted(string issuer)
        {
            var log = new CollectingLogSink();
            Assert.StartsWith("https://cloudaccounts-", IssuerTrust.Require(issuer, false, "test", log));
            Assert.Empty(log.WarningLines);
        }

        [Theory]
        [InlineData("https://evil.example.com")]
        [InlineData("https://cloudaccounts-us.xdr.trendmicro.com.evil.example")]
        [InlineData("https://cloudaccounts-us.xdr.trendmicro.com/other")]
        [InlineData("https://xdr.trendmicro.com")]
        public void Any_other_issuer_is_refused_unless_allowed_and_then_warned_about(string issuer)
        {
            var ex = Assert.Throws<VisionOneException>(() => IssuerTrust.Require(issuer, false, "named by the template t.yaml", NullLogSink.Instance));
            Assert.Equal(IssuerTrust.UntrustedIssuerErrorId, ex.ErrorId);
            Assert.Equal(FailureKind.SecurityError, ex.Kind);
            Assert.Contains("-AllowCustomIssuer", ex.Message);

            var log = new CollectingLogSink();
            IssuerTrust.Require(issuer, true, "named by the template t.yaml", log);
            Assert.Contains("not a Vision One issuer", Assert.Single(log.WarningLines));
        }

        [Fact]
        public void A_template_policy_that_differs_from_the_published_one_is_warned_about_with_its_actions()
        {
            var part1 = JsonNode.Parse(PublishedPolicies.Load()["VisionOnePolicyPart1"])!.AsObject();
            var statements = part1["Statement"]!.AsArray();
            statements.Add(JsonNode.Parse("{\"Effect\":\"Allow\",\"Action\":[\"iam:CreateUser\",\"s3:GetObject\"],\"Resource\":\"*\"}"));
            var diff = PolicyDiff.Between(part1.ToJsonString(), PublishedPolicies.Load()["VisionOnePolicyPart1"]);

            Assert.NotNull(diff);
            Assert.Equal(new[] { "iam:CreateUser", "s3:GetObject" }, diff!.AddedActions);
            Assert.Empty(diff.DroppedActions);
            Assert.Contains(diff.Lines, l => l.StartsWith("+ ") && l.Contains("iam:CreateUser"));
            Assert.Null(PolicyDiff.Between(PublishedPolicies.Load()["VisionOnePolicyPart2"], PublishedPolicies.Load()["VisionOnePolicyPart2"]));
            Assert.Equal("adds iam:CreateUser, s3:GetObject", diff.Summary());
        }

        private static VisionOneTemplate TemplateWith(string part, string statement)
        {
            var root = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Onboarding", "Fixtures", "vision-one-template.json")))!;
            root["Resources"]![part]!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Add(JsonNode.Parse(statement));
            return VisionOneTemplate.Read(root.ToJsonString(), PolicySource.ContextFor("123456789012", "us-east-1"));
        }

        [Fact]
        public void A_template_policy_that_grants_more_is_refused_unless_allowed_and_one_that_narrows_is_applied_with_a_warning()
        {
            var widened = TemplateWith("VisionOnePolicyPart2", "{\"Effect\":\"Allow\",\"Action\":[\"iam:CreateAccessKey\",\"s3:GetObject\"],\"Resource\":\"*\"}");
            var ex = Assert.Throws<VisionOneException>(() => PolicySource.FromTemplate(widened, "t.json", NullLogSink.Instance, allowPolicyChanges: false));
            Assert.Equal("VisionOne.TemplatePolicyWidened", ex.ErrorId);
            Assert.Equal(FailureKind.SecurityError, ex.Kind);
            Assert.Contains("VisionOnePolicyPart2", ex.Message);
            Assert.Contains("iam:CreateAccessKey", ex.Message);
            var allowed = new CollectingLogSink();
            Assert.Equal(3, PolicySource.FromTemplate(widened, "t.json", allowed, allowPolicyChanges: true).Count);
            Assert.Contains("adds iam:CreateAccessKey", Assert.Single(allowed.WarningLines));

            // A Deny statement only narrows; an action another part already grants grants nothing new.
            foreach (var narrowing in new[]
            {
                TemplateWith("VisionOnePolicyPart1", "{\"Effect\":\"Deny\",\"Action\":\"iam:CreateAccessKey\",\"Resource\":\"*\"}"),
                TemplateWith("VisionOnePolicyPart3", "{\"Effect\":\"Allow\",\"Action\":\"ssm:DeleteParameter\",\"Resource\":\"*\"}"),
            })
            {
                var log = new CollectingLogSink();
                Assert.Equal(3, PolicySource.FromTemplate(narrowing, "t.json", log, allowPolicyChanges: false).Count);
                Assert.Contains("differs from the document Trend publishes", Assert.Single(log.WarningLines));
            }
        }

        [Fact]
        public void A_policy_rewritten_wholesale_is_summed_up_in_a_line_not_a_page()
        {
            var actions = Enumerable.Range(1, 200).Select(i => "ec2:DescribeThing" + i.ToString("000")).ToArray();
            var rewritten = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[" + string.Join(",", actions.Select(a => "\"" + a + "\"")) + "],\"Resource\":\"*\"}]}";
            var diff = PolicyDiff.Between(rewritten, PublishedPolicies.Load()["VisionOnePolicyPart1"])!;

            Assert.Equal(200, diff.AddedActions.Count);
            var summary = diff.Summary();
            Assert.StartsWith("adds " + string.Join(", ", actions.Take(PolicyDiff.ActionsNamed)) + " and 188 more; drops ", summary);
            Assert.EndsWith(" and " + (diff.DroppedActions.Count - PolicyDiff.ActionsNamed) + " more", summary);
            Assert.True(summary.Length < 2000, summary);
        }

        [Theory]
        [InlineData("https://bucket.s3.amazonaws.com/t.yaml?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc", "https://bucket.s3.amazonaws.com/t.yaml")]
        [InlineData("/templates/t.yaml?x-amz-security-token=IQo%2Babc", "/templates/t.yaml")]
        [InlineData("https://host/t.yaml?version=3", "https://host/t.yaml?version=3")]
        [InlineData("https://us-east-1.console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/quickcreate?templateURL=https%3A%2F%2Fb%2Ft.yaml%3FX-Amz-Signature%3Dabc&stackName=x",
            "https://us-east-1.console.aws.amazon.com/cloudformation/home")]
        [InlineData("https://host/t.yaml", "https://host/t.yaml")]
        public void A_URL_whose_query_is_a_credential_is_shown_without_the_query(string url, string shown)
        {
            Assert.Equal(shown, UrlRedaction.WithoutCredentials(url));
        }
    }
}
