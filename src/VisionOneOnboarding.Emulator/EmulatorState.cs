using System;
using VisionOneOnboarding.Emulator.Iam;
using VisionOneOnboarding.Emulator.Organizations;
using VisionOneOnboarding.Emulator.VisionOne;

namespace VisionOneOnboarding.Emulator
{
    /// <summary>Everything the emulator remembers; one instance per host. Reset through /_emulator/reset.</summary>
    public sealed class EmulatorState
    {
        public EmulatorState()
        {
            Iam = new IamStore(Faults);
            Cam = new CamStore(Iam, () => Faults.Clock.GetUtcNow());
            Organizations = new OrganizationsStore(Iam);
        }

        /// <summary>Where the emulator is listening (set once started); used to build self-served URLs.</summary>
        public Uri BaseUrl { get; set; } = new Uri("http://127.0.0.1/");

        public CallLog Calls { get; } = new CallLog();
        public FaultInjector Faults { get; } = new FaultInjector();
        public IamStore Iam { get; }
        public CamStore Cam { get; }
        public OrganizationsStore Organizations { get; }

        public void Reset()
        {
            Calls.Clear();
            Faults.Clear();
            Iam.Reset();
            Cam.Reset();
            Organizations.Reset();
        }
    }
}
