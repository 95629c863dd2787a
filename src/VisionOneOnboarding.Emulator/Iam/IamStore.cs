namespace VisionOneOnboarding.Emulator.Iam
{
    // SKELETON: replaced by the IAM/STS emulator work.
    public sealed class IamStore : IIamView
    {
        public void Reset() { }
        public RoleView? FindRole(string accountId, string roleName) => null;
        public bool OidcProviderExists(string accountId, string url) => false;
    }
}
