using System;
using System.Collections.Generic;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Tests.VisionOne
{
    /// <summary>One Vision One region from one source of truth: the user's, the API host's, the issuer's and the template's must agree.</summary>
    public sealed class V1RegionAgreementTests
    {
        private static ApiKeyResolver Resolver(string? fqdn = null, V1SessionDefaults? session = null) =>
            new ApiKeyResolver(name => name == ApiKeyResolver.ApiKeyVariable ? "key" : name == ApiKeyResolver.RegionalFqdnVariable ? fqdn : null, () => session);

        public static IEnumerable<object[]> EveryRegion()
        {
            foreach (var region in V1Regions.All) yield return new object[] { region.Code };
        }

        [Theory]
        [MemberData(nameof(EveryRegion))]
        public void Every_region_host_maps_back_to_its_region(string code)
        {
            var region = V1Regions.Get(code);

            var byHost = Resolver(region.ApiBaseUrl.Host).Resolve(null, null, null);
            var byUrl = Resolver().Resolve(null, null, region.ApiBaseUrl.ToString());

            Assert.Equal(code, byHost.NamedRegion!.Code);
            Assert.Equal(code, byUrl.NamedRegion!.Code);
            Assert.Contains(region.ApiBaseUrl.Host, byHost.NamedRegionSource);
            Assert.True(V1Regions.TryGetByApiHost(region.ApiBaseUrl.Host.ToUpperInvariant(), out var found) && found.Code == code);
            if (region.OidcIssuerHostOrNull != null) Assert.True(V1Regions.TryGetByIssuer(region.OidcProviderUrl, out var issuer) && issuer.Code == code);
        }

        [Theory]
        [InlineData("api.eu.xdr.trendmicro.com", "eu")]
        [InlineData("api.xdr.trendmicro.co.jp", "jp")]
        [InlineData("api.xdr.trendmicro.com", "us")]
        public void The_regional_fqdn_decides_the_region_over_the_session_default(string fqdn, string code)
        {
            var c = Resolver(fqdn, new V1SessionDefaults(null, "au", null)).Resolve(null, null, null);

            Assert.Equal(code, c.Region.Code);
            Assert.Equal(code, c.NamedRegion!.Code);
        }

        [Fact]
        public void A_host_in_no_table_leaves_the_region_to_V1Region_the_session_or_the_issuer()
        {
            var unknown = Resolver().Resolve(null, null, "http://127.0.0.1:5000");
            var fromSession = Resolver(null, new V1SessionDefaults(null, "sg", null)).Resolve(null, null, "http://127.0.0.1:5000");
            var nothingGiven = Resolver().Resolve(null, null, null);

            Assert.Null(unknown.NamedRegion);
            Assert.Equal("VisionOne.RegionUnknown", Assert.Throws<VisionOneException>(() => unknown.Region).ErrorId);
            Assert.Equal("sg", fromSession.NamedRegion!.Code);
            Assert.Null(nothingGiven.NamedRegion);
            Assert.Equal("us", nothingGiven.Region.Code);
            Assert.Equal("https://api.xdr.trendmicro.com/", nothingGiven.ApiBaseUrl.ToString());
        }

        [Fact]
        public void V1Region_and_a_host_of_another_region_are_a_mismatch_naming_both()
        {
            var ex = Assert.Throws<VisionOneException>(() => Resolver().Resolve(null, "eu", "https://api.xdr.trendmicro.co.jp"));

            Assert.Equal("VisionOne.RegionMismatch", ex.ErrorId);
            Assert.Contains("'eu' (from -V1Region)", ex.Message);
            Assert.Contains("api.xdr.trendmicro.co.jp (from -ApiBaseUrl) is region 'jp'", ex.Message);
        }

        [Fact]
        public void The_issuer_decides_when_nothing_else_named_the_region()
        {
            var region = V1RegionAgreement.Decide(null, "", "https://cloudaccounts-eu.xdr.trendmicro.com", "named by the Vision One API", null, "t");

            Assert.Equal("eu", region.Code);
        }

        [Theory]
        [InlineData("us", "https://cloudaccounts-eu.xdr.trendmicro.com", null)]
        [InlineData("eu", "https://cloudaccounts-eu.xdr.trendmicro.com", "jp")]
        [InlineData(null, "https://cloudaccounts-us.xdr.trendmicro.com", "au")]
        public void Any_disagreement_is_a_mismatch_naming_each_value_and_its_source(string? user, string issuer, string? templateRegion)
        {
            var parameters = new Dictionary<string, string?> { ["VisionOneRegion"] = templateRegion };

            var ex = Assert.Throws<VisionOneException>(() => V1RegionAgreement.Decide(user, "-V1Region", issuer, "named by the Vision One API", parameters, "template.yaml"));

            Assert.Equal("VisionOne.RegionMismatch", ex.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
            if (user != null) Assert.Contains("'" + user + "' by -V1Region", ex.Message);
            Assert.Contains("by the issuer " + issuer + " (named by the Vision One API)", ex.Message);
            if (templateRegion != null) Assert.Contains("'" + templateRegion + "' by the template's VisionOneRegion (template.yaml)", ex.Message);
        }

        [Fact]
        public void Nothing_naming_a_region_is_a_clear_error()
        {
            var ex = Assert.Throws<VisionOneException>(() => V1RegionAgreement.Decide(null, "", "https://issuer.example.com", "the template", null, "t"));

            Assert.Equal("VisionOne.RegionUnknown", ex.ErrorId);
            Assert.Contains("-V1Region", ex.Message);
        }

        [Fact]
        public void The_business_id_must_be_the_templates()
        {
            var parameters = new Dictionary<string, string?> { ["VisionOneAccountID"] = "1234567890" };

            V1RegionAgreement.CheckBusinessId("1234567890", parameters, "t");
            V1RegionAgreement.CheckBusinessId("5555555555", new Dictionary<string, string?> { ["VisionOneAccountID"] = "" }, "t");
            var ex = Assert.Throws<VisionOneException>(() => V1RegionAgreement.CheckBusinessId("1234567899", parameters, "template.yaml"));

            Assert.Equal("VisionOne.BusinessIdMismatch", ex.ErrorId);
            Assert.Contains("'1234567899' (from -BusinessId)", ex.Message);
            Assert.Contains("made for '1234567890'", ex.Message);
        }

        [Fact]
        public void Without_BusinessId_the_templates_is_taken_and_said_and_with_neither_the_error_asks_for_it()
        {
            var log = new VisionOneOnboarding.Tests.Aws.CollectingLogSink();
            Assert.Equal("1234567890", V1RegionAgreement.BusinessIdOfTemplate(new Dictionary<string, string?> { ["VisionOneAccountID"] = "1234567890" }, "template.yaml", log));
            Assert.Contains(log.VerboseLines, v => v.Contains("Business id 1234567890: named by the template template.yaml (VisionOneAccountID)"));

            var none = Assert.Throws<VisionOneException>(() => V1RegionAgreement.BusinessIdOfTemplate(new Dictionary<string, string?> { ["VisionOneAccountID"] = " " }, "template.yaml", log));
            Assert.Equal(ErrorCatalogue.BusinessIdRequired.Id, none.ErrorId);
            Assert.Contains("does not name it", none.Message);
            var noTemplate = Assert.Throws<VisionOneException>(() => V1RegionAgreement.BusinessIdOfTemplate(null, null, log));
            Assert.Equal(ErrorCatalogue.BusinessIdRequired.Id, noTemplate.ErrorId);
            Assert.DoesNotContain("''", noTemplate.Message);
        }
    }
}
