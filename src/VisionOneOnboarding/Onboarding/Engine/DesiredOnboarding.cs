using System;
using System.Collections.Generic;
using System.Linq;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>The role the procedure prescribes: its trust, tags and attachments, and how far a repair may go.</summary>
    public sealed class DesiredRole
    {
        public DesiredRole(string name, string arn, string providerArn, string v1Region, string businessId, string awsDeploymentRegion,
            IReadOnlyList<string> policyArns, string audience, bool force, bool repairDrift)
        {
            Name = name;
            Arn = arn;
            ProviderArn = providerArn;
            IssuerHost = AwsArns.IssuerHostOf(providerArn)!;
            V1Region = v1Region;
            BusinessId = businessId;
            AwsDeploymentRegion = awsDeploymentRegion;
            PolicyArns = policyArns.ToArray();
            Audience = audience;
            Subject = TrustPolicy.Subject(v1Region, businessId);
            Trust = TrustPolicy.Build(providerArn, IssuerHost, audience, v1Region, businessId);
            Tags = RoleTags.Desired(awsDeploymentRegion);
            Force = force;
            RepairDrift = repairDrift;
        }

        public string Name { get; }
        /// <summary>The ARN it has when this plan creates it.</summary>
        public string Arn { get; }
        public string ProviderArn { get; }
        public string IssuerHost { get; }
        public string V1Region { get; }
        public string BusinessId { get; }
        public string AwsDeploymentRegion { get; }
        public IReadOnlyList<string> PolicyArns { get; }
        public string Audience { get; }
        public string Subject { get; }
        public string Trust { get; }
        public IReadOnlyList<AwsTag> Tags { get; }
        /// <summary>Replace a trust policy that differs, whoever created the role.</summary>
        public bool Force { get; }
        /// <summary>The whole procedure: a tagged role's trust is repaired without Force, and attachments not prescribed are detached.</summary>
        public bool RepairDrift { get; }
    }

    /// <summary>The Cloud Accounts entry the procedure prescribes.</summary>
    public sealed class DesiredCloudAccount
    {
        public DesiredCloudAccount(string roleArn, string name, string? description, string? workloadInstanceId, bool force)
        {
            RoleArn = roleArn;
            Name = name;
            Description = description;
            WorkloadInstanceId = workloadInstanceId;
            Force = force;
        }

        public string RoleArn { get; }
        /// <summary>Empty when only checked (Test-V1AwsOnboarding): the name is not compared.</summary>
        public string Name { get; }
        public string? Description { get; }
        public string? WorkloadInstanceId { get; }
        /// <summary>Re-point an entry connected with another role.</summary>
        public bool Force { get; }
    }

    /// <summary>
    /// What one account should look like, for the steps a plan covers: the whole procedure, or one step of it (the
    /// single-step cmdlets). Built from validated input only, so bad input fails before the first call.
    /// </summary>
    public sealed class DesiredOnboarding
    {
        private DesiredOnboarding(string accountId, string partition, IEnumerable<string> steps)
        {
            AccountId = accountId;
            Partition = partition;
            _steps = new HashSet<string>(steps, StringComparer.Ordinal);
            Audience = AwsArns.AccountRoot(partition, accountId);
        }

        public string AccountId { get; }
        public string Partition { get; }
        /// <summary>The steps this plan covers (<see cref="OnboardingSteps"/>).</summary>
        public IReadOnlyCollection<string> Steps => _steps;
        private readonly HashSet<string> _steps;
        public string Audience { get; }

        public string? ProviderArn { get; private set; }
        /// <summary>https://host; null when only the thumbprints are covered.</summary>
        public string? IssuerUrl { get; private set; }
        public IReadOnlyList<string> Thumbprints { get; private set; } = OnboardingDefaults.Thumbprints;
        /// <summary>Set-V1Thumbprints after a New-V1OidcProvider that only planned the provider: a missing provider is no error.</summary>
        public bool ProviderOnlyPlanned { get; private set; }

        /// <summary>VisionOnePolicyPart1..3 → document (validated).</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Policies { get; private set; } = new KeyValuePair<string, string>[0];
        /// <summary>Where the policies came from: the template URL, a template file, or "published".</summary>
        public string PolicySource { get; private set; } = "";
        public DesiredRole? Role { get; private set; }
        public DesiredCloudAccount? CloudAccount { get; private set; }

        public bool Covers(string step) => _steps.Contains(step);
        public IReadOnlyList<string> PolicyArns => Policies.Select(p => AwsArns.Policy(Partition, AccountId, p.Key)).ToList();

        /// <summary>The reads a plan of these steps needs.</summary>
        public ObservationRequest Observation()
        {
            var parts = ObservedParts.None;
            if (Covers(OnboardingSteps.OidcProvider) || Covers(OnboardingSteps.Thumbprints)) parts |= ObservedParts.Provider;
            if (Covers(OnboardingSteps.Policies)) parts |= ObservedParts.PolicyDocuments;
            if (Role != null) parts |= ObservedParts.Role;
            if (CloudAccount != null) parts |= ObservedParts.CloudAccount;
            return new ObservationRequest { Parts = parts, ProviderArn = ProviderArn, PolicyArns = PolicyArns, RoleName = Role?.Name };
        }

        /// <summary>The whole procedure for one account, from its resolved expectation; <paramref name="cloudAccount"/> null: the Cloud Accounts entry is not covered (no Vision One client).</summary>
        public static DesiredOnboarding ForProcedure(string accountId, string partition, OnboardingExpectation expected, bool force, DesiredCloudAccount? cloudAccount)
        {
            var desired = new DesiredOnboarding(accountId, partition, cloudAccount == null ? OnboardingSteps.Iam : OnboardingSteps.All);
            desired.ProviderArn = AwsArns.OidcProvider(partition, accountId, expected.IssuerHost);
            desired.IssuerUrl = expected.IssuerUrl;
            desired.Thumbprints = expected.Thumbprints;
            desired.Policies = ValidPolicies(expected.Policies);
            desired.PolicySource = expected.Source;
            var roleArn = AwsArns.Role(partition, accountId, expected.RoleName);
            desired.Role = new DesiredRole(expected.RoleName, roleArn, desired.ProviderArn, expected.V1Region, expected.BusinessId,
                expected.AwsDeploymentRegion, desired.PolicyArns, desired.Audience, force, repairDrift: true);
            desired.CloudAccount = cloudAccount;
            return desired;
        }

        /// <summary>New-V1OidcProvider: the provider for <paramref name="issuerUrl"/>, with its audience; its thumbprints only when created.</summary>
        public static DesiredOnboarding ForProvider(string accountId, string partition, string issuerUrl, IReadOnlyList<string>? thumbprints)
        {
            var url = InputRules.IssuerUrl(issuerUrl);
            var desired = new DesiredOnboarding(accountId, partition, new[] { OnboardingSteps.OidcProvider });
            desired.IssuerUrl = url;
            desired.ProviderArn = AwsArns.OidcProvider(partition, accountId, InputRules.IssuerHost(url));
            desired.Thumbprints = InputRules.Thumbprints(thumbprints ?? OnboardingDefaults.Thumbprints);
            return desired;
        }

        /// <summary>Set-V1Thumbprints: exactly these thumbprints on an existing provider.</summary>
        public static DesiredOnboarding ForThumbprints(string accountId, string partition, string providerArn, IReadOnlyList<string>? thumbprints, bool providerOnlyPlanned)
        {
            var arn = InputRules.ProviderArn(providerArn);
            RequireAccount(accountId, arn);
            var desired = new DesiredOnboarding(accountId, partition, new[] { OnboardingSteps.Thumbprints });
            desired.ProviderArn = arn;
            desired.Thumbprints = InputRules.Thumbprints(thumbprints ?? OnboardingDefaults.Thumbprints);
            desired.ProviderOnlyPlanned = providerOnlyPlanned;
            return desired;
        }

        /// <summary>New-V1Policies: each named policy with its document. Every document is validated here, before any call.</summary>
        public static DesiredOnboarding ForPolicies(string accountId, string partition, IReadOnlyList<KeyValuePair<string, string>> documents, string source)
        {
            var desired = new DesiredOnboarding(accountId, partition, new[] { OnboardingSteps.Policies });
            desired.Policies = ValidPolicies(documents);
            desired.PolicySource = source;
            return desired;
        }

        /// <summary>New-V1Role: the role, its trust, tags and attachments.</summary>
        public static DesiredOnboarding ForRole(string accountId, string partition, RoleRequest request)
        {
            var roleName = InputRules.RoleName(request.RoleName);
            var providerArn = InputRules.ProviderArn(request.ProviderArn);
            RequireAccount(accountId, providerArn);
            var businessId = InputRules.BusinessId(request.BusinessId);
            var awsRegion = InputRules.AwsRegion(request.AwsDeploymentRegion);
            var policyArns = request.PolicyArns.Select(InputRules.PolicyArn).Distinct(StringComparer.Ordinal).ToList();
            foreach (var policyArn in policyArns) RequireAccount(accountId, policyArn);   // the role gets the account's own policies, never another's
            if (policyArns.Count == 0)
                throw new VisionOneException(ErrorCatalogue.PolicyArnsMissing,
                    "No policy to attach. Pipe New-V1Policies' output into New-V1Role, or pass -PolicyArn with the three Vision One policy ARNs.");
            var desired = new DesiredOnboarding(accountId, partition, new[] { OnboardingSteps.Role, OnboardingSteps.RoleTrust, OnboardingSteps.RoleTags, OnboardingSteps.RoleAttachments });
            desired.ProviderArn = providerArn;
            desired.Role = new DesiredRole(roleName, AwsArns.Role(partition, accountId, roleName), providerArn, request.V1Region, businessId, awsRegion,
                policyArns, desired.Audience, request.Force, request.RepairDrift);
            return desired;
        }

        /// <summary>Connect-V1AwsAccount: the entry of the role's account, connected with that role.</summary>
        public static DesiredOnboarding ForCloudAccount(string partition, ConnectRequest request)
        {
            var roleArn = InputRules.RoleArn(request.RoleArn);
            var name = InputRules.CloudAccountName(request.Name);
            var description = InputRules.CloudAccountDescription(request.Description);
            var desired = new DesiredOnboarding(AwsArns.AccountOf(roleArn)!, partition, new[] { OnboardingSteps.CloudAccount });
            desired.CloudAccount = new DesiredCloudAccount(roleArn, name, description, request.WorkloadInstanceId, request.Force);
            return desired;
        }

        /// <summary>The same desired state, narrowed to <paramref name="steps"/> (and, for policies, to one name): what a re-plan after a conflict covers.</summary>
        internal DesiredOnboarding Narrowed(IEnumerable<string> steps, string? policyName = null)
        {
            var kept = new HashSet<string>(steps.Where(Covers), StringComparer.Ordinal);
            var copy = new DesiredOnboarding(AccountId, Partition, kept)
            {
                ProviderArn = ProviderArn, IssuerUrl = IssuerUrl, Thumbprints = Thumbprints, ProviderOnlyPlanned = ProviderOnlyPlanned,
                Policies = policyName == null ? Policies : Policies.Where(p => p.Key == policyName).ToList(), PolicySource = PolicySource,
                Role = kept.Any(OnboardingSteps.IsRoleStep) ? Role : null,
                CloudAccount = kept.Contains(OnboardingSteps.CloudAccount) ? CloudAccount : null,
            };
            return copy;
        }

        private static IReadOnlyList<KeyValuePair<string, string>> ValidPolicies(IReadOnlyList<KeyValuePair<string, string>> documents)
        {
            foreach (var d in documents)
            {
                InputRules.PolicyName(d.Key);
                PolicyDocument.Validate(d.Key, d.Value);
            }
            return documents.ToList();
        }

        private static void RequireAccount(string accountId, string arn)
        {
            var account = AwsArns.AccountOf(arn);
            if (account != accountId)
                throw new VisionOneException(ErrorCatalogue.AccountMismatch,
                    $"{arn} belongs to account {account}, but the credentials act in account {accountId}. Use credentials for account {account}, or an ARN of account {accountId}.", arn);
        }
    }

    /// <summary>The procedure's mark on the role it creates, and the tags it prescribes.</summary>
    public static class RoleTags
    {
        /// <summary>True when the tags include VisionOneCloudFormationStackName=Vision-One-Cloud-Account-Management: the procedure's mark on what it created.</summary>
        public static bool CarryProcedureTag(IEnumerable<AwsTag> tags) =>
            tags.Any(t => string.Equals(t.Key, OnboardingDefaults.StackNameTagKey, StringComparison.OrdinalIgnoreCase) && t.Value == OnboardingDefaults.StackNameTagValue);

        /// <summary>
        /// The mark the procedure puts on the provider and the policies it creates (the role carries it among its three
        /// tags): removal deletes an untagged provider or policy — one it adopted — only with IncludeShared.
        /// </summary>
        public static IReadOnlyList<AwsTag> Ownership { get; } = new[] { new AwsTag(OnboardingDefaults.StackNameTagKey, OnboardingDefaults.StackNameTagValue) };

        public static IReadOnlyList<AwsTag> Desired(string awsRegion) => new[]
        {
            new AwsTag(OnboardingDefaults.StackNameTagKey, OnboardingDefaults.StackNameTagValue),
            new AwsTag(OnboardingDefaults.StackRegionTagKey, awsRegion),
            new AwsTag(OnboardingDefaults.FeaturesTagKey, OnboardingDefaults.FeaturesTagValue),
        };
    }
}
