namespace VisionOneOnboarding.Onboarding
{
    /// <summary>Something the template reader looked for outside the policies and could not resolve.</summary>
    public sealed class UnresolvedValue
    {
        public UnresolvedValue(string subject, string path, string intrinsic, string reason)
        {
            Subject = subject;
            Path = path;
            Intrinsic = intrinsic;
            Reason = reason;
        }

        /// <summary>What the value was for, e.g. <c>OidcProviderUrl</c>.</summary>
        public string Subject { get; }

        /// <summary>Where in the template, e.g. <c>Resources.VisionOneOIDCProvider.Properties.Url</c>.</summary>
        public string Path { get; }

        /// <summary>The intrinsic that could not be evaluated, e.g. <c>Fn::ImportValue IssuerUrl</c>.</summary>
        public string Intrinsic { get; }

        public string Reason { get; }

        public override string ToString() => Subject + ": " + Intrinsic + " at " + Path + " cannot be resolved: " + Reason;
    }
}
