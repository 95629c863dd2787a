using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// What onboarding needs from Vision One's CloudFormation template, read without CloudFormation: the OIDC issuer
    /// URL, the template's parameters and the three policy documents with every intrinsic resolved for one account.
    /// </summary>
    public sealed class VisionOneTemplate
    {
        public const string OidcProviderUrlParameter = "VisionOneOIDCProviderURL";

        private static readonly HashSet<string> PolicyResourceTypes =
            new HashSet<string>(StringComparer.Ordinal) { "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy" };

        // A managed policy names itself with ManagedPolicyName, an inline one with PolicyName.
        private static readonly string[] PolicyNameProperties = { "ManagedPolicyName", "PolicyName" };

        private VisionOneTemplate(string? oidcProviderUrl, IDictionary<string, string?> parameters, IDictionary<string, string> policies, IList<UnresolvedValue> unresolved)
        {
            OidcProviderUrl = oidcProviderUrl;
            Parameters = new ReadOnlyDictionary<string, string?>(parameters);
            Policies = new ReadOnlyDictionary<string, string>(policies);
            Unresolved = new ReadOnlyCollection<UnresolvedValue>(unresolved);
        }

        /// <summary>
        /// The issuer URL, always with its https:// scheme: from the template's AWS::IAM::OIDCProvider Url, else from
        /// the VisionOneOIDCProviderURL parameter (given value, else Default); null when neither resolves.
        /// </summary>
        public string? OidcProviderUrl { get; }

        /// <summary>Every template parameter → its Default as text, or null when it has none.</summary>
        public IReadOnlyDictionary<string, string?> Parameters { get; }

        /// <summary>VisionOnePolicyPart1..3 → the resolved policy document as compact JSON.</summary>
        public IReadOnlyDictionary<string, string> Policies { get; }

        /// <summary>What the reader looked for outside the policies and could not resolve (the policies never get here: they throw).</summary>
        public IReadOnlyList<UnresolvedValue> Unresolved { get; }

        /// <summary>Reads a template (JSON or YAML, long- or short-form intrinsics) for one account.</summary>
        /// <exception cref="TemplateException">
        /// VisionOne.TemplateMalformed (not JSON/YAML, empty, no Resources, bad intrinsic arguments),
        /// VisionOne.TemplateResourceMissing (a Vision One policy resource is absent),
        /// VisionOne.TemplateUnresolvable (a policy uses a value only a deployment would know).
        /// </exception>
        public static VisionOneTemplate Read(string text, TemplateContext context) => Read(text, context, withPolicies: true);

        /// <summary>
        /// The issuer and parameters alone, for showing a template whose policies need an account id to resolve:
        /// its issuer is still checked and its parameters still shown. <see cref="Policies"/> is empty.
        /// </summary>
        public static VisionOneTemplate ReadWithoutPolicies(string text, TemplateContext context) => Read(text, context, withPolicies: false);

        private static VisionOneTemplate Read(string text, TemplateContext context, bool withPolicies)
        {
            if (context == null) throw new ArgumentNullException(nameof(context));
            var template = TemplateParser.Parse(text ?? "");
            if (!(template["Resources"] is JsonObject resources) || resources.Count == 0)
            {
                throw new TemplateException(ErrorCatalogue.TemplateMalformed,
                    "The template has no Resources section, so it is not a CloudFormation template; give the Vision One Cloud Accounts template.");
            }
            var resolver = new IntrinsicResolver(template, context);
            var parameters = ReadParameters(template);
            var policies = withPolicies ? ReadPolicies(resources, resolver) : new Dictionary<string, string>(StringComparer.Ordinal);
            var unresolved = new List<UnresolvedValue>();
            string? url = ReadOidcProviderUrl(resources, template, resolver, unresolved);
            return new VisionOneTemplate(url, parameters, policies, unresolved);
        }

        private static Dictionary<string, string?> ReadParameters(JsonObject template)
        {
            var result = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (template["Parameters"] is JsonObject parameters)
            {
                foreach (var parameter in parameters)
                {
                    result[parameter.Key] = parameter.Value is JsonObject definition ? IntrinsicResolver.DefaultText(definition["Default"]) : null;
                }
            }
            return result;
        }

        private static Dictionary<string, string> ReadPolicies(JsonObject resources, IntrinsicResolver resolver)
        {
            var found = new Dictionary<string, string>(StringComparer.Ordinal);
            var missing = new List<string>();
            foreach (var name in PublishedPolicies.Names)
            {
                var logicalId = FindPolicyResource(name, resources, resolver);
                if (logicalId == null) missing.Add(name);
                else found[name] = ReadPolicyDocument(name, logicalId, (JsonObject)resources[logicalId]!, resolver);
            }
            if (missing.Count > 0)
            {
                string names = string.Join(", ", missing);
                throw new TemplateException(ErrorCatalogue.TemplateResourceMissing,
                    $"The template has no resource for {names}: expected an AWS::IAM::ManagedPolicy (or AWS::IAM::Policy) with that logical id or policy name. " +
                    "Give the Vision One Cloud Accounts template (Cloud Security → Cloud Accounts → AWS → Add Account → Download and Review Template), " +
                    "or leave the template out to use the published policies.",
                    name: names);
            }
            return found;
        }

        // The logical id of the resource that creates the named policy: the resource of that id, else the policy
        // resource whose ManagedPolicyName/PolicyName resolves to the name. Resources whose Condition is false are
        // not created, so they do not count.
        private static string? FindPolicyResource(string name, JsonObject resources, IntrinsicResolver resolver)
        {
            if (resources[name] is JsonObject byId && IsCreatedPolicy(name, byId, resolver)) return name;
            foreach (var resource in resources)
            {
                if (!(resource.Value is JsonObject definition) || !IsCreatedPolicy(resource.Key, definition, resolver)) continue;
                var properties = definition["Properties"] as JsonObject;
                foreach (var property in PolicyNameProperties)
                {
                    if (properties?[property] == null) continue;
                    try
                    {
                        if (resolver.Resolve(properties[property], $"Resources.{resource.Key}.Properties.{property}") is JsonValue value &&
                            value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == name)
                        {
                            return resource.Key;
                        }
                    }
                    catch (TemplateResolutionException)
                    {
                        // A name that needs a deployment to resolve cannot be the one we look for.
                    }
                }
            }
            return null;
        }

        private static bool IsCreatedPolicy(string logicalId, JsonObject resource, IntrinsicResolver resolver)
        {
            if (!(resource["Type"] is JsonValue type) || type.GetValueKind() != JsonValueKind.String || !PolicyResourceTypes.Contains(type.GetValue<string>()))
            {
                return false;
            }
            return IsCreated(logicalId, resource, resolver);
        }

        private static bool IsCreated(string logicalId, JsonObject resource, IntrinsicResolver resolver)
        {
            if (!(resource["Condition"] is JsonValue condition) || condition.GetValueKind() != JsonValueKind.String) return true;
            string path = $"Resources.{logicalId}.Condition";
            try
            {
                return resolver.EvaluateCondition(condition.GetValue<string>(), path);
            }
            catch (TemplateResolutionException ex)
            {
                throw ResolutionFailure(logicalId, ex);
            }
        }

        private static string ReadPolicyDocument(string name, string logicalId, JsonObject resource, IntrinsicResolver resolver)
        {
            string path = $"Resources.{logicalId}.Properties.PolicyDocument";
            var document = (resource["Properties"] as JsonObject)?["PolicyDocument"];
            if (document == null)
            {
                throw new TemplateException(ErrorCatalogue.TemplateMalformed,
                    $"The template's resource {logicalId} (policy {name}) has no Properties.PolicyDocument; the template is damaged — download it again.",
                    name: name, path: path);
            }
            JsonNode? resolved;
            try
            {
                resolved = resolver.Resolve(document, path);
            }
            catch (TemplateResolutionException ex)
            {
                throw ResolutionFailure(name, ex);
            }
            // CloudFormation also accepts the document as a JSON string.
            if (resolved is JsonValue text && text.GetValueKind() == JsonValueKind.String)
            {
                try
                {
                    resolved = StrictJson.Parse(text.GetValue<string>());
                }
                catch (JsonException ex)
                {
                    throw new TemplateException(ErrorCatalogue.TemplateMalformed,
                        $"Policy {name}: the template gives PolicyDocument as text that is not JSON{StrictJson.Where(ex)}: {StrictJson.Reason(ex)}",
                        name: name, path: path, inner: ex);
                }
                catch (ArgumentException ex)
                {
                    throw new TemplateException(ErrorCatalogue.TemplateMalformed,
                        $"Policy {name}: the template gives PolicyDocument as text that is not valid JSON: {StrictJson.DuplicateKey(ex)}",
                        name: name, path: path, inner: ex);
                }
            }
            if (!(resolved is JsonObject policy))
            {
                throw new TemplateException(ErrorCatalogue.TemplateMalformed,
                    $"Policy {name}: the template's PolicyDocument at {path} is not a JSON object.", name: name, path: path);
            }
            return policy.ToJsonString(PolicyDocument.CompactJson);
        }

        private static TemplateException ResolutionFailure(string name, TemplateResolutionException ex)
        {
            if (ex.IsMalformed)
            {
                return new TemplateException(ErrorCatalogue.TemplateMalformed,
                    $"Policy {name}: {ex.Intrinsic} at {ex.Path} is not valid CloudFormation: {ex.Reason}.",
                    name: name, path: ex.Path, intrinsic: ex.Intrinsic, inner: ex);
            }
            return new TemplateException(ErrorCatalogue.TemplateUnresolvable,
                $"Policy {name}: {ex.Intrinsic} at {ex.Path} cannot be resolved without deploying the template: {ex.Reason}. " +
                "Give the missing value (a parameter value, or the target account's id, region and partition), or replace the intrinsic with its literal value in the template.",
                name: name, path: ex.Path, intrinsic: ex.Intrinsic, inner: ex);
        }

        private static string? ReadOidcProviderUrl(JsonObject resources, JsonObject template, IntrinsicResolver resolver, List<UnresolvedValue> unresolved)
        {
            const string subject = "OidcProviderUrl";
            foreach (var resource in resources)
            {
                if (!(resource.Value is JsonObject definition) || !(definition["Type"] is JsonValue type) ||
                    type.GetValueKind() != JsonValueKind.String || type.GetValue<string>() != "AWS::IAM::OIDCProvider")
                {
                    continue;
                }
                string path = $"Resources.{resource.Key}.Properties.Url";
                try
                {
                    if (IsCreated(resource.Key, definition, resolver) &&
                        resolver.Resolve((definition["Properties"] as JsonObject)?["Url"], path) is JsonValue url &&
                        url.GetValueKind() == JsonValueKind.String)
                    {
                        return WithHttpsScheme(url.GetValue<string>());
                    }
                }
                catch (TemplateResolutionException ex)
                {
                    unresolved.Add(new UnresolvedValue(subject, ex.Path, ex.Intrinsic, ex.Reason));
                }
                catch (TemplateException ex) when (ex.InnerException is TemplateResolutionException inner)
                {
                    unresolved.Add(new UnresolvedValue(subject, inner.Path, inner.Intrinsic, inner.Reason));
                }
            }

            var parameterName = (template["Parameters"] as JsonObject)?
                .Select(p => p.Key)
                .FirstOrDefault(key => string.Equals(key, OidcProviderUrlParameter, StringComparison.OrdinalIgnoreCase));
            if (parameterName == null) return null;
            string? value = resolver.ParameterValue(parameterName);
            if (string.IsNullOrEmpty(value))
            {
                unresolved.Add(new UnresolvedValue(subject, "Parameters." + parameterName, "Ref " + parameterName,
                    "the parameter has no Default and no value was given for it"));
                return null;
            }
            return WithHttpsScheme(value!);
        }

        // The seed tells users to type the bare host (cloudaccounts-us.xdr.trendmicro.com); IAM wants https://host.
        private static string WithHttpsScheme(string url) =>
            url.IndexOf("://", StringComparison.Ordinal) >= 0 ? url : "https://" + url;
    }
}
