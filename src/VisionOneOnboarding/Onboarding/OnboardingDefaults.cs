using System.Collections.Generic;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>The fixed facts of the manual procedure (the seed document), in one place.</summary>
    public static class OnboardingDefaults
    {
        /// <summary>The four thumbprints the procedure tells admins to paste, as documented (mixed case).</summary>
        public static IReadOnlyList<string> Thumbprints { get; } = new[]
        {
            "9e99a48a9960b14926bb7f3b02e22da2b0ab7280",
            "9565AD13689C2C4B4F018BE31767084D197F2692",
            "8CF427FD790C3AD166068DE81E57EFBB932272D4",
            "F21C12F46CDB6B2E16F09F9419CDFF328437B2D7",
        };

        public const string RoleName = "VisionOneRole";
        public const string RoleDescription = "Trend Vision One Cloud Accounts (created by VisionOneOnboarding)";

        public static IReadOnlyList<string> PolicyNames { get; } = new[] { "VisionOnePolicyPart1", "VisionOnePolicyPart2", "VisionOnePolicyPart3" };

        public const string StackNameTagKey = "VisionOneCloudFormationStackName";
        public const string StackNameTagValue = "Vision-One-Cloud-Account-Management";
        public const string StackRegionTagKey = "VisionOneCloudFormationStackRegion";
        public const string FeaturesTagKey = "VisionOneFeatures";
        public const string FeaturesTagValue = "Base";

        /// <summary>Used when neither -AwsDeploymentRegion nor an AWS region is given.</summary>
        public const string DefaultAwsRegion = "us-east-1";

        public const string TrustActionWebIdentity = "sts:AssumeRoleWithWebIdentity";
        public const string TrustActionSourceIdentity = "sts:SetSourceIdentity";
    }
}
