using System;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// A CloudFormation template the module cannot take the Vision One policies from. The error is one of the catalogue's template entries; the message names what is wrong, where, and what to do.
    /// </summary>
    public sealed class TemplateException : VisionOneException
    {
        public TemplateException(ErrorEntry error, string message, string? name = null, string? path = null,
            string? intrinsic = null, int? line = null, int? column = null, Exception? inner = null)
            : base(error, message, name, inner)
        {
            Name = name;
            Path = path;
            Intrinsic = intrinsic;
            Line = line;
            Column = column;
        }

        /// <summary>The policy (or resource) concerned; for a missing resource, the missing names, comma-separated.</summary>
        public string? Name { get; }

        /// <summary>Where in the template, e.g. <c>Resources.VisionOnePolicyPart1.Properties.PolicyDocument.Statement[0].Resource[1]</c>.</summary>
        public string? Path { get; }

        /// <summary>The intrinsic that could not be resolved, e.g. <c>Fn::GetAtt Bucket.Arn</c>.</summary>
        public string? Intrinsic { get; }

        /// <summary>1-based line and column in the template text, when the parser knows them.</summary>
        public int? Line { get; }
        public int? Column { get; }
    }
}
