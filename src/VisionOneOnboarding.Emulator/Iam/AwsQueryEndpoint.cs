using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VisionOneOnboarding.Emulator.Aws;
using VisionOneOnboarding.Emulator.Iam;
using VisionOneOnboarding.Emulator.Organizations;

namespace VisionOneOnboarding.Emulator
{
    /// <summary>
    /// <c>POST /</c> (or GET with a query string) in the AWS Query protocol: Version 2010-05-08 is IAM, 2011-06-15 is STS.
    /// Calls with an Organizations X-Amz-Target (JSON 1.1) share the path and go to <see cref="OrganizationsEndpoint"/>.
    /// Every call is SigV4-verified, passes the fault injector, and lands in the call log.
    /// </summary>
    public static class AwsQueryEndpoint
    {
        public static void Map(WebApplication app, EmulatorState state)
        {
            var verifier = new SigV4Verifier(state.Iam);
            var services = new Dictionary<string, IReadOnlyDictionary<string, QueryAction>>(StringComparer.Ordinal)
            {
                ["iam"] = IamActions.Create(state.Iam),
                ["sts"] = StsActions.Create(state.Iam),
            };
            var organizations = new OrganizationsEndpoint(state, verifier);
            app.MapMethods("/", new[] { HttpMethods.Get, HttpMethods.Post }, (HttpContext context) =>
                OrganizationsEndpoint.Handles(context.Request) ? organizations.HandleAsync(context) : HandleAsync(context, state, verifier, services));
        }

        private static async Task HandleAsync(HttpContext context, EmulatorState state, SigV4Verifier verifier,
            IReadOnlyDictionary<string, IReadOnlyDictionary<string, QueryAction>> services)
        {
            var body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
            var parameters = QueryParameters.Parse(context.Request.QueryString.Value,
                IsForm(context.Request) ? Encoding.UTF8.GetString(body) : null);
            var version = parameters.Get("Version");
            string? service = version == QueryXml.IamVersion ? "iam" : version == QueryXml.StsVersion ? "sts" : null;
            var action = parameters.Get("Action") ?? "";
            var record = new CallRecord
            {
                Service = service ?? "",
                Action = action,
                Mutating = !IsReadOnly(action),
            };
            var requestId = Guid.NewGuid().ToString();
            string xml;
            try
            {
                await state.Faults.DelayAsync(context.RequestAborted).ConfigureAwait(false);
                var caller = service == "sts" && StsActions.IsUnsigned(action)
                    ? Anonymous
                    : verifier.Verify(context.Request, body, service);
                record.Account = caller.AccountId;
                if (action.Length == 0)
                {
                    throw new AwsQueryException(400, "MissingAction", "Missing Action");
                }
                if (service == null || !services[service].TryGetValue(action, out var handler))
                {
                    throw new AwsQueryException(400, "InvalidAction", "Could not find operation " + action + " for version " + (version ?? "NO_VERSION_SPECIFIED"));
                }
                state.Iam.Authorize(caller, CallPermissions.Of(service, action, parameters, caller.AccountId));
                var fault = state.Faults.Decide(service, action);
                if (fault != null && fault.Mode == FaultMode.Before)
                {
                    throw new AwsQueryException(fault.Status, fault.Code, fault.Message);
                }
                var entities = EntityKeys(parameters);
                var lagging = state.Faults.Lagging(service, action, entities);
                if (lagging != null)
                {
                    throw new AwsQueryException(lagging.Status, lagging.Code, lagging.Message);
                }
                xml = QueryXml.Success(service, action, handler(parameters, caller), requestId);
                record.Status = StatusCodes.Status200OK;
                record.Success = true;
                state.Faults.NoteWrite(service, action, entities);
                if (fault != null)
                {
                    // Applied; now the answer is lost (a proxy's error) or the connection drops.
                    record.ErrorCode = fault.Mode == FaultMode.DropConnection ? "ConnectionDropped" : "ResponseLost";
                    state.Calls.Add(record);
                    if (fault.Mode == FaultMode.DropConnection)
                    {
                        context.Abort();
                        return;
                    }
                    xml = QueryXml.Error(service, new AwsQueryException(fault.Status, fault.Code, fault.Message), requestId);
                    context.Response.StatusCode = fault.Status;
                    context.Response.ContentType = "text/xml";
                    context.Response.Headers["x-amzn-RequestId"] = requestId;
                    await context.Response.WriteAsync(xml, context.RequestAborted).ConfigureAwait(false);
                    return;
                }
            }
            catch (AwsQueryException error)
            {
                xml = QueryXml.Error(service ?? "iam", error, requestId);
                record.Status = error.Status;
                record.ErrorCode = error.Code;
            }
            catch (Exception bug) when (bug is not OperationCanceledException)
            {
                // An emulator defect: answered as IAM's own internal error so clients and the call log both show it.
                var failure = new AwsQueryException(500, "ServiceFailure", bug.GetType().Name + ": " + bug.Message);
                xml = QueryXml.Error(service ?? "iam", failure, requestId);
                record.Status = failure.Status;
                record.ErrorCode = failure.Code;
            }
            state.Calls.Add(record);
            context.Response.StatusCode = record.Status;
            context.Response.ContentType = "text/xml";
            context.Response.Headers["x-amzn-RequestId"] = requestId;
            await context.Response.WriteAsync(xml, context.RequestAborted).ConfigureAwait(false);
        }

        /// <summary>The caller of an unsigned call: nobody, in no account.</summary>
        private static readonly CallerPrincipal Anonymous = new CallerPrincipal("", "", "", false);
        /// <summary>Reads, the policy simulator, and STS sessions: AssumeRole changes no resource (CloudTrail records it as read-only).</summary>
        private static bool IsReadOnly(string action) =>
            action.StartsWith("Get", StringComparison.Ordinal) || action.StartsWith("List", StringComparison.Ordinal) ||
            action.StartsWith("AssumeRole", StringComparison.Ordinal) || action.StartsWith("Simulate", StringComparison.Ordinal);

        /// <summary>The entities a call names (role:NAME, policy:NAME, provider:HOST), for read-after-write lag.</summary>
        private static List<string> EntityKeys(QueryParameters parameters)
        {
            var keys = new List<string>();
            string? Last(string? value, string separator) => value == null ? null : value.Substring(value.LastIndexOf(separator, StringComparison.Ordinal) + separator.Length);
            void Add(string kind, string? value) { if (!string.IsNullOrEmpty(value)) keys.Add(kind + ":" + value); }
            Add("role", parameters.Get("RoleName"));
            Add("policy", parameters.Get("PolicyName"));
            Add("policy", Last(parameters.Get("PolicyArn"), "/"));
            Add("provider", Last(parameters.Get("OpenIDConnectProviderArn"), "oidc-provider/"));
            Add("provider", Last(parameters.Get("Url"), "://"));
            return keys;
        }

        private static bool IsForm(HttpRequest request) =>
            request.ContentType != null && request.ContentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

        private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }
}
