using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VisionOneOnboarding.Emulator.VisionOne;

namespace VisionOneOnboarding.Emulator
{
    /// <summary>
    /// The emulator's Vision One face: the Cloud Accounts API for AWS under all three path families, the
    /// connectivity check, the self-served template, and /_emulator/visionone/ controls.
    /// Each API call: latency → Bearer key (401) → write permission (403) → rate limit (429) → injected fault → work,
    /// and is logged in <see cref="EmulatorState.Calls"/> with Service "cam".
    /// </summary>
    public static class CamEndpoints
    {
        public static readonly IReadOnlyList<string> Prefixes = new[] { "/v3.0/cam", "/beta/cam", "/beta/xdr/cam" };
        public const string TemplateRoute = "/templates/{token}/" + CamTemplate.FileName;
        private const int MaxBodyBytes = 1024 * 1024;

        public static void Map(WebApplication app, EmulatorState state)
        {
            // x-trace-id on every Vision One answer, including the router's own 404/405s.
            app.Use(async (ctx, next) =>
            {
                var path = ctx.Request.Path;
                if (path.StartsWithSegments("/v3.0") || path.StartsWithSegments("/beta") || path.StartsWithSegments("/templates"))
                {
                    ctx.Response.Headers["x-trace-id"] = Guid.NewGuid().ToString();
                }
                await next(ctx);
            });

            foreach (var p in Prefixes)
            {
                app.MapPost(p + "/awsAccounts", Api(state, "AddAwsAccount", true, call => AddAccount(call, state, p)));
                app.MapGet(p + "/awsAccounts", Api(state, "ListAwsAccounts", false, call => ListAccounts(call, state)));
                app.MapGet(p + "/awsAccounts/features", Api(state, "ListFeatures", false, _ => ListFeatures(state)));
                app.MapPost(p + "/awsAccounts/generateCfnTemplateLinks", Api(state, "GenerateCfnTemplateLinks", false, call => GenerateLinks(call, state)));
                app.MapGet(p + "/awsAccounts/{id}", Api(state, "GetAwsAccount", false, call => GetAccount(call, state)));
                app.MapPatch(p + "/awsAccounts/{id}", Api(state, "UpdateAwsAccount", true, call => UpdateAccount(call, state)));
                app.MapDelete(p + "/awsAccounts/{id}", Api(state, "DeleteAwsAccount", true, call => DeleteAccount(call, state)));
            }
            app.MapGet("/v3.0/healthcheck/connectivity", Api(state, "CheckConnectivity", false,
                _ => CamReply.Json(200, new JsonObject { ["status"] = "available" })));
            // Templates are fetched like pre-signed storage links: no Bearer key.
            app.MapGet(TemplateRoute, Api(state, "DownloadTemplate", false, call => DownloadTemplate(call, state), requireKey: false));

            app.MapPost("/_emulator/visionone/keys", ctx => Control(ctx, async () =>
            {
                var body = await ReadBody(ctx) ?? throw CamError.BadRequest("InvalidRequestBody", "A JSON body {key, businessId, region, readOnly?} is required.");
                state.Cam.AddKey(Str(body, "key") ?? "", Str(body, "businessId") ?? "", Str(body, "region") ?? "", Bool(body, "readOnly") ?? false);
            }));
            app.MapPost("/_emulator/visionone/ratelimit", ctx => Control(ctx, async () =>
            {
                var body = await ReadBody(ctx) ?? throw CamError.BadRequest("InvalidRequestBody", "A JSON body {perMinute} is required.");
                state.Cam.RateLimitPerMinute = Int(body, "perMinute") ?? throw CamError.BadRequest("InvalidParameter", "perMinute is required.");
            }));
            app.MapPost("/_emulator/visionone/accounts/{id}/sync", ctx => Control(ctx, async () =>
            {
                var body = await ReadBody(ctx) ?? throw CamError.BadRequest("InvalidRequestBody",
                    "A JSON body {state?, lastSyncedDateTime?, missingAwsPermissions?: {featureId: [permission, ...]}} is required.");
                DateTimeOffset? synced = null;
                var syncedText = Str(body, "lastSyncedDateTime");
                if (syncedText != null)
                {
                    if (!DateTimeOffset.TryParse(syncedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                        throw CamError.BadRequest("InvalidParameter", "lastSyncedDateTime must be an ISO 8601 time.");
                    synced = parsed;
                }
                var missing = new Dictionary<string, string[]>(StringComparer.Ordinal);
                if (body["missingAwsPermissions"] is JsonObject features)
                {
                    foreach (var feature in features)
                        missing[feature.Key] = (feature.Value as JsonArray ?? new JsonArray()).Select(p => p?.GetValue<string>() ?? "").ToArray();
                }
                var id = ctx.Request.RouteValues["id"] as string ?? "";
                if (!state.Cam.ReportSync(id, Str(body, "state"), synced, missing)) throw CamError.NotFound(id);
            }));
            app.MapGet("/_emulator/visionone/accounts", () =>
            {
                var all = new JsonArray(state.Cam.Dump().Select(a =>
                {
                    var json = a.ToJson();
                    json["businessId"] = a.BusinessId;
                    json["etag"] = a.ETag;
                    return (JsonNode?)json;
                }).ToArray());
                return Results.Text(all.ToJsonString(), "application/json");
            });
        }

        // ---- the pipeline every Vision One call goes through ----

        private sealed class CamCall
        {
            public CamCall(HttpContext context, CamKey? key, CallRecord record) { Context = context; KeyOrNull = key; Record = record; }
            public HttpContext Context { get; }
            public CamKey? KeyOrNull { get; }
            public CamKey Key => KeyOrNull ?? throw new InvalidOperationException("This call was served without a key.");
            public CallRecord Record { get; }
            public string? Id => Context.Request.RouteValues.TryGetValue("id", out var id) ? id as string : null;
        }

        private static RequestDelegate Api(EmulatorState state, string action, bool mutating, Func<CamCall, CamReply> work, bool requireKey = true) =>
            Api(state, action, mutating, call => Task.FromResult(work(call)), requireKey);

        private static RequestDelegate Api(EmulatorState state, string action, bool mutating, Func<CamCall, Task<CamReply>> work, bool requireKey = true) =>
            ctx => Serve(ctx, state, action, mutating, requireKey, work);

        private static async Task Serve(HttpContext ctx, EmulatorState state, string action, bool mutating, bool requireKey, Func<CamCall, Task<CamReply>> work)
        {
            var record = new CallRecord { Service = "cam", Action = action, Mutating = mutating };
            if (ctx.Request.RouteValues.TryGetValue("id", out var id) && id is string accountId) record.Account = accountId;
            CamReply reply;
            try
            {
                await state.Faults.DelayAsync(ctx.RequestAborted);
                CamKey? key = null;
                if (requireKey)
                {
                    key = state.Cam.FindKey(BearerToken(ctx.Request)) ?? throw CamError.InvalidCredentials();
                    if (mutating && key.ReadOnly) throw CamError.AccessDenied();
                    state.Cam.CountRequest();
                }
                var fault = state.Faults.Decide("cam", action);
                if (fault != null && fault.Mode == FaultMode.Before)
                {
                    throw new CamError(fault.Status, fault.Code, fault.Message, null, fault.Status == 429 ? state.Faults.ThrottleRetryAfterSeconds : null);
                }
                var entities = record.Account == null ? new List<string>() : new List<string> { "account:" + record.Account };
                var lagging = state.Faults.Lagging("cam", action, entities);
                if (lagging != null) throw new CamError(lagging.Status, lagging.Code, lagging.Message);
                reply = await work(new CamCall(ctx, key, record));
                if (reply.Status < 400 && reply.Headers.TryGetValue("Location", out var location))
                {
                    state.Faults.NoteWrite("cam", action, new[] { "account:" + location.Substring(location.LastIndexOf('/') + 1) });
                }
                if (fault != null && reply.Status < 400)
                {
                    // Applied; now the answer is lost (a proxy's error) or the connection drops.
                    record.Status = reply.Status;
                    record.Success = true;
                    record.ErrorCode = fault.Mode == FaultMode.DropConnection ? "ConnectionDropped" : "ResponseLost";
                    state.Calls.Add(record);
                    if (fault.Mode == FaultMode.DropConnection)
                    {
                        ctx.Abort();
                        return;
                    }
                    await CamReply.Error(new CamError(fault.Status, fault.Code, fault.Message)).WriteAsync(ctx);
                    return;
                }
            }
            catch (CamError error)
            {
                reply = CamReply.Error(error);
            }
            record.Status = reply.Status;
            record.Success = reply.Status < 400;
            record.ErrorCode = reply.ErrorCode;
            state.Calls.Add(record);
            await reply.WriteAsync(ctx);
        }

        private static string? BearerToken(HttpRequest request)
        {
            var header = request.Headers.Authorization.ToString();
            const string scheme = "Bearer ";
            return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header.Substring(scheme.Length).Trim() : null;
        }

        // ---- operations ----

        private static async Task<CamReply> AddAccount(CamCall call, EmulatorState state, string prefix)
        {
            var body = await RequireBody(call.Context);
            var roleArn = Str(body, "roleArn");
            if (CamRoleCheck.ParseRoleArn(roleArn) is ParsedRoleArn arn) call.Record.Account = arn.AccountId;
            var account = state.Cam.Add(call.Key, roleArn, Str(body, "name"), Str(body, "description"),
                Array(body, "features"), Array(body, "connectedSecurityServices"), Array(body, "customTags"));
            var reply = CamReply.Empty(201);
            reply.Headers["Location"] = Origin(call.Context.Request) + prefix + "/awsAccounts/" + account.Id;
            reply.Headers["ETag"] = account.ETag;
            return reply;
        }

        private static CamReply ListAccounts(CamCall call, EmulatorState state)
        {
            var request = call.Context.Request;
            var top = 25;
            var topText = request.Query["top"].ToString();
            if (topText.Length > 0 && !int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top))
            {
                throw CamError.BadRequest("InvalidParameter", "top must be a number.");
            }
            var offset = DecodeSkipToken(request.Query["skipToken"].ToString());
            var filter = request.Headers["TMV1-Filter"].ToString();
            var page = state.Cam.List(call.Key, filter.Length == 0 ? null : filter, top, offset);

            var body = new JsonObject
            {
                ["totalCount"] = page.TotalCount,
                ["count"] = page.Items.Count,
                ["items"] = new JsonArray(page.Items.Select(a => (JsonNode?)a.ToJson()).ToArray()),
            };
            if (page.NextOffset is int next)
            {
                body["nextLink"] = Origin(request) + request.PathBase + request.Path + "?top=" + top + "&skipToken=" + EncodeSkipToken(next);
            }
            return CamReply.Json(200, body);
        }

        private static CamReply GetAccount(CamCall call, EmulatorState state)
        {
            var account = state.Cam.Get(call.Key, call.Id!) ?? throw CamError.NotFound(call.Id!);
            var reply = CamReply.Json(200, account.ToJson());
            reply.Headers["ETag"] = account.ETag;
            return reply;
        }

        private static async Task<CamReply> UpdateAccount(CamCall call, EmulatorState state)
        {
            var ifMatch = call.Context.Request.Headers.IfMatch.ToString();
            var body = await RequireBody(call.Context);
            var patch = new CamAccountPatch
            {
                RoleArn = Str(body, "roleArn"),
                Name = Str(body, "name"),
                Description = Str(body, "description"),
                Features = Array(body, "features"),
                ConnectedSecurityServices = Array(body, "connectedSecurityServices"),
                CustomTags = Array(body, "customTags"),
            };
            var account = state.Cam.Update(call.Key, call.Id!, ifMatch.Length == 0 ? null : ifMatch, patch);
            var reply = CamReply.Empty(204);
            reply.Headers["ETag"] = account.ETag;
            return reply;
        }

        private static CamReply DeleteAccount(CamCall call, EmulatorState state) =>
            state.Cam.Delete(call.Key, call.Id!) ? CamReply.Empty(204) : throw CamError.NotFound(call.Id!);

        private static CamReply ListFeatures(EmulatorState state) => CamReply.Json(200, new JsonObject
        {
            ["items"] = new JsonArray(state.Cam.Features.Select(f => (JsonNode?)new JsonObject
            {
                ["id"] = f.Id,
                ["name"] = f.Name,
                ["description"] = f.Description,
            }).ToArray()),
        });

        private static async Task<CamReply> GenerateLinks(CamCall call, EmulatorState state)
        {
            // The manual procedure speaks of query parameters, the API reference of a body: accept both, body first.
            var body = await ReadBody(call.Context) ?? new JsonObject();
            var query = call.Context.Request.Query;
            string? FromEither(string name) => Str(body, name) ?? (query[name].Count > 0 ? query[name].ToString() : null);

            var request = state.Cam.CreateTemplate(call.Key, FromEither("awsRegion"), FromEither("templateAccountType"), FromEither("awsAccountName"));
            var templateUrl = new Uri(state.BaseUrl, CamTemplate.PresignedPath(request)).AbsoluteUri;
            return CamReply.Json(200, new JsonObject
            {
                ["templateUrl"] = templateUrl,
                ["visionOneOidcProviderUrl"] = "https://" + CamRoleCheck.IssuerHost(request.Region),
                ["createStackUrl"] = CamTemplate.CreateStackUrl(request, templateUrl),
            });
        }

        private static CamReply DownloadTemplate(CamCall call, EmulatorState state)
        {
            var token = call.Context.Request.RouteValues["token"] as string ?? "";
            var request = state.Cam.FindTemplate(token) ?? throw CamError.TemplateNotFound();
            if (call.Context.Request.Query["X-Amz-Signature"].ToString() != request.Signature) throw CamError.SignatureDoesNotMatch();
            return CamReply.Text(200, CamTemplate.Render(request), "application/x-yaml");
        }

        // ---- control ----

        private static async Task Control(HttpContext ctx, Func<Task> action)
        {
            try
            {
                await action();
                ctx.Response.StatusCode = 204;
            }
            catch (CamError error)
            {
                await CamReply.Error(error).WriteAsync(ctx);
            }
        }

        // ---- request helpers ----

        private static string Origin(HttpRequest request) => request.Scheme + "://" + request.Host;

        private static string EncodeSkipToken(int offset) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes("offset:" + offset.ToString(CultureInfo.InvariantCulture))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        private static int DecodeSkipToken(string token)
        {
            if (token.Length == 0) return 0;
            try
            {
                var base64 = token.Replace('-', '+').Replace('_', '/');
                base64 += new string('=', (4 - base64.Length % 4) % 4);
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
                if (text.StartsWith("offset:", StringComparison.Ordinal)
                    && int.TryParse(text.Substring(7), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                {
                    return offset;
                }
            }
            catch (FormatException)
            {
                // Falls through to the 400 below.
            }
            throw CamError.BadRequest("InvalidParameter", "skipToken is not valid; use the nextLink the previous page returned.");
        }

        private static async Task<JsonObject> RequireBody(HttpContext ctx) =>
            await ReadBody(ctx) ?? throw CamError.BadRequest("InvalidRequestBody", "A JSON object body is required.");

        /// <summary>Null for an empty body; 413 over 1 MB; 400 for anything but a JSON object.</summary>
        private static async Task<JsonObject?> ReadBody(HttpContext ctx)
        {
            if (ctx.Request.ContentLength > MaxBodyBytes) throw CamError.TooLarge();
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBodyBytes) throw CamError.TooLarge();
            }
            if (buffer.Length == 0) return null;
            try
            {
                return JsonNode.Parse(buffer.ToArray()) as JsonObject
                    ?? throw CamError.BadRequest("InvalidRequestBody", "The body must be a JSON object.");
            }
            catch (JsonException ex)
            {
                throw CamError.BadRequest("InvalidRequestBody", "The body is not valid JSON: " + ex.Message);
            }
        }

        private static string? Str(JsonObject body, string name)
        {
            var node = body[name];
            if (node == null) return null;
            if (node is JsonValue v && v.TryGetValue<string>(out var s)) return s;
            throw CamError.BadRequest("InvalidRequestBody", name + " must be a string.");
        }

        private static JsonArray? Array(JsonObject body, string name)
        {
            var node = body[name];
            if (node == null) return null;
            return node as JsonArray ?? throw CamError.BadRequest("InvalidRequestBody", name + " must be an array.");
        }

        private static bool? Bool(JsonObject body, string name)
        {
            var node = body[name];
            if (node == null) return null;
            if (node is JsonValue v && v.TryGetValue<bool>(out var b)) return b;
            throw CamError.BadRequest("InvalidRequestBody", name + " must be true or false.");
        }

        private static int? Int(JsonObject body, string name)
        {
            var node = body[name];
            if (node == null) return null;
            if (node is JsonValue v && v.TryGetValue<int>(out var i)) return i;
            throw CamError.BadRequest("InvalidRequestBody", name + " must be a whole number.");
        }

        // ---- the answer ----

        private sealed class CamReply
        {
            private CamReply(int status) { Status = status; }
            public int Status { get; }
            public string? ErrorCode { get; private set; }
            public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            private string? _body;
            private string _contentType = "application/json; charset=utf-8";

            public static CamReply Empty(int status) => new CamReply(status);
            public static CamReply Json(int status, JsonNode body) => new CamReply(status) { _body = body.ToJsonString() };
            public static CamReply Text(int status, string text, string contentType) => new CamReply(status) { _body = text, _contentType = contentType };

            public static CamReply Error(CamError error)
            {
                var reply = new CamReply(error.Status) { _body = error.ToBody().ToJsonString(), ErrorCode = error.Code };
                if (error.RetryAfterSeconds is int seconds) reply.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
                return reply;
            }

            public async Task WriteAsync(HttpContext ctx)
            {
                ctx.Response.StatusCode = Status;
                foreach (var header in Headers) ctx.Response.Headers[header.Key] = header.Value;
                if (_body != null)
                {
                    ctx.Response.ContentType = _contentType;
                    await ctx.Response.WriteAsync(_body, Encoding.UTF8);
                }
            }
        }
    }
}
