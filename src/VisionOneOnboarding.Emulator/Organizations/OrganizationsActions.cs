using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using VisionOneOnboarding.Emulator.Aws;
using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Emulator.Organizations
{
    /// <summary>An Organizations action: the JSON request in, the JSON answer out.</summary>
    public delegate JsonObject JsonAction(JsonObject request, CallerPrincipal caller);

    /// <summary>The Organizations actions the emulator serves, in the shapes of the AWSOrganizationsV20161128 JSON 1.1 API.</summary>
    internal static class OrganizationsActions
    {
        /// <summary>ListAccounts and its kin take MaxResults 1–20; without it a page holds at most 20.</summary>
        private const int MaxResults = 20;
        private const string TokenPrefix = "offset:";

        public static IReadOnlyDictionary<string, JsonAction> Create(OrganizationsStore store) => new Dictionary<string, JsonAction>(StringComparer.Ordinal)
        {
            ["DescribeOrganization"] = (r, c) =>
            {
                var organization = store.Describe(c);
                var management = organization.Accounts.First(a => a.Id == organization.ManagementAccountId);
                return new JsonObject
                {
                    ["Organization"] = new JsonObject
                    {
                        ["Id"] = organization.Id,
                        ["Arn"] = organization.Arn,
                        ["FeatureSet"] = "ALL",
                        ["MasterAccountArn"] = management.Arn,
                        ["MasterAccountId"] = management.Id,
                        ["MasterAccountEmail"] = management.Email,
                        ["AvailablePolicyTypes"] = new JsonArray(),
                    },
                };
            },
            ["ListAccounts"] = (r, c) => Page(store.ListAccounts(c), r, "Accounts", a => Account(a, store.LegacyStatusOnly)),
            ["ListAccountsForParent"] = (r, c) => Page(store.ListAccountsForParent(c, Required(r, "ParentId")), r, "Accounts", a => Account(a, store.LegacyStatusOnly)),
            ["DescribeAccount"] = (r, c) => new JsonObject { ["Account"] = Account(store.DescribeAccount(c, Required(r, "AccountId")), store.LegacyStatusOnly) },
            ["CloseAccount"] = (r, c) =>
            {
                store.CloseAccount(c, Required(r, "AccountId"));
                return new JsonObject();
            },
            ["ListOrganizationalUnitsForParent"] = (r, c) => Page(store.ListOrganizationalUnitsForParent(c, Required(r, "ParentId")), r,
                "OrganizationalUnits", u => new JsonObject { ["Id"] = u.Id, ["Arn"] = u.Arn, ["Name"] = u.Name }),
        };

        /// <summary>
        /// An Account as Organizations answers it today: <c>State</c> only, since the <c>Status</c> member was retired on
        /// 2026-09-09 (the model still lists both). <paramref name="legacyStatusOnly"/> answers as older endpoints did.
        /// </summary>
        private static JsonObject Account(OrganizationMember a, bool legacyStatusOnly) => new JsonObject
        {
            ["Id"] = a.Id,
            ["Arn"] = a.Arn,
            ["Email"] = a.Email,
            ["Name"] = a.Name,
            [legacyStatusOnly ? "Status" : "State"] = a.State,
            ["JoinedMethod"] = a.JoinedMethod,
            ["JoinedTimestamp"] = Math.Round((a.JoinedTimestamp - DateTime.UnixEpoch).TotalSeconds, 3),
        };

        private static string Required(JsonObject request, string name)
        {
            if (request[name] is JsonValue value && value.TryGetValue<string>(out var text)) return text;
            throw new AwsQueryException(400, "InvalidInputException", "1 validation error detected: Value null at '" + char.ToLowerInvariant(name[0]) + name.Substring(1) +
                "' failed to satisfy constraint: Member must not be null");
        }

        /// <summary>One page of at most MaxResults (1–20) items from an opaque NextToken, and the next token while more remain.</summary>
        private static JsonObject Page<T>(IReadOnlyList<T> items, JsonObject request, string listName, Func<T, JsonObject> item)
        {
            int size = MaxResults;
            if (request["MaxResults"] is JsonValue max)
            {
                if (!max.TryGetValue<int>(out size) || size < 1 || size > MaxResults)
                    throw OrganizationsValidation.InvalidInput("INVALID_INPUT", "You specified an invalid value for maxResults.");
            }
            int start = 0;
            if (request["NextToken"] is JsonValue tokenValue && tokenValue.TryGetValue<string>(out var token)) start = Offset(token, items.Count);
            int end = Math.Min(items.Count, start + size);
            var answer = new JsonObject { [listName] = new JsonArray(items.Skip(start).Take(end - start).Select(i => (JsonNode)item(i)).ToArray()) };
            if (end < items.Count) answer["NextToken"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(TokenPrefix + end.ToString(CultureInfo.InvariantCulture)));
            return answer;
        }

        private static int Offset(string token, int count)
        {
            try
            {
                var text = Encoding.ASCII.GetString(Convert.FromBase64String(token));
                if (text.StartsWith(TokenPrefix, StringComparison.Ordinal)
                    && int.TryParse(text.Substring(TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                    && offset <= count)
                {
                    return offset;
                }
            }
            catch (FormatException)
            {
                // The same answer as any other token the emulator did not hand out.
            }
            throw OrganizationsValidation.InvalidInput("INVALID_NEXT_TOKEN", "You specified an invalid value for nextToken.");
        }
    }
}
