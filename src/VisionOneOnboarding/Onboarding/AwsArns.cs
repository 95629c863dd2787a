namespace VisionOneOnboarding.Onboarding
{
    /// <summary>ARNs of the objects the procedure creates: predictable, so a plan can name them before they exist.</summary>
    public static class AwsArns
    {
        public static string OidcProvider(string partition, string accountId, string issuerHost) =>
            "arn:" + partition + ":iam::" + accountId + ":oidc-provider/" + issuerHost;

        public static string Policy(string partition, string accountId, string policyName) =>
            "arn:" + partition + ":iam::" + accountId + ":policy/" + policyName;

        public static string Role(string partition, string accountId, string roleName) =>
            "arn:" + partition + ":iam::" + accountId + ":role/" + roleName;

        /// <summary>The audience (client id) the procedure prescribes: the account's root ARN.</summary>
        public static string AccountRoot(string partition, string accountId) =>
            "arn:" + partition + ":iam::" + accountId + ":root";

        /// <summary>The account id inside an IAM ARN (arn:partition:iam::ACCOUNT:...), or null.</summary>
        public static string? AccountOf(string arn)
        {
            var parts = arn.Split(':');
            return parts.Length >= 6 && parts[0] == "arn" ? parts[4] : null;
        }

        public static string? PartitionOf(string arn)
        {
            var parts = arn.Split(':');
            return parts.Length >= 6 && parts[0] == "arn" ? parts[1] : null;
        }

        /// <summary>The issuer host (and path) an OIDC provider ARN names.</summary>
        public static string? IssuerHostOf(string providerArn)
        {
            const string marker = ":oidc-provider/";
            int i = providerArn.IndexOf(marker, System.StringComparison.Ordinal);
            return i < 0 ? null : providerArn.Substring(i + marker.Length);
        }
    }
}
