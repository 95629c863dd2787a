using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// The AWS parameters every AWS-facing cmdlet takes, spelled and resolved as AWS.Tools does:
    /// explicit keys, -ProfileName, $StoredAWSCredentials, environment, default profile, container/instance.
    /// </summary>
    public abstract class AwsCmdletBase : V1CmdletBase
    {
        /// <summary>The AWS access key id. Use with -SecretKey (and -SessionToken for temporary credentials).</summary>
        [Parameter]
        [Alias("AK")]
        public string? AccessKey { get; set; }

        /// <summary>The AWS secret access key that goes with -AccessKey, as a string or a SecureString (a SecureString keeps it out of transcripts and script-block logs). Never written to any output.</summary>
        [Parameter]
        [Alias("SK")]
        public SecretParameter? SecretKey { get; set; }

        /// <summary>The session token of temporary credentials, as a string or a SecureString.</summary>
        [Parameter]
        [Alias("ST")]
        public SecretParameter? SessionToken { get; set; }

        /// <summary>
        /// An AWSCredentials object to act with: this module's, or one from AWS.Tools (Get-AWSCredential, New-AWSCredential),
        /// whose copy of AWSSDK.Core lives apart from ours — it is asked for keys through its GetCredentials() each time,
        /// so refreshing credentials keep refreshing. A PSCredential (Get-Credential) is an access key: its user name the
        /// access key id, its password the secret access key.
        /// </summary>
        [Parameter]
        public object? Credential { get; set; }

        /// <summary>The name of an AWS credentials profile (shared credentials/config file). A missing profile is an error.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("StoredCredentials", "AWSProfileName")]
        [ArgumentCompleter(typeof(AwsProfileCompleter))]
        public string? ProfileName { get; set; }

        /// <summary>The shared credentials file to read profiles from, instead of ~/.aws/credentials.</summary>
        [Parameter]
        [Alias("AWSProfilesLocation", "ProfilesLocation")]
        public string? ProfileLocation { get; set; }

        /// <summary>The AWS region for STS calls and the default deployment region (e.g. us-east-1). IAM is global per partition.</summary>
        [Parameter]
        [Alias("RegionToCall")]
        [ArgumentCompleter(typeof(AwsRegionCompleter))]
        public string? Region { get; set; }

        /// <summary>Send IAM and STS calls to this endpoint instead of AWS (e.g. the bundled emulator). http is allowed for loopback addresses only. Never taken from piped objects: the signed requests go where this points.</summary>
        // Deliberately not ValueFromPipelineByPropertyName: a column of a piped CSV must never decide where signed calls go.
        [Parameter]
        public string? EndpointUrl { get; set; }

        /// <summary>Resolves credentials, asks STS who they are, and returns the account to work in.</summary>
        /// <param name="log">Where the resolution and the clients narrate.</param>
        /// <param name="ct">Cancels the STS call.</param>
        /// <param name="retry">Null: the default policy (a many-account run passes one paced by its shared throttle).</param>
        internal async Task<AwsAccountContext> ConnectAwsAsync(ILogSink log, CancellationToken ct, RetryPolicy? retry = null)
        {
            var settings = new AwsClientSettings { Credentials = CredentialRequest(log), EndpointUrl = NullIfEmpty(EndpointUrl), Retry = retry };
            return await AwsAccountContext.CreateAsync(settings, log, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Signs in (STS) while the Vision One template is fetched: neither needs the other, and the template does not
        /// depend on the account, so its fetch is started first and handed on still running (the account's reads go
        /// out beside its download). Its region is the one asked for, else the credentials' region (resolved locally).
        /// A template file's text (<paramref name="templateText"/>) is used as it is. Credentials that cannot be
        /// resolved fail before any Vision One call; an STS failure wins over a template failure.
        /// </summary>
        internal async Task<(AwsAccountContext Context, Task<FetchedTemplate> Template)> ConnectAwsBesideTemplateAsync(ILogSink log, CamClient cam,
            string? deploymentRegion, string? templateText, string? templateFile, CancellationToken ct)
        {
            var signingIn = ConnectAwsAsync(log, ct);
            if (templateText != null) return (await signingIn.ConfigureAwait(false), Task.FromResult(FetchedTemplate.Given(templateText, templateFile)));
            if (signingIn.IsFaulted) await signingIn.ConfigureAwait(false);
            var region = InputRules.AwsRegion(deploymentRegion ?? AwsCredentialResolver.ResolveRegion(CredentialRequest(log), NullLogSink.Instance));
            var fetching = FetchedTemplate.FetchAsync(cam, region, ct);
            try
            {
                return (await signingIn.ConfigureAwait(false), fetching);
            }
            catch
            {
                // Nobody will wait for the template now: observe its outcome so a failure of it is not left unobserved.
                _ = fetching.ContinueWith(t => t.Exception, TaskScheduler.Default);
                throw;
            }
        }

        private AwsCredentialRequest CredentialRequest(ILogSink log)
        {
            var credential = Credential is PSObject wrapped ? wrapped.BaseObject : Credential;
            return new AwsCredentialRequest
            {
                AccessKey = credential is PSCredential keyPair ? NullIfEmpty(keyPair.UserName) : NullIfEmpty(AccessKey),
                SecretKey = credential is PSCredential pair ? NullIfEmpty(V1ApiParameters.Reveal(pair.Password)) : SecretParameter.RevealOrNull(SecretKey),
                SessionToken = SecretParameter.RevealOrNull(SessionToken),
                ProfileName = NullIfEmpty(ProfileName),
                ProfileLocation = NullIfEmpty(ProfileLocation),
                Region = NullIfEmpty(Region),
                Credential = credential is PSCredential ? null : Credential,
                StoredCredentials = _storedCredentials,
                StoredRegion = _storedRegion,
                MfaPrompt = log is PipelineBridge bridge ? bridge.AskForMfaCode : null,
            };
        }

        private object? _storedCredentials;
        private string? _storedRegion;

        protected override void BeginProcessing()
        {
            // Session defaults set by AWS.Tools' Set-AWSCredential / Set-DefaultAWSRegion, read on the pipeline thread.
            _storedCredentials = SessionState.PSVariable.GetValue("StoredAWSCredentials");
            var region = SessionState.PSVariable.GetValue("StoredAWSRegion");
            _storedRegion = region?.ToString();
        }

        internal static AccountScope ScopeOf(AwsAccountContext context) =>
            new AccountScope(context.AccountId, context.Partition, context.Iam, context.Region);

        /// <summary>The state to continue from: the piped one (copied), or a fresh one.</summary>
        internal AwsOnboardingState ContinueFrom(object? input)
        {
            var state = StateFrom(input);
            if (!string.IsNullOrEmpty(EndpointUrl)) state.EndpointUrl = EndpointUrl;
            if (!string.IsNullOrEmpty(ProfileName)) state.ProfileName = ProfileName;
            return state;
        }

        /// <summary>A piped state that speaks of another account than the credentials is a mistake worth stopping.</summary>
        internal static void RequireSameAccount(AwsOnboardingState state, AwsAccountContext context)
        {
            if (!string.IsNullOrEmpty(state.AccountId) && state.AccountId != context.AccountId)
                throw new VisionOneException(ErrorCatalogue.AccountMismatch,
                    $"The input describes account {state.AccountId}, but the credentials act in account {context.AccountId}. Use credentials for account {state.AccountId}.", state.AccountId);
        }

        internal static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }
}
