using System.Text.Json.Nodes;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding.Tests.Onboarding
{
    public class TemplateParserTests
    {
        [Fact]
        public void Every_yaml_short_form_becomes_its_long_form()
        {
            const string yaml = @"
Resources:
  R:
    Properties:
      Ref: !Ref Param
      Sub: !Sub 'arn:${AWS::Partition}:s3:::x'
      GetAtt: !GetAtt Bucket.Arn
      GetAttList: !GetAtt [Bucket, Arn]
      Join: !Join ['', [a, b]]
      Select: !Select [0, !Split [',', 'a,b']]
      If: !If [Cond, yes-value, !Ref AWS::NoValue]
      FindInMap: !FindInMap [Map, Top, Second]
      Base64: !Base64 text
      GetAZs: !GetAZs ''
      ImportValue: !ImportValue Export
      Conditions: !And [!Equals [a, b], !Not [!Condition Other], !Or [!Condition A, !Condition B]]
";
            var root = TemplateParser.Parse(yaml);
            var p = root["Resources"]!["R"]!["Properties"]!;

            Assert.Equal("{\"Ref\":\"Param\"}", p["Ref"]!.ToJsonString());
            Assert.Equal("{\"Fn::Sub\":\"arn:${AWS::Partition}:s3:::x\"}", p["Sub"]!.ToJsonString());
            Assert.Equal("{\"Fn::GetAtt\":[\"Bucket\",\"Arn\"]}", p["GetAtt"]!.ToJsonString());
            Assert.Equal("{\"Fn::GetAtt\":[\"Bucket\",\"Arn\"]}", p["GetAttList"]!.ToJsonString());
            Assert.Equal("{\"Fn::Join\":[\"\",[\"a\",\"b\"]]}", p["Join"]!.ToJsonString());
            Assert.Equal("{\"Fn::Select\":[0,{\"Fn::Split\":[\",\",\"a,b\"]}]}", p["Select"]!.ToJsonString());
            Assert.Equal("{\"Fn::If\":[\"Cond\",\"yes-value\",{\"Ref\":\"AWS::NoValue\"}]}", p["If"]!.ToJsonString());
            Assert.Equal("{\"Fn::FindInMap\":[\"Map\",\"Top\",\"Second\"]}", p["FindInMap"]!.ToJsonString());
            Assert.Equal("{\"Fn::Base64\":\"text\"}", p["Base64"]!.ToJsonString());
            Assert.Equal("{\"Fn::GetAZs\":\"\"}", p["GetAZs"]!.ToJsonString());
            Assert.Equal("{\"Fn::ImportValue\":\"Export\"}", p["ImportValue"]!.ToJsonString());
            Assert.Equal(
                "{\"Fn::And\":[{\"Fn::Equals\":[\"a\",\"b\"]},{\"Fn::Not\":[{\"Condition\":\"Other\"}]},{\"Fn::Or\":[{\"Condition\":\"A\"},{\"Condition\":\"B\"}]}]}",
                p["Conditions"]!.ToJsonString());
        }

        [Fact]
        public void Plain_yaml_scalars_keep_what_cloudformation_means()
        {
            const string yaml = @"
Resources:
  R:
    Version: 2012-10-17
    Account: 012345678901
    Seconds: 3600
    QuotedSeconds: '3600'
    Secure: false
    Empty:
    Tagged: !!str 42
";
            var r = TemplateParser.Parse(yaml)["Resources"]!["R"]!;

            Assert.Equal("\"2012-10-17\"", r["Version"]!.ToJsonString());
            Assert.Equal("\"012345678901\"", r["Account"]!.ToJsonString());
            Assert.Equal("3600", r["Seconds"]!.ToJsonString());
            Assert.Equal("\"3600\"", r["QuotedSeconds"]!.ToJsonString());
            Assert.Equal("false", r["Secure"]!.ToJsonString());
            Assert.True(r.AsObject().ContainsKey("Empty"));
            Assert.Null(r["Empty"]);
            Assert.Equal("\"42\"", r["Tagged"]!.ToJsonString());
        }

        [Fact]
        public void Json_is_detected_by_content_and_read_as_is()
        {
            var root = TemplateParser.Parse("  \n{\"Resources\": {\"R\": {\"Type\": \"AWS::IAM::ManagedPolicy\", \"N\": 1}}}");

            Assert.Equal("AWS::IAM::ManagedPolicy", root["Resources"]!["R"]!["Type"]!.GetValue<string>());
        }

        [Theory]
        [InlineData("")]
        [InlineData("   \n\t ")]
        [InlineData("\uFEFF \n")]
        public void Empty_text_is_malformed(string text)
        {
            var error = Assert.Throws<TemplateException>(() => TemplateParser.Parse(text));

            Assert.Equal("VisionOne.TemplateMalformed", error.ErrorId);
        }

        [Fact]
        public void Broken_json_is_malformed_with_its_line()
        {
            const string json = "{\n  \"Resources\": {\n    \"R\": {\"Type\": \"X\",}\n  }\n}";

            var error = Assert.Throws<TemplateException>(() => TemplateParser.Parse(json));

            Assert.Equal("VisionOne.TemplateMalformed", error.ErrorId);
            Assert.Equal(3, error.Line);
            Assert.Contains("line 3", error.Message);
            Assert.DoesNotContain("LineNumber", error.Message);
        }

        [Fact]
        public void A_json_key_given_twice_is_malformed_and_named()
        {
            var error = Assert.Throws<TemplateException>(() => TemplateParser.Parse("{\"Resources\": {\"R\": 1, \"R\": 2}}"));

            Assert.Equal("VisionOne.TemplateMalformed", error.ErrorId);
            Assert.Contains("'R' twice", error.Message);
        }

        [Fact]
        public void Broken_yaml_is_malformed_with_its_line()
        {
            const string yaml = "Resources:\n  R:\n    Type: AWS::IAM::Role\n   Bad: [unclosed\n";

            var error = Assert.Throws<TemplateException>(() => TemplateParser.Parse(yaml));

            Assert.Equal("VisionOne.TemplateMalformed", error.ErrorId);
            Assert.NotNull(error.Line);
            Assert.Contains("line " + error.Line, error.Message);
        }

        [Fact]
        public void An_unknown_yaml_tag_is_malformed_and_named()
        {
            const string yaml = "Resources:\n  R:\n    Value: !NotAFunction x\n";

            var error = Assert.Throws<TemplateException>(() => TemplateParser.Parse(yaml));

            Assert.Equal("VisionOne.TemplateMalformed", error.ErrorId);
            Assert.Contains("!NotAFunction", error.Message);
            Assert.Equal(3, error.Line);
        }

        [Fact]
        public void A_yaml_key_given_twice_is_malformed()
        {
            var error = Assert.Throws<TemplateException>(() => TemplateParser.Parse("Resources:\n  R: 1\n  R: 2\n"));

            Assert.Equal("VisionOne.TemplateMalformed", error.ErrorId);
        }

        [Fact]
        public void A_yaml_list_at_the_top_is_not_a_template()
        {
            var error = Assert.Throws<TemplateException>(() => TemplateParser.Parse("- a\n- b\n"));

            Assert.Equal("VisionOne.TemplateMalformed", error.ErrorId);
        }
    }
}
