using System.Text.RegularExpressions;
using VisionOneOnboarding.Emulator.Aws;

namespace VisionOneOnboarding.Emulator.Organizations
{
    /// <summary>The id patterns and the InvalidInputException shape of real Organizations.</summary>
    internal static class OrganizationsValidation
    {
        private static readonly Regex ParentIdPattern = new Regex("^(r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$", RegexOptions.CultureInvariant);

        public static bool IsParentId(string value) => ParentIdPattern.IsMatch(value);

        /// <summary>Organizations says what was wrong in a Reason beside the message; the emulator puts it into the message.</summary>
        public static AwsQueryException InvalidInput(string reason, string message) =>
            new AwsQueryException(400, "InvalidInputException", message + " (" + reason + ")");
    }
}
