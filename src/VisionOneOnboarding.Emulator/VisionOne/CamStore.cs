using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Emulator.VisionOne
{
    // SKELETON: replaced by the Vision One emulator work.
    public sealed class CamStore
    {
        private readonly IIamView _iam;
        public CamStore(IIamView iam) { _iam = iam; }
        public void Reset() { }
    }
}
