using System;
using System.Collections.Generic;
using System.IO;

namespace VisionOneOnboarding.Aws
{
    /// <summary>
    /// The few settings of the shared AWS config file that AWSSDK.Core does not hand out publicly: a profile's
    /// <c>endpoint_url</c>, <c>services</c> (naming a <c>[services NAME]</c> section of per-service sub-settings),
    /// <c>ignore_configured_endpoint_urls</c> and <c>duration_seconds</c>. INI as the AWS CLI writes it; a sub-setting
    /// is an indented line under a key with no value.
    /// </summary>
    internal sealed class AwsConfigFile
    {
        private readonly Dictionary<string, Dictionary<string, string>> _sections;

        private AwsConfigFile(Dictionary<string, Dictionary<string, string>> sections) { _sections = sections; }

        public static AwsConfigFile Empty { get; } = new AwsConfigFile(new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal));

        /// <summary>
        /// The config file AWSSDK.Core reads beside a credentials file: AWS_CONFIG_FILE, else "config" in the folder of
        /// -ProfileLocation, else ~/.aws/config.
        /// </summary>
        public static string ConfigPath(Func<string, string?> environment, string? profileLocation)
        {
            var named = environment("AWS_CONFIG_FILE");
            if (!string.IsNullOrWhiteSpace(named)) return named!;
            var folder = string.IsNullOrWhiteSpace(profileLocation) ? null : Path.GetDirectoryName(Path.GetFullPath(profileLocation));
            if (folder != null) return Path.Combine(folder, "config");
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws", "config");
        }

        /// <summary>Reads <paramref name="path"/>; a missing file reads as empty.</summary>
        public static AwsConfigFile Read(string? path)
        {
            var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            if (string.IsNullOrEmpty(path) || !File.Exists(path)) return new AwsConfigFile(sections);
            Dictionary<string, string>? section = null;
            string? parentKey = null;
            foreach (var rawLine in File.ReadAllLines(path))
            {
                var line = rawLine.TrimEnd();
                var trimmed = line.TrimStart();
                if (trimmed.Length == 0 || trimmed[0] == '#' || trimmed[0] == ';') continue;
                if (trimmed[0] == '[' && trimmed.EndsWith("]", StringComparison.Ordinal))
                {
                    var name = string.Join(" ", trimmed.Substring(1, trimmed.Length - 2).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries));
                    if (!sections.TryGetValue(name, out section))
                    {
                        section = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                        sections.Add(name, section);
                    }
                    parentKey = null;
                    continue;
                }
                var equals = trimmed.IndexOf('=');
                if (section == null || equals <= 0) continue;
                var key = trimmed.Substring(0, equals).Trim();
                var value = trimmed.Substring(equals + 1).Trim();
                bool indented = line.Length > trimmed.Length;
                if (indented && parentKey != null)
                {
                    section[parentKey + "." + key] = value;
                    continue;
                }
                parentKey = value.Length == 0 ? key : null;
                section[key] = value;
            }
            return new AwsConfigFile(sections);
        }

        /// <summary>A setting of a profile: <c>[profile NAME]</c> (or <c>[default]</c>) in the config file, or <c>[NAME]</c> in a credentials file.</summary>
        public string? ProfileSetting(string profileName, string key)
        {
            foreach (var sectionName in new[] { "profile " + profileName, profileName })
            {
                if (_sections.TryGetValue(sectionName, out var section) && section.TryGetValue(key, out var value) && value.Length > 0) return value;
            }
            return null;
        }

        /// <summary>A sub-setting of a <c>[services NAME]</c> section, e.g. ("dev", "sts", "endpoint_url").</summary>
        public string? ServiceSetting(string servicesSection, string serviceKey, string key) =>
            _sections.TryGetValue("services " + servicesSection, out var section) && section.TryGetValue(serviceKey + "." + key, out var value) && value.Length > 0
                ? value
                : null;
    }
}
