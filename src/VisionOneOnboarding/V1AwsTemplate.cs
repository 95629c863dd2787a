using System.Collections.Generic;

namespace VisionOneOnboarding
{
    /// <summary>
    /// A Vision One CloudFormation template, read: where it came from, the OIDC issuer, the three policy documents
    /// and the template's parameters. Get-V1AwsTemplate emits it; it pipes into New-V1OidcProvider, whose output
    /// carries the template on to New-V1Policies.
    /// </summary>
    public sealed class V1AwsTemplate
    {
        public string? TemplateUrl
        {
            get => _templateUrl;
            // A pre-signed link's query is a credential: it is never kept where output, files and logs can show it.
            set => _templateUrl = Net.UrlRedaction.WithoutCredentials(value);
        }
        private string? _templateUrl;
        /// <summary>The local file the template was read from, when it was.</summary>
        public string? Path { get; set; }
        public string? OidcProviderUrl { get; set; }
        public string? CreateStackUrl { get; set; }
        public string? V1Region { get; set; }
        public string? AwsRegion { get; set; }
        public string? ApiBaseUrl { get; set; }
        /// <summary>Policy name → JSON document. Empty when the documents name the AWS account and no -AccountId was given.</summary>
        public Dictionary<string, string> Policies { get; set; } = new Dictionary<string, string>();
        /// <summary>Parameter name → default value.</summary>
        public Dictionary<string, string?> Parameters { get; set; } = new Dictionary<string, string?>();

        internal string? TemplateText { get; set; }
    }
}
