using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using Amazon.Runtime.Internal.Auth;
using Amazon.Util;

namespace VisionOneOnboarding.Aws
{
    /// <summary>
    /// Signs an HttpRequestMessage with SigV4. We build the canonical request (so we control exactly which headers
    /// are signed: host, content-type, x-amz-date, x-amz-security-token, and x-amz-target of JSON calls) and AWSSDK.Core's AWS4Signer derives the
    /// key and computes the signature — no hand-rolled HMAC chain.
    /// </summary>
    public static class AwsSigV4Signer
    {
        private const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

        /// <summary>
        /// Adds X-Amz-Date, X-Amz-Security-Token (for temporary credentials) and Authorization to <paramref name="request"/>.
        /// <paramref name="payload"/> must be the exact body bytes sent; the Content-Type header, if any, must already be set.
        /// </summary>
        public static void Sign(HttpRequestMessage request, byte[] payload, AwsCredentialSet credentials, string region, string service, DateTime signedAtUtc)
        {
            if (request.RequestUri == null || !request.RequestUri.IsAbsoluteUri) throw new ArgumentException("The request needs an absolute URI.", nameof(request));
            signedAtUtc = signedAtUtc.ToUniversalTime();
            var amzDate = signedAtUtc.ToString(DateFormat, CultureInfo.InvariantCulture);

            request.Headers.Remove("X-Amz-Date");
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            request.Headers.Remove("X-Amz-Security-Token");
            if (!string.IsNullOrEmpty(credentials.SessionToken))
                request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.SessionToken);

            var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["host"] = request.RequestUri.Authority,
                ["x-amz-date"] = amzDate,
            };
            var contentType = request.Content?.Headers.TryGetValues("Content-Type", out var values) == true ? string.Join(",", values) : null;
            if (contentType != null) headers["content-type"] = contentType;
            if (request.Headers.TryGetValues("X-Amz-Target", out var target)) headers["x-amz-target"] = string.Join(",", target);
            if (!string.IsNullOrEmpty(credentials.SessionToken)) headers["x-amz-security-token"] = credentials.SessionToken!;

            var signedHeaders = string.Join(";", headers.Keys);
            var canonicalRequest = BuildCanonicalRequest(request.Method.Method, request.RequestUri, headers, HexSha256(payload));
            var result = AWS4Signer.ComputeSignature(credentials.AccessKeyId, credentials.SecretAccessKey, region, signedAtUtc, service, signedHeaders, canonicalRequest);

            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
        }

        /// <summary>The SigV4 canonical request: method, path, sorted query, canonical headers, signed header list, payload hash.</summary>
        public static string BuildCanonicalRequest(string method, Uri uri, IDictionary<string, string> headers, string payloadSha256Hex)
        {
            var sortedHeaders = headers
                .Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), CollapseSpaces(h.Value)))
                .OrderBy(h => h.Key, StringComparer.Ordinal)
                .ToList();
            var sb = new StringBuilder();
            sb.Append(method.ToUpperInvariant()).Append('\n');
            sb.Append(CanonicalPath(uri)).Append('\n');
            sb.Append(CanonicalQuery(uri)).Append('\n');
            foreach (var h in sortedHeaders) sb.Append(h.Key).Append(':').Append(h.Value).Append('\n');
            sb.Append('\n');
            sb.Append(string.Join(";", sortedHeaders.Select(h => h.Key))).Append('\n');
            sb.Append(payloadSha256Hex);
            return sb.ToString();
        }

        public static string HexSha256(byte[] payload) => AWSSDKUtils.ToHex(AWS4Signer.ComputeHash(payload), true);

        // Non-S3 services expect each path segment encoded twice; Uri.AbsolutePath is already encoded once.
        private static string CanonicalPath(Uri uri)
        {
            var path = uri.AbsolutePath;
            if (path.Length == 0) return "/";
            return string.Join("/", path.Split('/').Select(segment => AWSSDKUtils.UrlEncode(segment, false)));
        }

        private static string CanonicalQuery(Uri uri)
        {
            var query = uri.Query.TrimStart('?');
            if (query.Length == 0) return "";
            return string.Join("&", query.Split('&')
                .Where(pair => pair.Length > 0)
                .Select(pair =>
                {
                    var eq = pair.IndexOf('=');
                    var key = Uri.UnescapeDataString(eq < 0 ? pair : pair.Substring(0, eq));
                    var value = eq < 0 ? "" : Uri.UnescapeDataString(pair.Substring(eq + 1));
                    return new KeyValuePair<string, string>(AWSSDKUtils.UrlEncode(key, false), AWSSDKUtils.UrlEncode(value, false));
                })
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .ThenBy(p => p.Value, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + p.Value));
        }

        private static string CollapseSpaces(string value)
        {
            var trimmed = value.Trim();
            var sb = new StringBuilder(trimmed.Length);
            bool previousSpace = false;
            foreach (var c in trimmed)
            {
                if (c == ' ') { if (!previousSpace) sb.Append(c); previousSpace = true; }
                else { sb.Append(c); previousSpace = false; }
            }
            return sb.ToString();
        }
    }
}
