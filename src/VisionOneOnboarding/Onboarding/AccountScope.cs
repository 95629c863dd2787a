using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Onboarding.Permissions;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>The one AWS account an engine call works in: its id, partition and IAM client. Never process-wide.</summary>
    public sealed class AccountScope
    {
        public AccountScope(string accountId, string partition, IIamClient iam, string? region = null)
        {
            AccountId = InputRules.AccountId(accountId);
            Partition = partition;
            Iam = iam;
            Region = region;
        }

        public string AccountId { get; }
        public string Partition { get; }
        public IIamClient Iam { get; }
        /// <summary>The AWS region the credentials resolved to, if any (default for the stack-region tag).</summary>
        public string? Region { get; }
        /// <summary>Asks IAM's policy simulator before Invoke, Test and Remove read or change anything; null: no preflight (the step cmdlets).</summary>
        public PermissionPreflight? Preflight { get; set; }
    }
}
