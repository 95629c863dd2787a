using System;
using System.Collections.Generic;
using System.Linq;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Errors;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>The calls a planned change makes.</summary>
    public enum ChangeKind
    {
        CreateProvider,
        AddAudience,
        UpdateThumbprints,
        CreatePolicy,
        DeleteOldestPolicyVersion,
        CreatePolicyVersion,
        CreateRole,
        UpdateTrust,
        TagRole,
        AttachPolicy,
        DetachPolicy,
        ConnectAccount,
        RepointAccount,
        /// <summary>PATCH the entry's name, description or workload instance (If-Match).</summary>
        UpdateAccount,
        DisconnectAccount,
        DeleteInlinePolicy,
        /// <summary>Take the role out of an instance profile (removal with -IncludeShared): IAM deletes no role that is in one.</summary>
        RemoveFromInstanceProfile,
        DeletePolicyVersion,
        DeletePolicy,
        DeleteRole,
        DeleteProvider,
    }

    /// <summary>
    /// One change a plan makes: which step and resource, the item it puts right, what is expected and what is there,
    /// and the action in the words -WhatIf shows. Changes of one step on different lanes are independent and run side
    /// by side; changes on one lane run in plan order.
    /// </summary>
    public sealed class PlannedChange
    {
        internal PlannedChange(ChangeKind kind, string step, string resource, string item, string expected, string actual, string action, string lane)
        {
            Kind = kind; Step = step; Resource = resource; Item = item; Expected = expected; Actual = actual; Action = action; Lane = lane;
        }

        public ChangeKind Kind { get; }
        public string Step { get; }
        /// <summary>The ARN changed (the account id for a Cloud Accounts disconnection, the role ARN for a connection).</summary>
        public string Resource { get; }
        public string Item { get; }
        public string Expected { get; }
        public string Actual { get; }
        public string Action { get; }
        /// <summary>Changes of one step on the same lane depend on each other; other lanes do not.</summary>
        public string Lane { get; }
        /// <summary>
        /// It replaces or takes away something already in use (an existing role's trust policy, a policy attached to
        /// the role): Invoke confirms it as a high-impact change unless -Force.
        /// </summary>
        public bool HighImpact { get; internal set; }

        /// <summary>A policy or inline policy name, a policy ARN to attach or detach, a version id.</summary>
        internal string? Argument { get; set; }
        /// <summary>A document: a policy, or the trust policy.</summary>
        internal string? Document { get; set; }
        internal IReadOnlyList<string> Values { get; set; } = new string[0];
        internal IReadOnlyList<AwsTag> Tags { get; set; } = new AwsTag[0];

        public override string ToString() => Step + ": " + Action + " (" + Resource + ")";
    }

    /// <summary>Something the plan wants said: a warning, or narration.</summary>
    public sealed class PlanNote
    {
        public PlanNote(string text, bool isWarning) { Text = text; IsWarning = isWarning; }
        public string Text { get; }
        public bool IsWarning { get; }
    }

    /// <summary>
    /// The result of <see cref="OnboardingPlanner.Plan"/>: the checks (every piece compared, Ok or not) and the changes
    /// that put right what is not Ok, derived from those checks, so Test (the checks) and -WhatIf (the changes) tell the
    /// same story by construction. A refusal (something the plan must not change without -Force) stops Apply before the
    /// first change; Test still reports the checks.
    /// </summary>
    public sealed class OnboardingPlan
    {
        internal OnboardingPlan(DesiredOnboarding? desired, ObservedAccount observed, StepGraph graph, IEnumerable<OnboardingCheck> checks,
            IEnumerable<PlannedChange> changes, IEnumerable<PlanNote> notes, VisionOneException? refusal)
        {
            Desired = desired;
            Observed = observed;
            Graph = graph;
            Checks = checks.ToArray();
            Changes = changes.ToArray();
            Notes = notes.ToArray();
            Refusal = refusal;
        }

        public string AccountId => Observed.AccountId;
        /// <summary>Null for a removal plan.</summary>
        public DesiredOnboarding? Desired { get; }
        public ObservedAccount Observed { get; }
        /// <summary>The order the changes' steps depend on each other in.</summary>
        public StepGraph Graph { get; }
        public IReadOnlyList<OnboardingCheck> Checks { get; }
        public IReadOnlyList<PlannedChange> Changes { get; }
        public IReadOnlyList<PlanNote> Notes { get; }
        public VisionOneException? Refusal { get; }
        public bool IsEmpty => Changes.Count == 0;
    }

    /// <summary>Collects a plan; the planners' only way to say anything.</summary>
    internal sealed class PlanBuilder
    {
        private readonly string _accountId;
        private readonly List<OnboardingCheck> _checks = new List<OnboardingCheck>();
        private readonly List<PlannedChange> _changes = new List<PlannedChange>();
        private readonly List<PlanNote> _notes = new List<PlanNote>();
        private VisionOneException? _refusal;

        public PlanBuilder(string accountId) { _accountId = accountId; }

        public OnboardingCheck Check(string step, string resource, string item, string expected, string actual, CheckStatus status)
        {
            var check = new OnboardingCheck(_accountId, step, resource, item, expected, actual, status);
            _checks.Add(check);
            return check;
        }

        public PlannedChange Change(ChangeKind kind, string step, string resource, string item, string expected, string actual, string action, string? lane = null)
        {
            var change = new PlannedChange(kind, step, resource, item, expected, actual, action, lane ?? resource);
            _changes.Add(change);
            return change;
        }

        public void Note(string text) => _notes.Add(new PlanNote(text, false));
        public void Warn(string text) => _notes.Add(new PlanNote(text, true));

        /// <summary>The first refusal wins: it is the one an admin meets first in the procedure's order.</summary>
        public void Refuse(VisionOneException refusal) => _refusal ??= refusal;

        public OnboardingPlan Build(DesiredOnboarding? desired, ObservedAccount observed, StepGraph graph) =>
            new OnboardingPlan(desired, observed, graph, _checks, _changes, _notes, _refusal);
    }

    /// <summary>
    /// Which step's changes wait for which: the one description of the procedure's dependencies. Apply schedules by it,
    /// and the benchmark's floor (the fewest dependent round trips a run needs) is computed from it.
    /// </summary>
    public sealed class StepGraph
    {
        private readonly Dictionary<string, string[]> _dependsOn;

        private StepGraph(string name, Dictionary<string, string[]> dependsOn)
        {
            Name = name;
            _dependsOn = dependsOn;
        }

        public string Name { get; }

        /// <summary>
        /// Onboarding: the provider and the policies have no prerequisite; the role (and a trust change) needs the
        /// provider it names, else IAM answers "Invalid principal"; tags wait for the role; attachments for the role and
        /// the policies; the Cloud Accounts connection for every IAM change, since Vision One assumes the role at once.
        /// </summary>
        public static StepGraph Onboarding { get; } = new StepGraph("onboarding", new Dictionary<string, string[]>
        {
            [OnboardingSteps.OidcProvider] = new string[0],
            [OnboardingSteps.Policies] = new string[0],
            [OnboardingSteps.Thumbprints] = new[] { OnboardingSteps.OidcProvider },
            [OnboardingSteps.Role] = new[] { OnboardingSteps.OidcProvider },
            [OnboardingSteps.RoleTrust] = new[] { OnboardingSteps.OidcProvider },
            [OnboardingSteps.RoleTags] = new[] { OnboardingSteps.Role },
            [OnboardingSteps.RoleAttachments] = new[] { OnboardingSteps.Role, OnboardingSteps.Policies },
            [OnboardingSteps.CloudAccount] = new[] { OnboardingSteps.Thumbprints, OnboardingSteps.RoleTrust, OnboardingSteps.RoleTags, OnboardingSteps.RoleAttachments },
        });

        /// <summary>
        /// Removal, the reverse: disconnect first (Vision One stops using the role), then detach (IAM deletes no attached
        /// policy and no role with attachments), then the policies, the role, and the provider last — the documented safe order.
        /// </summary>
        public static StepGraph Removal { get; } = new StepGraph("removal", new Dictionary<string, string[]>
        {
            [OnboardingSteps.CloudAccount] = new string[0],
            [OnboardingSteps.RoleAttachments] = new[] { OnboardingSteps.CloudAccount },
            [OnboardingSteps.Policies] = new[] { OnboardingSteps.RoleAttachments },
            [OnboardingSteps.Role] = new[] { OnboardingSteps.Policies },
            [OnboardingSteps.OidcProvider] = new[] { OnboardingSteps.Role },
        });

        public IReadOnlyCollection<string> Steps => _dependsOn.Keys;

        public IReadOnlyList<string> DependsOn(string step) =>
            _dependsOn.TryGetValue(step, out var steps) ? steps : throw new ArgumentException("Step " + step + " is not part of the " + Name + " graph.", nameof(step));

        /// <summary>The longest chain of dependent calls through the graph, a step weighing the calls its longest lane makes in a row.</summary>
        public int LongestPath(IEnumerable<PlannedChange> changes)
        {
            var weights = changes.GroupBy(c => c.Step)
                .ToDictionary(g => g.Key, g => g.GroupBy(c => c.Lane).Max(lane => lane.Count()), StringComparer.Ordinal);
            return LongestPath(step => weights.TryGetValue(step, out var w) ? w : 0);
        }

        /// <summary>
        /// The floor of a whole run in dependent round trips: STS beside the template (links, then download); the
        /// account's reads after STS (1, or 2 with policy documents); the longest chain of the changes made; and the
        /// verification's reads.
        /// </summary>
        public int RunFloor(int templateCalls, int dependentReads, IEnumerable<PlannedChange> made, int verifyReads)
        {
            const int callerIdentity = 1;
            return Math.Max(callerIdentity + dependentReads, templateCalls) + LongestPath(made) + verifyReads;
        }

        public int LongestPath(Func<string, int> weight)
        {
            var memo = new Dictionary<string, int>(StringComparer.Ordinal);
            int Depth(string step)
            {
                if (memo.TryGetValue(step, out var known)) return known;
                var deepest = DependsOn(step).Select(Depth).DefaultIfEmpty(0).Max();
                return memo[step] = deepest + weight(step);
            }
            return Steps.Select(Depth).DefaultIfEmpty(0).Max();
        }
    }
}
