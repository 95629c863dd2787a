using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// Turns a CloudFormation template, JSON or YAML, into one JSON tree in which every intrinsic has its long form
    /// (<c>!Sub x</c> becomes <c>{"Fn::Sub": "x"}</c>), so the resolver deals with one shape only.
    /// </summary>
    internal static class TemplateParser
    {
        // YAML short-form tag → long-form key. !Ref and !Condition are the two without the "Fn::" prefix.
        private static readonly Dictionary<string, string> ShortForms = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["!Ref"] = "Ref",
            ["!Condition"] = "Condition",
            ["!GetAtt"] = "Fn::GetAtt",
            ["!Sub"] = "Fn::Sub",
            ["!Join"] = "Fn::Join",
            ["!Select"] = "Fn::Select",
            ["!Split"] = "Fn::Split",
            ["!If"] = "Fn::If",
            ["!Equals"] = "Fn::Equals",
            ["!Not"] = "Fn::Not",
            ["!And"] = "Fn::And",
            ["!Or"] = "Fn::Or",
            ["!FindInMap"] = "Fn::FindInMap",
            ["!Base64"] = "Fn::Base64",
            ["!GetAZs"] = "Fn::GetAZs",
            ["!ImportValue"] = "Fn::ImportValue",
            ["!Cidr"] = "Fn::Cidr",
            ["!Length"] = "Fn::Length",
            ["!ToJsonString"] = "Fn::ToJsonString",
            ["!Transform"] = "Fn::Transform",
        };

        private const string YamlStringTag = "tag:yaml.org,2002:str";

        // JSON numbers only, and no leading zeros: an unquoted account id such as 012345678901 must stay a string.
        private static readonly Regex PlainNumber = new Regex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

        public static JsonObject Parse(string text)
        {
            if (text.Length > TemplateLimits.MaxBytes) throw TemplateLimits.TooLarge("The template");
            string body = text.TrimStart('\uFEFF');
            if (string.IsNullOrWhiteSpace(body))
            {
                throw Malformed("The template is empty; give the CloudFormation template text (JSON or YAML).");
            }
            JsonNode? root = body.TrimStart()[0] == '{' ? ParseJson(body) : ParseYaml(body);
            if (root is JsonObject template) return template;
            throw Malformed("The template is not a CloudFormation template: its top level must be a mapping with a Resources section.");
        }

        private static JsonNode? ParseJson(string text)
        {
            try
            {
                return StrictJson.Parse(text);
            }
            catch (JsonException ex)
            {
                int? line = ex.LineNumber.HasValue ? (int)ex.LineNumber.Value + 1 : (int?)null;
                int? column = ex.BytePositionInLine.HasValue ? (int)ex.BytePositionInLine.Value + 1 : (int?)null;
                throw Malformed($"The template is not valid JSON{StrictJson.Where(ex)}: {StrictJson.Reason(ex)}", line, column, ex);
            }
            catch (ArgumentException ex)
            {
                throw Malformed($"The template is not valid JSON: {StrictJson.DuplicateKey(ex)}", inner: ex);
            }
        }

        private static JsonNode? ParseYaml(string text)
        {
            var stream = new YamlStream();
            try
            {
                TemplateLimits.CheckYaml(text);
                stream.Load(new StringReader(text));
            }
            catch (YamlException ex)
            {
                int line = (int)ex.Start.Line;
                int column = (int)ex.Start.Column;
                string reason = ex.InnerException != null ? ex.InnerException.Message : ex.Message;
                throw Malformed($"The template is not valid YAML{Where(line, column)}: {reason}", line, column, ex);
            }
            if (stream.Documents.Count == 0)
            {
                throw Malformed("The template holds no YAML document.");
            }
            return Convert(stream.Documents[0].RootNode);
        }

        private static JsonNode? Convert(YamlNode node)
        {
            string tag = node.Tag.IsEmpty ? "" : node.Tag.Value;
            if (tag.Length == 0 || tag == "!" || tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal))
            {
                return ConvertContent(node, tag == YamlStringTag);
            }
            if (!ShortForms.TryGetValue(tag, out var longForm))
            {
                throw MalformedAt(node, $"The template uses the YAML tag '{tag}', which is not a CloudFormation intrinsic function");
            }
            // !GetAtt Resource.Attribute is the one short form whose scalar splits into the long form's list.
            if (longForm == "Fn::GetAtt" && node is YamlScalarNode getAtt)
            {
                string value = getAtt.Value ?? "";
                int dot = value.IndexOf('.');
                var parts = dot < 0
                    ? new JsonArray(JsonValue.Create(value))
                    : new JsonArray(JsonValue.Create(value.Substring(0, dot)), JsonValue.Create(value.Substring(dot + 1)));
                return new JsonObject { [longForm] = parts };
            }
            // A tagged scalar is always a string: !Ref 123 names something called "123".
            return new JsonObject { [longForm] = ConvertContent(node, node is YamlScalarNode) };
        }

        private static JsonNode? ConvertContent(YamlNode node, bool forceString)
        {
            switch (node)
            {
                case YamlScalarNode scalar:
                    return forceString || scalar.Style != ScalarStyle.Plain ? JsonValue.Create(scalar.Value ?? "") : PlainScalar(scalar.Value ?? "");
                case YamlSequenceNode sequence:
                    var array = new JsonArray();
                    foreach (var item in sequence.Children) array.Add(Convert(item));
                    return array;
                case YamlMappingNode mapping:
                    var obj = new JsonObject();
                    foreach (var entry in mapping.Children)
                    {
                        if (!(entry.Key is YamlScalarNode key) || key.Value == null)
                        {
                            throw MalformedAt(entry.Key, "The template uses a key that is not a plain string");
                        }
                        if (obj.ContainsKey(key.Value))
                        {
                            throw MalformedAt(entry.Key, $"The template names the key '{key.Value}' twice in one mapping");
                        }
                        obj[key.Value] = Convert(entry.Value);
                    }
                    return obj;
                default:
                    throw MalformedAt(node, "The template holds a YAML node this reader does not understand");
            }
        }

        // Plain (unquoted) scalars follow YAML's core schema, except that dates and other YAML 1.1 types stay strings,
        // as CloudFormation reads them: "Version: 2012-10-17" is the string the policy needs.
        private static JsonNode? PlainScalar(string value)
        {
            switch (value)
            {
                case "":
                case "~":
                case "null":
                case "Null":
                case "NULL":
                    return null;
                case "true":
                case "True":
                case "TRUE":
                    return JsonValue.Create(true);
                case "false":
                case "False":
                case "FALSE":
                    return JsonValue.Create(false);
            }
            return PlainNumber.IsMatch(value) ? JsonNode.Parse(value) : JsonValue.Create(value);
        }

        private static string Where(int? line, int? column) =>
            line.HasValue ? string.Format(CultureInfo.InvariantCulture, " at line {0}, column {1}", line, column) : "";

        private static TemplateException MalformedAt(YamlNode node, string what)
        {
            int line = (int)node.Start.Line;
            int column = (int)node.Start.Column;
            return Malformed(what + Where(line, column) + ".", line, column);
        }

        private static TemplateException Malformed(string message, int? line = null, int? column = null, Exception? inner = null) =>
            new TemplateException(ErrorCatalogue.TemplateMalformed, message, line: line, column: column, inner: inner);
    }
}
