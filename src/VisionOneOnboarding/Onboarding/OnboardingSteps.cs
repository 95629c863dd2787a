using System;
using System.Collections.Generic;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// The names of the procedure's steps, shared by the checks a plan reports and the changes it plans: a check that
    /// is not Ok and the change that repairs it carry the same step and resource.
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

        /// <summary>The IAM steps, in the order checks are reported.</summary>
        public static IReadOnlyList<string> Iam { get; } = new[] { OidcProvider, Thumbprints, Policies, Role, RoleTrust, RoleTags, RoleAttachments };

        /// <summary>Every step, in the order checks are reported.</summary>
        public static IReadOnlyList<string> All { get; } = new[] { OidcProvider, Thumbprints, Policies, Role, RoleTrust, RoleTags, RoleAttachments, CloudAccount };

        public static bool IsRoleStep(string step) =>
            step == Role || step == RoleTrust || step == RoleTags || step == RoleAttachments;
    }
}
