using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>Reading IAM policy JSON as IAM does: a statement or a list of them, case-insensitive names, a string or a list of strings.</summary>
    public static class PolicyJson
    {
        public static IEnumerable<JsonElement> Statements(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Statement", out var statement)) return Array.Empty<JsonElement>();
            if (statement.ValueKind == JsonValueKind.Array) return statement.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object).ToList();
            return statement.ValueKind == JsonValueKind.Object ? new[] { statement } : Array.Empty<JsonElement>();
        }

        /// <summary>Property lookup; IAM condition keys are case-insensitive, so names are matched that way.</summary>
        public static JsonElement? Property(JsonElement? element, string name)
        {
            if (element is not { ValueKind: JsonValueKind.Object } e) return null;
            foreach (var p in e.EnumerateObject())
            {
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
            }
            return null;
        }

        public static string? Text(JsonElement element, string name) =>
            Property(element, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

        /// <summary>IAM accepts a single value or an array of values almost everywhere; booleans and numbers read as their text.</summary>
        public static IReadOnlyList<string> Strings(JsonElement? element)
        {
            if (element is not JsonElement e) return Array.Empty<string>();
            if (e.ValueKind == JsonValueKind.String) return new[] { e.GetString()! };
            if (e.ValueKind == JsonValueKind.True || e.ValueKind == JsonValueKind.False || e.ValueKind == JsonValueKind.Number) return new[] { e.ToString() };
            if (e.ValueKind == JsonValueKind.Array)
            {
                return e.EnumerateArray().Where(x => x.ValueKind != JsonValueKind.Object && x.ValueKind != JsonValueKind.Array).Select(x => x.ToString()).ToList();
            }
            return Array.Empty<string>();
        }
    }
}
