using System;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>How a failure should be classified; the cmdlet layer maps it onto PowerShell's ErrorCategory.</summary>
    public enum FailureKind
    {
        NotSpecified,
        InvalidArgument,
        InvalidData,
        ObjectNotFound,
        ResourceExists,
        ResourceUnavailable,
        LimitsExceeded,
        SecurityError,
        AuthenticationError,
        PermissionDenied,
        ConnectionError,
        InvalidOperation,
        OperationTimeout,
    }

    /// <summary>
    /// A failure the user can act on: a stable <see cref="ErrorId"/> (tests and scripts catch on it),
    /// a kind, the object it concerns, and a message that says what to do next. Never carries a secret.
    /// Engine code throws it (or a subclass); the cmdlets turn it into an ErrorRecord.
    /// </summary>
    public class OnboardingException : Exception
    {
        public OnboardingException(string errorId, FailureKind kind, string message, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId; Kind = kind; Target = target;
        }

        public string ErrorId { get; }
        public FailureKind Kind { get; }
        public object? Target { get; }
    }
}
