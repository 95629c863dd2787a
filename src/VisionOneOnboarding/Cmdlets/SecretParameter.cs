using System.Security;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// A secret parameter (-SecretKey, -SessionToken, -ExternalId) given as a string or as a SecureString. Given as a
    /// SecureString it is not plain text in InvocationInfo.BoundParameters, transcripts or script-block logs; either
    /// way it shows itself as "***" and is read only when a request is signed.
    /// </summary>
    public sealed class SecretParameter
    {
        private readonly string? _plain;
        private readonly SecureString? _secure;

        /// <summary>From plain text (it was typed or read as such already).</summary>
        public SecretParameter(string value) { _plain = value; }

        /// <summary>From a SecureString (Read-Host -AsSecureString, a vault, ConvertTo-SecureString).</summary>
        public SecretParameter(SecureString value) { _secure = value; }

        /// <summary>The text, or null when empty.</summary>
        internal string? RevealOrNull()
        {
            var text = _secure != null ? V1ApiParameters.Reveal(_secure) : _plain;
            return string.IsNullOrEmpty(text) ? null : text;
        }

        internal static string? RevealOrNull(SecretParameter? secret) => secret?.RevealOrNull();

        public override string ToString() => "***";
    }
}
