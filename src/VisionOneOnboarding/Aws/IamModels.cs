using System;
using System.Collections.Generic;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Aws
{
    public sealed class AwsTag
    {
        public AwsTag(string key, string value) { Key = key; Value = value; }
        public string Key { get; }
        public string Value { get; }
        public override string ToString() => Key + "=" + Value;
    }

    public sealed class OidcProviderDescription
    {
        public string Arn { get; set; } = "";
        /// <summary>As IAM returns it: without the https:// scheme.</summary>
        public string Url { get; set; } = "";
        public List<string> ClientIds { get; set; } = new List<string>();
        public List<string> Thumbprints { get; set; } = new List<string>();
        public List<AwsTag> Tags { get; set; } = new List<AwsTag>();
        public DateTime? CreateDate { get; set; }
    }

    public sealed class ManagedPolicyDescription
    {
        public string Arn { get; set; } = "";
        public string PolicyName { get; set; } = "";
        public string PolicyId { get; set; } = "";
        public string DefaultVersionId { get; set; } = "";
        public int AttachmentCount { get; set; }
        public string Path { get; set; } = "/";
        public List<AwsTag> Tags { get; set; } = new List<AwsTag>();
    }

    public sealed class PolicyVersionDescription
    {
        public string VersionId { get; set; } = "";
        public bool IsDefaultVersion { get; set; }
        public DateTime? CreateDate { get; set; }
        /// <summary>Decoded JSON; null where the API does not return it (ListPolicyVersions).</summary>
        public string? Document { get; set; }
    }

    public sealed class RoleDescription
    {
        public string Arn { get; set; } = "";
        public string RoleName { get; set; } = "";
        public string RoleId { get; set; } = "";
        public string Path { get; set; } = "/";
        /// <summary>Decoded JSON trust policy.</summary>
        public string AssumeRolePolicyDocument { get; set; } = "";
        public string? Description { get; set; }
        public int MaxSessionDuration { get; set; } = 3600;
        public List<AwsTag> Tags { get; set; } = new List<AwsTag>();
        public DateTime? CreateDate { get; set; }
    }

    public sealed class AttachedPolicyDescription
    {
        public AttachedPolicyDescription(string policyName, string policyArn) { PolicyName = policyName; PolicyArn = policyArn; }
        public string PolicyName { get; }
        public string PolicyArn { get; }
    }

    public sealed class CallerIdentity
    {
        public string Account { get; set; } = "";
        public string Arn { get; set; } = "";
        public string UserId { get; set; } = "";
        /// <summary>The partition named in <see cref="Arn"/> (aws, aws-cn, aws-us-gov).</summary>
        public string Partition
        {
            get
            {
                var parts = Arn.Split(':');
                return parts.Length > 1 && parts[1].Length > 0 ? parts[1] : "aws";
            }
        }
    }

    /// <summary>A resolved credential set. ToString never shows the secret.</summary>
    public sealed class AwsCredentialSet
    {
        public AwsCredentialSet(string accessKeyId, string secretAccessKey, string? sessionToken, string source)
        {
            AccessKeyId = accessKeyId; SecretAccessKey = secretAccessKey; SessionToken = sessionToken; Source = source;
        }
        public string AccessKeyId { get; }
        public string SecretAccessKey { get; }
        public string? SessionToken { get; }
        /// <summary>Where these came from, for -Debug (e.g. "profile 'dev' in ~/.aws/credentials").</summary>
        public string Source { get; }
        public DateTime? Expiration { get; set; }
        public override string ToString() => "AccessKeyId=" + AccessKeyId + " (" + Source + ")";
    }

    /// <summary>
    /// An error answered by an AWS service (or a transport failure after retries), wrapped where it is read:
    /// VisionOne.Aws.&lt;code&gt;, the message naming service, action, code and request id.
    /// </summary>
    public sealed class AwsServiceException : VisionOneException
    {
        public AwsServiceException(string service, string action, string errorCode, string message, int statusCode, string? requestId, Exception? inner = null)
            : base(ErrorCatalogue.ForAwsCode(errorCode), Describe(service, action, errorCode, message, requestId), null, inner)
        {
            Service = service; Action = action; ErrorCode = errorCode; ServiceMessage = message; StatusCode = statusCode; RequestId = requestId;
        }
        public string Service { get; }
        public string Action { get; }
        public string ErrorCode { get; }
        /// <summary>The service's own message, as it answered it.</summary>
        public string ServiceMessage { get; }
        public int StatusCode { get; }
        public string? RequestId { get; }
        public bool IsNoSuchEntity => ErrorCode == "NoSuchEntity";
        public bool IsEntityAlreadyExists => ErrorCode == "EntityAlreadyExists";

        private static string Describe(string service, string action, string code, string message, string? requestId) =>
            service + " " + action + " failed: " + code + ": " + message + (requestId != null ? " (request id " + requestId + ")" : "");
    }
}
