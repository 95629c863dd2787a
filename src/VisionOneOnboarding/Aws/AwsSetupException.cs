using System;

namespace VisionOneOnboarding.Aws
{
    /// <summary>What kind of setup failure this is; the cmdlet layer maps it to a PowerShell ErrorCategory.</summary>
    public enum AwsErrorCategory
    {
        InvalidArgument,
        ObjectNotFound,
        AuthenticationError,
        SecurityError,
        ConnectionError,
    }

    /// <summary>The stable error ids of <see cref="AwsSetupException"/>; scripts and tests match on them.</summary>
    public static class AwsErrorIds
    {
        public const string CredentialsNotFound = "VisionOne.AwsCredentialsNotFound";
        public const string ProfileNotFound = "VisionOne.AwsProfileNotFound";
        public const string ProfileUnusable = "VisionOne.AwsProfileUnusable";
        public const string KeyPairIncomplete = "VisionOne.AwsKeyPairIncomplete";
        public const string StoredCredentialsUnreadable = "VisionOne.AwsStoredCredentialsUnreadable";
        public const string InvalidRegion = "VisionOne.InvalidAwsRegion";
        public const string InvalidEndpointUrl = "VisionOne.InvalidEndpointUrl";
        public const string InsecureEndpoint = "VisionOne.InsecureEndpoint";
        public const string InvalidRoleArn = "VisionOne.InvalidRoleArn";
        public const string MfaCodeRequired = "VisionOne.AwsMfaCodeRequired";
        public const string SsoLoginRequired = "VisionOne.AwsSsoLoginRequired";
        public const string CredentialObjectUnreadable = "VisionOne.AwsCredentialObjectUnreadable";
    }

    /// <summary>
    /// A problem with how the AWS side was set up (credentials, region, endpoint) found before or instead of
    /// a service call. Messages say what to do next and never contain a secret.
    /// </summary>
    public sealed class AwsSetupException : Exception
    {
        public AwsSetupException(string errorId, AwsErrorCategory category, string message, object? targetObject = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
            TargetObject = targetObject;
        }

        /// <summary>One of <see cref="AwsErrorIds"/>.</summary>
        public string ErrorId { get; }
        public AwsErrorCategory Category { get; }
        /// <summary>The offending input (a profile name, a URL) — never a secret.</summary>
        public object? TargetObject { get; }
    }
}
