using System;
using System.Collections.Generic;
using System.IO;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Tests.Aws
{
    /// <summary>The AWS standard endpoint settings, in their documented order, for every service the module and its credential providers call.</summary>
    public sealed class AwsServiceEndpointsTests : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "v1-endpoints-" + Guid.NewGuid().ToString("N"));
        private readonly Dictionary<string, string> _env = new Dictionary<string, string>();
        private readonly string _credentials;

        public AwsServiceEndpointsTests()
        {
            Directory.CreateDirectory(_directory);
            _credentials = Path.Combine(_directory, "credentials");
            File.WriteAllText(_credentials, "[dev]\naws_access_key_id = AKID\naws_secret_access_key = secret\n");
            File.WriteAllText(Path.Combine(_directory, "config"),
                "[profile dev]\nservices = local\nendpoint_url = https://everything.example.com\nduration_seconds = 900\n\n" +
                "[profile plain]\nregion = eu-west-1\n\n" +
                "[profile fips]\nregion = us-east-2\nuse_fips_endpoint = true\n\n" +
                "[profile ignoring]\nservices = local\nignore_configured_endpoint_urls = true\n\n" +
                "[services local]\nsts =\n  endpoint_url = http://127.0.0.1:4566\n  max_attempts = 2\nsso_oidc =\n  endpoint_url = http://localhost:4567\n" +
                "iam =\n  endpoint_url = http://10.0.0.5:4566\n");
        }

        public void Dispose() => Directory.Delete(_directory, recursive: true);

        private AwsServiceEndpoints For(string profile, string? explicitUrl = null) =>
            new AwsServiceEndpoints(name => _env.TryGetValue(name, out var v) ? v : null, profile, _credentials, explicitUrl);

        [Fact]
        public void Services_section_then_profile_endpoint_url()
        {
            var endpoints = For("dev");

            Assert.Equal("http://127.0.0.1:4566/", endpoints.For(AwsServiceId.Sts)!.Url.ToString());
            Assert.Contains("[services local] sts.endpoint_url", endpoints.For(AwsServiceId.Sts)!.Source);
            Assert.Equal("http://localhost:4567/", endpoints.For(AwsServiceId.SsoOidc)!.Url.ToString());
            Assert.Equal("https://everything.example.com/", endpoints.For(AwsServiceId.Organizations)!.Url.ToString());
            Assert.Equal("900", endpoints.SettingOf("dev", "duration_seconds"));
            Assert.Null(For("plain").For(AwsServiceId.Sts));
        }

        [Fact]
        public void Environment_wins_over_the_file_and_the_service_variable_over_the_global_one()
        {
            _env["AWS_ENDPOINT_URL"] = "https://global.example.com";
            _env["AWS_ENDPOINT_URL_SSO"] = "https://sso.example.com";

            var endpoints = For("dev");

            Assert.Equal("https://sso.example.com/", endpoints.For(AwsServiceId.Sso)!.Url.ToString());
            Assert.Equal("environment variable AWS_ENDPOINT_URL_SSO", endpoints.For(AwsServiceId.Sso)!.Source);
            Assert.Equal("https://global.example.com/", endpoints.For(AwsServiceId.Sts)!.Url.ToString());
        }

        [Fact]
        public void EndpointUrl_parameter_wins_for_the_modules_own_services_only()
        {
            _env["AWS_ENDPOINT_URL_STS"] = "https://sts.example.com";
            var endpoints = For("dev", "http://127.0.0.1:5000");

            Assert.Equal("-EndpointUrl", endpoints.For(AwsServiceId.Sts)!.Source);
            Assert.Equal("-EndpointUrl", endpoints.For(AwsServiceId.Iam)!.Source);
            Assert.Equal("-EndpointUrl", endpoints.For(AwsServiceId.Organizations)!.Source);
            Assert.Equal("http://localhost:4567/", endpoints.For(AwsServiceId.SsoOidc)!.Url.ToString());
        }

        [Fact]
        public void FIPS_is_asked_for_by_AWS_USE_FIPS_ENDPOINT_else_by_the_profiles_use_fips_endpoint()
        {
            Assert.False(For("plain").UseFips);
            Assert.True(For("fips").UseFips);
            Assert.Equal("use_fips_endpoint of profile 'fips'", For("fips").FipsSource);
            _env["AWS_USE_FIPS_ENDPOINT"] = "false";
            Assert.False(For("fips").UseFips);   // the environment decides first, either way
            _env["AWS_USE_FIPS_ENDPOINT"] = "TRUE";
            Assert.Equal("environment variable AWS_USE_FIPS_ENDPOINT", For("plain").FipsSource);
        }

        [Fact]
        public async System.Threading.Tasks.Task Every_client_the_module_builds_and_the_SDKs_STS_go_to_FIPS_hosts_together()
        {
            _env["AWS_USE_FIPS_ENDPOINT"] = "true";
            var endpoints = For("plain");
            var calls = new List<Uri>();
            var handler = new FakeAwsHandler(r =>
            {
                lock (calls) calls.Add(r.Uri);
                return r.Headers.TryGetValue("X-Amz-Target", out _) ? new System.Net.Http.HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new System.Net.Http.StringContent("{\"Accounts\":[]}") }
                    : FakeAwsHandler.Ok("ListOpenIDConnectProviders", "<OpenIDConnectProviderList/>");
            });
            var factory = new AwsQueryClientFactory(new AwsClientSettings { Handler = handler, Retry = VisionOneOnboarding.Net.RetryPolicy.None }, endpoints, VisionOneOnboarding.Net.NullLogSink.Instance);
            var credentials = TestAws.Credentials();

            await factory.CreateIam(credentials, AwsEndpoints.Aws).ListOpenIdConnectProvidersAsync(System.Threading.CancellationToken.None);
            await factory.CreateOrganizations(credentials, AwsEndpoints.Aws).ListAccountsAsync(System.Threading.CancellationToken.None);
            var sdkSts = SdkServiceClients.Configure(new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig(), AwsServiceId.Sts, Amazon.RegionEndpoint.USWest2, endpoints);

            Assert.Equal(new[] { "iam-fips.amazonaws.com", "organizations-fips.us-east-1.amazonaws.com" }, calls.ConvertAll(u => u.Host));
            Assert.Equal("https://sts-fips.us-west-2.amazonaws.com/", sdkSts.ServiceURL);
            var noFipsSts = Assert.Throws<VisionOneException>(() => factory.CreateSts(credentials, "eu-west-1"));
            Assert.Equal(ErrorCatalogue.FipsEndpointUnavailable.Id, noFipsSts.ErrorId);
            Assert.Throws<VisionOneException>(() => SdkServiceClients.Configure(new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig(), AwsServiceId.Sts, Amazon.RegionEndpoint.EUWest1, endpoints));
            // An endpoint configured for a service still wins over FIPS (the emulator, a VPC endpoint).
            _env["AWS_ENDPOINT_URL_STS"] = "https://sts.vpce.example.com";
            Assert.Equal("https://sts.vpce.example.com/", SdkServiceClients.Configure(new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig(), AwsServiceId.Sts, Amazon.RegionEndpoint.EUWest1, endpoints).ServiceURL);
        }

        [Fact]
        public void Ignore_setting_turns_the_configured_ones_off()
        {
            _env["AWS_ENDPOINT_URL"] = "https://global.example.com";
            Assert.Null(For("ignoring").For(AwsServiceId.Sts));
            _env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
            Assert.Null(For("dev").For(AwsServiceId.Sso));
            Assert.Equal("-EndpointUrl", For("dev", "https://iam.example.com").For(AwsServiceId.Iam)!.Source);
        }

        [Fact]
        public void Plain_http_to_another_machine_is_refused_wherever_it_is_configured()
        {
            var ex = Assert.Throws<VisionOneException>(() => For("dev").For(AwsServiceId.Iam));
            Assert.Equal(ErrorCatalogue.InsecureEndpoint.Id, ex.ErrorId);
            _env["AWS_ENDPOINT_URL_SSO"] = "http://sso.example.com";
            Assert.Equal(ErrorCatalogue.InsecureEndpoint.Id, Assert.Throws<VisionOneException>(() => For("plain").For(AwsServiceId.Sso)).ErrorId);
        }
    }
}
