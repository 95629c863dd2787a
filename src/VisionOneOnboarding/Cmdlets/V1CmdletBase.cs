using System;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// What every cmdlet of the module shares: Ctrl+C cancels in-flight calls, engine work runs through
    /// <see cref="PipelineBridge"/>, and failures become ErrorRecords with their catalogue id, category and next step.
    /// </summary>
    public abstract class V1CmdletBase : PSCmdlet
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>UTF-8 that refuses bytes it cannot decode, instead of turning them into U+FFFD unseen.</summary>
        private static readonly System.Text.Encoding StrictUtf8 = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        protected CancellationToken StopToken => _stopping.Token;

        protected override void StopProcessing() => _stopping.Cancel();

        protected override void EndProcessing() => _stopping.Dispose();

        /// <summary>Runs engine work; its narration and ShouldProcess questions reach this pipeline.</summary>
        /// <param name="work">The engine call; it gets the bridge as its log and change gate.</param>
        /// <param name="skipConfirmation">-Force: high-impact changes are not confirmed (-WhatIf still holds).</param>
        internal T RunEngine<T>(Func<PipelineBridge, Task<T>> work, bool skipConfirmation = false)
        {
            using var bridge = new PipelineBridge(this, skipConfirmation);
            return bridge.Run(() => work(bridge));
        }

        /// <summary>A single-step cmdlet: the same engine as the whole procedure, its plan narrowed to the one step.</summary>
        internal async Task<OnboardingOutcome> ApplyStepAsync(AccountOnboarding account, DesiredOnboarding desired) =>
            await account.ApplyAsync(await account.PlanAsync(desired, StopToken).ConfigureAwait(false), StopToken).ConfigureAwait(false);

        /// <summary>
        /// The state to continue from: a piped state (copied, so objects already written do not change), a piped
        /// template (its issuer and text carried on), or a fresh state.
        /// </summary>
        internal static AwsOnboardingState StateFrom(object? input)
        {
            var value = input is PSObject ps ? ps.BaseObject : input;
            switch (value)
            {
                case AwsOnboardingState state:
                    return state.Clone();
                case V1AwsTemplate template:
                    return new AwsOnboardingState
                    {
                        OidcProviderUrl = template.OidcProviderUrl,
                        V1Region = template.V1Region,
                        TemplateUrl = template.TemplateUrl ?? template.Path,
                        TemplateText = template.TemplateText,
                        ApiBaseUrl = template.ApiBaseUrl,
                    };
                default:
                    return new AwsOnboardingState();
            }
        }

        /// <summary>Reads a template file the user named (a PowerShell path); a clear error when it is not there.</summary>
        internal string ReadTemplateFile(string path, out string fullPath)
        {
            fullPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            if (!System.IO.File.Exists(fullPath))
                throw new VisionOneException(ErrorCatalogue.TemplateNotFound,
                    $"The template file '{fullPath}' does not exist. Download it from Vision One (Cloud Accounts > AWS > Add account) or with Get-V1AwsTemplate, then pass its path — or leave the path out to use the Vision One API.", fullPath);
            try
            {
                // Read through a stream that stops at the cap: a FIFO, /dev/zero or a /proc file reports length 0 and
                // would otherwise be read without bound.
                using (var stream = new System.IO.FileStream(fullPath, System.IO.FileMode.Open, System.IO.FileAccess.Read, System.IO.FileShare.ReadWrite))
                using (var collected = new System.IO.MemoryStream())
                {
                    var buffer = new byte[81920];
                    int read;
                    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        if (collected.Length + read > TemplateLimits.MaxBytes) throw TemplateLimits.TooLarge("The template file '" + fullPath + "'");
                        collected.Write(buffer, 0, read);
                    }
                    var bytes = collected.ToArray();
                    var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
                    return StrictUtf8.GetString(bytes, bom, bytes.Length - bom);
                }
            }
            catch (System.Text.DecoderFallbackException ex)
            {
                throw new VisionOneException(ErrorCatalogue.TemplateMalformed, $"The template file '{fullPath}' is not UTF-8 text, as CloudFormation templates are.", fullPath, ex);
            }
        }

        /// <summary>
        /// Runs <paramref name="body"/>. A failure of one input becomes a non-terminating error record (the pipeline goes
        /// on with the next input); a setup failure (<see cref="ErrorScope.Setup"/>) stops the command with one
        /// terminating error, so try/catch catches it without -ErrorAction Stop and it is not repeated per input.
        /// </summary>
        protected void Guard(Action body)
        {
            try { body(); }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                if (ex is AggregateException agg && agg.InnerExceptions.Count == 1) ex = agg.InnerException!;
                var record = ToErrorRecord(ex, null);
                if (EntryOf(ex).Scope == ErrorScope.Setup) ThrowTerminatingError(record);
                WriteError(record);
            }
        }

        /// <summary>The catalogue entry of any failure: its own, or Cancelled / ConnectionFailed / Unexpected.</summary>
        internal static ErrorEntry EntryOf(Exception ex) => ex switch
        {
            VisionOneException known => known.Error,
            OperationCanceledException _ => ErrorCatalogue.Cancelled,
            HttpRequestException _ => ErrorCatalogue.ConnectionFailed,
            _ => ErrorCatalogue.Unexpected,
        };

        internal static ErrorRecord ToErrorRecord(Exception ex, object? target)
        {
            var entry = EntryOf(ex);
            var category = (ErrorCategory)Enum.Parse(typeof(ErrorCategory), entry.Kind.ToString());
            var record = new ErrorRecord(ex, entry.Id, category, (ex as VisionOneException)?.Target ?? target);
            record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = entry.NextStep };
            return record;
        }
    }
}
