using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Emulator.Aws
{
    /// <summary>
    /// The parameters of one AWS Query call (query string and form body merged), with the Query protocol's
    /// conventions for lists (<c>Name.member.N</c>, empty list as <c>Name=</c>) and tags (<c>Name.member.N.Key</c>).
    /// </summary>
    public sealed class QueryParameters
    {
        private readonly Dictionary<string, string> _values;

        private QueryParameters(Dictionary<string, string> values) { _values = values; }

        public static QueryParameters Parse(string? queryString, string? formBody)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var source in new[] { queryString, formBody })
            {
                if (string.IsNullOrEmpty(source)) continue;
                foreach (var pair in QueryHelpers.ParseQuery(source))
                {
                    values[pair.Key] = pair.Value.ToString();
                }
            }
            return new QueryParameters(values);
        }

        public string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

        public string Required(string name) =>
            Get(name) ?? throw AwsQueryException.Constraint(FieldName(name), null, "Member must not be null");

        /// <summary>Null when the list was not sent at all; empty when sent as <c>Name=</c>.</summary>
        public IReadOnlyList<string>? List(string name)
        {
            var items = new List<string>();
            for (int i = 1; _values.TryGetValue(name + ".member." + i.ToString(CultureInfo.InvariantCulture), out var item); i++)
            {
                items.Add(item);
            }
            return items.Count > 0 || _values.ContainsKey(name) ? items : null;
        }

        public IReadOnlyList<string> RequiredList(string name) =>
            List(name) ?? throw AwsQueryException.Constraint(FieldName(name), null, "Member must not be null");

        public IReadOnlyList<IamTag>? Tags(string name)
        {
            var tags = new List<IamTag>();
            for (int i = 1; ; i++)
            {
                var prefix = name + ".member." + i.ToString(CultureInfo.InvariantCulture);
                var key = Get(prefix + ".Key");
                var value = Get(prefix + ".Value");
                if (key == null && value == null) break;
                if (key == null) throw AwsQueryException.Constraint(FieldName(name) + "." + i + ".member.key", null, "Member must not be null");
                if (value == null) throw AwsQueryException.Constraint(FieldName(name) + "." + i + ".member.value", null, "Member must not be null");
                tags.Add(new IamTag(key, value));
            }
            return tags.Count > 0 || _values.ContainsKey(name) ? tags : null;
        }

        public int? Int(string name)
        {
            var text = Get(name);
            if (text == null) return null;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)) return value;
            throw AwsQueryException.Constraint(FieldName(name), text, "Member must be a number");
        }

        public bool? Bool(string name)
        {
            var text = Get(name);
            if (text == null) return null;
            if (bool.TryParse(text, out var value)) return value;
            throw AwsQueryException.Constraint(FieldName(name), text, "Member must be a boolean");
        }

        /// <summary>AWS names fields in validation messages in camelCase ("roleName").</summary>
        public static string FieldName(string parameter) =>
            parameter.Length == 0 ? parameter : char.ToLowerInvariant(parameter[0]) + parameter.Substring(1);
    }
}
