// Values checked once at the door: each type parses its text or throws the catalogue's error for that fact, and every caller (cmdlets, engine, clients) asks the type.
using System;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Values
{
    /// <summary>The pieces every IAM ARN the module takes shares: arn:PARTITION:iam::ACCOUNT:KIND/PATH/NAME.</summary>
    public abstract class AwsArn
    {
        /// <summary>The partitions IAM lives in (aws-iso* are out of the module's reach).</summary>
        internal const string PartitionNames = "aws|aws-cn|aws-us-gov";

        /// <summary>IAM's name characters (ASCII only: IAM refuses other letters).</summary>
        internal const string IamNameCharacters = "[A-Za-z0-9_+=,.@-]";

        protected AwsArn(Match match)
        {
            Value = match.Value;
            Partition = match.Groups["partition"].Value;
            AccountId = match.Groups["account"].Value;
        }

        public string Value { get; }
        public string Partition { get; }
        public string AccountId { get; }

        public override string ToString() => Value;
        public override bool Equals(object? obj) => obj is AwsArn other && other.GetType() == GetType() && other.Value == Value;
        public override int GetHashCode() => Value.GetHashCode();

        /// <summary>arn:PARTITION:iam::ACCOUNT: followed by <paramref name="resource"/>, as one anchored pattern.</summary>
        internal static Regex Pattern(string resource) =>
            new Regex("^arn:(?<partition>" + PartitionNames + "):iam::(?<account>[0-9]{12}):" + resource + @"\z", RegexOptions.CultureInvariant);

        /// <summary>Input as given, for a message: control characters shown as \uXXXX so an error never prints them raw.</summary>
        internal static string Shown(string? text) => ValueText.Shown(text);
    }

    /// <summary>An IAM role ARN: arn:aws:iam::123456789012:role/VisionOneRole (a path is allowed).</summary>
    public sealed class AwsRoleArn : AwsArn
    {
        private static readonly Regex RolePattern = Pattern("role/(?<path>(" + IamNameCharacters + "+/)*)(?<name>" + IamNameCharacters + "{1,64})");

        private AwsRoleArn(Match match) : base(match) { RoleName = match.Groups["name"].Value; }

        public string RoleName { get; }

        public static bool TryParse(string? text, out AwsRoleArn? arn)
        {
            var match = text == null ? null : RolePattern.Match(text);
            arn = match != null && match.Success ? new AwsRoleArn(match) : null;
            return arn != null;
        }

        public static AwsRoleArn Parse(string? text) =>
            TryParse(text, out var arn) ? arn! : throw new VisionOneException(ErrorCatalogue.InvalidRoleArn,
                "'" + Shown(text) + "' is not an IAM role ARN (arn:aws:iam::123456789012:role/VisionOneRole).", text);
    }

    /// <summary>
    /// A customer-managed IAM policy ARN: arn:aws:iam::123456789012:policy/Name. AWS-managed policies
    /// (arn:aws:iam::aws:policy/...) are refused: where the module takes policy ARNs it wants the account's own.
    /// </summary>
    public sealed class AwsPolicyArn : AwsArn
    {
        private static readonly Regex PolicyPattern = Pattern("policy/(?<path>(" + IamNameCharacters + "+/)*)(?<name>" + IamNameCharacters + "{1,128})");
        private static readonly Regex AwsManagedPattern = new Regex("^arn:(" + PartitionNames + "):iam::aws:policy/", RegexOptions.CultureInvariant);

        private AwsPolicyArn(Match match) : base(match) { PolicyName = match.Groups["name"].Value; }

        public string PolicyName { get; }

        public static AwsPolicyArn Parse(string? text)
        {
            var match = text == null ? null : PolicyPattern.Match(text);
            if (match != null && match.Success) return new AwsPolicyArn(match);
            var why = text != null && AwsManagedPattern.IsMatch(text)
                ? "is an AWS managed policy; the role takes the account's own Vision One policies"
                : "is not an IAM policy ARN of an account (arn:aws:iam::123456789012:policy/Name)";
            throw new VisionOneException(ErrorCatalogue.InvalidPolicyArn, "'" + Shown(text) + "' " + why + ".", text);
        }
    }

    /// <summary>An IAM OIDC provider ARN: arn:aws:iam::123456789012:oidc-provider/host[/path].</summary>
    public sealed class OidcProviderArn : AwsArn
    {
        private static readonly Regex ProviderPattern = Pattern("oidc-provider/(?<host>" + ValueText.HostPattern + "(/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)*)");

        private OidcProviderArn(Match match) : base(match) { IssuerHost = match.Groups["host"].Value; }

        /// <summary>The issuer host (and path) the provider is for, as IAM names it.</summary>
        public string IssuerHost { get; }

        public static OidcProviderArn Parse(string? text)
        {
            var match = text == null ? null : ProviderPattern.Match(text);
            if (match != null && match.Success) return new OidcProviderArn(match);
            throw new VisionOneException(ErrorCatalogue.InvalidOidcProviderArn,
                "'" + Shown(text) + "' is not an OIDC provider ARN (arn:aws:iam::123456789012:oidc-provider/host).", text);
        }
    }
}
