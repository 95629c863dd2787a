using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace VisionOneOnboarding.Emulator.Iam
{
    public sealed partial class IamStore
    {
        /// <summary>
        /// One account's IAM state as JSON, every collection sorted and timestamps and random ids left out, so two
        /// dumps of equal state are equal strings. Documents appear decoded and parsed. Null for an unknown account.
        /// </summary>
        public JsonObject? DescribeAccount(string accountId)
        {
            lock (_gate)
            {
                if (!_accounts.TryGetValue(accountId, out var account)) return null;
                return new JsonObject
                {
                    ["accountId"] = account.Id,
                    ["providers"] = Array(account.Providers.Values.OrderBy(p => p.Url, StringComparer.Ordinal).Select(p => new JsonObject
                    {
                        ["url"] = p.Url,
                        ["arn"] = p.Arn,
                        ["clientIds"] = Strings(p.ClientIds),
                        ["thumbprints"] = Strings(p.Thumbprints),
                        ["tags"] = Tags(p.Tags),
                    })),
                    ["policies"] = Array(account.Policies.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new JsonObject
                    {
                        ["name"] = p.Name,
                        ["arn"] = p.Arn,
                        ["description"] = p.Description,
                        ["defaultVersionId"] = p.DefaultVersion.VersionId,
                        ["attachmentCount"] = AttachmentCount(account, p),
                        ["tags"] = Tags(p.Tags),
                        ["versions"] = Array(p.Versions.Select(v => new JsonObject
                        {
                            ["versionId"] = v.VersionId,
                            ["isDefaultVersion"] = v.IsDefaultVersion,
                            ["document"] = JsonNode.Parse(v.Document),
                        })),
                    })),
                    ["roles"] = Array(account.Roles.Values.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => new JsonObject
                    {
                        ["name"] = r.Name,
                        ["arn"] = r.Arn,
                        ["description"] = r.Description,
                        ["maxSessionDuration"] = r.MaxSessionDuration,
                        ["trustPolicy"] = JsonNode.Parse(r.TrustPolicy),
                        ["tags"] = Tags(r.Tags),
                        ["attachedPolicyArns"] = Strings(r.AttachedPolicyArns),
                        ["inlinePolicyNames"] = Strings(r.InlinePolicies.Keys),
                    })),
                };
            }
        }

        private static JsonArray Array(IEnumerable<JsonNode> items) => new JsonArray(items.ToArray<JsonNode?>());

        private static JsonArray Strings(IEnumerable<string> values) =>
            Array(values.OrderBy(v => v, StringComparer.Ordinal).Select(v => (JsonNode)JsonValue.Create(v)));

        private static JsonObject Tags(IEnumerable<IamTag> tags)
        {
            var result = new JsonObject();
            foreach (var tag in tags.OrderBy(t => t.Key, StringComparer.Ordinal)) result[tag.Key] = tag.Value;
            return result;
        }
    }
}
