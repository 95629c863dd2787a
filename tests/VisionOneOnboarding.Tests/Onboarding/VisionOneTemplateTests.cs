using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding.Tests.Onboarding
{
    public class VisionOneTemplateTests
    {
        private const string Account = "111122223333";

        private static string Fixture(string name) =>
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Onboarding", "Fixtures", name));

        private static TemplateContext Context(string partition = "aws") =>
            new TemplateContext(Account, "us-east-1", partition) { StackName = "Vision-One-Cloud-Account-Management" };

        // Part3 of the YAML fixture: the published statement plus two the fixture adds to exercise the resolver.
        private static string ExpectedYamlPart3(bool withParameterStore, string partition, string roleName)
        {
            var document = JsonNode.Parse(PublishedPolicies.Load()["VisionOnePolicyPart3"])!.AsObject();
            var statements = document["Statement"]!.AsArray();
            if (withParameterStore)
            {
                statements.Add(JsonNode.Parse("{\"Sid\":\"VisionOneParameterStore\",\"Effect\":\"Allow\",\"Action\":\"ssm:DeleteParameter\"," +
                    $"\"Resource\":\"arn:{partition}:ssm:us-east-1:{Account}:parameter/trendmicro/visionone/us/*\"}}"));
            }
            statements.Add(JsonNode.Parse("{\"Sid\":\"VisionOneRoleSelfRead\",\"Effect\":\"Allow\",\"Action\":[\"iam:GetRole\",\"iam:ListAttachedRolePolicies\"]," +
                $"\"Resource\":\"arn:{partition}:iam::{Account}:role/{roleName}\"," +
                "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/VisionOneCloudFormationStackName\":\"Vision-One-Cloud-Account-Management\"}}}"));
            return document.ToJsonString();
        }

        [Fact]
        public void Json_fixture_yields_the_three_published_policies_and_the_issuer()
        {
            var template = VisionOneTemplate.Read(Fixture("vision-one-template.json"), Context());
            var published = PublishedPolicies.Load();

            Assert.Equal(PublishedPolicies.Names, template.Policies.Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var name in PublishedPolicies.Names)
            {
                Assert.True(PolicyDocument.SemanticallyEqual(published[name], template.Policies[name]), name);
                PolicyDocument.Validate(name, template.Policies[name]);
            }
            Assert.Equal("https://cloudaccounts-us.xdr.trendmicro.com", template.OidcProviderUrl);
            Assert.Empty(template.Unresolved);
        }

        [Fact]
        public void Output_documents_are_compact_and_keep_the_version()
        {
            var template = VisionOneTemplate.Read(Fixture("vision-one-template.json"), Context());

            foreach (var document in template.Policies.Values)
            {
                Assert.StartsWith("{\"Version\":\"2012-10-17\",\"Statement\":[", document);
                Assert.Equal(document.Length, PolicyDocument.CountNonWhitespaceCharacters(document));
            }
            Assert.Equal(6028, template.Policies["VisionOnePolicyPart1"].Length);
        }

        [Fact]
        public void Json_fixture_parameters_are_reported_with_their_defaults()
        {
            var template = VisionOneTemplate.Read(Fixture("vision-one-template.json"), Context());

            Assert.Equal("cloudaccounts-us.xdr.trendmicro.com", template.Parameters["VisionOneOIDCProviderURL"]);
            Assert.Equal("us", template.Parameters["VisionOneRegion"]);
            Assert.Equal("1f0e2d3c-4b5a-6978-8695-a4b3c2d1e0f9", template.Parameters["VisionOneAccountID"]);
            Assert.Equal("", template.Parameters["CloudAccountName"]);
            Assert.Equal("Base", template.Parameters["VisionOneFeatures"]);
        }

        [Fact]
        public void Yaml_fixture_with_short_forms_conditions_and_mappings_resolves_for_the_account()
        {
            var template = VisionOneTemplate.Read(Fixture("vision-one-template.yaml"), Context());
            var published = PublishedPolicies.Load();

            Assert.True(PolicyDocument.SemanticallyEqual(published["VisionOnePolicyPart1"], template.Policies["VisionOnePolicyPart1"]));
            Assert.True(PolicyDocument.SemanticallyEqual(published["VisionOnePolicyPart2"], template.Policies["VisionOnePolicyPart2"]));
            Assert.Equal(PolicyDocument.Canonicalize(ExpectedYamlPart3(true, "aws", "VisionOneRole")), PolicyDocument.Canonicalize(template.Policies["VisionOnePolicyPart3"]));
            // Part1 writes Version unquoted, which YAML 1.1 would read as a date.
            Assert.StartsWith("{\"Version\":\"2012-10-17\"", template.Policies["VisionOnePolicyPart1"]);
            Assert.Equal("https://cloudaccounts-us.xdr.trendmicro.com", template.OidcProviderUrl);
            Assert.Equal("VisionOneRole", template.Parameters["RoleName"]);
        }

        [Fact]
        public void Yaml_fixture_follows_the_partition_through_conditions_and_arns()
        {
            var template = VisionOneTemplate.Read(Fixture("vision-one-template.yaml"), Context("aws-cn"));

            Assert.Equal(PolicyDocument.Canonicalize(ExpectedYamlPart3(false, "aws-cn", "VisionOneRole")), PolicyDocument.Canonicalize(template.Policies["VisionOnePolicyPart3"]));
        }

        [Fact]
        public void Parameter_overrides_win_over_defaults()
        {
            var context = Context();
            context.ParameterOverrides["VisionOneRegion"] = "jp";
            context.ParameterOverrides["RoleName"] = "CustomVisionOneRole";
            context.ParameterOverrides["VisionOneOIDCProviderURL"] = "cloudaccounts-jp.xdr.trendmicro.com";

            var template = VisionOneTemplate.Read(Fixture("vision-one-template.yaml"), context);

            Assert.Equal(PolicyDocument.Canonicalize(ExpectedYamlPart3(false, "aws", "CustomVisionOneRole")), PolicyDocument.Canonicalize(template.Policies["VisionOnePolicyPart3"]));
            Assert.Equal("https://cloudaccounts-jp.xdr.trendmicro.com", template.OidcProviderUrl);
            Assert.Equal("us", template.Parameters["VisionOneRegion"]); // Parameters report the template's defaults
        }

        [Fact]
        public void An_unknown_account_id_in_a_policy_is_unresolvable_and_named()
        {
            var context = new TemplateContext(null, "us-east-1") { StackName = "s" };

            var error = Assert.Throws<TemplateException>(() => VisionOneTemplate.Read(Fixture("vision-one-template.yaml"), context));

            Assert.Equal("VisionOne.TemplateUnresolvable", error.ErrorId);
            Assert.Equal("VisionOnePolicyPart3", error.Name);
            Assert.Equal("Resources.VisionOnePolicyPart3.Properties.PolicyDocument.Statement[1].Fn::If[1].Resource", error.Path);
            Assert.Equal("Fn::Sub ${AWS::AccountId}", error.Intrinsic);
            Assert.Contains("VisionOnePolicyPart3", error.Message);
            Assert.Contains(error.Path!, error.Message);
            Assert.Contains("AWS::AccountId", error.Message);
        }

        [Theory]
        [InlineData("!GetAtt OtherRole.Arn", "Fn::GetAtt OtherRole.Arn", "another resource")]
        [InlineData("!ImportValue SharedTrailBucketArn", "Fn::ImportValue SharedTrailBucketArn", "another stack")]
        [InlineData("!Select [0, !GetAZs '']", "Fn::GetAZs \"\"", "Availability Zones")]
        [InlineData("!Ref TrailBucket", "Ref TrailBucket", "no Default")]
        [InlineData("!Ref OtherRole", "Ref OtherRole", "resource 'OtherRole'")]
        [InlineData("!Sub '${OtherRole.Arn}/*'", "Fn::Sub ${OtherRole.Arn}", "attribute 'Arn' of the resource 'OtherRole'")]
        [InlineData("!Ref AWS::StackId", "Ref AWS::StackId", "deployed stack")]
        public void Values_only_a_deployment_knows_are_refused_naming_policy_path_and_intrinsic(string resource, string intrinsic, string reason)
        {
            string yaml = MinimalTemplate(
                parameters: "  TrailBucket:\n    Type: String\n",
                extraResources: "  OtherRole:\n    Type: AWS::IAM::Role\n",
                part1Statement:
                "        - Effect: Allow\n" +
                "          Action: s3:GetObject\n" +
                "          Resource:\n" +
                "            - 'arn:aws:s3:::fixed/*'\n" +
                "            - " + resource + "\n");

            var error = Assert.Throws<TemplateException>(() => VisionOneTemplate.Read(yaml, Context()));

            Assert.Equal("VisionOne.TemplateUnresolvable", error.ErrorId);
            Assert.Equal("VisionOnePolicyPart1", error.Name);
            Assert.Equal(intrinsic, error.Intrinsic);
            Assert.StartsWith("Resources.VisionOnePolicyPart1.Properties.PolicyDocument.Statement[0].Resource[1]", error.Path);
            Assert.Contains("VisionOnePolicyPart1", error.Message);
            Assert.Contains(intrinsic, error.Message);
            Assert.Contains(error.Path!, error.Message);
            Assert.Contains(reason, error.Message);
        }

        [Fact]
        public void Pure_intrinsics_resolve_inside_a_policy()
        {
            string yaml = MinimalTemplate(
                parameters:
                "  Regions:\n    Type: CommaDelimitedList\n    Default: us-east-1,eu-west-1\n" +
                "  Environment:\n    Type: String\n    Default: prod\n",
                conditions:
                "  IsProd: !Equals [!Ref Environment, prod]\n" +
                "  IsProdOrTest: !Or [!Condition IsProd, !Equals [!Ref Environment, test]]\n" +
                "  IsNotChina: !Not [!Equals [!Ref AWS::Partition, aws-cn]]\n" +
                "  Both: !And [!Condition IsProdOrTest, !Condition IsNotChina]\n",
                mappings:
                "  Buckets:\n    prod:\n      Name: v1-prod-bucket\n",
                part1Statement:
                "        - Sid: !If [Both, Both, Neither]\n" +
                "          Effect: Allow\n" +
                "          Action: !Split [',', 's3:GetObject,s3:ListBucket']\n" +
                "          Resource:\n" +
                "            - !Sub 'arn:${AWS::Partition}:s3:::${Bucket}/${!literal}'\n" +
                "            - !Sub\n" +
                "              - 'arn:aws:s3:::${Bucket}'\n" +
                "              - Bucket: !FindInMap [Buckets, !Ref Environment, Name]\n" +
                "            - !Join [':', [host, !Ref AWS::URLSuffix, !Select [1, !Ref Regions]]]\n" +
                "            - !Base64 abc\n" +
                "          Condition: !If [IsProd, !Ref AWS::NoValue, {Bool: {aws:SecureTransport: true}}]\n",
                extraResources:
                "  Bucket:\n    Type: AWS::S3::Bucket\n");
            // ${Bucket} names a resource: give it through the Sub's own variables instead.
            yaml = yaml.Replace("'arn:${AWS::Partition}:s3:::${Bucket}/${!literal}'", "['arn:${AWS::Partition}:s3:::${Name}/${!literal}', {Name: fixed}]");

            var template = VisionOneTemplate.Read(yaml, Context());

            Assert.Equal(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Both\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"]," +
                "\"Resource\":[\"arn:aws:s3:::fixed/${literal}\",\"arn:aws:s3:::v1-prod-bucket\",\"host:amazonaws.com:eu-west-1\",\"YWJj\"]}]}",
                template.Policies["VisionOnePolicyPart1"]);
        }

        [Fact]
        public void Url_suffix_and_conditions_follow_the_china_partition()
        {
            string yaml = MinimalTemplate(
                conditions: "  IsNotChina: !Not [!Equals [!Ref AWS::Partition, aws-cn]]\n",
                part1Statement:
                "        - Effect: Allow\n" +
                "          Action: s3:GetObject\n" +
                "          Resource: !If [IsNotChina, global, !Sub 'sts.${AWS::URLSuffix}']\n");

            var template = VisionOneTemplate.Read(yaml, Context("aws-cn"));

            Assert.Contains("\"Resource\":\"sts.amazonaws.com.cn\"", template.Policies["VisionOnePolicyPart1"]);
        }

        [Fact]
        public void A_missing_policy_resource_is_named()
        {
            var json = JsonNode.Parse(Fixture("vision-one-template.json"))!.AsObject();
            json["Resources"]!.AsObject().Remove("VisionOnePolicyPart2");

            var error = Assert.Throws<TemplateException>(() => VisionOneTemplate.Read(json.ToJsonString(), Context()));

            Assert.Equal("VisionOne.TemplateResourceMissing", error.ErrorId);
            Assert.Equal("VisionOnePolicyPart2", error.Name);
            Assert.Contains("VisionOnePolicyPart2", error.Message);
            Assert.DoesNotContain("VisionOnePolicyPart1", error.Message);
        }

        [Fact]
        public void A_policy_resource_under_another_logical_id_is_found_by_its_policy_name()
        {
            var json = JsonNode.Parse(Fixture("vision-one-template.json"))!.AsObject();
            var resources = json["Resources"]!.AsObject();
            var part1 = resources["VisionOnePolicyPart1"]!;
            resources.Remove("VisionOnePolicyPart1");
            part1["Properties"]!["ManagedPolicyName"] = JsonNode.Parse("{\"Fn::Join\":[\"\",[\"VisionOnePolicy\",\"Part1\"]]}");
            resources["CorePolicyOne"] = part1;

            var template = VisionOneTemplate.Read(json.ToJsonString(), Context());

            Assert.True(PolicyDocument.SemanticallyEqual(PublishedPolicies.Load()["VisionOnePolicyPart1"], template.Policies["VisionOnePolicyPart1"]));
        }

        [Fact]
        public void A_policy_resource_whose_condition_is_false_is_not_created_so_it_is_missing()
        {
            string yaml = MinimalTemplate(conditions: "  Never: !Equals [a, b]\n")
                .Replace("  VisionOnePolicyPart3:\n    Type:", "  VisionOnePolicyPart3:\n    Condition: Never\n    Type:");

            var error = Assert.Throws<TemplateException>(() => VisionOneTemplate.Read(yaml, Context()));

            Assert.Equal("VisionOne.TemplateResourceMissing", error.ErrorId);
            Assert.Equal("VisionOnePolicyPart3", error.Name);
        }

        [Fact]
        public void A_template_without_resources_is_malformed()
        {
            var error = Assert.Throws<TemplateException>(() =>
                VisionOneTemplate.Read("AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  A:\n    Type: String\n", Context()));

            Assert.Equal("VisionOne.TemplateMalformed", error.ErrorId);
            Assert.Contains("Resources", error.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("  \r\n ")]
        [InlineData("{\"Resources\": {")]
        public void Empty_or_broken_text_is_malformed(string text)
        {
            var error = Assert.Throws<TemplateException>(() => VisionOneTemplate.Read(text, Context()));

            Assert.Equal("VisionOne.TemplateMalformed", error.ErrorId);
        }

        [Fact]
        public void Bad_intrinsic_arguments_are_malformed_not_unresolvable()
        {
            string yaml = MinimalTemplate(part1Statement:
                "        - Effect: Allow\n          Action: s3:GetObject\n          Resource: !Select [5, [a, b]]\n");

            var error = Assert.Throws<TemplateException>(() => VisionOneTemplate.Read(yaml, Context()));

            Assert.Equal("VisionOne.TemplateMalformed", error.ErrorId);
            Assert.Equal("VisionOnePolicyPart1", error.Name);
        }

        [Fact]
        public void A_policy_document_given_as_json_text_is_read()
        {
            string yaml = MinimalTemplate().Replace(
                "  VisionOnePolicyPart2:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n",
                "  VisionOnePolicyPart2:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: VisionOnePolicyPart2\n      PolicyDocument: !Sub |\n        {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:${AWS::Partition}:s3:::b\"}]}\n");

            var template = VisionOneTemplate.Read(yaml, Context());

            Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b\"}]}",
                template.Policies["VisionOnePolicyPart2"]);
        }

        [Fact]
        public void Without_a_provider_resource_the_issuer_comes_from_the_parameter_with_https()
        {
            string yaml = MinimalTemplate(parameters: "  VisionOneOIDCProviderURL:\n    Type: String\n    Default: cloudaccounts-eu.xdr.trendmicro.com\n");

            var template = VisionOneTemplate.Read(yaml, Context());

            Assert.Equal("https://cloudaccounts-eu.xdr.trendmicro.com", template.OidcProviderUrl);
            Assert.Empty(template.Unresolved);
        }

        [Fact]
        public void An_issuer_that_cannot_be_resolved_is_listed_not_thrown()
        {
            string yaml = MinimalTemplate(
                parameters: "  VisionOneOIDCProviderURL:\n    Type: String\n",
                extraResources: "  Provider:\n    Type: AWS::IAM::OIDCProvider\n    Properties:\n      Url: !ImportValue VisionOneIssuer\n");

            var template = VisionOneTemplate.Read(yaml, Context());

            Assert.Null(template.OidcProviderUrl);
            Assert.Null(template.Parameters["VisionOneOIDCProviderURL"]);
            Assert.Equal(2, template.Unresolved.Count);
            Assert.Equal("OidcProviderUrl", template.Unresolved[0].Subject);
            Assert.Equal("Resources.Provider.Properties.Url", template.Unresolved[0].Path);
            Assert.Equal("Fn::ImportValue VisionOneIssuer", template.Unresolved[0].Intrinsic);
            Assert.Equal("Parameters.VisionOneOIDCProviderURL", template.Unresolved[1].Path);
            Assert.Equal(3, template.Policies.Count);
        }

        // A small YAML template with the three policies; Part1's statements can be replaced.
        private static string MinimalTemplate(string parameters = "", string conditions = "", string mappings = "", string extraResources = "",
            string part1Statement = "        - Effect: Allow\n          Action: s3:GetObject\n          Resource: '*'\n")
        {
            string Section(string name, string body) => body.Length == 0 ? "" : name + ":\n" + body;
            string Policy(int part, string statements) =>
                $"  VisionOnePolicyPart{part}:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n" + statements;
            string simple = "          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n";
            return Section("Parameters", parameters) + Section("Conditions", conditions) + Section("Mappings", mappings) +
                "Resources:\n" +
                $"  VisionOnePolicyPart1:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n" + part1Statement +
                Policy(2, simple) + Policy(3, simple) + extraResources;
        }
    }
}
