namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// The names of the procedure's steps, shared by the changes the onboarding records and the checks the
    /// inspection reports: a drifted check and the change that repairs it carry the same step and resource.
    /// </summary>
    public static class OnboardingSteps
    {
        public const string OidcProvider = "OidcProvider";
        public const string Thumbprints = "Thumbprints";
        public const string Policies = "Policies";
        public const string Role = "Role";
        public const string RoleTrust = "RoleTrust";
        public const string RoleTags = "RoleTags";
        public const string RoleAttachments = "RoleAttachments";
        public const string CloudAccount = "CloudAccount";
    }
}
