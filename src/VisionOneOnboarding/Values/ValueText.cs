using System.Globalization;
using System.Linq;
using System.Text;

namespace VisionOneOnboarding.Values
{
    /// <summary>What the value types share about text: host names, control characters, and showing input safely.</summary>
    internal static class ValueText
    {
        /// <summary>A DNS host name of two or more labels (no port, no IP literal).</summary>
        public const string HostPattern = @"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+";

        public static bool HasControlCharacter(string text, bool allowLineBreaks = false) =>
            text.Any(c => char.IsControl(c) && !(allowLineBreaks && (c == '\n' || c == '\r' || c == '\t')));

        /// <summary>The text for a message: control characters as \uXXXX, at most 300 characters.</summary>
        public static string Shown(string? text)
        {
            if (text == null) return "";
            var shown = new StringBuilder();
            foreach (var c in text.Length > 300 ? text.Substring(0, 300) : text)
            {
                if (char.IsControl(c)) shown.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                else shown.Append(c);
            }
            if (text.Length > 300) shown.Append('…');
            return shown.ToString();
        }
    }
}
