using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// How a template's policy document differs from the one Trend publishes: the actions it adds and drops (what a
    /// reviewer must judge), and a line diff of the two canonical documents (what -Verbose shows).
    /// </summary>
    public sealed class PolicyDiff
    {
        private PolicyDiff(IReadOnlyList<string> added, IReadOnlyList<string> dropped, IReadOnlyList<string> lines)
        {
            AddedActions = added;
            DroppedActions = dropped;
            Lines = lines;
        }

        /// <summary>Actions granted (or, written "Deny x" / "NotAction x", denied or excluded) only by the template's document.</summary>
        public IReadOnlyList<string> AddedActions { get; }

        /// <summary>Actions only the published document has.</summary>
        public IReadOnlyList<string> DroppedActions { get; }

        /// <summary>The canonical documents' differing lines: "+ " only in the template's, "- " only in the published one.</summary>
        public IReadOnlyList<string> Lines { get; }

        /// <summary>Null when the two documents are the same to IAM.</summary>
        public static PolicyDiff? Between(string templateDocument, string publishedDocument)
        {
            if (PolicyDocument.SemanticallyEqual(templateDocument, publishedDocument)) return null;
            var mine = Actions(templateDocument);
            var theirs = Actions(publishedDocument);
            var added = mine.Except(theirs, StringComparer.OrdinalIgnoreCase).OrderBy(a => a, StringComparer.OrdinalIgnoreCase).ToList();
            var dropped = theirs.Except(mine, StringComparer.OrdinalIgnoreCase).OrderBy(a => a, StringComparer.OrdinalIgnoreCase).ToList();
            return new PolicyDiff(added, dropped, LineDiff(Indented(templateDocument), Indented(publishedDocument)));
        }

        /// <summary>One sentence for a warning: what the template changes about the permissions.</summary>
        public string Summary()
        {
            var parts = new List<string>();
            if (AddedActions.Count > 0) parts.Add("adds " + Listed(AddedActions));
            if (DroppedActions.Count > 0) parts.Add("drops " + Listed(DroppedActions));
            return parts.Count == 0 ? "has the same actions but other resources, conditions or statements" : string.Join("; ", parts);
        }

        /// <summary>How many actions a warning names; a template rewritten wholesale would otherwise print a page.</summary>
        internal const int ActionsNamed = 12;

        private static string Listed(IReadOnlyCollection<string> actions) =>
            actions.Count <= ActionsNamed
                ? string.Join(", ", actions)
                : string.Join(", ", actions.Take(ActionsNamed)) + " and " + (actions.Count - ActionsNamed) + " more";

        /// <summary>
        /// The actions the documents together allow (a NotAction of an Allow statement named "NotAction x"; Deny
        /// statements left out): what a role with all of them attached may do, whichever document says it.
        /// </summary>
        public static ISet<string> AllowedActions(IEnumerable<string> documents)
        {
            var result = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var document in documents)
                result.UnionWith(Actions(document).Where(a => !a.StartsWith("Deny ", StringComparison.Ordinal)));
            return result;
        }

        // IAM action names are case-insensitive; a Deny or NotAction is named as such, since it means the opposite.
        private static HashSet<string> Actions(string document)
        {
            var result = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var root = JsonNode.Parse(PolicyDocument.Canonicalize(document));
            if (!(root?["Statement"] is JsonArray statements)) return result;
            foreach (var statement in statements.OfType<JsonObject>())
            {
                bool deny = string.Equals(Text(statement["Effect"]), "Deny", StringComparison.OrdinalIgnoreCase);
                foreach (var (element, prefix) in new[] { ("Action", ""), ("NotAction", "NotAction ") })
                {
                    if (!(statement[element] is JsonArray values)) continue;
                    foreach (var value in values) result.Add((deny ? "Deny " : "") + prefix + Text(value));
                }
            }
            return result;
        }

        private static string Text(JsonNode? node) =>
            node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node?.ToJsonString() ?? "";

        private static string[] Indented(string document) =>
            JsonNode.Parse(PolicyDocument.Canonicalize(document))!.ToJsonString(new JsonSerializerOptions { WriteIndented = true })
                .Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

        // A multiset difference of lines is enough here: the documents are canonical (sorted), so a changed
        // action, resource or condition shows as its own line.
        private static IReadOnlyList<string> LineDiff(string[] mine, string[] theirs)
        {
            var remaining = theirs.GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var result = new List<string>();
            foreach (var line in mine)
            {
                if (remaining.TryGetValue(line, out var count) && count > 0) remaining[line] = count - 1;
                else result.Add("+ " + line.Trim());
            }
            var left = mine.GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            foreach (var line in theirs)
            {
                if (left.TryGetValue(line, out var count) && count > 0) left[line] = count - 1;
                else result.Add("- " + line.Trim());
            }
            return result;
        }
    }
}
