using System;
using System.IO;
using System.Linq;
using System.Text;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding.Tests.Onboarding
{
    public class PolicyDocumentTests
    {
        [Fact]
        public void Canonicalize_sorts_keys_wraps_single_strings_and_removes_white_space()
        {
            const string document = @"{
                ""Version"": ""2012-10-17"",
                ""Statement"": { ""Sid"": ""Read"", ""Resource"": ""*"", ""Effect"": ""Allow"", ""Action"": [""s3:List*"", ""ec2:Describe*"", ""s3:List*""] }
            }";

            Assert.Equal(
                "{\"Statement\":[{\"Action\":[\"ec2:Describe*\",\"s3:List*\"],\"Effect\":\"Allow\",\"Resource\":[\"*\"],\"Sid\":\"Read\"}],\"Version\":\"2012-10-17\"}",
                PolicyDocument.Canonicalize(document));
        }

        [Fact]
        public void Order_of_actions_and_of_statements_does_not_matter()
        {
            const string a = @"{""Version"":""2012-10-17"",""Statement"":[
                {""Effect"":""Allow"",""Action"":[""iam:GetRole"",""iam:ListRoles""],""Resource"":""*""},
                {""Effect"":""Deny"",""Action"":""s3:DeleteBucket"",""Resource"":""*""}]}";
            const string b = @"{""Statement"":[
                {""Resource"":[""*""],""Action"":[""s3:DeleteBucket""],""Effect"":""Deny""},
                {""Action"":[""iam:ListRoles"",""iam:GetRole"",""iam:GetRole""],""Resource"":[""*""],""Effect"":""Allow""}],""Version"":""2012-10-17""}";

            Assert.True(PolicyDocument.SemanticallyEqual(a, b));
        }

        [Fact]
        public void Single_strings_equal_one_element_lists_in_actions_resources_principals_and_conditions()
        {
            const string a = @"{""Version"":""2012-10-17"",""Statement"":{""Effect"":""Allow"",""Principal"":{""Federated"":""arn:aws:iam::111122223333:oidc-provider/cloudaccounts-us.xdr.trendmicro.com""},
                ""NotAction"":""iam:*"",""NotResource"":""arn:aws:s3:::secret"",
                ""Condition"":{""StringEquals"":{""cloudaccounts-us.xdr.trendmicro.com:aud"":""arn:aws:iam::111122223333:root""}}}}";
            const string b = @"{""Version"":""2012-10-17"",""Statement"":[{""Effect"":""Allow"",""Principal"":{""Federated"":[""arn:aws:iam::111122223333:oidc-provider/cloudaccounts-us.xdr.trendmicro.com""]},
                ""NotAction"":[""iam:*""],""NotResource"":[""arn:aws:s3:::secret""],
                ""Condition"":{""StringEquals"":{""cloudaccounts-us.xdr.trendmicro.com:aud"":[""arn:aws:iam::111122223333:root""]}}}]}";

            Assert.True(PolicyDocument.SemanticallyEqual(a, b));
        }

        [Fact]
        public void Differing_condition_values_are_not_equal()
        {
            const string template = @"{{""Version"":""2012-10-17"",""Statement"":[{{""Effect"":""Allow"",""Principal"":{{""Federated"":""arn:aws:iam::111122223333:oidc-provider/cloudaccounts-us.xdr.trendmicro.com""}},
                ""Action"":[""sts:AssumeRoleWithWebIdentity"",""sts:SetSourceIdentity""],
                ""Condition"":{{""StringEquals"":{{""cloudaccounts-us.xdr.trendmicro.com:sub"":[{0}]}}}}}}]}}";
            string expected = string.Format(template, "\"urn:visionone:identity:us:1234:account/1234\"");
            string extraSub = string.Format(template, "\"urn:visionone:identity:us:1234:account/1234\",\"urn:visionone:identity:us:9999:account/9999\"");
            string otherSub = string.Format(template, "\"urn:visionone:identity:eu:1234:account/1234\"");

            Assert.False(PolicyDocument.SemanticallyEqual(expected, extraSub));
            Assert.False(PolicyDocument.SemanticallyEqual(expected, otherSub));
            Assert.True(PolicyDocument.SemanticallyEqual(expected, string.Format(template, "\"urn:visionone:identity:us:1234:account/1234\"")));
        }

        [Fact]
        public void Effect_sid_and_case_of_actions_still_count()
        {
            const string allow = @"{""Version"":""2012-10-17"",""Statement"":[{""Sid"":""A"",""Effect"":""Allow"",""Action"":""s3:GetObject"",""Resource"":""*""}]}";

            Assert.False(PolicyDocument.SemanticallyEqual(allow, allow.Replace("\"Allow\"", "\"Deny\"")));
            Assert.False(PolicyDocument.SemanticallyEqual(allow, allow.Replace("\"Sid\":\"A\"", "\"Sid\":\"B\"")));
            Assert.False(PolicyDocument.SemanticallyEqual(allow, allow.Replace("s3:GetObject", "s3:PutObject")));
        }

        [Fact]
        public void Published_policies_equal_their_own_reformatted_and_reordered_copies()
        {
            foreach (var document in PublishedPolicies.Load().Values)
            {
                var reversed = System.Text.Json.Nodes.JsonNode.Parse(document)!.AsObject();
                var statement = reversed["Statement"]![0]!.AsObject();
                var actions = statement["Action"]!.AsArray().Select(a => a!.GetValue<string>()).Reverse().ToArray();
                statement["Action"] = new System.Text.Json.Nodes.JsonArray(actions.Select(a => (System.Text.Json.Nodes.JsonNode?)a).ToArray());
                statement["Resource"] = "*";

                Assert.True(PolicyDocument.SemanticallyEqual(document, reversed.ToJsonString()));
            }
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("{\"Version\":\"2012-10-17\",")]
        [InlineData("[1,2]")]
        [InlineData("")]
        [InlineData("{\"Version\":\"2012-10-17\",\"Version\":\"2008-10-17\",\"Statement\":[]}")]
        public void Canonicalize_refuses_what_is_not_a_json_object(string text)
        {
            var error = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Canonicalize(text));

            Assert.Equal("VisionOne.PolicyDocumentMalformed", error.ErrorId);
        }

        [Fact]
        public void Published_part1_is_6028_characters_without_white_space_as_the_reference_says()
        {
            var published = PublishedPolicies.Load();

            Assert.Equal(6028, PolicyDocument.CountNonWhitespaceCharacters(published["VisionOnePolicyPart1"]));
            Assert.Equal(5725, PolicyDocument.CountNonWhitespaceCharacters(published["VisionOnePolicyPart2"]));
            Assert.Equal(1150, PolicyDocument.CountNonWhitespaceCharacters(published["VisionOnePolicyPart3"]));
            // The count is the length of the compact form: it does not depend on the layout.
            string compact = PolicyDocument.Canonicalize(published["VisionOnePolicyPart1"]);
            Assert.Equal(6028, compact.Length);
        }

        [Fact]
        public void White_space_inside_strings_counts_and_layout_does_not()
        {
            Assert.Equal(11, PolicyDocument.CountNonWhitespaceCharacters("{ \"a\" :\n\t\"b c\" }"));
            // An escaped quote does not end the string, so the blank after it is still data.
            Assert.Equal(13, PolicyDocument.CountNonWhitespaceCharacters("{\"a\": \"b\\\" c\"}"));
        }

        [Fact]
        public void Published_policies_pass_validation()
        {
            foreach (var policy in PublishedPolicies.Load())
            {
                PolicyDocument.Validate(policy.Key, policy.Value);
            }
        }

        [Fact]
        public void A_policy_over_6144_characters_is_refused_with_name_size_limit_and_advice()
        {
            string oversized = DocumentWithActions(Enumerable.Range(0, 400).Select(i => "ec2:DescribeSomething" + i));
            int size = PolicyDocument.CountNonWhitespaceCharacters(oversized);
            Assert.True(size > 6144);

            var error = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Validate("VisionOnePolicyPart1", oversized));

            Assert.Equal("VisionOne.PolicyTooLarge", error.ErrorId);
            Assert.Equal("VisionOnePolicyPart1", error.PolicyName);
            Assert.Contains("VisionOnePolicyPart1", error.Message);
            Assert.Contains(size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), error.Message);
            Assert.Contains("6,144", error.Message);
            Assert.Contains("Shorten", error.Message);
        }

        [Fact]
        public void A_policy_of_exactly_6144_characters_is_accepted()
        {
            string document = DocumentWithActions(new[] { "s3:GetObject" });
            string padded = document.Replace("s3:GetObject", "s3:GetObject" + new string('x', 6144 - PolicyDocument.CountNonWhitespaceCharacters(document)));
            Assert.Equal(6144, PolicyDocument.CountNonWhitespaceCharacters(padded));

            PolicyDocument.Validate("Exact", padded);
        }

        [Theory]
        [InlineData("{\"Statement\":[]}", "it has none")]
        [InlineData("{\"Version\":\"2008-10-17\",\"Statement\":[]}", "2008-10-17")]
        public void A_policy_without_version_2012_10_17_is_refused(string document, string detail)
        {
            var error = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Validate("P", document));

            Assert.Equal("VisionOne.PolicyVersionMissing", error.ErrorId);
            Assert.Contains("2012-10-17", error.Message);
            Assert.Contains(detail, error.Message);
        }

        [Theory]
        [InlineData("{\"Version\":\"2012-10-17\"}")]
        [InlineData("{\"Version\":\"2012-10-17\",\"Statement\":\"Allow\"}")]
        [InlineData("\"just a string\"")]
        [InlineData("{\"Version\":\"2012-10-17\",\"Statement\":[}")]
        public void A_policy_that_is_not_an_object_with_statements_is_malformed(string document)
        {
            var error = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Validate("Broken", document));

            Assert.Equal("VisionOne.PolicyDocumentMalformed", error.ErrorId);
            Assert.Equal("Broken", error.PolicyName);
            Assert.Contains("Broken", error.Message);
        }

        [Fact]
        public void Latin1_text_is_accepted_and_anything_beyond_is_refused()
        {
            string latin1 = DocumentWithActions(new[] { "s3:GetObject" }).Replace("\"Allow\"", "\"Allow\",\"Sid\":\"Caf\u00e9\"");
            PolicyDocument.Validate("Latin", latin1);

            string greek = latin1.Replace("Caf\u00e9", "\u03a9mega");
            var error = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Validate("Greek", greek));
            Assert.Equal("VisionOne.PolicyNotLatin1", error.ErrorId);
            Assert.Contains("U+03A9", error.Message);

            // An escape decodes to the same character, and IAM reads the decoded text.
            var escaped = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Validate("Escaped", latin1.Replace("Caf\u00e9", "\\u4e2d")));
            Assert.Equal("VisionOne.PolicyNotLatin1", escaped.ErrorId);
        }

        [Fact]
        public void Published_policies_are_the_shipped_data_files()
        {
            var published = PublishedPolicies.Load();

            Assert.Equal(new[] { "VisionOnePolicyPart1", "VisionOnePolicyPart2", "VisionOnePolicyPart3" }, published.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal(PublishedPolicies.Names, published.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Contains("\"access-analyzer:ListAnalyzers\"", published["VisionOnePolicyPart1"]);
            Assert.Contains("\"xray:GetEncryptionConfig\"", published["VisionOnePolicyPart3"]);
        }

        private static string DocumentWithActions(System.Collections.Generic.IEnumerable<string> actions) =>
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[" +
            string.Join(",", actions.Select(a => "\"" + a + "\"")) + "],\"Resource\":\"*\"}]}";
    }
}
