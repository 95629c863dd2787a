using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;

namespace VisionOneOnboarding.Tests.Aws
{
    public class IamQueryClientTests
    {
        private const string TrustPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::123456789012:oidc-provider/x\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"a+b\":\"c d\"}}}]}";

        private static (IamQueryClient client, FakeAwsHandler handler) Client(Func<SeenRequest, HttpResponseMessage> respond)
        {
            var handler = new FakeAwsHandler(respond);
            return (new IamQueryClient(TestAws.IamQuery(handler)), handler);
        }

        [Fact]
        public async Task GetRole_decodes_the_url_encoded_trust_policy_and_reads_tags()
        {
            var (iam, handler) = Client(r => FakeAwsHandler.Ok("GetRole",
                "<Role><Path>/</Path><RoleName>VisionOneRole</RoleName><RoleId>AROAEXAMPLE</RoleId><Arn>arn:aws:iam::123456789012:role/VisionOneRole</Arn>" +
                "<CreateDate>2024-05-01T10:00:00Z</CreateDate><AssumeRolePolicyDocument>" + Uri.EscapeDataString(TrustPolicy) + "</AssumeRolePolicyDocument>" +
                "<Description>Vision One</Description><MaxSessionDuration>7200</MaxSessionDuration>" +
                "<Tags><member><Key>Name</Key><Value>VisionOneRole</Value></member><member><Key>Version</Key><Value>1</Value></member></Tags></Role>"));

            var role = await iam.GetRoleAsync("VisionOneRole", CancellationToken.None);

            Assert.NotNull(role);
            Assert.Equal(TrustPolicy, role!.AssumeRolePolicyDocument);
            Assert.Equal("arn:aws:iam::123456789012:role/VisionOneRole", role.Arn);
            Assert.Equal("AROAEXAMPLE", role.RoleId);
            Assert.Equal("Vision One", role.Description);
            Assert.Equal(7200, role.MaxSessionDuration);
            Assert.Equal(new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc), role.CreateDate);
            Assert.Equal(new[] { "Name=VisionOneRole", "Version=1" }, role.Tags.Select(t => t.ToString()));
            Assert.Equal("VisionOneRole", handler.Requests.Single()["RoleName"]);
        }

        [Fact]
        public async Task Get_calls_return_null_on_NoSuchEntity()
        {
            var (iam, _) = Client(r => FakeAwsHandler.Error(404, "NoSuchEntity", "The entity cannot be found."));
            Assert.Null(await iam.GetRoleAsync("Missing", CancellationToken.None));
            Assert.Null(await iam.GetPolicyAsync("arn:aws:iam::123456789012:policy/Missing", CancellationToken.None));
            Assert.Null(await iam.GetOpenIdConnectProviderAsync("arn:aws:iam::123456789012:oidc-provider/missing", CancellationToken.None));
        }

        [Fact]
        public async Task Other_errors_from_Get_calls_propagate()
        {
            var (iam, _) = Client(r => FakeAwsHandler.Error(403, "AccessDenied", "not authorized"));
            var ex = await Assert.ThrowsAsync<AwsServiceException>(() => iam.GetRoleAsync("VisionOneRole", CancellationToken.None));
            Assert.Equal("AccessDenied", ex.ErrorCode);
        }

        [Fact]
        public async Task ListAttachedRolePolicies_follows_the_marker_across_pages()
        {
            var (iam, handler) = Client(r => r["Marker"] == null
                ? FakeAwsHandler.Ok("ListAttachedRolePolicies",
                    "<AttachedPolicies><member><PolicyName>P1</PolicyName><PolicyArn>arn:aws:iam::123456789012:policy/P1</PolicyArn></member></AttachedPolicies>" +
                    "<IsTruncated>true</IsTruncated><Marker>page-2</Marker>")
                : FakeAwsHandler.Ok("ListAttachedRolePolicies",
                    "<AttachedPolicies><member><PolicyName>P2</PolicyName><PolicyArn>arn:aws:iam::123456789012:policy/P2</PolicyArn></member></AttachedPolicies>" +
                    "<IsTruncated>false</IsTruncated>"));

            var attached = await iam.ListAttachedRolePoliciesAsync("VisionOneRole", CancellationToken.None);

            Assert.Equal(new[] { "P1", "P2" }, attached.Select(a => a.PolicyName));
            Assert.Equal("arn:aws:iam::123456789012:policy/P2", attached[1].PolicyArn);
            Assert.Equal(2, handler.Requests.Count);
            Assert.Null(handler.Requests[0]["Marker"]);
            Assert.Equal("page-2", handler.Requests[1]["Marker"]);
            Assert.All(handler.Requests, r => Assert.Equal("VisionOneRole", r["RoleName"]));
        }

        [Fact]
        public async Task A_Marker_that_repeats_an_earlier_page_is_a_malformed_answer_not_a_loop()
        {
            // The service answers page 2 with page 2's marker again (and only gives up after a while): the client stops at
            // the repeat instead of collecting the same page over and over.
            int answered = 0;
            var (iam, handler) = Client(r => FakeAwsHandler.Ok("ListAttachedRolePolicies",
                "<AttachedPolicies><member><PolicyName>P1</PolicyName><PolicyArn>arn:aws:iam::123456789012:policy/P1</PolicyArn></member></AttachedPolicies>" +
                (++answered < 5 ? "<IsTruncated>true</IsTruncated><Marker>page-2</Marker>" : "<IsTruncated>false</IsTruncated>")));

            var ex = await Assert.ThrowsAsync<AwsServiceException>(() => iam.ListAttachedRolePoliciesAsync("VisionOneRole", CancellationToken.None));

            Assert.Equal("MalformedResponse", ex.ErrorCode);
            Assert.Contains("Marker that repeats", ex.Message);
            Assert.Equal(2, handler.Requests.Count);
            Assert.Equal("page-2", handler.Requests[1]["Marker"]);
        }

        [Fact]
        public async Task ListRolePolicies_and_ListPolicyVersions_page_too()
        {
            var (iam, handler) = Client(r =>
            {
                bool first = r["Marker"] == null;
                var tail = first ? "<IsTruncated>true</IsTruncated><Marker>m1</Marker>" : "<IsTruncated>false</IsTruncated>";
                return r.Action == "ListRolePolicies"
                    ? FakeAwsHandler.Ok("ListRolePolicies", "<PolicyNames><member>" + (first ? "inline-a" : "inline-b") + "</member></PolicyNames>" + tail)
                    : FakeAwsHandler.Ok("ListPolicyVersions", "<Versions><member><VersionId>" + (first ? "v2" : "v1") + "</VersionId><IsDefaultVersion>" +
                        (first ? "true" : "false") + "</IsDefaultVersion><CreateDate>2024-01-0" + (first ? "2" : "1") + "T00:00:00Z</CreateDate></member></Versions>" + tail);
            });

            Assert.Equal(new[] { "inline-a", "inline-b" }, await iam.ListRolePoliciesAsync("R", CancellationToken.None));
            var versions = await iam.ListPolicyVersionsAsync("arn:aws:iam::123456789012:policy/P", CancellationToken.None);
            Assert.Equal(new[] { "v2", "v1" }, versions.Select(v => v.VersionId));
            Assert.True(versions[0].IsDefaultVersion);
            Assert.False(versions[1].IsDefaultVersion);
            Assert.Null(versions[0].Document);
            Assert.Equal(4, handler.Requests.Count);
        }

        [Fact]
        public async Task GetPolicyVersion_decodes_the_document()
        {
            var document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"arn:aws:s3:::a b/*\"}]}";
            var (iam, handler) = Client(r => FakeAwsHandler.Ok("GetPolicyVersion",
                "<PolicyVersion><Document>" + Uri.EscapeDataString(document) + "</Document><VersionId>v3</VersionId><IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>"));

            var version = await iam.GetPolicyVersionAsync("arn:aws:iam::123456789012:policy/P", "v3", CancellationToken.None);

            Assert.Equal(document, version.Document);
            Assert.Equal("v3", version.VersionId);
            Assert.True(version.IsDefaultVersion);
            Assert.Equal("v3", handler.Requests.Single()["VersionId"]);
        }

        [Fact]
        public async Task CreatePolicy_sends_document_and_tags_and_reads_the_policy()
        {
            var (iam, handler) = Client(r => FakeAwsHandler.Ok("CreatePolicy",
                "<Policy><PolicyName>VisionOnePolicyPart1</PolicyName><PolicyId>ANPAEXAMPLE</PolicyId><Arn>arn:aws:iam::123456789012:policy/VisionOnePolicyPart1</Arn>" +
                "<Path>/</Path><DefaultVersionId>v1</DefaultVersionId><AttachmentCount>0</AttachmentCount></Policy>"));

            var policy = await iam.CreatePolicyAsync("VisionOnePolicyPart1", "{\"Version\":\"2012-10-17\"}", null, new[] { new AwsTag("Owner", "V1") }, CancellationToken.None);

            Assert.Equal("arn:aws:iam::123456789012:policy/VisionOnePolicyPart1", policy.Arn);
            Assert.Equal("v1", policy.DefaultVersionId);
            Assert.Equal("ANPAEXAMPLE", policy.PolicyId);
            var seen = handler.Requests.Single();
            Assert.Equal("CreatePolicy", seen.Action);
            Assert.Equal("{\"Version\":\"2012-10-17\"}", seen["PolicyDocument"]);
            Assert.Equal("Owner", seen["Tags.member.1.Key"]);
            Assert.Equal("V1", seen["Tags.member.1.Value"]);
            Assert.False(seen.Has("Description"));
        }

        [Fact]
        public async Task GetPolicy_reads_attachment_count_and_tags()
        {
            var (iam, _) = Client(r => FakeAwsHandler.Ok("GetPolicy",
                "<Policy><PolicyName>P</PolicyName><Arn>arn:aws:iam::123456789012:policy/P</Arn><DefaultVersionId>v4</DefaultVersionId><AttachmentCount>2</AttachmentCount>" +
                "<Tags><member><Key>a</Key><Value></Value></member></Tags></Policy>"));
            var policy = await iam.GetPolicyAsync("arn:aws:iam::123456789012:policy/P", CancellationToken.None);
            Assert.Equal(2, policy!.AttachmentCount);
            Assert.Equal("v4", policy.DefaultVersionId);
            Assert.Equal("a=", Assert.Single(policy.Tags).ToString());
        }

        [Fact]
        public async Task CreatePolicyVersion_sends_SetAsDefault()
        {
            var (iam, handler) = Client(r => FakeAwsHandler.Ok("CreatePolicyVersion", "<PolicyVersion><VersionId>v2</VersionId><IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>"));
            var version = await iam.CreatePolicyVersionAsync("arn:p", "{}", true, CancellationToken.None);
            Assert.Equal("v2", version.VersionId);
            Assert.Equal("true", handler.Requests.Single()["SetAsDefault"]);
        }

        [Fact]
        public async Task Oidc_provider_create_get_and_list()
        {
            var (iam, handler) = Client(r => r.Action switch
            {
                "CreateOpenIDConnectProvider" => FakeAwsHandler.Ok(r.Action, "<OpenIDConnectProviderArn>arn:aws:iam::123456789012:oidc-provider/cloudaccounts-us.xdr.trendmicro.com</OpenIDConnectProviderArn>"),
                "GetOpenIDConnectProvider" => FakeAwsHandler.Ok(r.Action,
                    "<Url>cloudaccounts-us.xdr.trendmicro.com</Url><ClientIDList><member>arn:aws:iam::123456789012:root</member></ClientIDList>" +
                    "<ThumbprintList><member>aaaa</member><member>BBBB</member></ThumbprintList><CreateDate>2024-01-01T00:00:00Z</CreateDate>"),
                "ListOpenIDConnectProviders" => FakeAwsHandler.Ok(r.Action,
                    "<OpenIDConnectProviderList><member><Arn>arn:1</Arn></member><member><Arn>arn:2</Arn></member></OpenIDConnectProviderList>"),
                _ => FakeAwsHandler.Error(400, "InvalidAction", "unexpected"),
            });

            var arn = await iam.CreateOpenIdConnectProviderAsync("https://cloudaccounts-us.xdr.trendmicro.com", new[] { "arn:aws:iam::123456789012:root" },
                Array.Empty<string>(), new[] { new AwsTag("Owner", "V1") }, CancellationToken.None);
            var provider = await iam.GetOpenIdConnectProviderAsync(arn, CancellationToken.None);
            var all = await iam.ListOpenIdConnectProvidersAsync(CancellationToken.None);

            Assert.Equal("arn:aws:iam::123456789012:oidc-provider/cloudaccounts-us.xdr.trendmicro.com", arn);
            Assert.Equal(arn, provider!.Arn);
            Assert.Equal("cloudaccounts-us.xdr.trendmicro.com", provider.Url);
            Assert.Equal(new[] { "arn:aws:iam::123456789012:root" }, provider.ClientIds);
            Assert.Equal(new[] { "aaaa", "BBBB" }, provider.Thumbprints);
            Assert.Equal(new[] { "arn:1", "arn:2" }, all);

            var create = handler.Requests[0];
            Assert.Equal("arn:aws:iam::123456789012:root", create["ClientIDList.member.1"]);
            Assert.False(create.Has("ThumbprintList"));
            Assert.DoesNotContain(create.Form, p => p.Key.StartsWith("ThumbprintList", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Mutating_calls_send_the_right_action_and_parameters()
        {
            var (iam, handler) = Client(r => FakeAwsHandler.Ok(r.Action));
            var ct = CancellationToken.None;
            await iam.UpdateOpenIdConnectProviderThumbprintAsync("arn:o", Array.Empty<string>(), ct);
            await iam.UpdateOpenIdConnectProviderThumbprintAsync("arn:o", new[] { "t1", "t2" }, ct);
            await iam.AddClientIdToOpenIdConnectProviderAsync("arn:o", "aud", ct);
            await iam.RemoveClientIdFromOpenIdConnectProviderAsync("arn:o", "aud", ct);
            await iam.DeleteOpenIdConnectProviderAsync("arn:o", ct);
            await iam.DeletePolicyVersionAsync("arn:p", "v1", ct);
            await iam.DeletePolicyAsync("arn:p", ct);
            await iam.UpdateAssumeRolePolicyAsync("R", TrustPolicy, ct);
            await iam.TagRoleAsync("R", new[] { new AwsTag("k", "v") }, ct);
            await iam.UntagRoleAsync("R", new[] { "k" }, ct);
            await iam.AttachRolePolicyAsync("R", "arn:p", ct);
            await iam.DetachRolePolicyAsync("R", "arn:p", ct);
            await iam.DeleteRoleAsync("R", ct);

            Assert.Equal(new[]
            {
                "Action=UpdateOpenIDConnectProviderThumbprint&Version=2010-05-08&OpenIDConnectProviderArn=arn%3Ao&ThumbprintList=",
                "Action=UpdateOpenIDConnectProviderThumbprint&Version=2010-05-08&OpenIDConnectProviderArn=arn%3Ao&ThumbprintList.member.1=t1&ThumbprintList.member.2=t2",
                "Action=AddClientIDToOpenIDConnectProvider&Version=2010-05-08&OpenIDConnectProviderArn=arn%3Ao&ClientID=aud",
                "Action=RemoveClientIDFromOpenIDConnectProvider&Version=2010-05-08&OpenIDConnectProviderArn=arn%3Ao&ClientID=aud",
                "Action=DeleteOpenIDConnectProvider&Version=2010-05-08&OpenIDConnectProviderArn=arn%3Ao",
                "Action=DeletePolicyVersion&Version=2010-05-08&PolicyArn=arn%3Ap&VersionId=v1",
                "Action=DeletePolicy&Version=2010-05-08&PolicyArn=arn%3Ap",
                "Action=UpdateAssumeRolePolicy&Version=2010-05-08&RoleName=R&PolicyDocument=" + Uri.EscapeDataString(TrustPolicy),
                "Action=TagRole&Version=2010-05-08&RoleName=R&Tags.member.1.Key=k&Tags.member.1.Value=v",
                "Action=UntagRole&Version=2010-05-08&RoleName=R&TagKeys.member.1=k",
                "Action=AttachRolePolicy&Version=2010-05-08&RoleName=R&PolicyArn=arn%3Ap",
                "Action=DetachRolePolicy&Version=2010-05-08&RoleName=R&PolicyArn=arn%3Ap",
                "Action=DeleteRole&Version=2010-05-08&RoleName=R",
            }, handler.Requests.Select(r => r.Body));
            Assert.Equal(TrustPolicy, handler.Requests[7]["PolicyDocument"]);
        }

        [Fact]
        public async Task CreateRole_returns_the_role_with_decoded_document()
        {
            var (iam, handler) = Client(r => FakeAwsHandler.Ok("CreateRole",
                "<Role><RoleName>VisionOneRole</RoleName><Arn>arn:aws:iam::123456789012:role/VisionOneRole</Arn><AssumeRolePolicyDocument>" +
                Uri.EscapeDataString(r["AssumeRolePolicyDocument"]!) + "</AssumeRolePolicyDocument></Role>"));

            var role = await iam.CreateRoleAsync("VisionOneRole", TrustPolicy, "desc", new[] { new AwsTag("Version", "1") }, CancellationToken.None);

            Assert.Equal(TrustPolicy, role.AssumeRolePolicyDocument);
            Assert.Equal("desc", handler.Requests.Single()["Description"]);
            Assert.Equal("1", handler.Requests.Single()["Tags.member.1.Value"]);
        }
    }
}
