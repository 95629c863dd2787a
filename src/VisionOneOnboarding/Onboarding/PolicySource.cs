using System.Collections.Generic;
using System.Linq;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Onboarding
{
    /// <summary>Where the three policy documents come from: a Vision One template, or the published documents shipped with the module.</summary>
    public static class PolicySource
    {
        /// <summary>The three documents of a template, resolved with the account's facts (AWS::AccountId, AWS::Partition, AWS::Region).</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> FromTemplate(string templateText, string source, AccountScope scope, string region, ILogSink log, bool allowPolicyChanges)
            => FromTemplate(VisionOneTemplate.Read(templateText, ContextFor(scope.AccountId, region, scope.Partition)), source, log, allowPolicyChanges);

        /// <summary>
        /// The facts a template is resolved with: the account, its region and partition, and the stack name the
        /// procedure uses in place of a real stack (the role's VisionOneCloudFormationStackName tag).
        /// </summary>
        public static TemplateContext ContextFor(string? accountId, string? region, string partition = "aws") =>
            new TemplateContext(accountId, region, partition) { StackName = OnboardingDefaults.StackNameTagValue };

        /// <summary>
        /// The template's three documents. A document that adds actions the published one does not grant widens what
        /// Vision One may do in the account: refused (VisionOne.TemplatePolicyWidened, a security error) unless
        /// <paramref name="allowPolicyChanges"/>. Every difference — added Deny actions, dropped actions, other
        /// resources or conditions — is named in a warning (its full difference under -Verbose) before anything is
        /// applied: a template passed around by mail is not trusted just because it parses.
        /// </summary>
        public static IReadOnlyList<KeyValuePair<string, string>> FromTemplate(VisionOneTemplate template, string source, ILogSink log, bool allowPolicyChanges)
        {
            log.Verbose("Policy documents read from the template " + source + ".");
            var published = PublishedPolicies.Load();
            // What the role may do is the three documents together: an action moved from one part to another grants nothing new.
            var publishedActions = PolicyDiff.AllowedActions(OnboardingDefaults.PolicyNames.Select(n => published[n]));
            foreach (var name in OnboardingDefaults.PolicyNames)
            {
                var granted = PolicyDiff.AllowedActions(new[] { template.Policies[name] }).Where(a => !publishedActions.Contains(a)).OrderBy(a => a, System.StringComparer.OrdinalIgnoreCase).ToList();
                if (granted.Count > 0 && !allowPolicyChanges)
                    throw new VisionOneException(ErrorCatalogue.TemplatePolicyWidened,
                        "The template's " + name + " (" + source + ") grants actions the documents Trend publishes do not: " + string.Join(", ", granted.Take(PolicyDiff.ActionsNamed)) +
                        (granted.Count > PolicyDiff.ActionsNamed ? " and " + (granted.Count - PolicyDiff.ActionsNamed) + " more" : "") +
                        ". Nothing was changed. Use the template Vision One hands out; pass -AllowPolicyChanges only if you mean to grant them.", source);
                var diff = PolicyDiff.Between(template.Policies[name], published[name]);
                if (diff == null) continue;
                log.Warning("The template's " + name + " differs from the document Trend publishes: it " + diff.Summary() +
                    ". It is applied as the template says; check where the template came from (-Verbose shows the whole difference).");
                log.Verbose(name + ": template (+) against published (-):" + System.Environment.NewLine + string.Join(System.Environment.NewLine, diff.Lines));
            }
            return OnboardingDefaults.PolicyNames.Select(n => new KeyValuePair<string, string>(n, template.Policies[n])).ToList();
        }

        public static IReadOnlyList<KeyValuePair<string, string>> Published(ILogSink log)
        {
            var published = PublishedPolicies.Load();
            log.Verbose("No template given: using the three published Vision One policy documents shipped with the module.");
            return OnboardingDefaults.PolicyNames.Select(n => new KeyValuePair<string, string>(n, published[n])).ToList();
        }
    }
}
