using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// IAM policy and trust documents: the semantic normal form used to decide whether what exists in AWS already
    /// matches what the procedure wants, and the checks IAM applies before it accepts a managed policy.
    /// </summary>
    public static class PolicyDocument
    {
        public const int MaxManagedPolicyCharacters = 6144;
        public const string RequiredVersion = "2012-10-17";

        // Elements whose value IAM treats as an unordered set where one string means the same as a one-element list.
        private static readonly HashSet<string> SetValuedStatementElements =
            new HashSet<string>(StringComparer.Ordinal) { "Action", "NotAction", "Resource", "NotResource" };

        private static readonly HashSet<string> PrincipalElements =
            new HashSet<string>(StringComparer.Ordinal) { "Principal", "NotPrincipal" };

        // Relaxed escaping keeps '+', '<', '&' and non-ASCII Latin-1 letters as themselves: the default encoder turns
        // each into a six-character \uXXXX escape, which would both obscure the text and inflate IAM's size count.
        internal static readonly JsonSerializerOptions CompactJson = new JsonSerializerOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = false,
        };

        /// <summary>The same relaxed escaping, indented: how a document is written for people (the hand-off files).</summary>
        internal static readonly JsonSerializerOptions IndentedJson = new JsonSerializerOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = true,
        };

        /// <summary>
        /// The semantic normal form of a policy or trust document, as compact JSON: object keys sorted (ordinal);
        /// <c>Statement</c> always an array, its statements sorted by their canonical text; <c>Action</c>,
        /// <c>NotAction</c>, <c>Resource</c>, <c>NotResource</c>, each <c>Principal</c> entry and each condition value
        /// always an array, sorted (ordinal) and without duplicates. <c>Sid</c>, <c>Effect</c> and <c>Version</c> are
        /// kept as they are. Two documents IAM treats alike give the same text.
        /// </summary>
        /// <exception cref="PolicyDocumentException">Not JSON, or not a JSON object (VisionOne.PolicyDocumentMalformed).</exception>
        public static string Canonicalize(string json)
        {
            var root = ParseObject(json, null);
            return CanonicalDocument(root).ToJsonString(CompactJson);
        }

        /// <summary>True when both documents have the same <see cref="Canonicalize"/> form.</summary>
        public static bool SemanticallyEqual(string a, string b) =>
            string.Equals(Canonicalize(a), Canonicalize(b), StringComparison.Ordinal);

        /// <summary>
        /// The length IAM compares with its 6,144-character quota. IAM does not count white space; this counts every
        /// character except white space outside string literals. White space inside a string value is data, not
        /// layout, so it is counted: that choice can only over-count, so a document that passes here is never one IAM
        /// refuses for size. Escapes count as written (<c>\u00e9</c> is six characters), because that is the text sent.
        /// For the published VisionOnePolicyPart1 both readings agree: 6,028.
        /// </summary>
        public static int CountNonWhitespaceCharacters(string json)
        {
            if (json == null) throw new ArgumentNullException(nameof(json));
            int count = 0;
            bool inString = false;
            bool escaped = false;
            foreach (char c in json)
            {
                if (inString)
                {
                    count++;
                    if (escaped) escaped = false;
                    else if (c == '\\') escaped = true;
                    else if (c == '"') inString = false;
                }
                else if (!char.IsWhiteSpace(c))
                {
                    count++;
                    if (c == '"') inString = true;
                }
            }
            return count;
        }

        /// <summary>
        /// Refuses, before any AWS call, a managed policy document IAM would refuse: not a JSON object with a
        /// <c>Statement</c> (VisionOne.PolicyDocumentMalformed), <c>Version</c> other than 2012-10-17
        /// (VisionOne.PolicyVersionMissing), characters outside Latin-1 (VisionOne.PolicyNotLatin1), more than 6,144
        /// characters without white space (VisionOne.PolicyTooLarge). Checked in that order.
        /// </summary>
        /// <exception cref="PolicyDocumentException">The first rule the document breaks.</exception>
        public static void Validate(string name, string json)
        {
            var root = ParseObject(json, name);

            var statement = root["Statement"];
            if (!(statement is JsonObject) && !(statement is JsonArray))
            {
                throw new PolicyDocumentException(ErrorCatalogue.PolicyDocumentMalformed, name,
                    $"Policy '{name}' has no Statement: a policy document needs \"Statement\" as an object or a list of objects.");
            }

            string? version = root["Version"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            if (version != RequiredVersion)
            {
                string found = version == null ? "it has none" : $"it has \"{version}\"";
                throw new PolicyDocumentException(ErrorCatalogue.PolicyVersionMissing, name,
                    $"Policy '{name}' must keep \"Version\": \"{RequiredVersion}\" ({found}). Without it IAM evaluates the policy with the old " +
                    "language version, in which policy variables do not work; put the line back and try again.");
            }

            var offending = FindNonLatin1(root, "$");
            if (offending != null)
            {
                throw new PolicyDocumentException(ErrorCatalogue.PolicyNotLatin1, name,
                    $"Policy '{name}' contains {offending}; IAM accepts only Latin-1 (ISO-8859-1) characters in a policy. Replace the character and try again.");
            }

            int size = CountNonWhitespaceCharacters(json);
            if (size > MaxManagedPolicyCharacters)
            {
                throw new PolicyDocumentException(ErrorCatalogue.PolicyTooLarge, name, string.Format(CultureInfo.InvariantCulture,
                    "Policy '{0}' is {1:N0} characters long without white space; IAM allows at most {2:N0} for a managed policy. " +
                    "Shorten it (for example merge actions with a wildcard such as 'ec2:Describe*') or move statements into another policy, then try again.",
                    name, size, MaxManagedPolicyCharacters));
            }
        }

        private static JsonObject ParseObject(string json, string? name)
        {
            string subject = name == null ? "The policy document" : $"Policy '{name}'";
            if (string.IsNullOrWhiteSpace(json))
            {
                throw new PolicyDocumentException(ErrorCatalogue.PolicyDocumentMalformed, name, subject + " is empty; it must be a JSON object.");
            }
            JsonNode? root;
            try
            {
                root = StrictJson.Parse(json);
            }
            catch (JsonException ex)
            {
                throw new PolicyDocumentException(ErrorCatalogue.PolicyDocumentMalformed, name,
                    $"{subject} is not valid JSON{StrictJson.Where(ex)}: {StrictJson.Reason(ex)}", ex);
            }
            catch (ArgumentException ex)
            {
                throw new PolicyDocumentException(ErrorCatalogue.PolicyDocumentMalformed, name,
                    $"{subject} is not valid JSON: {StrictJson.DuplicateKey(ex)}", ex);
            }
            if (root is JsonObject obj) return obj;
            throw new PolicyDocumentException(ErrorCatalogue.PolicyDocumentMalformed, name,
                $"{subject} must be a JSON object with \"Version\" and \"Statement\".");
        }

        private static string? FindNonLatin1(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var member in obj)
                    {
                        var childPath = path + "." + member.Key;
                        var found = DescribeNonLatin1(member.Key, childPath + " (name)") ?? FindNonLatin1(member.Value, childPath);
                        if (found != null) return found;
                    }
                    return null;
                case JsonArray arr:
                    for (int i = 0; i < arr.Count; i++)
                    {
                        var found = FindNonLatin1(arr[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]");
                        if (found != null) return found;
                    }
                    return null;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    return DescribeNonLatin1(value.GetValue<string>(), path);
                default:
                    return null;
            }
        }

        private static string? DescribeNonLatin1(string text, string path)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] > '\u00FF')
                {
                    int codePoint = char.IsSurrogatePair(text, i) ? char.ConvertToUtf32(text, i) : text[i];
                    return string.Format(CultureInfo.InvariantCulture, "the character U+{0:X4} at {1}", codePoint, path);
                }
            }
            return null;
        }

        private static JsonObject CanonicalDocument(JsonObject document)
        {
            var result = new JsonObject();
            foreach (var member in document.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                result[member.Key] = member.Key == "Statement" ? CanonicalStatements(member.Value) : CanonicalNode(member.Value);
            }
            return result;
        }

        private static JsonArray CanonicalStatements(JsonNode? statements)
        {
            IEnumerable<JsonNode?> items = statements is JsonArray arr ? arr : new[] { statements };
            var canonical = items
                .Select(s => s is JsonObject statement ? CanonicalStatement(statement) : CanonicalNode(s))
                .Select(s => new { Node = s, Text = s?.ToJsonString(CompactJson) ?? "null" })
                .OrderBy(s => s.Text, StringComparer.Ordinal)
                .Select(s => s.Node);
            return new JsonArray(canonical.ToArray());
        }

        private static JsonObject CanonicalStatement(JsonObject statement)
        {
            var result = new JsonObject();
            foreach (var member in statement.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                JsonNode? value;
                if (SetValuedStatementElements.Contains(member.Key)) value = CanonicalSet(member.Value);
                else if (PrincipalElements.Contains(member.Key)) value = CanonicalPrincipal(member.Value);
                else if (member.Key == "Condition") value = CanonicalCondition(member.Value);
                else value = CanonicalNode(member.Value);
                result[member.Key] = value;
            }
            return result;
        }

        // "Principal": "*" is kept as is; {"AWS": "arn"} and {"AWS": ["arn"]} are the same principal.
        private static JsonNode? CanonicalPrincipal(JsonNode? principal) =>
            principal is JsonObject obj ? MapValues(obj, CanonicalSet) : CanonicalNode(principal);

        // Condition: { operator: { key: value-or-values } }; each value list is a set.
        private static JsonNode? CanonicalCondition(JsonNode? condition) =>
            condition is JsonObject operators
                ? MapValues(operators, op => op is JsonObject keys ? MapValues(keys, CanonicalSet) : CanonicalNode(op))
                : CanonicalNode(condition);

        private static JsonObject MapValues(JsonObject obj, Func<JsonNode?, JsonNode?> map)
        {
            var result = new JsonObject();
            foreach (var member in obj.OrderBy(m => m.Key, StringComparer.Ordinal)) result[member.Key] = map(member.Value);
            return result;
        }

        private static JsonArray CanonicalSet(JsonNode? value)
        {
            IEnumerable<JsonNode?> items = value is JsonArray arr ? arr : new[] { value };
            var distinct = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                var canonical = CanonicalNode(item);
                distinct[SortKey(canonical)] = canonical;
            }
            return new JsonArray(distinct.Values.ToArray());
        }

        // Strings sort by their own text (ordinal, as asked of the set elements); anything else by its JSON, prefixed so
        // that a number 5 and a string "5" stay distinct elements.
        private static string SortKey(JsonNode? node) =>
            node is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? "s" + v.GetValue<string>()
                : "j" + (node?.ToJsonString(CompactJson) ?? "null");

        private static JsonNode? CanonicalNode(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    return MapValues(obj, CanonicalNode);
                case JsonArray arr:
                    return new JsonArray(arr.Select(CanonicalNode).ToArray());
                default:
                    return node?.DeepClone();
            }
        }
    }
}
