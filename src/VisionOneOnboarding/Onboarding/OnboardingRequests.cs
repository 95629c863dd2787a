using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
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

    /// <summary>Waits the engine may need; tests shorten them.</summary>
    public sealed class OnboardingTimings
    {
        /// <summary>How long to keep retrying "Invalid principal in policy" after a provider was just created (IAM propagation).</summary>
        public TimeSpan PrincipalPropagationTimeout { get; set; } = TimeSpan.FromMinutes(2);
        public TimeSpan PrincipalPropagationInterval { get; set; } = TimeSpan.FromSeconds(2);
        /// <summary>How long to keep re-reading a just-connected Cloud Accounts entry that is not yet managed.</summary>
        public TimeSpan ConnectVerificationTimeout { get; set; } = TimeSpan.FromSeconds(60);
        public TimeSpan ConnectVerificationInterval { get; set; } = TimeSpan.FromSeconds(3);
        public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = (d, ct) => Task.Delay(d, ct);
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
