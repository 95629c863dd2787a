using System;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// A policy or trust document IAM would refuse (or that cannot be read at all). ErrorId is stable
    /// so cmdlets can use it as the FullyQualifiedErrorId; the message says what is wrong and what to do.
    /// </summary>
    public sealed class PolicyDocumentException : VisionOneException
    {
        public PolicyDocumentException(ErrorEntry error, string? policyName, string message, Exception? inner = null)
            : base(error, message, policyName, inner)
        {
            PolicyName = policyName;
        }

        /// <summary>The policy the document belongs to, when the caller named it.</summary>
        public string? PolicyName { get; }
    }
}
