using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Text;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// The three core-feature policies as Trend publishes them ("AWS Policies in JSON Format"), shipped inside the
    /// module: the fallback when no CloudFormation template is given.
    /// </summary>
    public static class PublishedPolicies
    {
        /// <summary>The policy names the procedure creates, in order.</summary>
        public static IReadOnlyList<string> Names { get; } =
            new ReadOnlyCollection<string>(new[] { "VisionOnePolicyPart1", "VisionOnePolicyPart2", "VisionOnePolicyPart3" });

        /// <summary>Policy name → document text, exactly as published (white space included).</summary>
        public static IReadOnlyDictionary<string, string> Load()
        {
            var assembly = typeof(PublishedPolicies).Assembly;
            var documents = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in Names)
            {
                string resource = "VisionOneOnboarding.Data." + name + ".json";
                using (var stream = assembly.GetManifestResourceStream(resource))
                {
                    if (stream == null)
                    {
                        throw new InvalidOperationException($"The module assembly lacks its embedded resource '{resource}'; the build is broken — rebuild the module.");
                    }
                    using (var reader = new StreamReader(stream, Encoding.UTF8))
                    {
                        documents[name] = reader.ReadToEnd();
                    }
                }
            }
            return new ReadOnlyDictionary<string, string>(documents);
        }
    }
}
