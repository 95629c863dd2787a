using System;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.VisionOne
{
    /// <summary>
    /// An error answered by the Vision One API (after retries, where it was retryable), wrapped where it is read:
    /// VisionOne.&lt;error.code&gt; (VisionOne.Http&lt;status&gt; without a code), with status, code and trace id.
    /// </summary>
    public sealed class VisionOneApiException : VisionOneException
    {
        public VisionOneApiException(string method, string path, int statusCode, string? errorCode, string? errorMessage,
            string? innerErrorCode, string? traceId, TimeSpan? retryAfter)
            : base(ErrorCatalogue.ForApiAnswer(statusCode, errorCode),
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
            if (traceId != null) text += " (x-trace-id: " + traceId + ")";
            return text;
        }
    }
}
