using System.Collections.Generic;
using System.Linq;

namespace VisionOneOnboarding
{
    /// <summary>One change the engine made, or would make (under -WhatIf, or when -Confirm was answered no).</summary>
    public sealed class OnboardingChange
    {
        public OnboardingChange(string step, string action, string target, bool applied)
        {
            Step = step; Action = action; Target = target; Applied = applied;
        }
        /// <summary>One of <see cref="Onboarding.OnboardingSteps"/>: OidcProvider, Thumbprints, Policies, Role, RoleTrust, RoleTags, RoleAttachments, CloudAccount.</summary>
        public string Step { get; }
        /// <summary>What is done, in the words -WhatIf uses, e.g. "Create IAM role".</summary>
        public string Action { get; }
        public string Target { get; }
        /// <summary>False when the change was only planned (-WhatIf) or declined (-Confirm).</summary>
        public bool Applied { get; }
        public override string ToString() => (Applied ? "" : "(not applied) ") + Action + ": " + Target;
    }

    /// <summary>
    /// What the onboarding steps have established for one AWS account. Every cmdlet emits it and accepts it
    /// from the pipeline, so the steps chain by property name with no glue. It carries no secret.
    /// </summary>
    public sealed class AwsOnboardingState
    {
        public string? AccountId { get; set; }
        public string Partition { get; set; } = "aws";
        /// <summary>Not a secret: carried so later cmdlets in a chain reach the same endpoint.</summary>
        public string? EndpointUrl { get; set; }
        public string? ProfileName { get; set; }

        public string? V1Region { get; set; }
        public string? OidcProviderArn { get; set; }
        /// <summary>https://host as IAM was given it.</summary>
        public string? OidcProviderUrl { get; set; }
        public string? Audience { get; set; }
        public TextList<string> Thumbprints { get; set; } = new TextList<string>();

        public TextList<string> PolicyArns { get; set; } = new TextList<string>();

        public string? RoleArn { get; set; }
        public string? RoleName { get; set; }
        public string? BusinessId { get; set; }
        public string? AwsDeploymentRegion { get; set; }

        /// <summary>Not a secret: carried so later Vision One cmdlets in a chain reach the same API host.</summary>
        public string? ApiBaseUrl { get; set; }
        /// <summary>Where the policies came from: the template URL, a template file, or the published documents.</summary>
        public string? TemplateUrl
        {
            get => _templateUrl;
            // A pre-signed link's query is a credential: it is never kept where output, files and logs can show it.
            set => _templateUrl = Net.UrlRedaction.WithoutCredentials(value);
        }
        private string? _templateUrl;

        public string? CloudAccountName { get; set; }
        /// <summary>managed, outdated or failed, as Vision One reports it after the connection.</summary>
        public string? CloudAccountState { get; set; }
        public VisionOne.V1AwsAccount? CloudAccount { get; set; }

        public TextList<OnboardingChange> Changes { get; set; } = new TextList<OnboardingChange>();

        /// <summary>
        /// The template text read by Get-V1AwsTemplate, so New-V1Policies further down the chain can resolve it
        /// with the account's facts. Internal: not shown, not serialised.
        /// </summary>
        internal string? TemplateText { get; set; }

        /// <summary>The fewest dependent round trips the last engine run needed (its floor; the benchmark multiplies it by the latency).</summary>
        public int DependentRoundTrips { get; set; }

        /// <summary>
        /// Takes in what one engine run established: the engine never touches a state object, the cmdlets fold its
        /// outcome into the state they emit. Facts the run did not speak of stay as they were.
        /// </summary>
        public void FoldIn(Onboarding.OnboardingOutcome outcome)
        {
            AccountId = outcome.AccountId;
            Partition = outcome.Partition;
            OidcProviderArn = outcome.OidcProviderArn ?? OidcProviderArn;
            OidcProviderUrl = outcome.OidcProviderUrl ?? OidcProviderUrl;
            Audience = outcome.Audience ?? Audience;
            if (outcome.Thumbprints != null) Thumbprints = new TextList<string>(outcome.Thumbprints);
            if (outcome.PolicyArns != null) PolicyArns = new TextList<string>(outcome.PolicyArns);
            RoleName = outcome.RoleName ?? RoleName;
            RoleArn = outcome.RoleArn ?? RoleArn;
            BusinessId = outcome.BusinessId ?? BusinessId;
            V1Region = outcome.V1Region ?? V1Region;
            AwsDeploymentRegion = outcome.AwsDeploymentRegion ?? AwsDeploymentRegion;
            TemplateUrl = outcome.TemplateSource ?? TemplateUrl;
            ApiBaseUrl = outcome.ApiBaseUrl ?? ApiBaseUrl;
            CloudAccountName = outcome.CloudAccountName ?? CloudAccountName;
            if (outcome.CloudAccount != null)
            {
                CloudAccount = outcome.CloudAccount;
                CloudAccountState = outcome.CloudAccount.State;
            }
            Changes.AddRange(outcome.Changes);
            DependentRoundTrips = outcome.DependentRoundTrips;
        }

        /// <summary>True when a change of <paramref name="step"/> to <paramref name="target"/> was only planned (-WhatIf) or declined, not made.</summary>
        public bool IsOnlyPlanned(string step, string target) => Changes.Any(c => !c.Applied && c.Step == step && c.Target == target);

        /// <summary>True when every change was applied (or none was needed).</summary>
        public bool IsComplete => Changes.All(c => c.Applied);

        /// <summary>A copy to emit downstream, so objects already written to the pipeline do not change under the user.</summary>
        public AwsOnboardingState Clone()
        {
            var copy = (AwsOnboardingState)MemberwiseClone();
            copy.Thumbprints = new TextList<string>(Thumbprints);
            copy.PolicyArns = new TextList<string>(PolicyArns);
            copy.Changes = new TextList<OnboardingChange>(Changes);
            return copy;
        }
    }
}
