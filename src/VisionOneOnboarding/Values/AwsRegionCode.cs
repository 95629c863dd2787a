using System.Text.RegularExpressions;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Values
{
    /// <summary>An AWS region code such as us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1 or eusc-de-east-1.</summary>
    public sealed class AwsRegionCode
    {
        private static readonly Regex Pattern = new Regex(@"^[a-z]{2,4}(-[a-z]+){1,3}-[0-9]{1,2}\z", RegexOptions.CultureInvariant);

        private AwsRegionCode(string value) { Value = value; }

        public string Value { get; }

        public static bool IsValid(string? text) => text != null && Pattern.IsMatch(text);

        public static AwsRegionCode Parse(string? text) =>
            IsValid(text) ? new AwsRegionCode(text!) : throw new VisionOneException(ErrorCatalogue.InvalidAwsRegion,
                "'" + ValueText.Shown(text) + "' is not an AWS region code. Use a code such as us-east-1, eu-west-2 or ap-southeast-1.", text);

        public override string ToString() => Value;
    }
}
