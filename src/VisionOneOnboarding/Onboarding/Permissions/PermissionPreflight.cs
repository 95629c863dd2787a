using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Onboarding.Permissions;

/// <summary>What one command run decides about the preflight, shared by every account of the run.</summary>
public sealed class PreflightOptions
{
    private int _warned;

    /// <summary>-SkipPreflight: do not ask the simulator.</summary>
    public bool Skip { get; set; }

    /// <summary>True the first time only: "could not check" is said once per run, not once per account.</summary>
    internal bool FirstWarning() => Interlocked.Exchange(ref _warned, 1) == 0;
}

/// <summary>
/// Asks IAM's policy simulator (iam:SimulatePrincipalPolicy), before the first read or change, whether the caller may
/// make exactly the calls the run needs, each on its resource, and refuses with <see cref="ErrorCatalogue.AwsPermissionMissing"/>
/// — naming every action and resource not allowed — before anything is changed. Where the simulator cannot answer
/// (the caller lacks iam:SimulatePrincipalPolicy, the caller is no IAM user or role, the endpoint does not serve it)
/// it says so once as a warning and lets the run go on: the first AccessDenied then names the action.
/// </summary>
public sealed class PermissionPreflight
{
    private readonly IIamClient _iam;
    private readonly string _callerArn;
    private readonly PreflightOptions _options;
    private volatile bool _unavailable;

    public PermissionPreflight(IIamClient iam, string callerArn, PreflightOptions options)
    {
        _iam = iam ?? throw new ArgumentNullException(nameof(iam));
        _callerArn = callerArn ?? "";
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>
    /// The principal the simulator is asked about: an IAM user or role ARN as is; for an assumed-role session
    /// (arn:PARTITION:sts::ACCOUNT:assumed-role/NAME/SESSION) the role's ARN, arn:PARTITION:iam::ACCOUNT:role/NAME — the
    /// session ARN does not carry the role's path, so a role under a path is not found and the check is skipped with a
    /// warning. Null for what the simulator cannot take (the root user, a federated user).
    /// </summary>
    public static string? PolicySourceOf(string callerArn)
    {
        var parts = (callerArn ?? "").Split(new[] { ':' }, 6);
        if (parts.Length != 6 || parts[0] != "arn") return null;
        var resource = parts[5];
        if (parts[2] == "iam" && (resource.StartsWith("user/", StringComparison.Ordinal) || resource.StartsWith("role/", StringComparison.Ordinal))) return callerArn;
        const string assumed = "assumed-role/";
        if (parts[2] == "sts" && resource.StartsWith(assumed, StringComparison.Ordinal))
        {
            var rest = resource.Substring(assumed.Length);
            int slash = rest.IndexOf('/');
            var roleName = slash < 0 ? rest : rest.Substring(0, slash);
            return roleName.Length == 0 ? null : "arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + roleName;
        }
        return null;
    }

    /// <summary>
    /// Checks <paramref name="needs"/>; throws <see cref="ErrorCatalogue.AwsPermissionMissing"/> when any is not allowed.
    /// </summary>
    /// <param name="needs">Exactly the actions the next step of the run makes, each on its resource.</param>
    /// <param name="work">What they are for, in the message: "onboarding", "checking", "removal".</param>
    /// <param name="accountId">The account worked in.</param>
    /// <param name="log">Told the warning when the simulator cannot answer, and the narration.</param>
    /// <param name="ct">Cancels the questions.</param>
    public async Task CheckAsync(IReadOnlyList<ActionNeed> needs, string work, string accountId, ILogSink log, CancellationToken ct)
    {
        if (_options.Skip || _unavailable || needs.Count == 0) return;
        var source = PolicySourceOf(_callerArn);
        if (source == null)
        {
            CannotCheck(log, _callerArn + " is neither an IAM user nor an assumed role, so IAM's policy simulator cannot be asked about it");
            return;
        }
        log.Verbose("Asking IAM's policy simulator whether " + source + " may make the " + needs.Count + " call(s) the " + work + " of account " + accountId + " needs.");
        IReadOnlyList<(ActionNeed Need, string Decision)> decisions;
        try
        {
            // One question per resource: the decision answered is then that resource's, whatever else the policies allow.
            var asked = needs.GroupBy(n => n.Resource, StringComparer.Ordinal).Select(async group =>
            {
                var actions = group.Select(n => n.Action).Distinct(StringComparer.Ordinal).ToList();
                var resources = group.Key == "*" ? new string[0] : new[] { group.Key };
                var results = await _iam.SimulatePrincipalPolicyAsync(source, actions, resources, ct).ConfigureAwait(false);
                return group.Select(need => (need, DecisionOf(results, need))).ToList();
            }).ToList();
            decisions = (await Task.WhenAll(asked).ConfigureAwait(false)).SelectMany(d => d).ToList();
        }
        catch (AwsServiceException ex)
        {
            CannotCheck(log, "IAM answered " + ex.ErrorCode + ": " + ex.ServiceMessage);
            return;
        }
        var missing = decisions.Where(d => !string.Equals(d.Decision, PolicySimulationResult.Allowed, StringComparison.Ordinal)).ToList();
        if (missing.Count == 0)
        {
            log.Verbose("IAM's policy simulator allows every call the " + work + " needs.");
            return;
        }
        throw new VisionOneException(ErrorCatalogue.AwsPermissionMissing,
            "Account " + accountId + ": " + source + " may not make " + missing.Count + " of the calls the " + work + " needs (IAM's policy simulator, asked before the first change): " +
            string.Join("; ", missing.Select(m => m.Need.Action + " on " + m.Need.Resource + " (" + m.Decision + ")")) +
            ". Nothing was changed. Grant these actions — Get-V1AwsOperatorPolicy writes the whole least-privilege policy — and run the command again.", accountId);
    }

    private void CannotCheck(ILogSink log, string why)
    {
        _unavailable = true;
        var message = "Could not check permissions in advance: " + why + ". Going on; a missing permission stops the run at its first AccessDenied, which names the action. (-SkipPreflight skips this check; Get-V1AwsOperatorPolicy lists the permissions.)";
        if (_options.FirstWarning()) log.Warning(message);
        else log.Verbose(message);
    }

    /// <summary>The decision for one action on its resource: the resource's own, else the action's.</summary>
    private static string DecisionOf(IReadOnlyList<PolicySimulationResult> results, ActionNeed need)
    {
        var result = results.FirstOrDefault(r => string.Equals(r.ActionName, need.Action, StringComparison.OrdinalIgnoreCase) &&
                                                 (r.ResourceName == need.Resource || r.ResourceDecisions.ContainsKey(need.Resource)))
                     ?? results.FirstOrDefault(r => string.Equals(r.ActionName, need.Action, StringComparison.OrdinalIgnoreCase));
        if (result == null) return "not answered";
        return result.ResourceDecisions.TryGetValue(need.Resource, out var decision) ? decision : result.Decision;
    }
}
