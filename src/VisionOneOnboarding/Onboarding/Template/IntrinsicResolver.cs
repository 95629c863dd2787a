using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>Why a value in the template could not be resolved, and where; the reader adds which policy.</summary>
    internal sealed class TemplateResolutionException : Exception
    {
        public TemplateResolutionException(string path, string intrinsic, string reason, bool isMalformed)
            : base(intrinsic + " at " + path + ": " + reason)
        {
            Path = path;
            Intrinsic = intrinsic;
            Reason = reason;
            IsMalformed = isMalformed;
        }

        public string Path { get; }
        public string Intrinsic { get; }
        public string Reason { get; }

        /// <summary>True when the template itself is wrong (bad arguments), false when a value is just not known here.</summary>
        public bool IsMalformed { get; }
    }

    /// <summary>
    /// Evaluates CloudFormation intrinsic functions (long form) where the values are known without deploying:
    /// parameters, pseudo parameters, conditions, mappings and the pure string functions. Anything that only exists
    /// once a stack runs (another resource's attribute, another stack's export, the zone list) is refused by name.
    /// </summary>
    internal sealed class IntrinsicResolver
    {
        private readonly JsonObject _parameters;
        private readonly JsonObject _mappings;
        private readonly JsonObject _conditions;
        private readonly JsonObject _resources;
        private readonly TemplateContext _context;
        private readonly Dictionary<string, bool> _conditionValues = new Dictionary<string, bool>(StringComparer.Ordinal);
        private readonly HashSet<string> _conditionsBeingEvaluated = new HashSet<string>(StringComparer.Ordinal);

        public IntrinsicResolver(JsonObject template, TemplateContext context)
        {
            _parameters = template["Parameters"] as JsonObject ?? new JsonObject();
            _mappings = template["Mappings"] as JsonObject ?? new JsonObject();
            _conditions = template["Conditions"] as JsonObject ?? new JsonObject();
            _resources = template["Resources"] as JsonObject ?? new JsonObject();
            _context = context;
        }

        /// <summary>A resolved deep copy of <paramref name="node"/>; null when it resolves to AWS::NoValue.</summary>
        public JsonNode? Resolve(JsonNode? node, string path) => TryResolve(node, path, out var value) ? value : null;

        /// <summary>The value of a parameter as a deployment would see it: the override, else the Default, else null.</summary>
        public string? ParameterValue(string name)
        {
            if (_context.ParameterOverrides.TryGetValue(name, out var given)) return given;
            return _parameters[name] is JsonObject parameter ? DefaultText(parameter["Default"]) : null;
        }

        /// <summary>A parameter's Default as text (a list default joined with commas, as CloudFormation writes it).</summary>
        public static string? DefaultText(JsonNode? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case JsonArray list:
                    return string.Join(",", list.Select(item => item is JsonValue v ? ScalarToString(v) : item?.ToJsonString()));
                case JsonValue scalar:
                    return ScalarToString(scalar);
                default:
                    return value.ToJsonString();
            }
        }

        public bool EvaluateCondition(string name, string path)
        {
            if (_conditionValues.TryGetValue(name, out var known)) return known;
            if (!_conditions.ContainsKey(name))
            {
                throw Malformed(path, "Condition " + name, "the template has no condition named '" + name + "'");
            }
            if (!_conditionsBeingEvaluated.Add(name))
            {
                throw Malformed(path, "Condition " + name, "the condition refers to itself");
            }
            try
            {
                bool result = EvaluateConditionExpression(_conditions[name], "Conditions." + name);
                _conditionValues[name] = result;
                return result;
            }
            finally
            {
                _conditionsBeingEvaluated.Remove(name);
            }
        }

        private bool TryResolve(JsonNode? node, string path, out JsonNode? value)
        {
            switch (node)
            {
                case JsonObject obj when obj.Count == 1 && IsIntrinsicKey(obj.First().Key):
                    var call = obj.First();
                    return TryResolveIntrinsic(call.Key, call.Value, path, out value);
                case JsonObject obj:
                    var resolvedObject = new JsonObject();
                    foreach (var member in obj)
                    {
                        if (TryResolve(member.Value, path + "." + member.Key, out var memberValue)) resolvedObject[member.Key] = memberValue;
                    }
                    value = resolvedObject;
                    return true;
                case JsonArray arr:
                    var resolvedArray = new JsonArray();
                    for (int i = 0; i < arr.Count; i++)
                    {
                        if (TryResolve(arr[i], Index(path, i), out var item)) resolvedArray.Add(item);
                    }
                    value = resolvedArray;
                    return true;
                default:
                    value = node?.DeepClone();
                    return true;
            }
        }

        private static bool IsIntrinsicKey(string key) => key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal);

        private bool TryResolveIntrinsic(string function, JsonNode? argument, string path, out JsonNode? value)
        {
            string describe = Describe(function, argument);
            switch (function)
            {
                case "Ref":
                    return TryResolveRef(RequireString(argument, path, describe), path, describe, out value);
                case "Fn::Sub":
                    value = JsonValue.Create(ResolveSub(argument, path));
                    return true;
                case "Fn::Join":
                    value = JsonValue.Create(ResolveJoin(argument, path, describe));
                    return true;
                case "Fn::Select":
                    return TryResolveSelect(argument, path, describe, out value);
                case "Fn::Split":
                    value = ResolveSplit(argument, path, describe);
                    return true;
                case "Fn::If":
                    return TryResolveIf(argument, path, describe, out value);
                case "Fn::FindInMap":
                    value = ResolveFindInMap(argument, path, describe);
                    return true;
                case "Fn::Base64":
                    string plain = ResolveString(argument, path + ".Fn::Base64", describe);
                    value = JsonValue.Create(System.Convert.ToBase64String(Encoding.UTF8.GetBytes(plain)));
                    return true;
                case "Fn::GetAtt":
                    throw Unresolvable(path, describe, "it reads an attribute of another resource, which exists only after CloudFormation creates it");
                case "Fn::ImportValue":
                    throw Unresolvable(path, describe, "it reads a value exported by another stack, which only CloudFormation can look up");
                case "Fn::GetAZs":
                    throw Unresolvable(path, describe, "the Availability Zones of a region are only known to a deployment");
                case "Fn::Equals":
                case "Fn::Not":
                case "Fn::And":
                case "Fn::Or":
                    throw Malformed(path, describe, "condition functions belong in the Conditions section; use Fn::If here");
                default:
                    throw Unresolvable(path, describe, "this reader does not evaluate " + function);
            }
        }

        private bool TryResolveRef(string name, string path, string describe, out JsonNode? value)
        {
            if (name == "AWS::NoValue")
            {
                value = null;
                return false;
            }
            if (name.StartsWith("AWS::", StringComparison.Ordinal))
            {
                value = JsonValue.Create(PseudoParameter(name, path, describe));
                return true;
            }
            if (_parameters[name] is JsonObject parameter)
            {
                string? text = ParameterValue(name);
                if (text == null)
                {
                    throw Unresolvable(path, describe, "parameter '" + name + "' has no Default and no value was given for it; pass a value for " + name);
                }
                string type = ScalarToString(parameter["Type"] as JsonValue) ?? "String";
                bool isList = type == "CommaDelimitedList" || type.StartsWith("List<", StringComparison.Ordinal);
                value = isList
                    ? new JsonArray(text.Split(',').Select(item => (JsonNode?)JsonValue.Create(item)).ToArray())
                    : (JsonNode)JsonValue.Create(text);
                return true;
            }
            if (_resources.ContainsKey(name))
            {
                throw Unresolvable(path, describe, "it refers to the resource '" + name + "', whose name or ARN exists only after CloudFormation creates it");
            }
            throw Unresolvable(path, describe, "the template has no parameter or resource named '" + name + "'");
        }

        private string PseudoParameter(string name, string path, string describe)
        {
            string? value;
            switch (name)
            {
                case "AWS::AccountId":
                    value = _context.AccountId;
                    break;
                case "AWS::Partition":
                    value = _context.Partition;
                    break;
                case "AWS::Region":
                    value = _context.Region;
                    break;
                case "AWS::StackName":
                    value = _context.StackName;
                    break;
                case "AWS::URLSuffix":
                    value = UrlSuffix(_context.Partition);
                    break;
                default:
                    throw Unresolvable(path, describe, "'" + name + "' is only known to a deployed stack");
            }
            if (string.IsNullOrEmpty(value))
            {
                throw Unresolvable(path, describe, "the value of " + name + " was not given");
            }
            return value!;
        }

        private static string UrlSuffix(string partition)
        {
            switch (partition)
            {
                case "aws-cn":
                    return "amazonaws.com.cn";
                case "aws-iso":
                    return "c2s.ic.gov";
                case "aws-iso-b":
                    return "sc2s.sgov.gov";
                default:
                    return "amazonaws.com";
            }
        }

        // Fn::Sub "text ${Name} ${Resource.Attr} ${!Literal}" or ["text", { Name: value }].
        private string ResolveSub(JsonNode? argument, string path)
        {
            string subPath = path + ".Fn::Sub";
            JsonNode? formatNode = argument;
            JsonObject? variables = null;
            if (argument is JsonArray pair)
            {
                if (pair.Count != 2 || !(pair[1] is JsonObject map))
                {
                    throw Malformed(path, "Fn::Sub", "the list form needs exactly two items: the text and a mapping of variables");
                }
                formatNode = pair[0];
                variables = map;
                subPath = Index(subPath, 0);
            }
            string format = RequireString(formatNode, subPath, "Fn::Sub");
            var result = new StringBuilder();
            int position = 0;
            while (position < format.Length)
            {
                int start = format.IndexOf("${", position, StringComparison.Ordinal);
                if (start < 0)
                {
                    result.Append(format, position, format.Length - position);
                    break;
                }
                result.Append(format, position, start - position);
                int end = format.IndexOf('}', start + 2);
                if (end < 0)
                {
                    throw Malformed(path, "Fn::Sub " + format, "a '${' is never closed by '}'");
                }
                string name = format.Substring(start + 2, end - start - 2);
                if (name.StartsWith("!", StringComparison.Ordinal))
                {
                    result.Append("${").Append(name, 1, name.Length - 1).Append('}'); // ${!Literal} writes ${Literal}
                }
                else
                {
                    result.Append(ResolveSubVariable(name.Trim(), variables, path));
                }
                position = end + 1;
            }
            return result.ToString();
        }

        private string ResolveSubVariable(string name, JsonObject? variables, string path)
        {
            string describe = "Fn::Sub ${" + name + "}";
            if (variables != null && variables.ContainsKey(name))
            {
                string variablePath = path + ".Fn::Sub[1]." + name;
                if (!TryResolve(variables[name], variablePath, out var variable))
                {
                    throw Malformed(variablePath, describe, "a Fn::Sub variable cannot be AWS::NoValue");
                }
                return ScalarText(variable, variablePath, describe);
            }
            int dot = name.IndexOf('.');
            if (dot > 0 && !_parameters.ContainsKey(name))
            {
                throw Unresolvable(path, describe, "it reads the attribute '" + name.Substring(dot + 1) + "' of the resource '" +
                    name.Substring(0, dot) + "', which exists only after CloudFormation creates it");
            }
            if (!TryResolveRef(name, path, describe, out var value))
            {
                throw Malformed(path, describe, "AWS::NoValue cannot be substituted into text");
            }
            return ScalarText(value, path, describe);
        }

        private string ResolveJoin(JsonNode? argument, string path, string describe)
        {
            var args = Arguments(argument, 2, path, describe, "[delimiter, [values]]");
            string delimiter = ResolveString(args[0], Index(path + ".Fn::Join", 0), describe);
            string listPath = Index(path + ".Fn::Join", 1);
            var items = ResolveList(args[1], listPath, describe);
            return string.Join(delimiter, items.Select((item, i) => ScalarText(item, Index(listPath, i), describe)));
        }

        private bool TryResolveSelect(JsonNode? argument, string path, string describe, out JsonNode? value)
        {
            var args = Arguments(argument, 2, path, describe, "[index, [values]]");
            string indexPath = Index(path + ".Fn::Select", 0);
            string indexText = ResolveString(args[0], indexPath, describe);
            var items = ResolveList(args[1], Index(path + ".Fn::Select", 1), describe);
            if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= items.Count)
            {
                throw Malformed(indexPath, describe, "the index '" + indexText + "' is not within the " + items.Count.ToString(CultureInfo.InvariantCulture) + " values");
            }
            value = items[index]?.DeepClone();
            return true;
        }

        private JsonArray ResolveSplit(JsonNode? argument, string path, string describe)
        {
            var args = Arguments(argument, 2, path, describe, "[delimiter, text]");
            string delimiter = ResolveString(args[0], Index(path + ".Fn::Split", 0), describe);
            if (delimiter.Length == 0) throw Malformed(path, describe, "the delimiter is empty");
            string source = ResolveString(args[1], Index(path + ".Fn::Split", 1), describe);
            return new JsonArray(source.Split(new[] { delimiter }, StringSplitOptions.None).Select(part => (JsonNode?)JsonValue.Create(part)).ToArray());
        }

        private bool TryResolveIf(JsonNode? argument, string path, string describe, out JsonNode? value)
        {
            var args = Arguments(argument, 3, path, describe, "[condition, value if true, value if false]");
            string conditionName = RequireString(args[0], Index(path + ".Fn::If", 0), describe);
            int branch = EvaluateCondition(conditionName, Index(path + ".Fn::If", 0)) ? 1 : 2;
            return TryResolve(args[branch], Index(path + ".Fn::If", branch), out value);
        }

        private JsonNode? ResolveFindInMap(JsonNode? argument, string path, string describe)
        {
            var args = Arguments(argument, 3, path, describe, "[map, top-level key, second-level key]");
            string fnPath = path + ".Fn::FindInMap";
            string mapName = ResolveString(args[0], Index(fnPath, 0), describe);
            string topKey = ResolveString(args[1], Index(fnPath, 1), describe);
            string secondKey = ResolveString(args[2], Index(fnPath, 2), describe);
            string lookup = "Fn::FindInMap [" + mapName + ", " + topKey + ", " + secondKey + "]";
            if (!(_mappings[mapName] is JsonObject map))
            {
                throw Malformed(path, lookup, "the template has no mapping named '" + mapName + "'");
            }
            if (!(map[topKey] is JsonObject entry) || !entry.ContainsKey(secondKey))
            {
                throw Unresolvable(path, lookup, "the mapping '" + mapName + "' has no value for '" + topKey + "' / '" + secondKey + "'; check the parameter values given");
            }
            return Resolve(entry[secondKey], "Mappings." + mapName + "." + topKey + "." + secondKey);
        }

        private bool EvaluateConditionExpression(JsonNode? expression, string path)
        {
            if (!(expression is JsonObject obj) || obj.Count != 1)
            {
                throw Malformed(path, "condition", "a condition must be one of Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition");
            }
            var call = obj.First();
            string describe = Describe(call.Key, call.Value);
            string fnPath = path + "." + call.Key;
            switch (call.Key)
            {
                case "Fn::Equals":
                    var pair = Arguments(call.Value, 2, path, describe, "[value, value]");
                    return ComparableText(pair[0], Index(fnPath, 0)) == ComparableText(pair[1], Index(fnPath, 1));
                case "Fn::Not":
                    var single = Arguments(call.Value, 1, path, describe, "[condition]");
                    return !EvaluateConditionExpression(single[0], Index(fnPath, 0));
                case "Fn::And":
                case "Fn::Or":
                    if (!(call.Value is JsonArray operands) || operands.Count < 2)
                    {
                        throw Malformed(path, describe, "it needs a list of at least two conditions");
                    }
                    var results = operands.Select((operand, i) => EvaluateConditionExpression(operand, Index(fnPath, i)));
                    return call.Key == "Fn::And" ? results.All(r => r) : results.Any(r => r);
                case "Condition":
                    return EvaluateCondition(RequireString(call.Value, fnPath, describe), fnPath);
                default:
                    throw Malformed(path, describe, "a condition must be one of Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition");
            }
        }

        // Fn::Equals compares what CloudFormation would compare: the text of scalars, the JSON of lists.
        private string ComparableText(JsonNode? node, string path)
        {
            TryResolve(node, path, out var value);
            return value is JsonValue scalar ? ScalarToString(scalar) ?? "" : value?.ToJsonString() ?? "";
        }

        private string ResolveString(JsonNode? node, string path, string describe)
        {
            if (!TryResolve(node, path, out var value))
            {
                throw Malformed(path, describe, "AWS::NoValue cannot stand for a text value");
            }
            return ScalarText(value, path, describe);
        }

        private List<JsonNode?> ResolveList(JsonNode? node, string path, string describe)
        {
            if (TryResolve(node, path, out var value) && value is JsonArray list) return list.ToList();
            throw Malformed(path, describe, "a list was expected here");
        }

        private static JsonNode?[] Arguments(JsonNode? argument, int count, string path, string describe, string shape)
        {
            if (argument is JsonArray list && list.Count == count) return list.ToArray();
            throw Malformed(path, describe, "its argument must be a list of the form " + shape);
        }

        private static string RequireString(JsonNode? node, string path, string describe)
        {
            if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String) return value.GetValue<string>();
            throw Malformed(path, describe, "a plain string was expected here");
        }

        private static string ScalarText(JsonNode? node, string path, string describe)
        {
            if (node is JsonValue value)
            {
                var text = ScalarToString(value);
                if (text != null) return text;
            }
            throw Malformed(path, describe, "a text value was expected here, not " + (node == null ? "null" : node is JsonArray ? "a list" : "an object"));
        }

        private static string? ScalarToString(JsonValue? value)
        {
            if (value == null) return null;
            switch (value.GetValueKind())
            {
                case JsonValueKind.String:
                    return value.GetValue<string>();
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    return value.ToJsonString();
                default:
                    return null;
            }
        }

        // A short rendering of an intrinsic call for messages: "Ref Bucket", "Fn::GetAtt Bucket.Arn", "Fn::Equals [a, b]".
        private static string Describe(string function, JsonNode? argument)
        {
            string rendered;
            switch (argument)
            {
                case JsonValue value:
                    string? text = ScalarToString(value);
                    rendered = text == null ? "null" : text.Length == 0 ? "\"\"" : text;
                    break;
                case JsonArray list when list.All(item => item is JsonValue):
                    var parts = list.Select(item => ScalarToString((JsonValue)item!) ?? "null").ToArray();
                    rendered = function == "Fn::GetAtt" ? string.Join(".", parts) : "[" + string.Join(", ", parts) + "]";
                    break;
                default:
                    string json = argument?.ToJsonString(PolicyDocument.CompactJson) ?? "null";
                    rendered = json.Length <= 80 ? json : json.Substring(0, 77) + "...";
                    break;
            }
            return function + " " + rendered;
        }

        private static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

        private static TemplateResolutionException Unresolvable(string path, string intrinsic, string reason) =>
            new TemplateResolutionException(path, intrinsic, reason, isMalformed: false);

        private static TemplateResolutionException Malformed(string path, string intrinsic, string reason) =>
            new TemplateResolutionException(path, intrinsic, reason, isMalformed: true);
    }
}
