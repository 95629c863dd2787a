using System.Collections.Generic;
using System.Linq;

namespace VisionOneOnboarding
{
    /// <summary>How one piece of an account compares with what the procedure prescribes.</summary>
    public enum CheckStatus
    {
        /// <summary>As prescribed.</summary>
        Ok,
        /// <summary>Present, but different.</summary>
        Drifted,
        /// <summary>Prescribed, but absent.</summary>
        Missing,
        /// <summary>Present, but not prescribed (extra trust, an extra thumbprint, an extra attachment).</summary>
        Extra,
    }

    /// <summary>One check of Test-V1AwsOnboarding: one piece of one account, what the procedure expects and what is there.</summary>
    public sealed class OnboardingCheck
    {
        public OnboardingCheck(string accountId, string step, string resource, string item, string expected, string actual, CheckStatus status)
        {
            AccountId = accountId; Step = step; Resource = resource; Item = item; Expected = expected; Actual = actual; Kind = status;
        }

        public string AccountId { get; }
        /// <summary>The procedure step (OidcProvider, Thumbprints, Policies, Role, RoleTrust, RoleTags, RoleAttachments, CloudAccount): the same Step its repair carries.</summary>
        public string Step { get; }
        /// <summary>The ARN checked (the account id for the Cloud Accounts entry): the same Target its repair carries.</summary>
        public string Resource { get; }
        /// <summary>Which part of the resource: a thumbprint, a tag key, a policy name, "Subject", "State"...</summary>
        public string Item { get; }
        public string Expected { get; }
        public string Actual { get; }

        /// <summary>
        /// Ok, Drifted, Missing or Extra, by name: a string, so that ConvertTo-Json and Export-Csv write it as people read
        /// it (an enum would be written as its number), and Where-Object Status -ne Ok reads the same.
        /// </summary>
        public string Status => Kind.ToString();

        internal CheckStatus Kind { get; }

        /// <summary>
        /// The finding in words that name the item: "Missing thumbprint F21C…", "Drifted RoleTags VisionOneFeatures:
        /// Base expected, Other found". The value is the expected one for Missing, the one found for Extra.
        /// </summary>
        public override string ToString()
        {
            // A step named after its items (Thumbprints: Thumbprint) says it once, with the value that tells the items apart.
            var what = Step.StartsWith(Item, System.StringComparison.Ordinal) ? Item.ToLowerInvariant() : Step + " " + Item;
            switch (Kind)
            {
                case CheckStatus.Ok: return "Ok " + what;
                case CheckStatus.Missing: return "Missing " + what + (Expected == Actual ? "" : " " + Expected);
                case CheckStatus.Extra: return "Extra " + what + " " + Actual;
                default: return "Drifted " + what + ": " + Expected + " expected, " + Actual + " found";
            }
        }
    }

    /// <summary>The verdict of Test-V1AwsOnboarding for one account.</summary>
    public sealed class OnboardingCheckSummary
    {
        public OnboardingCheckSummary(string accountId, IReadOnlyList<OnboardingCheck> checks)
        {
            AccountId = accountId;
            Checks = checks.ToArray();
        }

        public string AccountId { get; }
        public OnboardingCheck[] Checks { get; }
        /// <summary>True when every check is Ok.</summary>
        public bool IsCompliant => Checks.All(c => c.Kind == CheckStatus.Ok);
        public int Ok => Count(CheckStatus.Ok);
        public int Drifted => Count(CheckStatus.Drifted);
        public int Missing => Count(CheckStatus.Missing);
        public int Extra => Count(CheckStatus.Extra);
        /// <summary>The checks that are not Ok.</summary>
        public OnboardingCheck[] Findings => Checks.Where(c => c.Kind != CheckStatus.Ok).ToArray();

        private int Count(CheckStatus status) => Checks.Count(c => c.Kind == status);

        public override string ToString() => AccountId + ": " + (IsCompliant ? "compliant" : Findings.Length + " finding(s)") + " in " + Checks.Length + " checks";
    }
}
