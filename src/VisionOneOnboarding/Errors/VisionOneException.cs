using System;

namespace VisionOneOnboarding.Errors
{
    /// <summary>
    /// The module's one exception type: a failure the user can act on, carrying its <see cref="ErrorCatalogue"/> entry
    /// (stable id, category, scope, what to do next), the object it concerns and a message that says what is wrong.
    /// Never carries a secret. Engine code and the clients throw it (or a subclass that adds detail); the cmdlet base
    /// turns it into an ErrorRecord.
    /// </summary>
    public class VisionOneException : Exception
    {
        public VisionOneException(ErrorEntry error, string message, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            Error = error ?? throw new ArgumentNullException(nameof(error));
            Target = target;
        }

        public ErrorEntry Error { get; }

        /// <summary>The stable id scripts match on (the ErrorRecord's FullyQualifiedErrorId starts with it).</summary>
        public string ErrorId => Error.Id;

        public FailureKind Kind => Error.Kind;

        /// <summary>The offending input (a profile name, an ARN, a URL) — never a secret.</summary>
        public object? Target { get; }
    }
}
