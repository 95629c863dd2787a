using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using VisionOneOnboarding.Emulator.Aws;
using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Emulator.Organizations
{
    /// <summary>
    /// <c>POST /</c> with <c>X-Amz-Target: AWSOrganizationsV20161128.&lt;Action&gt;</c> (AWS JSON 1.1): SigV4-verified for
    /// service "organizations", through the fault injector, into the call log. Errors as real Organizations sends them:
    /// HTTP 400 (500 for its own failures), <c>{"__type": code, "Message": …}</c> and the code in <c>X-Amzn-ErrorType</c>.
    /// </summary>
    public sealed class OrganizationsEndpoint
    {
        public const string TargetPrefix = "AWSOrganizationsV20161128.";
        public const string Service = "organizations";
        private const string JsonContentType = "application/x-amz-json-1.1";

        private readonly EmulatorState _state;
        private readonly SigV4Verifier _verifier;
        private readonly IReadOnlyDictionary<string, JsonAction> _actions;

        public OrganizationsEndpoint(EmulatorState state, SigV4Verifier verifier)
        {
            _state = state;
            _verifier = verifier;
            _actions = OrganizationsActions.Create(state.Organizations);
        }

        /// <summary>True for a call of the Organizations JSON API (the Query protocol shares the path).</summary>
        public static bool Handles(HttpRequest request) =>
            request.Headers["X-Amz-Target"].ToString().StartsWith(TargetPrefix, StringComparison.Ordinal);

        public async Task HandleAsync(HttpContext context)
        {
            var action = context.Request.Headers["X-Amz-Target"].ToString().Substring(TargetPrefix.Length);
            var record = new CallRecord { Service = Service, Action = action, Mutating = !IsReadOnly(action) };
            var requestId = Guid.NewGuid().ToString();
            int status = StatusCodes.Status200OK;
            string? errorType = null;
            JsonObject answer;
            try
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
                var body = buffer.ToArray();
                if (_state.Faults.Latency > TimeSpan.Zero) await Task.Delay(_state.Faults.Latency, context.RequestAborted).ConfigureAwait(false);
                var caller = _verifier.Verify(context.Request, body, Service);
                record.Account = caller.AccountId;
                if (!_actions.TryGetValue(action, out var handler))
                {
                    throw new AwsQueryException(400, "UnknownOperationException", "");
                }
                try
                {
                    _state.Iam.Authorize(caller, new[] { new RequiredAction("organizations:" + action, "*") });
                }
                catch (AwsQueryException denied) when (denied.Code == "AccessDenied")
                {
                    // Organizations (JSON 1.1) words the same refusal as AccessDeniedException.
                    throw new AwsQueryException(400, "AccessDeniedException", denied.Message);
                }
                var fault = _state.Faults.Decide(Service, action);
                if (fault != null)
                {
                    // Organizations says "slow down" as TooManyRequestsException, not Query's Throttling.
                    throw new AwsQueryException(fault.Status, fault.Code == "Throttling" ? "TooManyRequestsException" : fault.Code, fault.Message);
                }
                answer = handler(ParseRequest(body), caller);
                record.Success = true;
            }
            catch (AwsQueryException error)
            {
                status = error.Status;
                errorType = error.Code;
                answer = new JsonObject { ["__type"] = error.Code };
                if (error.Message.Length > 0) answer["Message"] = error.Message;
            }
            catch (Exception bug) when (bug is not OperationCanceledException)
            {
                status = StatusCodes.Status500InternalServerError;
                errorType = "ServiceException";
                answer = new JsonObject { ["__type"] = errorType, ["Message"] = bug.GetType().Name + ": " + bug.Message };
            }
            record.Status = status;
            record.ErrorCode = errorType;
            _state.Calls.Add(record);
            context.Response.StatusCode = status;
            context.Response.ContentType = JsonContentType;
            context.Response.Headers["x-amzn-RequestId"] = requestId;
            if (errorType != null) context.Response.Headers["X-Amzn-ErrorType"] = errorType + ":http://internal.amazon.com/coral/com.amazonaws.awsorganizationsv20161128/";
            await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        }

        private static bool IsReadOnly(string action) =>
            action.StartsWith("List", StringComparison.Ordinal) || action.StartsWith("Describe", StringComparison.Ordinal);

        private static JsonObject ParseRequest(byte[] body)
        {
            if (body.Length == 0) return new JsonObject();
            try
            {
                return JsonNode.Parse(Encoding.UTF8.GetString(body)) as JsonObject
                    ?? throw new AwsQueryException(400, "SerializationException", "Start of structure or map found where not expected.");
            }
            catch (JsonException)
            {
                throw new AwsQueryException(400, "SerializationException", "Unexpected character in the request body.");
            }
        }
    }
}
