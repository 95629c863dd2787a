using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime.Internal.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Emulator.Aws
{
    /// <summary>
    /// Checks the AWS Signature Version 4 of a request against the credentials the emulator issued:
    /// rebuilds the canonical request from what actually arrived and lets AWSSDK.Core compute the signature.
    /// </summary>
    public sealed class SigV4Verifier
    {
        private const string Algorithm = "AWS4-HMAC-SHA256";
        private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";
        private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);
        /// <summary>IAM is global: it accepts only its partitions' signing regions.</summary>
        private static readonly HashSet<string> IamSigningRegions = new HashSet<string>(StringComparer.Ordinal) { "us-east-1", "cn-north-1", "us-gov-west-1" };
        /// <summary>Organizations is global too, hosted in us-east-1, cn-northwest-1 and us-gov-west-1.</summary>
        private static readonly HashSet<string> OrganizationsSigningRegions = new HashSet<string>(StringComparer.Ordinal) { "us-east-1", "cn-northwest-1", "us-gov-west-1" };

        private readonly IamStore _store;

        public SigV4Verifier(IamStore store) { _store = store; }

        /// <summary>Returns who signed the request, or throws the 403 answer AWS would give.</summary>
        /// <param name="expectedService">"iam" or "sts" when the call's Version is known; null skips the scope check.</param>
        public CallerPrincipal Verify(HttpRequest request, byte[] body, string? expectedService)
        {
            string authorization = request.Headers.Authorization.ToString();
            if (authorization.Length == 0)
            {
                throw new AwsQueryException(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
            }
            var auth = AuthorizationHeader.Parse(authorization);
            var signedAt = ReadSigningDate(request);
            CheckScope(auth, signedAt, expectedService);

            var credential = _store.FindCredential(auth.AccessKeyId)
                ?? throw InvalidToken();
            string? token = request.Headers["X-Amz-Security-Token"].FirstOrDefault();
            if (!string.Equals(token, credential.SessionToken, StringComparison.Ordinal)) throw InvalidToken();
            if (credential.Expiration.HasValue && credential.Expiration.Value <= _store.Now)
            {
                throw new AwsQueryException(403, "ExpiredToken", "The security token included in the request is expired");
            }

            var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
            string? declaredHash = request.Headers["X-Amz-Content-SHA256"].FirstOrDefault();
            if (declaredHash != null && !string.Equals(declaredHash, bodyHash, StringComparison.OrdinalIgnoreCase))
            {
                // IAM does not accept UNSIGNED-PAYLOAD, and a declared hash must be the body's.
                throw SignatureMismatch("The provided 'x-amz-content-sha256' header does not match what was computed.");
            }
            var canonicalRequest = CanonicalRequest(request, auth.SignedHeaders, bodyHash);
            var expected = AWS4Signer.ComputeSignature(auth.AccessKeyId, credential.SecretAccessKey, auth.Region, signedAt,
                auth.Service, string.Join(";", auth.SignedHeaders), canonicalRequest).Signature;
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(auth.Signature.ToLowerInvariant())))
            {
                throw SignatureMismatch("The request signature we calculated does not match the signature you provided. " +
                    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
            }
            return credential.Principal;
        }

        /// <summary>The SigV4 canonical request of what arrived on the wire (method, path, query, signed headers, payload hash).</summary>
        internal static string CanonicalRequest(HttpRequest request, IReadOnlyList<string> signedHeaders, string payloadHash)
        {
            var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
            var rawPath = string.IsNullOrEmpty(rawTarget) ? request.Path.ToString() : rawTarget.Split('?')[0];
            var sb = new StringBuilder();
            sb.Append(request.Method.ToUpperInvariant()).Append('\n');
            sb.Append(CanonicalPath(rawPath)).Append('\n');
            sb.Append(CanonicalQuery(request.QueryString.Value)).Append('\n');
            foreach (var name in signedHeaders)
            {
                var values = request.Headers[name].Select(v => CollapseSpaces((v ?? "").Trim()));
                sb.Append(name).Append(':').Append(string.Join(",", values)).Append('\n');
            }
            sb.Append('\n').Append(string.Join(";", signedHeaders)).Append('\n');
            sb.Append(payloadHash);
            return sb.ToString();
        }

        private static string CanonicalPath(string rawPath)
        {
            if (rawPath.Length == 0) return "/";
            // Non-S3 services encode the path as sent once more, segment by segment.
            return string.Join("/", rawPath.Split('/').Select(Uri.EscapeDataString));
        }

        private static string CanonicalQuery(string? queryString)
        {
            if (string.IsNullOrEmpty(queryString) || queryString == "?") return "";
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var part in queryString.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = part.IndexOf('=');
                var key = eq < 0 ? part : part.Substring(0, eq);
                var value = eq < 0 ? "" : part.Substring(eq + 1);
                pairs.Add(new KeyValuePair<string, string>(
                    Uri.EscapeDataString(Uri.UnescapeDataString(key)), Uri.EscapeDataString(Uri.UnescapeDataString(value))));
            }
            return string.Join("&", pairs
                .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + p.Value));
        }

        private static string CollapseSpaces(string value)
        {
            var sb = new StringBuilder(value.Length);
            foreach (var c in value)
            {
                if (c == ' ' && sb.Length > 0 && sb[sb.Length - 1] == ' ') continue;
                sb.Append(c);
            }
            return sb.ToString();
        }

        private static DateTime ReadSigningDate(HttpRequest request)
        {
            string? amzDate = request.Headers["X-Amz-Date"].FirstOrDefault();
            if (amzDate != null)
            {
                if (DateTime.TryParseExact(amzDate, AmzDateFormat, CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return parsed;
                }
                throw Incomplete("Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'. See http://en.wikipedia.org/wiki/ISO_8601");
            }
            string? date = request.Headers.Date.FirstOrDefault();
            if (date != null && DateTime.TryParseExact(date, "r", CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var httpDate))
            {
                return httpDate;
            }
            throw Incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        private void CheckScope(AuthorizationHeader auth, DateTime signedAt, string? expectedService)
        {
            var now = _store.Now;
            string signed = signedAt.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
            if (signedAt < now - AllowedSkew)
            {
                throw SignatureMismatch("Signature expired: " + signed + " is now earlier than " +
                    (now - AllowedSkew).ToString(AmzDateFormat, CultureInfo.InvariantCulture) + " (" +
                    now.ToString(AmzDateFormat, CultureInfo.InvariantCulture) + " - 15 min.)");
            }
            if (signedAt > now + AllowedSkew)
            {
                throw SignatureMismatch("Signature not yet current: " + signed + " is still later than " +
                    (now + AllowedSkew).ToString(AmzDateFormat, CultureInfo.InvariantCulture) + " (" +
                    now.ToString(AmzDateFormat, CultureInfo.InvariantCulture) + " + 15 min.)");
            }
            string day = signedAt.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            if (auth.Date != day)
            {
                throw SignatureMismatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
                    auth.Date + "' != '" + day + "', from '" + signed + "'.");
            }
            if (expectedService != null && auth.Service != expectedService)
            {
                throw SignatureMismatch("Credential should be scoped to correct service: '" + expectedService + "'. ");
            }
            if ((auth.Service == "iam" && !IamSigningRegions.Contains(auth.Region)) ||
                (auth.Service == "organizations" && !OrganizationsSigningRegions.Contains(auth.Region)))
            {
                throw SignatureMismatch("Credential should be scoped to a valid region. ");
            }
        }

        private static AwsQueryException InvalidToken() =>
            new AwsQueryException(403, "InvalidClientTokenId", "The security token included in the request is invalid.");

        private static AwsQueryException SignatureMismatch(string message) =>
            new AwsQueryException(403, "SignatureDoesNotMatch", message);

        private static AwsQueryException Incomplete(string message) =>
            new AwsQueryException(403, "IncompleteSignature", message);

        /// <summary>The parts of <c>AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex</c>.</summary>
        private sealed class AuthorizationHeader
        {
            public string AccessKeyId = "";
            public string Date = "";
            public string Region = "";
            public string Service = "";
            public IReadOnlyList<string> SignedHeaders = Array.Empty<string>();
            public string Signature = "";

            public static AuthorizationHeader Parse(string header)
            {
                int space = header.IndexOf(' ');
                string algorithm = space < 0 ? header : header.Substring(0, space);
                if (algorithm != Algorithm)
                {
                    throw Incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'");
                }
                var fields = header.Substring(space + 1).Split(',')
                    .Select(f => f.Trim())
                    .Select(f => f.Split('=', 2))
                    .Where(kv => kv.Length == 2)
                    .GroupBy(kv => kv[0], StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
                var missing = new[] { "Credential", "SignedHeaders", "Signature" }.Where(f => !fields.ContainsKey(f)).ToList();
                if (missing.Count > 0)
                {
                    throw Incomplete(string.Join(" ", missing.Select(m => "Authorization header requires '" + m + "' parameter.")) +
                        " Authorization=" + algorithm);
                }
                var scope = fields["Credential"].Split('/');
                if (scope.Length != 5 || scope[4] != "aws4_request")
                {
                    throw Incomplete("Credential should be scoped to a valid region, service and terminated by 'aws4_request'.");
                }
                var signedHeaders = fields["SignedHeaders"].Split(';').ToList();
                if (!signedHeaders.Contains("host"))
                {
                    throw Incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
                }
                return new AuthorizationHeader
                {
                    AccessKeyId = scope[0], Date = scope[1], Region = scope[2], Service = scope[3],
                    SignedHeaders = signedHeaders, Signature = fields["Signature"],
                };
            }
        }
    }
}
