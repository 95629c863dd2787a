namespace VisionOneOnboarding.Aws
{
    /// <summary>
    /// What the user gave us to find AWS credentials and a region: the AWS.Tools parameters plus the shell
    /// defaults ($StoredAWSCredentials, $StoredAWSRegion) that AWS.Tools.Common sets. Every field is optional.
    /// </summary>
    public sealed class AwsCredentialRequest
    {
        public string? AccessKey { get; set; }
        public string? SecretKey { get; set; }
        public string? SessionToken { get; set; }
        public string? ProfileName { get; set; }
        /// <summary>A shared credentials file to read instead of the default locations.</summary>
        public string? ProfileLocation { get; set; }
        /// <summary>
        /// The value of $StoredAWSCredentials: a profile name, or an AWS.Tools credentials object. That object
        /// comes from AWS.Tools' own copy of AWSSDK.Core, so it is read by reflection, never cast.
        /// </summary>
        public object? StoredCredentials { get; set; }
        /// <summary>
        /// -Credential: an AWSCredentials object — this module's AWSSDK.Core type, or another copy's (AWS.Tools'),
        /// read through its GetCredentials() by reflection each time keys are needed, so it keeps refreshing itself.
        /// </summary>
        public object? Credential { get; set; }
        /// <summary>Asks for the code of the named MFA device; null where nobody can answer (non-interactive).</summary>
        public System.Func<string, string?>? MfaPrompt { get; set; }
        public string? Region { get; set; }
        /// <summary>The value of $StoredAWSRegion.</summary>
        public string? StoredRegion { get; set; }

        /// <summary>Never shows the secret key or session token.</summary>
        public override string ToString()
        {
            if (!string.IsNullOrEmpty(AccessKey)) return "AccessKey=" + AccessKey;
            if (!string.IsNullOrEmpty(ProfileName)) return "ProfileName=" + ProfileName;
            return "(default credential chain)";
        }
    }
}
