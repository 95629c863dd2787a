using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Emulator.Aws;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>The patterns and limits of the IAM API model, answered with IAM's codes and wording.</summary>
    internal static class IamValidation
    {
        public const int MaxTags = 50;
        public const int MaxThumbprints = 5;
        public const int MaxClientIds = 100;

        // IAM's \w is ASCII-only.
        private static readonly Regex NameChars = new Regex("^[A-Za-z0-9_+=,.@-]+$", RegexOptions.CultureInvariant);
        private static readonly Regex TagKeyChars = new Regex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$", RegexOptions.CultureInvariant);
        private static readonly Regex TagValueChars = new Regex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$", RegexOptions.CultureInvariant);
        private static readonly Regex Hex40 = new Regex("^[0-9A-Fa-f]{40}$", RegexOptions.CultureInvariant);
        private static readonly Regex PathChars = new Regex(@"^(/|/[\u0021-\u007E]+/)$", RegexOptions.CultureInvariant);
        private static readonly Regex VersionIdPattern = new Regex(@"^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$", RegexOptions.CultureInvariant);
        private static readonly Regex DescriptionChars = new Regex(@"^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$", RegexOptions.CultureInvariant);

        /// <summary>Role, policy and session names: 1..max chars of [\w+=,.@-].</summary>
        public static void Name(string value, string field, int maxLength)
        {
            Length(value, field, 1, maxLength);
            if (!NameChars.IsMatch(value))
            {
                throw AwsQueryException.Constraint(field, value, @"Member must satisfy regular expression pattern: [\w+=,.@-]+");
            }
        }

        public static void Length(string value, string field, int min, int max)
        {
            if (value.Length < min)
            {
                throw AwsQueryException.Constraint(field, value, "Member must have length greater than or equal to " + min);
            }
            if (value.Length > max)
            {
                throw AwsQueryException.Constraint(field, value, "Member must have length less than or equal to " + max);
            }
        }

        public static void Path(string value)
        {
            Length(value, "path", 1, 512);
            if (!PathChars.IsMatch(value))
            {
                throw AwsQueryException.Constraint("path", value, @"Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)");
            }
        }

        public static void Description(string? value)
        {
            if (value == null) return;
            Length(value, "description", 0, 1000);
            if (!DescriptionChars.IsMatch(value))
            {
                throw AwsQueryException.Constraint("description", value, @"Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*");
            }
        }

        public static void VersionId(string value)
        {
            if (!VersionIdPattern.IsMatch(value))
            {
                throw AwsQueryException.Constraint("versionId", value, @"Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?");
            }
        }

        public static void Arn(string value, string field)
        {
            Length(value, field, 20, 2048);
            if (!value.StartsWith("arn:", StringComparison.Ordinal) || value.Split(':').Length < 6)
            {
                throw AwsQueryException.InvalidInput("ARN " + value + " is not valid.");
            }
        }

        /// <summary>Tag keys are case-insensitive throughout IAM, so "Env" and "env" are duplicates.</summary>
        public static void Tags(IReadOnlyList<IamTag> tags)
        {
            if (tags.Count > MaxTags)
            {
                throw AwsQueryException.Constraint("tags", null, "Member must have length less than or equal to " + MaxTags);
            }
            for (int i = 0; i < tags.Count; i++)
            {
                var field = "tags." + (i + 1) + ".member";
                Length(tags[i].Key, field + ".key", 1, 128);
                if (!TagKeyChars.IsMatch(tags[i].Key))
                {
                    throw AwsQueryException.Constraint(field + ".key", tags[i].Key, @"Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+");
                }
                if (tags[i].Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                {
                    throw AwsQueryException.InvalidInput("User-defined tag keys can't start with 'aws:'. This prefix is reserved for AWS tags.");
                }
                Length(tags[i].Value, field + ".value", 0, 256);
                if (!TagValueChars.IsMatch(tags[i].Value))
                {
                    throw AwsQueryException.Constraint(field + ".value", tags[i].Value, @"Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*");
                }
            }
            if (tags.Select(t => t.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count() != tags.Count)
            {
                throw AwsQueryException.InvalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            }
        }

        /// <summary>Each thumbprint is a SHA-1 fingerprint: exactly 40 hex characters; at most five.</summary>
        public static void Thumbprints(IReadOnlyList<string> thumbprints)
        {
            if (thumbprints.Count > MaxThumbprints)
            {
                throw AwsQueryException.InvalidInput("Thumbprint list must contain at most " + MaxThumbprints + " entries.");
            }
            for (int i = 0; i < thumbprints.Count; i++)
            {
                Length(thumbprints[i], "thumbprintList." + (i + 1) + ".member", 40, 40);
                if (!Hex40.IsMatch(thumbprints[i]))
                {
                    throw AwsQueryException.InvalidInput("Thumbprint " + thumbprints[i] + " is not a valid 40-character hexadecimal SHA-1 fingerprint.");
                }
            }
        }

        public static void ClientId(string clientId, string field) => Length(clientId, field, 1, 255);

        /// <summary>https only, no port, no query or fragment, no user info; 1–255 characters.</summary>
        public static void ProviderUrl(string url)
        {
            Length(url, "url", 1, 255);
            const string scheme = "https://";
            if (!url.StartsWith(scheme, StringComparison.Ordinal))
            {
                throw AwsQueryException.InvalidInput("Invalid OpenID Connect provider URL " + url + ": it must begin with https://.");
            }
            var rest = url.Substring(scheme.Length);
            var authority = rest.Split('/')[0];
            if (authority.Length == 0 || authority.IndexOfAny(new[] { ':', '@' }) >= 0 || rest.IndexOfAny(new[] { '?', '#' }) >= 0
                || !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                throw AwsQueryException.InvalidInput("Invalid OpenID Connect provider URL " + url + ": it must name a host without a port, query or fragment.");
            }
        }

        public static void MaxItems(int? maxItems)
        {
            if (maxItems < 1) throw AwsQueryException.Constraint("maxItems", maxItems.ToString(), "Member must have value greater than or equal to 1");
            if (maxItems > 1000) throw AwsQueryException.Constraint("maxItems", maxItems.ToString(), "Member must have value less than or equal to 1000");
        }
    }
}
