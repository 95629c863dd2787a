using System.Text.RegularExpressions;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Values
{
    /// <summary>A Vision One business id, as the console shows it: letters, digits, '.', '_' or '-', at most 128.</summary>
    public sealed class BusinessId
    {
        private static readonly Regex Pattern = new Regex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\z", RegexOptions.CultureInvariant);

        private BusinessId(string value) { Value = value; }

        public string Value { get; }

        public static BusinessId Parse(string? text) =>
            text != null && Pattern.IsMatch(text) ? new BusinessId(text) : throw new VisionOneException(ErrorCatalogue.InvalidBusinessId,
                "'" + ValueText.Shown(text) + "' is not a Vision One business id. Copy it from the Vision One console (letters, digits, '.', '_' or '-'; no spaces, ':' or '/').", text);

        public override string ToString() => Value;
    }
}
