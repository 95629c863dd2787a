using System.Text.RegularExpressions;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Values
{
    /// <summary>An AWS account id: exactly 12 ASCII digits.</summary>
    public sealed class AwsAccountId
    {
        private static readonly Regex Pattern = new Regex(@"^[0-9]{12}\z", RegexOptions.CultureInvariant);

        private AwsAccountId(string value) { Value = value; }

        public string Value { get; }

        public static bool IsValid(string? text) => text != null && Pattern.IsMatch(text);

        public static AwsAccountId Parse(string? text) =>
            IsValid(text) ? new AwsAccountId(text!) : throw new VisionOneException(ErrorCatalogue.InvalidAccountId,
                "'" + ValueText.Shown(text) + "' is not an AWS account id. An account id is exactly 12 digits, e.g. 123456789012.", text);

        public override string ToString() => Value;
    }
}
