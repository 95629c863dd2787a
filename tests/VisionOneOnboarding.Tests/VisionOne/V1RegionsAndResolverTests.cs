using System;
using System.Collections.Generic;
using System.Linq;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Tests.VisionOne
{
    public class V1RegionsTests
    {
        [Theory]
        [InlineData("us", "https://api.xdr.trendmicro.com/", "cloudaccounts-us.xdr.trendmicro.com")]
        [InlineData("eu", "https://api.eu.xdr.trendmicro.com/", "cloudaccounts-eu.xdr.trendmicro.com")]
        [InlineData("jp", "https://api.xdr.trendmicro.co.jp/", "cloudaccounts-jp.xdr.trendmicro.com")]
        [InlineData("mea", "https://api.mea.xdr.trendmicro.com/", "cloudaccounts-mea.xdr.trendmicro.com")]
        [InlineData("za", "https://api.za.xdr.trendmicro.com/", "cloudaccounts-za.xdr.trendmicro.com")]
        [InlineData("SG", "https://api.sg.xdr.trendmicro.com/", "cloudaccounts-sg.xdr.trendmicro.com")]
        public void Regions_map_to_API_host_and_issuer(string code, string api, string issuer)
        {
            var region = V1Regions.Get(code);
            Assert.Equal(api, region.ApiBaseUrl.ToString());
            Assert.Equal(issuer, region.OidcIssuerHost);
            Assert.Equal("https://" + issuer, region.OidcProviderUrl);
        }

        [Fact]
        public void Every_documented_code_is_in_the_table()
        {
            Assert.Equal(new[] { "us", "eu", "jp", "sg", "au", "in", "mea", "uk", "ca", "za", "id", "br", "usgov" }, V1Regions.Codes);
        }

        [Fact]
        public void Usgov_has_an_API_host_but_asking_for_its_issuer_is_a_clear_error()
        {
            var region = V1Regions.Get("usgov");
            Assert.Equal("https://api.usgov.xdr.trendmicro.com/", region.ApiBaseUrl.ToString());
            Assert.Null(region.OidcIssuerHostOrNull);
            var ex = Assert.Throws<VisionOneException>(() => region.OidcIssuerHost);
            Assert.Equal("VisionOne.NoOidcIssuer", ex.ErrorId);
            Assert.Contains("usgov", ex.Message);
        }

        [Fact]
        public void An_unknown_code_names_the_valid_ones()
        {
            var ex = Assert.Throws<VisionOneException>(() => V1Regions.Get("mars"));
            Assert.Equal("VisionOne.UnknownRegion", ex.ErrorId);
            Assert.Contains("mars", ex.Message);
            Assert.Contains("us, eu, jp", ex.Message);
            Assert.Contains("usgov", ex.Message);
        }

        [Theory]
        [InlineData(null, ApiVersion.V3_0, "v3.0/cam")]
        [InlineData("v3.0", ApiVersion.V3_0, "v3.0/cam")]
        [InlineData("beta", ApiVersion.Beta, "beta/cam")]
        [InlineData("beta-xdr", ApiVersion.BetaXdr, "beta/xdr/cam")]
        public void Api_version_names_parse_to_path_prefixes(string? name, ApiVersion expected, string prefix)
        {
            Assert.Equal(expected, ApiVersions.Parse(name));
            Assert.Equal(prefix, ApiVersions.CamPrefix(expected));
        }

        [Fact]
        public void An_unknown_api_version_is_a_clear_error()
        {
            var ex = Assert.Throws<VisionOneException>(() => ApiVersions.Parse("v2"));
            Assert.Equal("VisionOne.UnknownApiVersion", ex.ErrorId);
            Assert.Contains("beta-xdr", ex.Message);
        }
    }

    public class ApiKeyResolverTests
    {
        private const string EnvKey = "env-key-0000";
        private const string SessionKey = "session-key-1111";
        private const string ExplicitKey = "explicit-key-2222";

        private static ApiKeyResolver Resolver(Dictionary<string, string>? env = null, V1SessionDefaults? session = null) =>
            new ApiKeyResolver(name => env != null && env.TryGetValue(name, out var v) ? v : null, () => session);

        private static Dictionary<string, string> Env(string? key = EnvKey, string? fqdn = null)
        {
            var env = new Dictionary<string, string>();
            if (key != null) env[ApiKeyResolver.ApiKeyVariable] = key;
            if (fqdn != null) env[ApiKeyResolver.RegionalFqdnVariable] = fqdn;
            return env;
        }

        [Fact]
        public void Explicit_key_wins_over_session_and_environment()
        {
            var session = new V1SessionDefaults(SensitiveString.FromPlainText(SessionKey), null, null);
            var c = Resolver(Env(), session).Resolve(SensitiveString.FromPlainText(ExplicitKey), null, null);
            Assert.Equal(ExplicitKey, c.ApiKey.Reveal());
            Assert.Equal("parameter", c.ApiKeySource);
        }

        [Fact]
        public void Session_default_wins_over_environment()
        {
            var session = new V1SessionDefaults(SensitiveString.FromPlainText(SessionKey), "eu", null);
            var c = Resolver(Env(), session).Resolve(null, null, null);
            Assert.Equal(SessionKey, c.ApiKey.Reveal());
            Assert.Equal("session default", c.ApiKeySource);
            Assert.Equal("eu", c.Region.Code);
            Assert.Equal("https://api.eu.xdr.trendmicro.com/", c.ApiBaseUrl.ToString());
        }

        [Fact]
        public void Environment_key_is_the_last_resort()
        {
            var c = Resolver(Env()).Resolve(null, null, null);
            Assert.Equal(EnvKey, c.ApiKey.Reveal());
            Assert.Equal("environment variable VISIONONE_API_KEY", c.ApiKeySource);
            Assert.Equal("us", c.Region.Code);
            Assert.Equal("https://api.xdr.trendmicro.com/", c.ApiBaseUrl.ToString());
        }

        [Fact]
        public void No_key_anywhere_says_how_to_provide_one()
        {
            var ex = Assert.Throws<VisionOneException>(() => Resolver(Env(key: null)).Resolve(null, null, null));
            Assert.Equal("VisionOne.ApiKeyNotFound", ex.ErrorId);
            Assert.Contains("-ApiKey", ex.Message);
            Assert.Contains("VISIONONE_API_KEY", ex.Message);
            Assert.Contains("Set-V1Credential", ex.Message);
        }

        [Fact]
        public void An_explicit_base_URL_wins_over_session_environment_and_region()
        {
            var session = new V1SessionDefaults(null, null, new Uri("https://session.example/"));
            var c = Resolver(Env(fqdn: "api.env.example"), session).Resolve(null, "eu", "http://127.0.0.1:5099");
            Assert.Equal("http://127.0.0.1:5099/", c.ApiBaseUrl.ToString());
            Assert.Equal("parameter", c.ApiBaseUrlSource);
            Assert.Equal("eu", c.Region.Code);
        }

        [Fact]
        public void Session_base_URL_wins_over_environment_and_region_table()
        {
            var session = new V1SessionDefaults(null, null, new Uri("http://localhost:5000/"));
            var c = Resolver(Env(fqdn: "api.env.example"), session).Resolve(null, null, null);
            Assert.Equal("http://localhost:5000/", c.ApiBaseUrl.ToString());
            Assert.Equal("session default", c.ApiBaseUrlSource);
        }

        [Theory]
        [InlineData("http://127.0.0.1:5099", null)]
        [InlineData(null, "http://localhost:5000/")]
        public void An_explicit_region_never_sends_the_key_to_a_session_or_environment_host_in_no_region_table(string? fqdn, string? sessionUrl)
        {
            var session = sessionUrl == null ? null : new V1SessionDefaults(null, null, new Uri(sessionUrl));
            var ex = Assert.Throws<VisionOneException>(() => Resolver(Env(fqdn: fqdn), session).Resolve(null, "eu", null));
            Assert.Equal("VisionOne.RegionMismatch", ex.ErrorId);
            Assert.Contains("-ApiBaseUrl", ex.Message);
            // The same command's -ApiBaseUrl chooses such a host; a session or environment host of the same region is that region's.
            Assert.Equal("http://127.0.0.1:5099/", Resolver(Env(fqdn: fqdn), session).Resolve(null, "eu", "http://127.0.0.1:5099").ApiBaseUrl.ToString());
            Assert.Equal("https://api.eu.xdr.trendmicro.com/", Resolver(Env(fqdn: "api.eu.xdr.trendmicro.com")).Resolve(null, "eu", null).ApiBaseUrl.ToString());
        }

        [Theory]
        [InlineData("api.eu.xdr.trendmicro.com", "https://api.eu.xdr.trendmicro.com/")]
        [InlineData("https://api.eu.xdr.trendmicro.com", "https://api.eu.xdr.trendmicro.com/")]
        [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
        public void Regional_FQDN_variable_takes_a_host_or_a_URL(string fqdn, string expected)
        {
            var c = Resolver(Env(fqdn: fqdn)).Resolve(null, null, null);
            Assert.Equal(expected, c.ApiBaseUrl.ToString());
            Assert.Equal("environment variable VISIONONE_REGIONAL_FQDN", c.ApiBaseUrlSource);
        }

        [Theory]
        [InlineData("http://api.xdr.trendmicro.com")]
        [InlineData("http://10.0.0.5:8080")]
        public void Plain_http_to_a_remote_host_is_refused(string url)
        {
            var ex = Assert.Throws<VisionOneException>(() => Resolver(Env()).Resolve(null, null, url));
            Assert.Equal("VisionOne.InsecureEndpoint", ex.ErrorId);
        }

        [Theory]
        [InlineData("http://localhost:1234")]
        [InlineData("http://127.0.0.1:1234")]
        [InlineData("http://[::1]:1234")]
        public void Plain_http_to_loopback_is_accepted(string url)
        {
            var c = Resolver(Env()).Resolve(null, null, url);
            Assert.Equal("http", c.ApiBaseUrl.Scheme);
        }

        [Theory]
        [InlineData("not a url")]
        [InlineData("ftp://api.example")]
        [InlineData("https://api.example/?x=1")]
        public void Malformed_base_URLs_are_refused(string url)
        {
            var ex = Assert.Throws<VisionOneException>(() => Resolver(Env()).Resolve(null, null, url));
            Assert.Equal("VisionOne.InvalidEndpoint", ex.ErrorId);
        }

        [Fact]
        public void An_unknown_region_is_refused()
        {
            var ex = Assert.Throws<VisionOneException>(() => Resolver(Env()).Resolve(null, "xx", null));
            Assert.Equal("VisionOne.UnknownRegion", ex.ErrorId);
        }

        [Fact]
        public void The_key_is_revealed_lazily_and_never_by_ToString()
        {
            int reveals = 0;
            var key = new SensitiveString(() => { reveals++; return ExplicitKey; });
            var c = Resolver(Env()).Resolve(key, null, null);

            Assert.Equal(0, reveals);
            Assert.Equal("***", key.ToString());
            Assert.DoesNotContain(ExplicitKey, c.ToString());
            Assert.DoesNotContain(ExplicitKey, new V1SessionDefaults(key, "us", null).ToString());
            Assert.Equal(0, reveals);
        }

        [Fact]
        public void The_session_default_is_set_validated_and_cleared_per_session()
        {
            var session = new object();
            var otherSession = new object();
            V1Session.Set(session, SensitiveString.FromPlainText(SessionKey), "EU", new Uri("http://127.0.0.1:9/"));
            var c = new ApiKeyResolver(_ => null, () => V1Session.Get(session)).Resolve(null, null, null);
            Assert.Equal(SessionKey, c.ApiKey.Reveal());
            Assert.Equal("eu", c.Region.Code);
            Assert.Equal("http://127.0.0.1:9/", c.ApiBaseUrl.ToString());
            Assert.Null(V1Session.Get(otherSession));

            Assert.Equal("VisionOne.UnknownRegion", Assert.Throws<VisionOneException>(() => V1Session.Set(session, null, "nowhere", null)).ErrorId);
            Assert.Equal("VisionOne.InsecureEndpoint", Assert.Throws<VisionOneException>(() => V1Session.Set(session, null, null, new Uri("http://remote.example/"))).ErrorId);
            Assert.Equal(SessionKey, V1Session.Get(session)!.ApiKey!.Reveal());

            V1Session.Clear(session);
            Assert.Null(V1Session.Get(session));
        }
    }
}
