using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// Parsing JSON the way IAM and CloudFormation read it (no comments, no trailing commas, no key given twice), and
    /// turning System.Text.Json's parse errors into sentences for users of the module.
    /// </summary>
    internal static class StrictJson
    {
        private static readonly JsonDocumentOptions Options = new JsonDocumentOptions
        {
            AllowTrailingCommas = false,
            CommentHandling = JsonCommentHandling.Disallow,
        };

        /// <exception cref="JsonException">Not JSON.</exception>
        /// <exception cref="ArgumentException">An object names a key twice.</exception>
        public static JsonNode? Parse(string text)
        {
            var root = JsonNode.Parse(text, documentOptions: Options);
            // JsonObject reads its members lazily; walking them all now surfaces a duplicate key here, as a parse
            // error, instead of later from whichever caller first touches that object.
            Materialize(root);
            return root;
        }

        private static void Materialize(JsonNode? node)
        {
            if (node is JsonObject obj) foreach (var member in obj) Materialize(member.Value);
            else if (node is JsonArray arr) foreach (var item in arr) Materialize(item);
        }

        /// <summary>" at line L, column C" (1-based), or empty when the parser did not say.</summary>
        public static string Where(JsonException ex) =>
            ex.LineNumber.HasValue && ex.BytePositionInLine.HasValue
                ? string.Format(CultureInfo.InvariantCulture, " at line {0}, column {1}", ex.LineNumber.Value + 1, ex.BytePositionInLine.Value + 1)
                : "";

        /// <summary>
        /// The parser's reason without its 0-based position suffix and its advice to change reader options, which is
        /// addressed to the programmer, not to the person whose document is wrong.
        /// </summary>
        public static string Reason(JsonException ex)
        {
            string message = ex.Message;
            int suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (suffix >= 0) message = message.Substring(0, suffix);
            return message.Replace(" Change the reader options.", "").Trim();
        }

        // JsonObject refuses a key it already holds: the document names that key twice in one object.
        public static string DuplicateKey(ArgumentException ex)
        {
            const string marker = "Key: ";
            int at = ex.Message.IndexOf(marker, StringComparison.Ordinal);
            string key = at < 0 ? "" : ex.Message.Substring(at + marker.Length).Split(new[] { " (Parameter" }, StringSplitOptions.None)[0].Trim();
            return key.Length == 0 ? "an object names the same key twice." : "an object names the key '" + key + "' twice.";
        }
    }
}
