using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Values
{
    /// <summary>The name and description an AWS account has in Vision One Cloud Accounts: printable, at most 254 characters.</summary>
    public static class CloudAccountText
    {
        /// <summary>What the Cloud Accounts API accepts for name and description.</summary>
        public const int MaxLength = 254;

        /// <summary>Required, 1 to 254 characters, not only spaces, no control characters (it must also be unique in Vision One).</summary>
        public static string Name(string? value)
        {
            if (string.IsNullOrWhiteSpace(value) || value!.Length > MaxLength || ValueText.HasControlCharacter(value))
                throw new VisionOneException(ErrorCatalogue.InvalidAccountName,
                    $"'{ValueText.Shown(value)}' cannot be a Cloud Accounts name: it must be 1 to {MaxLength} printable characters (it has {value?.Length ?? 0}).", value);
            return value;
        }

        /// <summary>Optional, at most 254 characters; line breaks and tabs are allowed, other control characters are not.</summary>
        public static string? Description(string? value)
        {
            if (value != null && (value.Length > MaxLength || ValueText.HasControlCharacter(value, allowLineBreaks: true)))
                throw new VisionOneException(ErrorCatalogue.InvalidAccountDescription,
                    $"The Cloud Accounts description must be at most {MaxLength} printable characters (it has {value.Length}).", value);
            return value;
        }
    }
}
