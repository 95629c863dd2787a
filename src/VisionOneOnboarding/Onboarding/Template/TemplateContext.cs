using System;
using System.Collections.Generic;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>
    /// What a stack deployment would know and a template alone does not: the values behind the pseudo parameters and
    /// the parameter values the user gives. A value left null cannot be resolved, and the reader says so.
    /// </summary>
    public sealed class TemplateContext
    {
        public TemplateContext()
        {
        }

        public TemplateContext(string? accountId, string? region, string partition = "aws")
        {
            AccountId = accountId;
            Region = region;
            Partition = partition;
        }

        /// <summary>AWS::AccountId.</summary>
        public string? AccountId { get; set; }

        /// <summary>AWS::Partition: aws, aws-cn, aws-us-gov, …; also decides AWS::URLSuffix.</summary>
        public string Partition { get; set; } = "aws";

        /// <summary>AWS::Region.</summary>
        public string? Region { get; set; }

        /// <summary>AWS::StackName.</summary>
        public string? StackName { get; set; }

        /// <summary>Parameter values that win over the template's Default (names are case-sensitive, as in CloudFormation).</summary>
        public IDictionary<string, string> ParameterOverrides { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }
}
