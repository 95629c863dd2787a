using System;
using System.Collections.Generic;

namespace VisionOneOnboarding.Aws;

/// <summary>
/// One answer of IAM's policy simulator (SimulatePrincipalPolicy's EvaluationResult): an action, the resource it was
/// evaluated on, and the decision — allowed, explicitDeny or implicitDeny — with the context keys the policies name
/// that the simulation was not given.
/// </summary>
public sealed class PolicySimulationResult
{
    public const string Allowed = "allowed";

    public string ActionName { get; set; } = "";
    /// <summary>The resource ARN, or "*".</summary>
    public string ResourceName { get; set; } = "*";
    public string Decision { get; set; } = "";
    public IReadOnlyList<string> MissingContextValues { get; set; } = new string[0];
    /// <summary>Per resource, when ResourceArns were given: ARN → decision.</summary>
    public IReadOnlyDictionary<string, string> ResourceDecisions { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public bool IsAllowed => string.Equals(Decision, Allowed, StringComparison.Ordinal);
    public override string ToString() => ActionName + " on " + ResourceName + ": " + Decision;
}
