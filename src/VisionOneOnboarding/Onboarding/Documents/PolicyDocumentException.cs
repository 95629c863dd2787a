using System;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// A policy or trust document IAM would refuse (or that cannot be read at all). ErrorId is stable
    /// so cmdlets can use it as the FullyQualifiedErrorId; the message says what is wrong and what to do.
    /// </summary>
    public sealed class PolicyDocumentException : OnboardingException
    {
        public const string MalformedErrorId = "VisionOne.PolicyDocumentMalformed";
        public const string TooLargeErrorId = "VisionOne.PolicyTooLarge";
        public const string VersionMissingErrorId = "VisionOne.PolicyVersionMissing";
        public const string NotLatin1ErrorId = "VisionOne.PolicyNotLatin1";

        public PolicyDocumentException(string errorId, string? policyName, string message, Exception? inner = null)
            : base(errorId, errorId == TooLargeErrorId ? FailureKind.LimitsExceeded : FailureKind.InvalidData, message, policyName, inner)
        {
            PolicyName = policyName;
        }

        /// <summary>The policy the document belongs to, when the caller named it.</summary>
        public string? PolicyName { get; }
    }
}
