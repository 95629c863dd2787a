using System.Collections.Generic;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>
    /// What the Vision One face may read of IAM state, as the real service learns it by assuming the role.
    /// Implemented by <see cref="IamStore"/>.
    /// </summary>
    public interface IIamView
    {
        /// <summary>Null when no such role exists in that account.</summary>
        RoleView? FindRole(string accountId, string roleName);
        /// <summary>True when an OIDC provider for this URL (with or without https://) exists in the account.</summary>
        bool OidcProviderExists(string accountId, string url);
        /// <summary>
        /// False while an outside service (Vision One) cannot assume the role yet: it was created, or its trust policy
        /// changed, less than the fault window <c>assumeRoleWindowSeconds</c> ago. True otherwise, and for no such role.
        /// </summary>
        bool RoleAssumableYet(string accountId, string roleName);
    }

    public sealed class RoleView
    {
        public string Arn { get; set; } = "";
        /// <summary>Decoded trust policy JSON.</summary>
        public string TrustPolicy { get; set; } = "";
        public IReadOnlyList<string> AttachedPolicyNames { get; set; } = new List<string>();
        public IReadOnlyList<KeyValuePair<string, string>> Tags { get; set; } = new List<KeyValuePair<string, string>>();
    }
}
