using System;

namespace VisionOneOnboarding.Emulator.Aws
{
    /// <summary>An AWS error answer: the code, HTTP status and message the client sees in the ErrorResponse.</summary>
    public sealed class AwsQueryException : Exception
    {
        public AwsQueryException(int status, string code, string message) : base(message)
        {
            Status = status;
            Code = code;
        }

        public int Status { get; }
        public string Code { get; }

        public static AwsQueryException InvalidInput(string message) => new AwsQueryException(400, "InvalidInput", message);
        public static AwsQueryException Malformed(string message) => new AwsQueryException(400, "MalformedPolicyDocument", message);
        public static AwsQueryException NoSuchEntity(string message) => new AwsQueryException(404, "NoSuchEntity", message);
        public static AwsQueryException AlreadyExists(string message) => new AwsQueryException(409, "EntityAlreadyExists", message);
        public static AwsQueryException LimitExceeded(string message) => new AwsQueryException(409, "LimitExceeded", message);
        public static AwsQueryException DeleteConflict(string message) => new AwsQueryException(409, "DeleteConflict", message);

        /// <summary>The model-constraint failure AWS reports as ValidationError, in its own wording.</summary>
        public static AwsQueryException Constraint(string field, string? value, string constraint) =>
            new AwsQueryException(400, "ValidationError",
                "1 validation error detected: Value " + (value == null ? "null" : "'" + value + "'") +
                " at '" + field + "' failed to satisfy constraint: " + constraint);
    }
}
