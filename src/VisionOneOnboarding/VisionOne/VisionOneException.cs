using System;

namespace VisionOneOnboarding.VisionOne
{
    /// <summary>
    /// A Vision One failure with a stable, namespaced <see cref="ErrorId"/> (e.g. "VisionOne.ApiKeyNotFound")
    /// that cmdlets use as the ErrorRecord's id. Messages never contain the API key.
    /// </summary>
    public class VisionOneException : Exception
    {
        public VisionOneException(string errorId, string message, Exception? inner = null) : base(message, inner)
        {
            ErrorId = errorId;
        }

        public string ErrorId { get; }
    }

    /// <summary>An error answered by the Vision One API (after retries, where it was retryable).</summary>
    public sealed class VisionOneApiException : VisionOneException
    {
        public VisionOneApiException(string method, string path, int statusCode, string? errorCode, string? errorMessage,
            string? innerErrorCode, string? traceId, TimeSpan? retryAfter)
            : base("VisionOne." + (errorCode ?? "Http" + statusCode),
                   Describe(method, path, statusCode, errorCode, errorMessage, innerErrorCode, traceId))
        {
            Method = method; Path = path; StatusCode = statusCode; ErrorCode = errorCode; ErrorMessage = errorMessage;
            InnerErrorCode = innerErrorCode; TraceId = traceId; RetryAfter = retryAfter;
        }

        public string Method { get; }
        /// <summary>Path and query of the failed request (no host, no secrets).</summary>
        public string Path { get; }
        public int StatusCode { get; }
        /// <summary>The body's error.code, when the answer had one.</summary>
        public string? ErrorCode { get; }
        public string? ErrorMessage { get; }
        /// <summary>The body's error.innererror.code.</summary>
        public string? InnerErrorCode { get; }
        /// <summary>The x-trace-id header: what Trend support asks for.</summary>
        public string? TraceId { get; }
        /// <summary>The wait the server asked for (Retry-After), if any.</summary>
        public TimeSpan? RetryAfter { get; }

        /// <summary>429 and 5xx are worth another try; other 4xx never are.</summary>
        public bool IsRetryable => StatusCode == 429 || StatusCode >= 500;

        private static string Describe(string method, string path, int status, string? code, string? message,
            string? innerCode, string? traceId)
        {
            var text = "Vision One " + method + " " + path + " failed with HTTP " + status;
            if (code != null) text += " " + code;
            if (!string.IsNullOrEmpty(message)) text += ": " + message!.TrimEnd('.') + ".";
            else text += ".";
            if (innerCode != null) text += " Inner error: " + innerCode + ".";
            var hint = HintFor(status);
            if (hint != null) text += " " + hint;
            if (traceId != null) text += " (x-trace-id: " + traceId + ")";
            return text;
        }

        private static string? HintFor(int status)
        {
            switch (status)
            {
                case 401: return "Check the API key, and that it belongs to the region whose host was called (keys are regional).";
                case 403: return "The API key's role needs full Cloud Accounts permissions (add, edit, delete).";
                case 429: return "The API's rate limit was exceeded; wait a minute and run again.";
                default: return null;
            }
        }
    }
}
