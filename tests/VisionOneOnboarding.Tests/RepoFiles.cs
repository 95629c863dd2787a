using System;
using System.IO;

namespace VisionOneOnboarding.Tests
{
    /// <summary>Files of the repository the tests read (README, sources, published policies).</summary>
    internal static class RepoFiles
    {
        /// <summary>The repository root: the folder with VisionOneOnboarding.sln above the test binaries.</summary>
        public static string Root()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "VisionOneOnboarding.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }
}
