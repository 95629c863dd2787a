using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;

namespace VisionOneOnboarding.Aws
{
    /// <summary>Reads Query-protocol responses by local name, so the service's XML namespace (IAM, STS, an emulator) does not matter.</summary>
    internal static class AwsXml
    {
        public static XElement? Child(XElement? parent, string localName) =>
            parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

        public static string? Text(XElement? parent, string localName) => Child(parent, localName)?.Value;

        public static string TextOrEmpty(XElement? parent, string localName) => Text(parent, localName) ?? "";

        /// <summary>The &lt;member&gt; items of a list element.</summary>
        public static IEnumerable<XElement> Members(XElement? parent, string listName) =>
            Child(parent, listName)?.Elements().Where(e => e.Name.LocalName == "member") ?? Enumerable.Empty<XElement>();

        public static bool Bool(XElement? parent, string localName) =>
            string.Equals(Text(parent, localName), "true", StringComparison.OrdinalIgnoreCase);

        public static int? Int(XElement? parent, string localName) =>
            int.TryParse(Text(parent, localName), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : (int?)null;

        public static DateTime? Date(XElement? parent, string localName) =>
            DateTime.TryParse(Text(parent, localName), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value)
                ? value : (DateTime?)null;

        public static List<string> Strings(XElement? parent, string listName) => Members(parent, listName).Select(m => m.Value).ToList();

        public static List<AwsTag> Tags(XElement? parent) =>
            Members(parent, "Tags").Select(m => new AwsTag(TextOrEmpty(m, "Key"), TextOrEmpty(m, "Value"))).ToList();

        /// <summary>IAM returns policy documents URL-encoded (RFC 3986, so '+' is literal and spaces are %20).</summary>
        public static string DecodeDocument(string? encoded) => encoded == null ? "" : Uri.UnescapeDataString(encoded);
    }
}
