namespace VisionOneOnboarding.Net
{
    /// <summary>
    /// Where the engine narrates. Cmdlets route it to WriteVerbose/WriteDebug/WriteWarning; tests collect it.
    /// Never pass a secret to it.
    /// </summary>
    public interface ILogSink
    {
        void Verbose(string message);
        void Debug(string message);
        void Warning(string message);
    }

    public sealed class NullLogSink : ILogSink
    {
        public static NullLogSink Instance { get; } = new NullLogSink();
        public void Verbose(string message) { }
        public void Debug(string message) { }
        public void Warning(string message) { }
    }
}
