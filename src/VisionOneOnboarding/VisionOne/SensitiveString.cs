using System;

namespace VisionOneOnboarding.VisionOne
{
    /// <summary>
    /// A secret (the Vision One API key) that only shows itself to the HTTP layer. Built from a function so a cmdlet
    /// can convert its SecureString at the last moment, per request. ToString is "***", so the secret cannot leak
    /// through formatting, logs or string concatenation.
    /// </summary>
    public sealed class SensitiveString
    {
        private readonly Func<string> _reveal;

        public SensitiveString(Func<string> reveal)
        {
            _reveal = reveal ?? throw new ArgumentNullException(nameof(reveal));
        }

        public static SensitiveString FromPlainText(string value)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            return new SensitiveString(() => value);
        }

        /// <summary>Internal on purpose: PowerShell users see public members, and the key must stay out of reach.</summary>
        internal string Reveal() => _reveal();

        public override string ToString() => "***";
    }
}
