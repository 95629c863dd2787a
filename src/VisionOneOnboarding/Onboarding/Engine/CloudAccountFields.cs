using System;
using System.Collections.Generic;
using System.Linq;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// The fields of a Cloud Accounts entry the procedure sets besides the role: name, description and workload
    /// instance. One place says how they compare (the planner's checks and changes) and what a PATCH sends for them
    /// (the applier), so a re-read after an ambiguous answer is judged by the same rule.
    /// </summary>
    internal static class CloudAccountFields
    {
        /// <summary>(item, expected, actual, differs) for each field; a field not asked for (Test- without it) is reported as it is.</summary>
        public static IEnumerable<(string Item, string Expected, string Actual, bool Differs)> Compare(V1AwsAccount entry, DesiredCloudAccount wanted)
        {
            yield return Field("Name", wanted.Name.Length == 0 ? null : wanted.Name, entry.Name);
            yield return Field("Description", wanted.Description, entry.Description ?? "");
            var instances = string.Join(",", WorkloadInstances(entry));
            yield return wanted.WorkloadInstanceId == null
                ? ("Workload instance", instances, instances, false)
                : ("Workload instance", wanted.WorkloadInstanceId, instances, !HasWorkload(entry, wanted.WorkloadInstanceId));
        }

        /// <summary>"name 'a' → 'b'" for each field that differs.</summary>
        public static List<string> Differences(V1AwsAccount entry, DesiredCloudAccount wanted) =>
            Compare(entry, wanted).Where(f => f.Differs).Select(f => f.Item.ToLowerInvariant() + " '" + f.Actual + "' → '" + f.Expected + "'").ToList();

        /// <summary>The PATCH body that brings <paramref name="entry"/> to what is wanted (role included when <paramref name="roleArn"/> differs).</summary>
        public static V1AwsAccountPatch Patch(V1AwsAccount entry, DesiredCloudAccount wanted, string roleArn)
        {
            var differs = Compare(entry, wanted).Where(f => f.Differs).Select(f => f.Item).ToList();
            return new V1AwsAccountPatch
            {
                RoleArn = string.Equals(entry.RoleArn, roleArn, StringComparison.Ordinal) ? null : roleArn,
                Name = differs.Contains("Name") ? wanted.Name : null,
                Description = differs.Contains("Description") ? wanted.Description : null,
                WorkloadInstanceId = differs.Contains("Workload instance") ? wanted.WorkloadInstanceId : null,
            };
        }

        /// <summary>True when the entry has the role and every field asked for.</summary>
        public static bool Matches(V1AwsAccount entry, DesiredCloudAccount wanted, string roleArn) =>
            string.Equals(entry.RoleArn, roleArn, StringComparison.Ordinal) && !Compare(entry, wanted).Any(f => f.Differs);

        private static (string, string, string, bool) Field(string item, string? wanted, string actual) =>
            wanted == null ? (item, actual, actual, false) : (item, wanted, actual, !string.Equals(wanted, actual, StringComparison.Ordinal));

        private static IEnumerable<string> WorkloadInstances(V1AwsAccount entry) =>
            entry.ConnectedSecurityServices.Where(s => string.Equals(s.Name, "workload", StringComparison.OrdinalIgnoreCase)).SelectMany(s => s.InstanceIds);

        private static bool HasWorkload(V1AwsAccount entry, string instanceId) => WorkloadInstances(entry).Contains(instanceId, StringComparer.Ordinal);
    }
}
