using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Amazon.Util;

namespace VisionOneOnboarding.Aws
{
    /// <summary>
    /// The parameters of one Query-protocol call, in the order added, plus a short narration of them for -Verbose
    /// in which documents show only their length and hidden values show nothing.
    /// </summary>
    public sealed class AwsQueryRequest
    {
        private readonly List<KeyValuePair<string, string>> _parameters = new List<KeyValuePair<string, string>>();
        private readonly List<string> _narration = new List<string>();

        public AwsQueryRequest(string action) { Action = action; }

        public string Action { get; }
        public IReadOnlyList<KeyValuePair<string, string>> Parameters => _parameters;

        /// <summary>A scalar parameter; null values are not sent.</summary>
        public AwsQueryRequest Add(string name, string? value)
        {
            if (value == null) return this;
            _parameters.Add(new KeyValuePair<string, string>(name, value));
            _narration.Add(name + "=" + value);
            return this;
        }

        public AwsQueryRequest Add(string name, bool value) => Add(name, value ? "true" : "false");

        public AwsQueryRequest Add(string name, int value) => Add(name, value.ToString(CultureInfo.InvariantCulture));

        /// <summary>A policy document: sent whole, narrated by length only.</summary>
        public AwsQueryRequest AddDocument(string name, string document)
        {
            _parameters.Add(new KeyValuePair<string, string>(name, document));
            _narration.Add(name + "=(" + document.Length + " chars)");
            return this;
        }

        /// <summary>A value that must not appear in logs (e.g. an ExternalId).</summary>
        public AwsQueryRequest AddHidden(string name, string? value)
        {
            if (value == null) return this;
            _parameters.Add(new KeyValuePair<string, string>(name, value));
            _narration.Add(name + "=(hidden)");
            return this;
        }

        /// <summary>
        /// A list as name.member.N. An empty list is sent as "name=" (how the Query protocol says "empty") unless
        /// <paramref name="omitWhenEmpty"/>, for optional lists that are better left out.
        /// </summary>
        public AwsQueryRequest AddList(string name, IReadOnlyList<string> values, bool omitWhenEmpty = false)
        {
            if (values.Count == 0)
            {
                if (!omitWhenEmpty) { _parameters.Add(new KeyValuePair<string, string>(name, "")); _narration.Add(name + "=[]"); }
                return this;
            }
            for (int i = 0; i < values.Count; i++)
                _parameters.Add(new KeyValuePair<string, string>(name + ".member." + (i + 1).ToString(CultureInfo.InvariantCulture), values[i]));
            _narration.Add(name + "=[" + string.Join(",", values) + "]");
            return this;
        }

        /// <summary>Tags as name.member.N.Key / name.member.N.Value; an empty tag list is left out (tags are always optional).</summary>
        public AwsQueryRequest AddTags(string name, IReadOnlyList<AwsTag> tags)
        {
            for (int i = 0; i < tags.Count; i++)
            {
                var prefix = name + ".member." + (i + 1).ToString(CultureInfo.InvariantCulture);
                _parameters.Add(new KeyValuePair<string, string>(prefix + ".Key", tags[i].Key));
                _parameters.Add(new KeyValuePair<string, string>(prefix + ".Value", tags[i].Value));
            }
            if (tags.Count > 0) _narration.Add(name + "=[" + string.Join(",", tags.Select(t => t.ToString())) + "]");
            return this;
        }

        /// <summary>"Action=…&amp;Version=…&amp;…", every name and value percent-encoded per RFC 3986.</summary>
        public string ToFormBody(string version)
        {
            var sb = new StringBuilder();
            sb.Append("Action=").Append(Encode(Action)).Append("&Version=").Append(Encode(version));
            foreach (var p in _parameters) sb.Append('&').Append(Encode(p.Key)).Append('=').Append(Encode(p.Value));
            return sb.ToString();
        }

        /// <summary>E.g. "CreateRole RoleName=VisionOneRole AssumeRolePolicyDocument=(812 chars)".</summary>
        public string Narrate() => _narration.Count == 0 ? Action : Action + " " + string.Join(" ", _narration);

        private static string Encode(string value) => AWSSDKUtils.UrlEncode(value, false);
    }
}
