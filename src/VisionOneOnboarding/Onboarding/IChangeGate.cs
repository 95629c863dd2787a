namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// Asked before every change the engine would make. The cmdlets answer through ShouldProcess
    /// (so -WhatIf lists each change and -Confirm asks); tests answer yes or no.
    /// </summary>
    public interface IChangeGate
    {
        /// <param name="target">What is changed, e.g. the role ARN.</param>
        /// <param name="action">The change in words an admin reads, e.g. "Create IAM role".</param>
        /// <param name="highImpact">
        /// The change replaces or takes away something that already works (a role's trust policy, a policy attached
        /// to the role): it is confirmed as a high-impact change, unless the user said -Force.
        /// </param>
        bool ShouldChange(string target, string action, bool highImpact = false);
    }

    /// <summary>Says yes to everything (or no to everything, for planning).</summary>
    public sealed class FixedChangeGate : IChangeGate
    {
        private readonly bool _answer;
        public FixedChangeGate(bool answer) { _answer = answer; }
        public static FixedChangeGate Allow { get; } = new FixedChangeGate(true);
        public static FixedChangeGate Deny { get; } = new FixedChangeGate(false);
        public bool ShouldChange(string target, string action, bool highImpact = false) => _answer;
    }
}
