using System;
using System.Text.Json.Nodes;

namespace VisionOneOnboarding.Emulator.VisionOne
{
    /// <summary>
    /// A Cloud Accounts error answer. Every status/code pair the emulator uses is made here, in one place,
    /// so the choices the public documentation leaves open (e.g. duplicate name: 409) are made once.
    /// </summary>
    public sealed class CamError : Exception
    {
        public CamError(int status, string code, string message, string? innerCode = null, int? retryAfterSeconds = null) : base(message)
        {
            Status = status; Code = code; InnerCode = innerCode; RetryAfterSeconds = retryAfterSeconds;
        }

        public int Status { get; }
        public string Code { get; }
        public string? InnerCode { get; }
        public int? RetryAfterSeconds { get; }

        /// <summary>{"error": {"code", "message", "innererror": {"code", "service"}}} as the API documents it.</summary>
        public JsonObject ToBody() => Body(Code, Message, InnerCode ?? Code);

        public static JsonObject Body(string code, string message, string innerCode) => new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innererror"] = new JsonObject { ["code"] = innerCode, ["service"] = "cam" },
            },
        };

        public static CamError InvalidCredentials() =>
            new CamError(401, "InvalidCredentials", "Invalid credentials: the API key is missing, malformed, unknown or for another region.", "InvalidToken");
        public static CamError AccessDenied() =>
            new CamError(403, "AccessDenied", "The API key's role does not have permission to change Cloud Accounts.", "InsufficientPermissions");
        public static CamError NotFound(string id) =>
            new CamError(404, "NotFound", "AWS account '" + id + "' is not connected to Cloud Accounts.");
        public static CamError TemplateNotFound() =>
            new CamError(404, "NotFound", "No such template (the link may have been generated before a reset).");
        public static CamError SignatureDoesNotMatch() =>
            new CamError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided (the template link is pre-signed: use it whole).");
        public static CamError BadRequest(string code, string message) => new CamError(400, code, message);
        /// <summary>What Cloud Accounts answers while it cannot assume the role yet (IAM has not propagated it): nothing is created.</summary>
        public static CamError UnableToAssumeRole(string roleArn) =>
            new CamError(400, "BadRequest", "Unable to assume role " + roleArn + ". Check that the role exists and trusts the Vision One OIDC provider, then try again.");
        public static CamError DuplicateName(string name) =>
            new CamError(409, "DuplicateAccountName", "The name '" + name + "' is already used by another connected account; names must be unique in Cloud Accounts.");
        public static CamError AlreadyConnected(string id) =>
            new CamError(409, "AccountAlreadyConnected", "AWS account " + id + " is already connected to Cloud Accounts.");
        public static CamError PreconditionRequired() =>
            new CamError(428, "PreconditionRequired", "An If-Match header with the account's ETag is required.");
        public static CamError PreconditionFailed() =>
            new CamError(412, "PreconditionFailed", "If-Match does not match the account's current ETag; read it again and retry.");
        public static CamError TooLarge() =>
            new CamError(413, "RequestEntityTooLarge", "The request body is over 1 MB.");
        public static CamError TooManyRequests(int retryAfterSeconds) =>
            new CamError(429, "TooManyRequests", "Too many requests; the rate limit is counted over 60-second windows.", null, retryAfterSeconds);
    }
}
