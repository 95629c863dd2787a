using System.Text.Json.Nodes;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>The web-identity trust policy of VisionOneRole, exactly as the procedure prescribes it.</summary>
    public static class TrustPolicy
    {
        public static string Subject(string v1Region, string businessId) =>
            "urn:visionone:identity:" + v1Region + ":" + businessId + ":account/" + businessId;

        public static string Build(string providerArn, string issuerHost, string audience, string v1Region, string businessId)
        {
            var doc = new JsonObject
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["Effect"] = "Allow",
                        ["Principal"] = new JsonObject { ["Federated"] = providerArn },
                        ["Action"] = new JsonArray { OnboardingDefaults.TrustActionWebIdentity, OnboardingDefaults.TrustActionSourceIdentity },
                        ["Condition"] = new JsonObject
                        {
                            ["StringEquals"] = new JsonObject
                            {
                                [issuerHost + ":aud"] = audience,
                                [issuerHost + ":sub"] = new JsonArray { Subject(v1Region, businessId) },
                            },
                        },
                    },
                },
            };
            return doc.ToJsonString();
        }
    }
}
