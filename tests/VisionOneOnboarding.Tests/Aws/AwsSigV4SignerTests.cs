using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using VisionOneOnboarding.Aws;

namespace VisionOneOnboarding.Tests.Aws
{
    public class AwsSigV4SignerTests
    {
        private static readonly DateTime VectorTime = new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);
        private const string VectorSignature = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

        private static HttpRequestMessage VectorRequest()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")
            {
                Content = new ByteArrayContent(Array.Empty<byte>()),
            };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
            return request;
        }

        [Fact]
        public void Known_answer_vector_from_the_AWS_documentation()
        {
            var request = VectorRequest();
            AwsSigV4Signer.Sign(request, Array.Empty<byte>(), new AwsCredentialSet("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null, "doc example"),
                "us-east-1", "iam", VectorTime);

            Assert.Equal(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" + VectorSignature,
                string.Join(",", request.Headers.GetValues("Authorization")));
            Assert.Equal("20150830T123600Z", string.Join(",", request.Headers.GetValues("X-Amz-Date")));
            Assert.False(request.Headers.Contains("X-Amz-Security-Token"));
        }

        [Fact]
        public void Post_with_session_token_on_a_loopback_port_matches_botocore()
        {
            // Expected value computed with botocore 1.43.11 SigV4Auth for the same request, keys and time.
            var body = Encoding.UTF8.GetBytes("Action=GetCallerIdentity&Version=2011-06-15&X=a%20b");
            var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:5055/") { Content = new ByteArrayContent(body) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
            AwsSigV4Signer.Sign(request, body, new AwsCredentialSet("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "tok123", "doc example"),
                "us-east-1", "sts", new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc));

            Assert.Equal(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, " +
                "Signature=a50d5d75c6e36f70bab2bea47e6ab824efbb6fcc0aa703ac551ee37c48dfc1b0",
                string.Join(",", request.Headers.GetValues("Authorization")));
        }

        [Fact]
        public void Canonical_request_sorts_query_and_headers_and_hashes_the_payload()
        {
            var canonical = AwsSigV4Signer.BuildCanonicalRequest("get", new Uri("https://iam.amazonaws.com/?Version=2010-05-08&Action=ListUsers"),
                new Dictionary<string, string> { ["X-Amz-Date"] = "20150830T123600Z", ["Host"] = "iam.amazonaws.com", ["Content-Type"] = "  application/x-www-form-urlencoded;   charset=utf-8 " },
                AwsSigV4Signer.HexSha256(Array.Empty<byte>()));

            Assert.Equal(
                "GET\n/\nAction=ListUsers&Version=2010-05-08\n" +
                "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n" +
                "content-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                canonical);
        }

        [Fact]
        public void Session_token_is_sent_and_signed()
        {
            var request = VectorRequest();
            AwsSigV4Signer.Sign(request, Array.Empty<byte>(), new AwsCredentialSet("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-value", "temp"),
                "us-east-1", "iam", VectorTime);

            Assert.Equal("session-token-value", string.Join(",", request.Headers.GetValues("X-Amz-Security-Token")));
            var authorization = string.Join(",", request.Headers.GetValues("Authorization"));
            Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,", authorization);
            Assert.DoesNotContain(VectorSignature, authorization);
        }

        [Fact]
        public void Signature_covers_body_and_non_default_port()
        {
            string Sign(string url, string body)
            {
                var bytes = Encoding.UTF8.GetBytes(body);
                var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
                AwsSigV4Signer.Sign(request, bytes, TestAws.Credentials(), "us-east-1", "iam", VectorTime);
                return string.Join(",", request.Headers.GetValues("Authorization"));
            }

            var baseline = Sign("http://127.0.0.1:5000/", "Action=ListRoles");
            Assert.NotEqual(baseline, Sign("http://127.0.0.1:5000/", "Action=ListUsers"));
            Assert.NotEqual(baseline, Sign("http://127.0.0.1:5001/", "Action=ListRoles"));
            Assert.Equal(baseline, Sign("http://127.0.0.1:5000/", "Action=ListRoles"));
        }
    }
}
