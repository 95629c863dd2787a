using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Tests.Errors
{
    public sealed class ErrorCatalogueTests
    {
        [Fact]
        public void Every_entry_has_a_unique_namespaced_id_and_says_what_to_do_next()
        {
            Assert.NotEmpty(ErrorCatalogue.All);
            Assert.Equal(ErrorCatalogue.All.Count, ErrorCatalogue.All.Select(e => e.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count());
            foreach (var entry in ErrorCatalogue.All)
            {
                Assert.Matches(@"^VisionOne\.[A-Z][A-Za-z0-9]+$", entry.Id);
                Assert.False(string.IsNullOrWhiteSpace(entry.NextStep), entry.Id + " says what to do next");
                Assert.EndsWith(".", entry.NextStep);
            }
        }

        [Fact]
        public void The_README_lists_every_id_of_the_catalogue_and_both_wire_families()
        {
            var errors = ReadmeErrorsSection();
            var missing = ErrorCatalogue.All.Where(e => !Regex.IsMatch(errors, "`" + Regex.Escape(e.Id) + "`")).Select(e => e.Id).ToList();
            Assert.True(missing.Count == 0, "README.md's Errors section does not list: " + string.Join(", ", missing));
            Assert.Contains("`VisionOne.Aws.<IAM code>`", errors);
            Assert.Contains("`VisionOne.<error.code>`", errors);
            Assert.Contains("`VisionOne.Http<status>`", errors);
        }

        [Fact]
        public void The_README_names_no_id_the_catalogue_does_not_have()
        {
            var listed = Regex.Matches(ReadmeErrorsSection(), @"^\| `(VisionOne\.[A-Za-z0-9]+)`", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(listed);
            Assert.All(listed, id => Assert.NotNull(ErrorCatalogue.Find(id)));
        }

        [Fact]
        public void No_source_file_outside_the_catalogue_spells_an_error_id()
        {
            // Ids live in the catalogue alone: no other source file of the module spells one as a literal.
            var module = Path.Combine(RepoFiles.Root(), "src", "VisionOneOnboarding");
            var literal = new Regex("\"VisionOne\\.[A-Z][A-Za-z0-9]*\"");
            var offenders = Directory.GetFiles(module, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "Errors" + Path.DirectorySeparatorChar))
                .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
                .Where(l => literal.IsMatch(l.Text))
                .Select(l => Path.GetFileName(l.File) + ":" + l.Line)
                .ToList();
            Assert.True(offenders.Count == 0, "error ids spelled outside the catalogue: " + string.Join(", ", offenders));
        }

        [Theory]
        [InlineData("NoSuchEntity", FailureKind.ObjectNotFound, ErrorScope.Input)]
        [InlineData("EntityAlreadyExists", FailureKind.ResourceExists, ErrorScope.Input)]
        [InlineData("AccessDenied", FailureKind.PermissionDenied, ErrorScope.Input)]
        [InlineData("SignatureDoesNotMatch", FailureKind.AuthenticationError, ErrorScope.Setup)]
        [InlineData("InvalidClientTokenId", FailureKind.AuthenticationError, ErrorScope.Setup)]
        [InlineData("Throttling", FailureKind.ResourceUnavailable, ErrorScope.Input)]
        [InlineData("SomethingNew", FailureKind.NotSpecified, ErrorScope.Input)]
        public void An_IAM_error_keeps_its_code_in_the_id_and_the_request_id_in_the_message(string code, FailureKind kind, ErrorScope scope)
        {
            var ex = new AwsServiceException("IAM", "GetRole", code, "the service's words", 400, "req-7");
            Assert.Equal("VisionOne.Aws." + code, ex.ErrorId);
            Assert.Equal(kind, ex.Kind);
            Assert.Equal(scope, ex.Error.Scope);
            Assert.Equal("IAM GetRole failed: " + code + ": the service's words (request id req-7)", ex.Message);
            Assert.Equal("the service's words", ex.ServiceMessage);
        }

        [Theory]
        [InlineData("RegionDisabledException", FailureKind.AuthenticationError, ErrorScope.Setup, "activate it")]
        [InlineData("ExpiredToken", FailureKind.AuthenticationError, ErrorScope.Setup, "session token has expired")]
        [InlineData("ExpiredTokenException", FailureKind.AuthenticationError, ErrorScope.Setup, "session token has expired")]
        [InlineData("UnmodifiableEntity", FailureKind.InvalidOperation, ErrorScope.Input, "another -RoleName")]
        [InlineData("PolicyNotAttachable", FailureKind.InvalidOperation, ErrorScope.Input, "VisionOnePolicyPart")]
        public void AWS_codes_that_reach_users_have_advice_of_their_own_and_the_README_names_them(string code, FailureKind kind, ErrorScope scope, string advice)
        {
            var ex = new AwsServiceException("STS", "AssumeRole", code, "the service's words", 403, "req-8");
            Assert.Equal("VisionOne.Aws." + code, ex.ErrorId);
            Assert.Equal(kind, ex.Kind);
            Assert.Equal(scope, ex.Error.Scope);
            Assert.Contains(advice, ex.Error.NextStep);
            Assert.Contains("`VisionOne.Aws." + code + "`", ReadmeErrorsSection());
        }

        [Theory]
        [InlineData(401, "InvalidCredentials", "VisionOne.InvalidCredentials", FailureKind.AuthenticationError, ErrorScope.Setup)]
        [InlineData(403, "AccessDenied", "VisionOne.AccessDenied", FailureKind.PermissionDenied, ErrorScope.Input)]
        [InlineData(409, "DuplicateAccountName", "VisionOne.DuplicateAccountName", FailureKind.ResourceExists, ErrorScope.Input)]
        [InlineData(429, "TooManyRequests", "VisionOne.TooManyRequests", FailureKind.LimitsExceeded, ErrorScope.Input)]
        [InlineData(502, null, "VisionOne.Http502", FailureKind.ResourceUnavailable, ErrorScope.Input)]
        public void A_Vision_One_answer_keeps_its_code_status_and_trace_id(int status, string? code, string id, FailureKind kind, ErrorScope scope)
        {
            var ex = new VisionOneApiException("POST", "/v3.0/cam/awsAccounts", status, code, "said no", null, "trace-9", null);
            Assert.Equal(id, ex.ErrorId);
            Assert.Equal(kind, ex.Kind);
            Assert.Equal(scope, ex.Error.Scope);
            Assert.Contains("HTTP " + status, ex.Message);
            Assert.Contains("trace-9", ex.Message);
        }

        [Fact]
        public void Setup_failures_are_the_credentials_the_key_and_the_endpoints()
        {
            var setup = ErrorCatalogue.All.Where(e => e.Scope == ErrorScope.Setup).Select(e => e.Id).ToList();
            Assert.Contains("VisionOne.AwsCredentialsNotFound", setup);
            Assert.Contains("VisionOne.AwsProfileNotFound", setup);
            Assert.Contains("VisionOne.ApiKeyNotFound", setup);
            Assert.Contains("VisionOne.InsecureEndpoint", setup);
            Assert.DoesNotContain("VisionOne.InvalidAccountId", setup);
        }

        private static string ReadmeErrorsSection()
        {
            var readme = File.ReadAllText(Path.Combine(RepoFiles.Root(), "README.md"));
            var start = readme.IndexOf("\n### Errors", StringComparison.Ordinal);
            Assert.True(start >= 0, "README.md has an '### Errors' section");
            var end = readme.IndexOf("\n#", start + 1, StringComparison.Ordinal);
            return end < 0 ? readme.Substring(start) : readme.Substring(start, end - start);
        }
    }
}
