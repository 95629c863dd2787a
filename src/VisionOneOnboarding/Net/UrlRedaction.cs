using System;
using System.Collections.Generic;
using System.Linq;

namespace VisionOneOnboarding.Net
{
    /// <summary>
    /// URLs that carry credentials in their query — pre-signed storage links (X-Amz-Signature, X-Amz-Security-Token,
    /// X-Amz-Credential), Azure SAS (sig), CloudFront (Signature) — are logged, stored and put in errors without the
    /// query: the query is the credential. The full URL is used only for the request itself.
    /// </summary>
    public static class UrlRedaction
    {
        private static readonly HashSet<string> CredentialParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "X-Amz-Signature", "X-Amz-Security-Token", "X-Amz-Credential", "AWSAccessKeyId", "Signature", "sig", "token",
            "access_token", "api_key", "apikey", "key-pair-id", "x-goog-signature", "x-goog-credential",
        };

        /// <summary>
        /// True when what follows the first '?' names a credential parameter — in the query, in the fragment, or in a
        /// URL encoded inside them (a console link embeds the pre-signed template URL, encoded, in its fragment).
        /// </summary>
        public static bool HasCredentials(string? urlOrPathAndQuery)
        {
            if (string.IsNullOrEmpty(urlOrPathAndQuery)) return false;
            int question = urlOrPathAndQuery!.IndexOf('?');
            if (question < 0) return false;
            var rest = urlOrPathAndQuery.Substring(question + 1);
            for (int depth = 0; depth < 3; depth++)
            {
                var names = rest.Split('&', '#', '?').Select(pair => pair.Split('=')[0]);
                if (names.Any(name => CredentialParameters.Contains(name))) return true;
                var decoded = Uri.UnescapeDataString(rest);
                if (decoded == rest) break;
                rest = decoded;
            }
            return false;
        }

        /// <summary>The URL (or path and query) as it may be shown: without its query when the query holds a credential.</summary>
        public static string? WithoutCredentials(string? urlOrPathAndQuery)
        {
            if (!HasCredentials(urlOrPathAndQuery)) return urlOrPathAndQuery;
            return urlOrPathAndQuery!.Substring(0, urlOrPathAndQuery.IndexOf('?'));
        }
    }
}
