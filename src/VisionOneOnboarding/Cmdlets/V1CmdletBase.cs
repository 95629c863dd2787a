using System;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// What every cmdlet of the module shares: Ctrl+C cancels in-flight calls, engine work runs through
    /// <see cref="PipelineBridge"/>, and failures become ErrorRecords with stable ids.
    /// </summary>
    public abstract class V1CmdletBase : PSCmdlet
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

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
                throw new OnboardingException("VisionOne.TemplateNotFound", FailureKind.ObjectNotFound,
                    $"The template file '{fullPath}' does not exist. Download it from Vision One (Cloud Accounts > AWS > Add account) or with Get-V1AwsTemplate, then pass its path — or leave the path out to use the Vision One API.", fullPath);
            // The cap is checked before reading, so a huge file costs nothing.
            if (new System.IO.FileInfo(fullPath).Length > TemplateLimits.MaxBytes) throw TemplateLimits.TooLarge("The template file '" + fullPath + "'");
            return System.IO.File.ReadAllText(fullPath);
        }

        /// <summary>Reports a failure for the current input and lets the pipeline go on.</summary>
        protected void WriteFailure(Exception ex, object? target = null) => WriteError(ToErrorRecord(ex, target));

        /// <summary>Runs <paramref name="body"/>; a failure becomes a non-terminating error record (catchable with -ErrorAction Stop).</summary>
        protected void Guard(Action body)
        {
            try { body(); }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                if (ex is AggregateException agg && agg.InnerExceptions.Count == 1) ex = agg.InnerException!;
                WriteFailure(ex);
            }
        }

        internal static ErrorRecord ToErrorRecord(Exception ex, object? target)
        {
            switch (ex)
            {
                case OnboardingException o:
                    return Record(o, o.ErrorId, Map(o.Kind), o.Target ?? target);
                case AwsServiceException a:
                    {
                        var message = $"{a.Service} {a.Action} failed: {a.ErrorCode}: {a.Message}" + (a.RequestId != null ? $" (request id {a.RequestId})" : "");
                        var wrapped = new OnboardingException("VisionOne.Aws." + a.ErrorCode, AwsKind(a.ErrorCode), message, target, a);
                        return Record(wrapped, wrapped.ErrorId, Map(wrapped.Kind), target);
                    }
                case AwsSetupException s:
                    return Record(s, s.ErrorId, MapSetup(s.Category), s.TargetObject ?? target);
                case VisionOneApiException api:
                    return Record(api, api.ErrorId, HttpCategory(api.StatusCode), target);
                case VisionOneException v:
                    return Record(v, v.ErrorId, V1Category(v.ErrorId), target);
                case OperationCanceledException _:
                    return Record(ex, "VisionOne.Cancelled", ErrorCategory.OperationStopped, target);
                case HttpRequestException h:
                    {
                        var wrapped = new OnboardingException("VisionOne.ConnectionFailed", FailureKind.ConnectionError,
                            "Could not reach the service: " + h.Message + " Check -EndpointUrl / -ApiBaseUrl, proxies and network access, then run the command again.", target, h);
                        return Record(wrapped, wrapped.ErrorId, ErrorCategory.ConnectionError, target);
                    }
                default:
                    return Record(ex, "VisionOne.Unexpected", ErrorCategory.NotSpecified, target);
            }
        }

        private static ErrorRecord Record(Exception ex, string id, ErrorCategory category, object? target) =>
            new ErrorRecord(ex, id, category, target);

        internal static FailureKind AwsKind(string code)
        {
            switch (code)
            {
                case "NoSuchEntity": return FailureKind.ObjectNotFound;
                case "EntityAlreadyExists": return FailureKind.ResourceExists;
                case "LimitExceeded": return FailureKind.LimitsExceeded;
                case "DeleteConflict":
                case "ConcurrentModification": return FailureKind.InvalidOperation;
                case "MalformedPolicyDocument":
                case "InvalidInput":
                case "ValidationError": return FailureKind.InvalidData;
                case "AccessDenied":
                case "AccessDeniedException":
                case "UnauthorizedOperation": return FailureKind.PermissionDenied;
                case "InvalidClientTokenId":
                case "SignatureDoesNotMatch":
                case "MissingAuthenticationToken":
                case "ExpiredToken":
                case "RequestExpired": return FailureKind.AuthenticationError;
                case "ConnectionFailure": return FailureKind.ConnectionError;
                case "RequestTimeout": return FailureKind.OperationTimeout;
                case "Throttling":
                case "ServiceFailure":
                case "ServiceUnavailable": return FailureKind.ResourceUnavailable;
                default: return FailureKind.NotSpecified;
            }
        }

        private static ErrorCategory HttpCategory(int status)
        {
            switch (status)
            {
                case 400: return ErrorCategory.InvalidArgument;
                case 401: return ErrorCategory.AuthenticationError;
                case 403: return ErrorCategory.PermissionDenied;
                case 404: return ErrorCategory.ObjectNotFound;
                case 409: return ErrorCategory.ResourceExists;
                case 412:
                case 428: return ErrorCategory.InvalidOperation;
                case 429: return ErrorCategory.LimitsExceeded;
                default: return status >= 500 ? ErrorCategory.ResourceUnavailable : ErrorCategory.NotSpecified;
            }
        }

        private static ErrorCategory V1Category(string errorId)
        {
            switch (errorId)
            {
                case "VisionOne.ApiKeyNotFound": return ErrorCategory.AuthenticationError;
                case "VisionOne.InsecureEndpoint": return ErrorCategory.SecurityError;
                case "VisionOne.ConnectionFailed": return ErrorCategory.ConnectionError;
                case "VisionOne.Timeout": return ErrorCategory.OperationTimeout;
                default: return ErrorCategory.InvalidArgument;
            }
        }

        private static ErrorCategory MapSetup(AwsErrorCategory category)
        {
            switch (category)
            {
                case AwsErrorCategory.InvalidArgument: return ErrorCategory.InvalidArgument;
                case AwsErrorCategory.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case AwsErrorCategory.AuthenticationError: return ErrorCategory.AuthenticationError;
                case AwsErrorCategory.SecurityError: return ErrorCategory.SecurityError;
                case AwsErrorCategory.ConnectionError: return ErrorCategory.ConnectionError;
                default: return ErrorCategory.NotSpecified;
            }
        }

        internal static ErrorCategory Map(FailureKind kind)
        {
            switch (kind)
            {
                case FailureKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case FailureKind.InvalidData: return ErrorCategory.InvalidData;
                case FailureKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case FailureKind.ResourceExists: return ErrorCategory.ResourceExists;
                case FailureKind.ResourceUnavailable: return ErrorCategory.ResourceUnavailable;
                case FailureKind.LimitsExceeded: return ErrorCategory.LimitsExceeded;
                case FailureKind.SecurityError: return ErrorCategory.SecurityError;
                case FailureKind.AuthenticationError: return ErrorCategory.AuthenticationError;
                case FailureKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case FailureKind.ConnectionError: return ErrorCategory.ConnectionError;
                case FailureKind.InvalidOperation: return ErrorCategory.InvalidOperation;
                case FailureKind.OperationTimeout: return ErrorCategory.OperationTimeout;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}
