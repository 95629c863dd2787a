using System.Linq;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Tests.Emulator
{
    public sealed class OidcProviderRulesTests : IClassFixture<EmulatorFixture>
    {
        private const string Url = "https://issuer.example.test/oidc";
        private const string Arn = "arn:aws:iam::123456789012:oidc-provider/issuer.example.test/oidc";
        private static readonly string Thumbprint = new string('a', 40);
        private readonly EmulatorFixture _emulator;
        private readonly QueryClient _iam;

        public OidcProviderRulesTests(EmulatorFixture emulator)
        {
            _emulator = emulator;
            _emulator.Reset();
            _iam = emulator.SeedClient();
        }

        [Theory]
        [InlineData("http://issuer.example.test/oidc", "InvalidInput")]
        [InlineData("https://issuer.example.test:8443/oidc", "InvalidInput")]
        [InlineData("https://issuer.example.test/oidc?tenant=1", "InvalidInput")]
        [InlineData("https://", "InvalidInput")]
        public async Task ProviderUrlMustBeHttpsWithoutPortOrQuery(string url, string code)
        {
            (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", url))).AssertError(400, code);
        }

        [Fact]
        public async Task ProviderUrlIsAtMost255Characters()
        {
            var longUrl = "https://issuer.example.test/" + new string('p', 255 - 28 + 1);
            (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", longUrl))).AssertError(400, "ValidationError");
        }

        [Fact]
        public async Task CreatedProviderIsReturnedWithoutSchemeAndOnlyOncePerUrl()
        {
            (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", Url), ("ClientIDList.member.1", "sts.amazonaws.com"),
                ("ThumbprintList.member.1", Thumbprint), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "cloud"))).AssertOk();
            var duplicate = await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", Url));
            var provider = (await _iam.IamAsync("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn))).AssertOk();

            duplicate.AssertError(409, "EntityAlreadyExists");
            Assert.Equal("Provider with url " + Url + " already exists.", duplicate.ErrorMessage);
            Assert.Equal("issuer.example.test/oidc", provider.Value("Url"));
            Assert.Equal(new[] { "sts.amazonaws.com" }, provider.Members("ClientIDList"));
            Assert.Equal(new[] { Thumbprint }, provider.Members("ThumbprintList"));
            Assert.Equal("cloud", provider.Value("Value"));
            Assert.NotNull(provider.Value("CreateDate"));
        }

        [Fact]
        public async Task ThumbprintsAreFortyHexCharactersAtMostFive()
        {
            var sixThumbprints = Enumerable.Range(1, 6).Select(i => ("ThumbprintList.member." + i, new string((char)('a' + i), 40))).ToArray();

            (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", Url), ("ThumbprintList.member.1", new string('a', 39)))).AssertError(400, "ValidationError");
            (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", Url), ("ThumbprintList.member.1", new string('g', 40)))).AssertError(400, "InvalidInput");
            (await _iam.IamAsync("CreateOpenIDConnectProvider", new[] { ("Url", Url) }.Concat(sixThumbprints).ToArray())).AssertError(400, "InvalidInput");
            (await _iam.IamAsync("CreateOpenIDConnectProvider", new[] { ("Url", Url) }.Concat(sixThumbprints.Take(5)).ToArray())).AssertOk();
        }

        [Fact]
        public async Task ThumbprintUpdateReplacesTheListAndRefusesAnEmptyOne()
        {
            (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", Url), ("ThumbprintList.member.1", Thumbprint))).AssertOk();
            var newList = new[] { new string('B', 40), new string('c', 40) };

            (await _iam.IamAsync("UpdateOpenIDConnectProviderThumbprint", ("OpenIDConnectProviderArn", Arn), ("ThumbprintList", ""))).AssertError(400, "InvalidInput");
            (await _iam.IamAsync("UpdateOpenIDConnectProviderThumbprint", ("OpenIDConnectProviderArn", Arn),
                ("ThumbprintList.member.1", newList[0]), ("ThumbprintList.member.2", newList[1]))).AssertOk();
            var provider = await _iam.IamAsync("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn));

            Assert.Equal(newList, provider.Members("ThumbprintList"));
        }

        [Fact]
        public async Task ClientIdsAreIdempotentAndLimited()
        {
            (await _iam.IamAsync("CreateOpenIDConnectProvider", new[] { ("Url", Url) }
                .Concat(Enumerable.Range(1, 99).Select(i => ("ClientIDList.member." + i, "client-" + i))).ToArray())).AssertOk();

            (await _iam.IamAsync("AddClientIDToOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", "client-100"))).AssertOk();
            (await _iam.IamAsync("AddClientIDToOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", "client-100"))).AssertOk();
            (await _iam.IamAsync("AddClientIDToOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", "client-101"))).AssertError(409, "LimitExceeded");
            (await _iam.IamAsync("AddClientIDToOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", new string('c', 256)))).AssertError(400, "ValidationError");
            (await _iam.IamAsync("RemoveClientIDFromOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", "client-1"))).AssertOk();
            (await _iam.IamAsync("RemoveClientIDFromOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn), ("ClientID", "client-1"))).AssertOk();
            var provider = await _iam.IamAsync("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn));

            Assert.Equal(99, provider.Members("ClientIDList").Count);
            Assert.DoesNotContain("client-1", provider.Members("ClientIDList"));
        }

        [Fact]
        public async Task AnAccountHoldsAtMostOneHundredProviders()
        {
            for (int i = 0; i < 100; i++)
            {
                (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", "https://issuer-" + i + ".example.test"))).AssertOk();
            }
            var list = await _iam.IamAsync("ListOpenIDConnectProviders");

            (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", "https://one-too-many.example.test"))).AssertError(409, "LimitExceeded");
            Assert.Equal(100, list.Values("Arn").Count);
        }

        [Fact]
        public async Task DeletedProviderIsGone()
        {
            (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", Url))).AssertOk();
            (await _iam.IamAsync("DeleteOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn))).AssertOk();

            (await _iam.IamAsync("GetOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn))).AssertError(404, "NoSuchEntity");
            (await _iam.IamAsync("DeleteOpenIDConnectProvider", ("OpenIDConnectProviderArn", Arn))).AssertError(404, "NoSuchEntity");
            Assert.False(_emulator.Host.State.Iam.OidcProviderExists("123456789012", Url));
        }

        [Fact]
        public async Task ViewFindsProvidersWithOrWithoutScheme()
        {
            (await _iam.IamAsync("CreateOpenIDConnectProvider", ("Url", Url))).AssertOk();
            var view = _emulator.Host.State.Iam;

            Assert.True(view.OidcProviderExists("123456789012", Url));
            Assert.True(view.OidcProviderExists("123456789012", "issuer.example.test/oidc"));
            Assert.False(view.OidcProviderExists("999999999999", Url));
        }
    }
}
