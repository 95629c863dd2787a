using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Amazon.Runtime.CredentialManagement;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>Tab completion for -V1Region: the Vision One region codes.</summary>
    public sealed class V1RegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            V1Regions.Codes
                .Where(c => c.StartsWith(wordToComplete ?? "", System.StringComparison.OrdinalIgnoreCase))
                .Select(c => new CompletionResult(c, c, CompletionResultType.ParameterValue, c + " (" + V1Regions.Get(c).ApiBaseUrl.Host + ")"));
    }

    /// <summary>Tab completion for -ProfileName: profiles AWSSDK.Core finds in the shared files.</summary>
    public sealed class AwsProfileCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var location = fakeBoundParameters?["ProfileLocation"] as string;
            List<CredentialProfile> profiles;
            try { profiles = new CredentialProfileStoreChain(location).ListProfiles(); }
            catch { return Enumerable.Empty<CompletionResult>(); }   // completion must never throw at the prompt
            return profiles.Select(p => p.Name).Distinct()
                .Where(n => n.StartsWith(wordToComplete ?? "", System.StringComparison.OrdinalIgnoreCase))
                .OrderBy(n => n)
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
        }
    }

    /// <summary>Tab completion for -AwsDeploymentRegion and -AwsRegion.</summary>
    public sealed class AwsRegionCompleter : IArgumentCompleter
    {
        private static readonly string[] Regions =
        {
            "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1", "ap-south-2",
            "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
            "ap-southeast-4", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2",
            "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1",
            "sa-east-1", "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1",
        };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Regions.Where(r => r.StartsWith(wordToComplete ?? "", System.StringComparison.OrdinalIgnoreCase))
                .Select(r => new CompletionResult(r, r, CompletionResultType.ParameterValue, r));
    }
}
