using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Xml.Linq;

namespace VisionOneOnboarding.Emulator.Aws
{
    /// <summary>IAM list paging: MaxItems (1–1000, default 100), an opaque Marker, IsTruncated.</summary>
    internal static class Paging
    {
        private const int DefaultMaxItems = 100;
        private const string MarkerPrefix = "offset:";

        /// <summary>The list element of one page followed by IsTruncated and, when truncated, Marker.</summary>
        public static IEnumerable<XElement?> Page<T>(IReadOnlyList<T> items, QueryParameters parameters, string listName, Func<T, object> member)
        {
            var maxItems = parameters.Int("MaxItems");
            if (maxItems < 1) throw AwsQueryException.Constraint("maxItems", maxItems.Value.ToString(CultureInfo.InvariantCulture), "Member must have value greater than or equal to 1");
            if (maxItems > 1000) throw AwsQueryException.Constraint("maxItems", maxItems.Value.ToString(CultureInfo.InvariantCulture), "Member must have value less than or equal to 1000");
            int start = Offset(parameters.Get("Marker"), items.Count);
            int end = Math.Min(items.Count, start + (maxItems ?? DefaultMaxItems));
            bool truncated = end < items.Count;
            return new[]
            {
                QueryXml.Members(listName, items.Skip(start).Take(end - start).Select(member)),
                QueryXml.Bool("IsTruncated", truncated),
                truncated ? QueryXml.Text("Marker", Marker(end)) : null,
            };
        }

        private static string Marker(int offset) =>
            Convert.ToBase64String(Encoding.ASCII.GetBytes(MarkerPrefix + offset.ToString(CultureInfo.InvariantCulture)));

        private static int Offset(string? marker, int count)
        {
            if (marker == null) return 0;
            try
            {
                var text = Encoding.ASCII.GetString(Convert.FromBase64String(marker));
                if (text.StartsWith(MarkerPrefix, StringComparison.Ordinal)
                    && int.TryParse(text.Substring(MarkerPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                    && offset <= count)
                {
                    return offset;
                }
            }
            catch (FormatException)
            {
                // Falls through to the same answer as any other marker this emulator did not hand out.
            }
            throw AwsQueryException.InvalidInput("Invalid Marker: " + marker);
        }
    }
}
