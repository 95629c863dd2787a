using System;
using VisionOneOnboarding.Aws;

namespace VisionOneOnboarding.Tests.Aws
{
    public class AwsQueryRequestTests
    {
        [Fact]
        public void Lists_tags_and_scalars_are_form_encoded_in_order()
        {
            var request = new AwsQueryRequest("CreateOpenIDConnectProvider")
                .Add("Url", "https://cloudaccounts-us.xdr.trendmicro.com")
                .AddList("ClientIDList", new[] { "arn:aws:iam::123456789012:root" })
                .AddList("ThumbprintList", new[] { "aaaa", "bbbb" })
                .AddTags("Tags", new[] { new AwsTag("Owner", "Vision One"), new AwsTag("k+=", "v/1") });

            Assert.Equal(
                "Action=CreateOpenIDConnectProvider&Version=2010-05-08" +
                "&Url=https%3A%2F%2Fcloudaccounts-us.xdr.trendmicro.com" +
                "&ClientIDList.member.1=arn%3Aaws%3Aiam%3A%3A123456789012%3Aroot" +
                "&ThumbprintList.member.1=aaaa&ThumbprintList.member.2=bbbb" +
                "&Tags.member.1.Key=Owner&Tags.member.1.Value=Vision%20One" +
                "&Tags.member.2.Key=k%2B%3D&Tags.member.2.Value=v%2F1",
                request.ToFormBody("2010-05-08"));
        }

        [Fact]
        public void Empty_list_is_sent_as_name_equals_nothing_unless_optional()
        {
            var required = new AwsQueryRequest("UpdateOpenIDConnectProviderThumbprint").Add("OpenIDConnectProviderArn", "arn").AddList("ThumbprintList", Array.Empty<string>());
            Assert.Equal("Action=UpdateOpenIDConnectProviderThumbprint&Version=2010-05-08&OpenIDConnectProviderArn=arn&ThumbprintList=", required.ToFormBody("2010-05-08"));

            var optional = new AwsQueryRequest("CreateRole").Add("RoleName", "R").AddList("ClientIDList", Array.Empty<string>(), omitWhenEmpty: true).AddTags("Tags", Array.Empty<AwsTag>());
            Assert.Equal("Action=CreateRole&Version=2010-05-08&RoleName=R", optional.ToFormBody("2010-05-08"));
        }

        [Fact]
        public void Null_scalars_and_booleans()
        {
            var request = new AwsQueryRequest("CreatePolicyVersion").Add("Description", (string?)null).Add("SetAsDefault", true).Add("DurationSeconds", 900);
            Assert.Equal("Action=CreatePolicyVersion&Version=v&SetAsDefault=true&DurationSeconds=900", request.ToFormBody("v"));
        }

        [Fact]
        public void Narration_shows_names_but_not_documents_or_hidden_values()
        {
            var document = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
            var request = new AwsQueryRequest("AssumeRole").Add("RoleName", "VisionOneRole").AddDocument("PolicyDocument", document).AddHidden("ExternalId", "very-secret-external-id");

            var narration = request.Narrate();
            Assert.Equal("AssumeRole RoleName=VisionOneRole PolicyDocument=(" + document.Length + " chars) ExternalId=(hidden)", narration);
            Assert.Contains("ExternalId=very-secret-external-id", request.ToFormBody("v"));
        }
    }
}
