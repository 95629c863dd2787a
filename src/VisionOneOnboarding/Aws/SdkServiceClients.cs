using System.Threading;
using Amazon;
using Amazon.Runtime;
using Amazon.RuntimeDependencies;
using Amazon.SecurityToken;
using Amazon.SSO;
using Amazon.SSOOIDC;

namespace VisionOneOnboarding.Aws
{
    /// <summary>
    /// Hands AWSSDK.Core the STS, SSO and SSO OIDC clients its credential providers need, built by us rather than
    /// found by AWSSDK.Core's own reflection. That reflection takes the first assembly of the right name in the whole
    /// process — with AWS.Tools loaded, AWS.Tools' copy in another load context, whose clients do not fit ours — and
    /// it configures endpoints from the default profile only. Here the clients are bound at compile time to the copies
    /// in this module's bin/, and get the endpoint of <see cref="AwsEndpointScope.Current"/>: the same standard
    /// endpoint settings as the module's own calls (http only to loopback).
    /// </summary>
    internal static class SdkServiceClients
    {
        private static int _registered;

        public static void EnsureRegistered()
        {
            if (Interlocked.Exchange(ref _registered, 1) == 1) return;
            var registry = GlobalRuntimeDependencyRegistry.Instance;
            // Only unsigned STS calls (web identity) come here: assume-role profiles become AssumeRoleCredentials, which
            // signs with its source credentials on a client of its own. (AWSSDK.Core 4.1 labels its web identity request
            // "AssumeRoleAWSCredentials", so the label cannot be relied on; SAML federation is not offered.)
            registry.RegisterSecurityTokenServiceClient(context =>
                context.SecurityTokenServiceClientContextData.Action == SecurityTokenServiceClientContext.ActionContext.FederatedAWSCredentials
                    ? null
                    : new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(),
                        Configure(new AmazonSecurityTokenServiceConfig(), AwsServiceId.Sts, context.SecurityTokenServiceClientContextData.Region)));
            registry.RegisterSSOClient(context =>
                new AmazonSSOClient(new AnonymousAWSCredentials(), Configure(new AmazonSSOConfig(), AwsServiceId.Sso, context.SSOClientContextData.Region)));
            registry.RegisterSSOOIDCClient(context =>
                new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), Configure(new AmazonSSOOIDCConfig(), AwsServiceId.SsoOidc, context.SSOOIDCClientContextData.Region)));
        }

        /// <summary>Points <paramref name="config"/> at the configured endpoint for <paramref name="service"/>, else at AWS in <paramref name="region"/>.</summary>
        public static T Configure<T>(T config, AwsServiceId service, RegionEndpoint? region, AwsServiceEndpoints? endpoints = null) where T : ClientConfig
        {
            region ??= RegionEndpoint.USEast1;
            var settings = endpoints ?? AwsEndpointScope.Current;
            var endpoint = settings.For(service);
            if (endpoint == null && service == AwsServiceId.Sts && settings.UseFips)
            {
                // The STS host the module's own client uses, or its clear refusal: never a FIPS host AWS does not have.
                endpoint = new AwsServiceEndpoint(AwsEndpoints.StsEndpointForRegion(region.SystemName, fips: true), settings.FipsSource!);
            }
            if (endpoint != null)
            {
                config.ServiceURL = endpoint.Url.ToString();
                config.AuthenticationRegion = region.SystemName;
            }
            else
            {
                config.UseFIPSEndpoint = settings.UseFips;
                config.RegionEndpoint = region;
                // Already decided from the same settings: no second reading of another profile's endpoint.
                config.IgnoreConfiguredEndpointUrls = true;
            }
            return config;
        }
    }
}
