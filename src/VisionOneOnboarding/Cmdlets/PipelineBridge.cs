using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;

namespace VisionOneOnboarding.Cmdlets
{
    /// <summary>
    /// Lets engine work run off the pipeline thread while everything PowerShell requires on that thread —
    /// Verbose/Debug/Warning, Progress, ShouldProcess — is marshalled back to it. The engine sees only
    /// <see cref="ILogSink"/> and <see cref="IChangeGate"/>.
    /// </summary>
    internal sealed class PipelineBridge : ILogSink, IWaitProgress, IChangeGate, IDisposable
    {
        private readonly PSCmdlet _cmdlet;
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>();
        private readonly int _pipelineThread = Environment.CurrentManagedThreadId;

        public PipelineBridge(PSCmdlet cmdlet, bool force = false)
        {
            _cmdlet = cmdlet;
            _force = force;
            // A compiled cmdlet given -Debug without -Verbose has PowerShell *ask* (Inquire) at every verbose message.
            // Narration then goes to the debug stream instead, which -Debug shows without asking.
            var bound = cmdlet.MyInvocation.BoundParameters;
            _verboseAsDebug = IsSet(bound, "Debug") && !bound.ContainsKey("Verbose");
        }

        private static bool IsSet(System.Collections.Generic.IDictionary<string, object> bound, string name) =>
            bound.TryGetValue(name, out var value) && (value is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(value));

        private readonly bool _verboseAsDebug;

        private readonly bool _force;

        /// <summary>Runs <paramref name="work"/> on the thread pool and services its requests here until it ends.</summary>
        public T Run<T>(Func<Task<T>> work)
        {
            var task = Task.Run(work);
            task.ContinueWith(_ => _queue.CompleteAdding(), TaskScheduler.Default);
            foreach (var action in _queue.GetConsumingEnumerable())
            {
                action();
            }
            return task.GetAwaiter().GetResult();
        }

        public void Verbose(string message) => Post(() => { if (_verboseAsDebug) _cmdlet.WriteDebug(message); else _cmdlet.WriteVerbose(message); });
        public void Debug(string message) => Post(() => _cmdlet.WriteDebug(message));
        public void Warning(string message) => Post(() => _cmdlet.WriteWarning(message));
        public void Progress(ProgressRecord record) => Post(() => _cmdlet.WriteProgress(record));

        /// <summary>The progress bar of a bounded wait, under the command's own (activity 1).</summary>
        private const int WaitActivityId = 2;

        public void Waiting(string reason, string status, int percentComplete) =>
            Progress(new ProgressRecord(WaitActivityId, reason, status) { PercentComplete = percentComplete });

        public void WaitOver(string reason) =>
            Progress(new ProgressRecord(WaitActivityId, reason, "Done") { RecordType = ProgressRecordType.Completed });

        /// <summary>Runs <paramref name="action"/> on the pipeline thread (WriteObject, WriteError) as soon as it is free.</summary>
        public void OnPipelineThread(Action action) => Post(action);

        public bool ShouldChange(string target, string action, bool highImpact = false) =>
            Ask(() => highImpact ? ShouldMakeHighImpactChange(target, action) : ShouldProcess(_cmdlet, target, action, _force));

        private bool _yesToAll, _noToAll;

        /// <summary>
        /// A high-impact change inside a medium-impact command (Invoke replacing a role's trust policy): ShouldProcess
        /// alone would not ask, since PowerShell weighs the command's ConfirmImpact, not the change's. So it is asked
        /// here as PowerShell asks a high-impact command: unless -Force, -Confirm:$false or $ConfirmPreference = 'None'.
        /// A session that cannot ask (pwsh -NonInteractive, a hosted runspace) gets an error, not a silent skip.
        /// </summary>
        private bool ShouldMakeHighImpactChange(string target, string action)
        {
            if (WhatIfRequested(_cmdlet)) return _cmdlet.ShouldProcess(target, action);
            if (_force) return true;
            var bound = _cmdlet.MyInvocation.BoundParameters;
            // -Confirm already asks through ShouldProcess: one question per change is enough.
            if (bound.ContainsKey("Confirm") && IsSet(bound, "Confirm")) return _cmdlet.ShouldProcess(target, action);
            if (!_cmdlet.ShouldProcess(target, action)) return false;
            if (bound.ContainsKey("Confirm") || ConfirmPreferenceIsNone()) return true;
            if (_yesToAll) return true;
            if (_noToAll) return false;
            try
            {
                return _cmdlet.ShouldContinue(action + " (" + target + ")?", "Confirm a high-impact change", ref _yesToAll, ref _noToAll);
            }
            catch (Exception ex) when (CannotAsk(ex))
            {
                throw new VisionOneException(ErrorCatalogue.ConfirmationRequired,
                    $"'{action}' ({target}) is a high-impact change, and this session cannot ask you to confirm it. Nothing was changed. Pass -Force (or -Confirm:$false) to allow it unattended.", target);
            }
        }

        private bool ConfirmPreferenceIsNone() =>
            _cmdlet.SessionState.PSVariable.GetValue("ConfirmPreference") is object value
            && LanguagePrimitives.TryConvertTo<ConfirmImpact>(value, out var impact) && impact == ConfirmImpact.None;

        /// <summary>What a host throws when it cannot prompt (non-interactive, or without a user interface).</summary>
        private static bool CannotAsk(Exception ex) =>
            ex is PSInvalidOperationException || ex is System.Management.Automation.Host.HostException || ex is NotImplementedException || ex is PSNotImplementedException
            || (ex is InvalidOperationException && !(ex is ObjectDisposedException));

        /// <summary>
        /// ShouldProcess, except that -Force skips the confirmation prompt of high-impact changes.
        /// -WhatIf still wins over -Force: nothing is changed.
        /// </summary>
        internal static bool ShouldProcess(PSCmdlet cmdlet, string target, string action, bool force)
        {
            if (force && !WhatIfRequested(cmdlet)) return true;
            return cmdlet.ShouldProcess(target, action);
        }

        private static bool WhatIfRequested(PSCmdlet cmdlet)
        {
            if (cmdlet.MyInvocation.BoundParameters.ContainsKey("WhatIf")) return IsSet(cmdlet.MyInvocation.BoundParameters, "WhatIf");
            return LanguagePrimitives.IsTrue(cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference"));
        }

        /// <summary>
        /// Asks the user, on the pipeline thread, for the code an MFA device shows. Null when the session cannot ask
        /// (pwsh -NonInteractive, a host without a console): the caller then stops with a clear error.
        /// </summary>
        public string? AskForMfaCode(string deviceArn) => Ask(() =>
        {
            try
            {
                _cmdlet.Host.UI.Write("MFA code for " + deviceArn + ": ");
                return _cmdlet.Host.UI.ReadLine();
            }
            catch (Exception ex) when (CannotAsk(ex))
            {
                return null;
            }
        });

        private void Post(Action action)
        {
            if (Environment.CurrentManagedThreadId == _pipelineThread) { action(); return; }
            try { _queue.Add(action); }
            catch (InvalidOperationException) { /* the work already ended; nothing is listening */ }
        }

        private T Ask<T>(Func<T> question)
        {
            if (Environment.CurrentManagedThreadId == _pipelineThread) return question();
            var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _queue.Add(() =>
            {
                try { answer.SetResult(question()); }
                catch (Exception ex) { answer.SetException(ex); }
            });
            return answer.Task.GetAwaiter().GetResult();
        }

        public void Dispose() => _queue.Dispose();
    }
}
