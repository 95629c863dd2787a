using System;
using System.Collections.Generic;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>What Invoke-V1AwsOnboarding needs to know for one account: what it expects there, and the Cloud Accounts entry.</summary>
    public sealed class OnboardingRequest : ExpectationRequest
    {
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string? WorkloadInstanceId { get; set; }
        /// <summary>Replace a differing trust policy, and re-point a Cloud Accounts entry connected with another role.</summary>
        public bool Force { get; set; }

        /// <summary>The same request under another name: one account of a many-account run.</summary>
        public OnboardingRequest Named(string name)
        {
            var copy = (OnboardingRequest)MemberwiseClone();
            copy.Name = name;
            return copy;
        }
    }

    /// <summary>What New-V1Role needs to know.</summary>
    public sealed class RoleRequest
    {
        public string RoleName { get; set; } = OnboardingDefaults.RoleName;
        public string ProviderArn { get; set; } = "";
        public string V1Region { get; set; } = "";
        public string BusinessId { get; set; } = "";
        public IReadOnlyList<string> PolicyArns { get; set; } = new string[0];
        public string AwsDeploymentRegion { get; set; } = OnboardingDefaults.DefaultAwsRegion;
        /// <summary>Replace the trust policy of an existing role that trusts something else.</summary>
        public bool Force { get; set; }
        /// <summary>
        /// Set by the whole procedure (Invoke-V1AwsOnboarding), which puts back whatever drifted: a role carrying the
        /// procedure's VisionOneCloudFormationStackName tag was created by it, so a trust policy that differs is
        /// repaired without -Force; and managed policies the procedure does not prescribe are detached. New-V1Role
        /// leaves it off: there an existing role whose trust differs is refused unless -Force, and nothing is detached.
        /// </summary>
        public bool RepairDrift { get; set; }
    }

    /// <summary>The engine's bounded waits (see <see cref="WaitBudgets"/> for what each is) and the clock they run on; tests shorten them or pass a clock that does not sleep.</summary>
    public sealed class OnboardingTimings
    {
        /// <summary>"Invalid principal in policy" while IAM propagates a provider created seconds ago.</summary>
        public WaitBudget PrincipalPropagation { get; set; } = WaitBudgets.InvalidPrincipal;
        /// <summary>A just-added Cloud Accounts entry that is not listed yet.</summary>
        public WaitBudget ReadAfterWrite { get; set; } = WaitBudgets.CloudAccountReadAfterWrite;
        /// <summary>A connected entry that Vision One does not report managed yet (-VerifyTimeoutSeconds).</summary>
        public WaitBudget ConnectVerification { get; set; } = WaitBudgets.CloudAccountManaged;
        /// <summary>The connection refused while Vision One cannot assume the role this run created or changed yet (-AssumeRoleTimeoutSeconds).</summary>
        public WaitBudget RoleAssumable { get; set; } = WaitBudgets.VisionOneAssumesRole;
        public WaitClock Clock { get; set; } = WaitClock.System;

        /// <summary>
        /// The defaults, verifying for <paramref name="verifyTimeoutSeconds"/> (the cmdlets' -VerifyTimeoutSeconds) and, when
        /// given, waiting for Vision One to assume a fresh role for <paramref name="assumeRoleTimeoutSeconds"/> (-AssumeRoleTimeoutSeconds).
        /// </summary>
        public static OnboardingTimings Verifying(int verifyTimeoutSeconds, int? assumeRoleTimeoutSeconds = null) => new OnboardingTimings
        {
            ConnectVerification = WaitBudgets.CloudAccountManaged.Within(TimeSpan.FromSeconds(verifyTimeoutSeconds)),
            RoleAssumable = assumeRoleTimeoutSeconds.HasValue ? WaitBudgets.VisionOneAssumesRole.Within(TimeSpan.FromSeconds(assumeRoleTimeoutSeconds.Value)) : WaitBudgets.VisionOneAssumesRole,
        };
    }

    /// <summary>What Connect-V1AwsAccount needs to know.</summary>
    public sealed class ConnectRequest
    {
        public string RoleArn { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public string? WorkloadInstanceId { get; set; }
        /// <summary>Re-point an entry that is connected with another role.</summary>
        public bool Force { get; set; }
    }

}
