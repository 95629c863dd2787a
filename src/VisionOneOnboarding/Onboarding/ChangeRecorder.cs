using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// The one way the engine proposes a change: ask the gate (ShouldProcess), record the change on the state
    /// (applied or only planned), and narrate it. Returns whether to go ahead.
    /// </summary>
    internal sealed class ChangeRecorder
    {
        private readonly IChangeGate _gate;
        private readonly ILogSink _log;

        public ChangeRecorder(IChangeGate gate, ILogSink log) { _gate = gate; _log = log; }

        public bool Propose(AwsOnboardingState state, string step, string action, string target)
        {
            bool go = _gate.ShouldChange(target, action);
            state.Changes.Add(new OnboardingChange(step, action, target, go));
            if (go) _log.Verbose(action + ": " + target);
            return go;
        }
    }
}
