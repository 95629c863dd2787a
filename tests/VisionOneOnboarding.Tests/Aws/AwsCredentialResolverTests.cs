using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Amazon.Runtime;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Tests.Aws
{
    public sealed class AwsCredentialResolverTests : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "v1-aws-creds-" + Guid.NewGuid().ToString("N"));
        private readonly string _profiles;
        private readonly Dictionary<string, string> _env = new Dictionary<string, string> { ["AWS_EC2_METADATA_DISABLED"] = "true" };
        private readonly CollectingLogSink _log = new CollectingLogSink();

        private const string DefaultSecret = "defaultProfileSecret000000000000000000001";
        private const string DevSecret = "devProfileSecret00000000000000000000000001";

        public AwsCredentialResolverTests()
        {
            Directory.CreateDirectory(_directory);
            _profiles = Path.Combine(_directory, "credentials");
            File.WriteAllText(_profiles,
                "[default]\naws_access_key_id = AKIDDEFAULTPROFILE\naws_secret_access_key = " + DefaultSecret + "\nregion = eu-west-1\n\n" +
                "[dev]\naws_access_key_id = AKIDDEVPROFILE\naws_secret_access_key = " + DevSecret + "\naws_session_token = devSessionToken\nregion = ap-southeast-2\n\n" +
                "[ops]\naws_access_key_id = AKIDOPSPROFILE\naws_secret_access_key = opsSecret\n");
        }

        public void Dispose() => Directory.Delete(_directory, recursive: true);

        private string? Env(string name) => _env.TryGetValue(name, out var v) ? v : null;

        private AwsCredentialSet Resolve(AwsCredentialRequest request)
        {
            request.ProfileLocation ??= _profiles;
            return AwsCredentialResolver.Resolve(request, _log, Env);
        }

        private string Region(AwsCredentialRequest request)
        {
            request.ProfileLocation ??= _profiles;
            return AwsCredentialResolver.ResolveRegion(request, _log, Env);
        }

        private void SetEnvKeys()
        {
            _env["AWS_ACCESS_KEY_ID"] = "AKIDFROMENVIRONMENT";
            _env["AWS_SECRET_ACCESS_KEY"] = "envSecret";
            _env["AWS_SESSION_TOKEN"] = "envToken";
        }

        [Fact]
        public void Explicit_keys_win_over_everything()
        {
            SetEnvKeys();
            var set = Resolve(new AwsCredentialRequest { AccessKey = "AKIDEXPLICIT", SecretKey = "explicitSecret", SessionToken = "tok", ProfileName = "dev", StoredCredentials = "ops" });
            Assert.Equal("AKIDEXPLICIT", set.AccessKeyId);
            Assert.Equal("explicitSecret", set.SecretAccessKey);
            Assert.Equal("tok", set.SessionToken);
            Assert.Contains("-AccessKey", set.Source);
        }

        [Fact]
        public void Named_profile_wins_over_stored_environment_and_default()
        {
            SetEnvKeys();
            var set = Resolve(new AwsCredentialRequest { ProfileName = "dev", StoredCredentials = "ops" });
            Assert.Equal("AKIDDEVPROFILE", set.AccessKeyId);
            Assert.Equal(DevSecret, set.SecretAccessKey);
            Assert.Equal("devSessionToken", set.SessionToken);
            Assert.Contains("profile 'dev'", set.Source);
            Assert.Contains(_profiles, set.Source);
        }

        [Fact]
        public void Stored_profile_name_wins_over_environment()
        {
            SetEnvKeys();
            var set = Resolve(new AwsCredentialRequest { StoredCredentials = "ops" });
            Assert.Equal("AKIDOPSPROFILE", set.AccessKeyId);
            Assert.Contains("$StoredAWSCredentials", set.Source);
        }

        [Fact]
        public void Stored_credentials_object_from_another_sdk_copy_is_read_by_reflection()
        {
            SetEnvKeys();
            var set = Resolve(new AwsCredentialRequest { StoredCredentials = new ForeignPsCredentials(new ForeignCredentials("AKIDSTOREDOBJECT", "storedSecret", "storedToken")) });
            Assert.Equal("AKIDSTOREDOBJECT", set.AccessKeyId);
            Assert.Equal("storedSecret", set.SecretAccessKey);
            Assert.Equal("storedToken", set.SessionToken);
            Assert.Contains("$StoredAWSCredentials", set.Source);
        }

        [Fact]
        public void Stored_wrapper_with_internal_credentials_is_read_and_else_its_profile_name_is_used()
        {
            var withCredentials = Resolve(new AwsCredentialRequest { StoredCredentials = new InternalPsCredentials(new ForeignCredentials("AKIDINTERNAL", "internalSecret", "internalToken"), null) });
            var byName = Resolve(new AwsCredentialRequest { StoredCredentials = new InternalPsCredentials(null, "dev") });

            Assert.Equal("AKIDINTERNAL", withCredentials.AccessKeyId);
            Assert.Equal("internalToken", withCredentials.SessionToken);
            Assert.Equal("AKIDDEVPROFILE", byName.AccessKeyId);
        }

        [Fact]
        public async System.Threading.Tasks.Task Credential_object_of_another_copy_is_asked_again_for_every_signature()
        {
            var foreign = new ForeignCredentials("AKIDFIRST", "firstSecret", "firstToken");
            var set = Resolve(new AwsCredentialRequest { Credential = foreign, ProfileName = "dev" });
            foreign.Replace("AKIDSECOND", "secondSecret", "secondToken");

            Assert.Equal("AKIDFIRST", set.AccessKeyId);
            Assert.Equal("AKIDSECOND", (await set.CurrentAsync()).AccessKeyId);
            Assert.True(Assert.Throws<VisionOneException>(() => Resolve(new AwsCredentialRequest { Credential = "text" })).ErrorId == ErrorCatalogue.AwsCredentialObjectUnreadable.Id);
        }

        [Fact]
        public void Stored_sdk_credentials_object_is_read_too()
        {
            var set = Resolve(new AwsCredentialRequest { StoredCredentials = new BasicAWSCredentials("AKIDSDKBASIC", "sdkSecret") });
            Assert.Equal("AKIDSDKBASIC", set.AccessKeyId);
            Assert.Null(set.SessionToken);
        }

        [Fact]
        public void Unreadable_stored_value_is_a_clear_error()
        {
            var ex = Assert.Throws<VisionOneException>(() => Resolve(new AwsCredentialRequest { StoredCredentials = 42 }));
            Assert.Equal(ErrorCatalogue.AwsStoredCredentialsUnreadable.Id, ex.ErrorId);
            Assert.Contains("Set-AWSCredential", ex.Message);
        }

        [Fact]
        public void Environment_wins_over_default_profile()
        {
            SetEnvKeys();
            var set = Resolve(new AwsCredentialRequest());
            Assert.Equal("AKIDFROMENVIRONMENT", set.AccessKeyId);
            Assert.Equal("envToken", set.SessionToken);
            Assert.Contains("environment", set.Source);
        }

        [Fact]
        public void Half_set_environment_falls_through_to_default_profile()
        {
            _env["AWS_ACCESS_KEY_ID"] = "AKIDFROMENVIRONMENT";
            var set = Resolve(new AwsCredentialRequest());
            Assert.Equal("AKIDDEFAULTPROFILE", set.AccessKeyId);
            Assert.Contains(_log.DebugLines, l => l.Contains("AWS_SECRET_ACCESS_KEY"));
        }

        [Fact]
        public void Default_profile_is_the_fallback_and_AWS_PROFILE_chooses_it()
        {
            var set = Resolve(new AwsCredentialRequest());
            Assert.Equal("AKIDDEFAULTPROFILE", set.AccessKeyId);
            Assert.Contains("default profile 'default'", set.Source);

            _env["AWS_PROFILE"] = "ops";
            Assert.Equal("AKIDOPSPROFILE", Resolve(new AwsCredentialRequest()).AccessKeyId);
        }

        [Fact]
        public void Missing_named_profile_is_an_error_not_a_fall_through()
        {
            SetEnvKeys();
            var ex = Assert.Throws<VisionOneException>(() => Resolve(new AwsCredentialRequest { ProfileName = "nope" }));
            Assert.Equal(ErrorCatalogue.AwsProfileNotFound.Id, ex.ErrorId);
            Assert.Equal(FailureKind.ObjectNotFound, ex.Kind);
            Assert.Equal("nope", ex.Target);
            Assert.Contains("'nope'", ex.Message);
            Assert.Contains("aws configure --profile nope", ex.Message);
        }

        [Fact]
        public void Missing_profiles_named_by_stored_value_or_AWS_PROFILE_are_errors_too()
        {
            Assert.Equal(ErrorCatalogue.AwsProfileNotFound.Id, Assert.Throws<VisionOneException>(() => Resolve(new AwsCredentialRequest { StoredCredentials = "gone" })).ErrorId);
            _env["AWS_PROFILE"] = "gone";
            var ex = Assert.Throws<VisionOneException>(() => Resolve(new AwsCredentialRequest()));
            Assert.Equal(ErrorCatalogue.AwsProfileNotFound.Id, ex.ErrorId);
            Assert.Contains("AWS_PROFILE", ex.Message);
        }

        [Theory]
        [InlineData("AKIDONLY", null, null)]
        [InlineData(null, "secretOnly", null)]
        [InlineData(null, null, "tokenOnly")]
        public void Incomplete_key_pair_is_an_error_that_does_not_echo_secrets(string? accessKey, string? secretKey, string? token)
        {
            var ex = Assert.Throws<VisionOneException>(() => Resolve(new AwsCredentialRequest { AccessKey = accessKey, SecretKey = secretKey, SessionToken = token }));
            Assert.Equal(ErrorCatalogue.AwsKeyPairIncomplete.Id, ex.ErrorId);
            Assert.DoesNotContain("secretOnly", ex.Message);
            Assert.DoesNotContain("tokenOnly", ex.Message);
        }

        [Fact]
        public void Nothing_found_says_what_to_do()
        {
            var empty = Path.Combine(_directory, "empty-credentials");
            File.WriteAllText(empty, "");
            var ex = Assert.Throws<VisionOneException>(() => Resolve(new AwsCredentialRequest { ProfileLocation = empty }));
            Assert.Equal(ErrorCatalogue.AwsCredentialsNotFound.Id, ex.ErrorId);
            Assert.Equal(FailureKind.AuthenticationError, ex.Kind);
            Assert.StartsWith("No AWS credentials were found.", ex.Message);
            Assert.Contains("-ProfileName", ex.Message);
            Assert.Contains("AWS_ACCESS_KEY_ID", ex.Message);
            Assert.Contains(_log.DebugLines, l => l.Contains("AWS_EC2_METADATA_DISABLED"));
        }

        [Fact]
        public void Secrets_never_appear_in_source_ToString_or_log()
        {
            SetEnvKeys();
            var results = new[]
            {
                Resolve(new AwsCredentialRequest { AccessKey = "AKIDEXPLICIT", SecretKey = "explicitSecret", SessionToken = "explicitToken" }),
                Resolve(new AwsCredentialRequest { ProfileName = "dev" }),
                Resolve(new AwsCredentialRequest()),
            };
            var secrets = new[] { "explicitSecret", "explicitToken", DevSecret, "devSessionToken", "envSecret", "envToken" };
            var texts = results.SelectMany(r => new[] { r.Source, r.ToString() }).Concat(_log.All).ToList();
            Assert.Equal(3, _log.DebugLines.Count(l => l.StartsWith("AWS credentials from", StringComparison.Ordinal)));
            foreach (var text in texts)
                foreach (var secret in secrets)
                    Assert.DoesNotContain(secret, text);
            Assert.Contains(_log.DebugLines, l => l.Contains("****ICIT"));
        }

        [Fact]
        public void Request_ToString_never_shows_secrets()
        {
            var text = new AwsCredentialRequest { AccessKey = "AKIDEXPLICIT", SecretKey = "explicitSecret", SessionToken = "explicitToken" }.ToString();
            Assert.Contains("AKIDEXPLICIT", text);
            Assert.DoesNotContain("explicitSecret", text);
            Assert.DoesNotContain("explicitToken", text);
        }

        [Fact]
        public void Region_order_explicit_stored_environment_profile_default()
        {
            _env["AWS_REGION"] = "ca-central-1";
            _env["AWS_DEFAULT_REGION"] = "sa-east-1";
            Assert.Equal("us-west-2", Region(new AwsCredentialRequest { Region = "us-west-2", StoredRegion = "eu-north-1" }));
            Assert.Equal("eu-north-1", Region(new AwsCredentialRequest { StoredRegion = "eu-north-1" }));
            Assert.Equal("ca-central-1", Region(new AwsCredentialRequest()));
            _env.Remove("AWS_REGION");
            Assert.Equal("sa-east-1", Region(new AwsCredentialRequest()));
            _env.Remove("AWS_DEFAULT_REGION");
            Assert.Equal("ap-southeast-2", Region(new AwsCredentialRequest { ProfileName = "dev" }));
            Assert.Equal("eu-west-1", Region(new AwsCredentialRequest()));
            Assert.Equal("us-east-1", Region(new AwsCredentialRequest { ProfileName = "ops" }));
            Assert.Contains(_log.DebugLines, l => l == "AWS region us-east-1 from the built-in default (no region configured).");
        }

        [Fact]
        public void Malformed_region_is_rejected()
        {
            var ex = Assert.Throws<VisionOneException>(() => Region(new AwsCredentialRequest { Region = "mars-1" }));
            Assert.Equal(ErrorCatalogue.InvalidAwsRegion.Id, ex.ErrorId);
            Assert.Contains("-Region", ex.Message);
        }

        /// <summary>Shaped like AWS.Tools' AWSPSCredentials wrapping an AWSCredentials from another AWSSDK.Core copy.</summary>
        public sealed class ForeignPsCredentials
        {
            public ForeignPsCredentials(ForeignCredentials credentials) { Credentials = credentials; }
            public ForeignCredentials Credentials { get; }
        }

        /// <summary>Shaped like AWS.Tools' AWSPSCredentials: the Credentials property is internal; ToString() is the profile name.</summary>
        public sealed class InternalPsCredentials
        {
            public InternalPsCredentials(ForeignCredentials? credentials, string? name) { Credentials = credentials; Name = name; }
            internal ForeignCredentials? Credentials { get; }
            public string? Name { get; }
            public override string ToString() => Name ?? base.ToString()!;
        }

        public sealed class ForeignCredentials
        {
            private ForeignImmutable _value;
            public ForeignCredentials(string accessKey, string secretKey, string token) { _value = new ForeignImmutable(accessKey, secretKey, token); }
            public ForeignImmutable GetCredentials() => _value;
            /// <summary>What a refreshing provider does between two calls.</summary>
            public void Replace(string accessKey, string secretKey, string token) => _value = new ForeignImmutable(accessKey, secretKey, token);
        }

        public sealed class ForeignImmutable
        {
            public ForeignImmutable(string accessKey, string secretKey, string token) { AccessKey = accessKey; SecretKey = secretKey; Token = token; }
            public string AccessKey { get; }
            public string SecretKey { get; }
            public string Token { get; }
        }
    }
}
