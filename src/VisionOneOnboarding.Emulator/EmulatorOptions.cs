using System;
using System.Globalization;

namespace VisionOneOnboarding.Emulator
{
    /// <summary>Start-up settings. Everything else is changed at run time through /_emulator/.</summary>
    public sealed class EmulatorOptions
    {
        /// <summary>0 picks a free port.</summary>
        public int Port { get; set; }

        public static EmulatorOptions FromArgs(string[] args)
        {
            var o = new EmulatorOptions();
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--port" && i + 1 < args.Length)
                {
                    o.Port = int.Parse(args[++i], CultureInfo.InvariantCulture);
                }
                else
                {
                    throw new ArgumentException("Unknown argument '" + args[i] + "'. Usage: VisionOneOnboarding.Emulator [--port N]");
                }
            }
            return o;
        }
    }
}
