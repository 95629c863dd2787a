using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace VisionOneOnboarding.Aws
{
    /// <summary>
    /// <see cref="IOrganizationsClient"/> over the AWS JSON 1.1 protocol: POST / with X-Amz-Target
    /// AWSOrganizationsV20161128.&lt;Action&gt; and a JSON body, sent (signed, retried) by <see cref="AwsSignedSender"/>.
    /// Errors come back as {"__type": …, "Message": …} with the same code in X-Amzn-ErrorType.
    /// </summary>
    public sealed class OrganizationsJsonClient : IOrganizationsClient
    {
        public const string TargetPrefix = "AWSOrganizationsV20161128.";
        public const string ContentType = "application/x-amz-json-1.1";

        private readonly AwsSignedSender _sender;

        public OrganizationsJsonClient(AwsSignedSender sender) { _sender = sender ?? throw new ArgumentNullException(nameof(sender)); }

        public async Task<OrganizationInfo> DescribeOrganizationAsync(CancellationToken cancellationToken)
        {
            var answer = await CallAsync("DescribeOrganization", new JsonObject(), cancellationToken).ConfigureAwait(false);
            var organization = answer["Organization"] as JsonObject
                ?? throw Malformed("DescribeOrganization", "no Organization");
            return new OrganizationInfo
            {
                Id = Text(organization, "Id"),
                Arn = Text(organization, "Arn"),
                FeatureSet = Text(organization, "FeatureSet"),
                ManagementAccountId = Text(organization, "MasterAccountId"),
                ManagementAccountArn = Text(organization, "MasterAccountArn"),
                ManagementAccountEmail = Text(organization, "MasterAccountEmail"),
            };
        }

        public Task<IReadOnlyList<OrganizationAccount>> ListAccountsAsync(CancellationToken cancellationToken) =>
            ListAllAsync("ListAccounts", new JsonObject(), "Accounts", ReadAccount, cancellationToken);

        public Task<IReadOnlyList<OrganizationAccount>> ListAccountsForParentAsync(string parentId, CancellationToken cancellationToken) =>
            ListAllAsync("ListAccountsForParent", new JsonObject { ["ParentId"] = parentId }, "Accounts", ReadAccount, cancellationToken);

        public Task<IReadOnlyList<OrganizationalUnit>> ListOrganizationalUnitsForParentAsync(string parentId, CancellationToken cancellationToken) =>
            ListAllAsync("ListOrganizationalUnitsForParent", new JsonObject { ["ParentId"] = parentId }, "OrganizationalUnits",
                unit => new OrganizationalUnit { Id = Text(unit, "Id"), Arn = Text(unit, "Arn"), Name = Text(unit, "Name") }, cancellationToken);

        /// <summary>Follows NextToken until the service gives none; a token that repeats is a malformed answer, not a loop.</summary>
        private async Task<IReadOnlyList<T>> ListAllAsync<T>(string action, JsonObject request, string listName, Func<JsonObject, T> read,
            CancellationToken cancellationToken)
        {
            var items = new List<T>();
            var seenTokens = new HashSet<string>(StringComparer.Ordinal);
            string? nextToken = null;
            do
            {
                var page = (JsonObject)request.DeepClone();
                if (nextToken != null) page["NextToken"] = nextToken;
                var answer = await CallAsync(action, page, cancellationToken).ConfigureAwait(false);
                if (answer[listName] is JsonArray list)
                {
                    foreach (var item in list)
                    {
                        if (item is JsonObject entry) items.Add(read(entry));
                    }
                }
                nextToken = answer["NextToken"]?.GetValue<string>();
                if (nextToken != null && !seenTokens.Add(nextToken)) throw Malformed(action, "a NextToken that repeats an earlier page");
            }
            while (nextToken != null);
            return items;
        }

        private Task<JsonObject> CallAsync(string action, JsonObject request, CancellationToken cancellationToken)
        {
            var body = Encoding.UTF8.GetBytes(request.ToJsonString());
            var narration = request.Count == 0 ? action : action + " " + string.Join(" ", Narrate(request));
            var call = new AwsWireCall(action, body, ContentType, narration, answer => ReadError(action, answer));
            call.Headers["X-Amz-Target"] = TargetPrefix + action;
            return _sender.SendAsync(call, answer => ReadResult(action, answer), cancellationToken);
        }

        private static IEnumerable<string> Narrate(JsonObject request)
        {
            foreach (var property in request) yield return property.Key + "=" + property.Value?.ToString();
        }

        private JsonObject ReadResult(string action, AwsWireAnswer answer)
        {
            if (answer.Body.Trim().Length == 0) return new JsonObject();
            try
            {
                return JsonNode.Parse(answer.Body) as JsonObject ?? throw Malformed(action, "a body that is not a JSON object");
            }
            catch (JsonException ex)
            {
                throw new AwsServiceException(_sender.Service.DisplayName, action, "MalformedResponse",
                    _sender.Service.DisplayName + " " + action + " answered HTTP " + answer.Status + " with a body that is not JSON.", answer.Status, answer.RequestId, ex);
            }
        }

        /// <summary>
        /// The code from X-Amzn-ErrorType ("Code:http://…"), else from __type ("namespace#Code" or "Code"); the message
        /// from "Message" or "message". Anything else (a proxy's page) is named by its HTTP status.
        /// </summary>
        private AwsServiceException ReadError(string action, AwsWireAnswer answer)
        {
            string? code = null;
            string? message = null;
            try
            {
                if (JsonNode.Parse(answer.Body) is JsonObject error)
                {
                    code = Optional(error, "__type");
                    message = Optional(error, "Message") ?? Optional(error, "message");
                }
            }
            catch (JsonException) { }
            if (answer.Headers.TryGetValue("X-Amzn-ErrorType", out var header) && header.Length > 0) code = header;
            code = ShortCode(code);
            if (string.IsNullOrEmpty(code))
            {
                code = ((HttpStatusCode)answer.Status).ToString();
                message = _sender.Service.DisplayName + " " + action + " failed with HTTP " + answer.Status + " " + answer.ReasonPhrase + ".";
            }
            return new AwsServiceException(_sender.Service.DisplayName, action, code!, string.IsNullOrEmpty(message) ? code! : message!, answer.Status, answer.RequestId);
        }

        private static string? ShortCode(string? code)
        {
            if (string.IsNullOrEmpty(code)) return null;
            var colon = code!.IndexOf(':');
            if (colon >= 0) code = code.Substring(0, colon);
            var hash = code.LastIndexOf('#');
            return hash >= 0 ? code.Substring(hash + 1) : code;
        }

        private static OrganizationAccount ReadAccount(JsonObject account) => new OrganizationAccount
        {
            Id = Text(account, "Id"),
            Arn = Text(account, "Arn"),
            Name = Text(account, "Name"),
            Email = Text(account, "Email"),
            State = Optional(account, "State") ?? Text(account, "Status"),
            JoinedMethod = Text(account, "JoinedMethod"),
            JoinedTimestamp = Timestamp(account["JoinedTimestamp"]),
        };

        /// <summary>JSON 1.1 timestamps are epoch seconds (with a fraction).</summary>
        private static DateTime? Timestamp(JsonNode? node)
        {
            if (node is JsonValue value && value.TryGetValue<double>(out var seconds))
                return new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
            if (node is JsonValue text && text.TryGetValue<string>(out var iso) &&
                DateTime.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
                return parsed;
            return null;
        }

        private static string Text(JsonObject item, string name) => Optional(item, name) ?? "";

        private static string? Optional(JsonObject item, string name) =>
            item[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

        private AwsServiceException Malformed(string action, string what) =>
            new AwsServiceException(_sender.Service.DisplayName, action, "MalformedResponse",
                _sender.Service.DisplayName + " " + action + " answered with " + what + ".", 200, null);
    }
}
