using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VisionOneOnboarding.Emulator.Aws;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>What one call asks to do: each IAM action it needs, on its resource.</summary>
    public sealed class RequiredAction
    {
        public RequiredAction(string action, string resource) { Action = action; Resource = resource; }
        public string Action { get; }
        public string Resource { get; }
    }

    /// <summary>One answer of the policy simulator.</summary>
    public sealed class SimulationResult
    {
        public SimulationResult(string action, string resource, bool resourceGiven, PolicyDecision decision)
        {
            Action = action; Resource = resource; ResourceGiven = resourceGiven; Decision = decision;
        }
        public string Action { get; }
        public string Resource { get; }
        /// <summary>The resource came from ResourceArns (its result is also given as a ResourceSpecificResult).</summary>
        public bool ResourceGiven { get; }
        public PolicyDecision Decision { get; }
    }

    /// <summary>
    /// IAM users and their keys, the policy simulator, and the enforcement mode: when on, a call signed with the keys of
    /// an IAM user made here (CreateUser, CreateAccessKey) or of an assumed role is allowed only if that identity's
    /// attached and inline policies allow every action it needs, else AccessDenied with AWS's message. The seeded
    /// administrator's keys (emulator-admin, in every account) stay all-powerful, as an account's administrator is.
    /// </summary>
    public sealed partial class IamStore
    {
        private volatile bool _enforcePermissions;

        /// <summary>Control knob: check users' and assumed roles' calls against their policies.</summary>
        public bool EnforcePermissions
        {
            get => _enforcePermissions;
            set => _enforcePermissions = value;
        }

        public IamUser CreateUser(string accountId, string name, string? path)
        {
            IamValidation.Name(name, "userName", 64);
            path ??= "/";
            IamValidation.Path(path);
            lock (_gate)
            {
                var account = Account(accountId);
                if (account.Users.ContainsKey(name) || string.Equals(name, AdminUserName, StringComparison.OrdinalIgnoreCase))
                    throw AwsQueryException.AlreadyExists("User with name " + name + " already exists.");
                var user = new IamUser { Name = name, Path = path, Id = RandomId("AIDA"), Arn = "arn:aws:iam::" + accountId + ":user" + path + name, CreateDate = Now };
                account.Users.Add(name, user);
                return user;
            }
        }

        public void PutUserPolicy(string accountId, string userName, string policyName, string document)
        {
            IamValidation.Name(policyName, "policyName", 128);
            PolicyDocuments.ValidateManaged(document);
            lock (_gate)
            {
                UserByName(Account(accountId), userName).InlinePolicies[policyName] = document;
            }
        }

        public void AttachUserPolicy(string accountId, string userName, string policyArn)
        {
            lock (_gate)
            {
                var account = Account(accountId);
                var user = UserByName(account, userName);
                var policy = PolicyByArn(account, policyArn);
                if (!user.AttachedPolicyArns.Contains(policy.Arn, StringComparer.Ordinal)) user.AttachedPolicyArns.Add(policy.Arn);
            }
        }

        /// <summary>A long-term key of a user made here: calls signed with it act as that user.</summary>
        public IssuedCredential CreateAccessKey(string accountId, string userName)
        {
            lock (_gate)
            {
                var user = UserByName(Account(accountId), userName);
                _lastKeyNumber++;
                var credential = new IssuedCredential("EMULATORAKID" + _lastKeyNumber.ToString("D8", CultureInfo.InvariantCulture),
                    RandomString(SecretAlphabet, 40), null, null, new CallerPrincipal(accountId, user.Arn, user.Id, false));
                _credentials.Add(credential.AccessKeyId, credential);
                return credential;
            }
        }

        /// <summary>The role Organizations makes in its member accounts carries AdministratorAccess, as in AWS.</summary>
        internal void GrantAdministratorAccess(string accountId, string roleName)
        {
            lock (_gate)
            {
                var role = RoleByName(Account(accountId), roleName);
                if (!role.AttachedPolicyArns.Contains(PolicyEvaluation.AdministratorAccessArn, StringComparer.Ordinal))
                    role.AttachedPolicyArns.Add(PolicyEvaluation.AdministratorAccessArn);
            }
        }

        /// <summary>
        /// SimulatePrincipalPolicy: each action on each resource (none given: "*") for the user or role of
        /// <paramref name="policySourceArn"/> in the caller's account.
        /// </summary>
        public IReadOnlyList<SimulationResult> SimulatePrincipalPolicy(string accountId, string policySourceArn, IReadOnlyList<string> actions, IReadOnlyList<string>? resources)
        {
            IamValidation.Length(policySourceArn, "policySourceArn", 20, 2048);
            if (actions.Count == 0) throw AwsQueryException.Constraint("actionNames", "[]", "Member must not be null");
            lock (_gate)
            {
                var policies = PoliciesOfArn(accountId, policySourceArn);
                var given = resources != null && resources.Count > 0;
                var on = given ? resources! : new[] { "*" };
                return actions.SelectMany(action => on.Select(resource =>
                    new SimulationResult(action, resource, given, PolicyEvaluation.Evaluate(policies, action, resource)))).ToList();
            }
        }

        /// <summary>Enforcement: throws AccessDenied, worded as AWS words it, when the caller may not do all of <paramref name="required"/>.</summary>
        public void Authorize(CallerPrincipal caller, IReadOnlyList<RequiredAction> required)
        {
            if (!_enforcePermissions || required.Count == 0 || IsAdministrator(caller)) return;
            lock (_gate)
            {
                var policies = PoliciesOfCaller(caller);
                foreach (var need in required)
                {
                    var decision = PolicyEvaluation.Evaluate(policies, need.Action, need.Resource);
                    if (decision.IsAllowed) continue;
                    throw new AwsQueryException(403, "AccessDenied", "User: " + caller.Arn + " is not authorized to perform: " + need.Action +
                        " on resource: " + need.Resource + (decision.Decision == PolicyDecision.ExplicitDeny
                            ? " with an explicit deny in an identity-based policy"
                            : " because no identity-based policy allows the " + need.Action + " action"));
                }
            }
        }

        private static bool IsAdministrator(CallerPrincipal caller) =>
            caller.Arn.Length == 0 || (!caller.IsAssumedRole && caller.Arn.EndsWith(":user/" + AdminUserName, StringComparison.Ordinal));

        /// <summary>The policies of the identity that signed a call (an assumed role's are its role's).</summary>
        private IReadOnlyList<SourcePolicy> PoliciesOfCaller(CallerPrincipal caller)
        {
            if (!caller.IsAssumedRole) return PoliciesOfArn(caller.AccountId, caller.Arn);
            // arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION
            var rest = caller.Arn.Substring(caller.Arn.IndexOf(":assumed-role/", StringComparison.Ordinal) + ":assumed-role/".Length);
            var roleName = rest.Substring(0, rest.IndexOf('/'));
            return _accounts.TryGetValue(caller.AccountId, out var account) && account.Roles.TryGetValue(roleName, out var role)
                ? PoliciesOf(account, role.AttachedPolicyArns, role.InlinePolicies, "role")
                : System.Array.Empty<SourcePolicy>();
        }

        /// <summary>A user's or role's policies by its ARN; NoSuchEntity as IAM answers when there is none.</summary>
        private IReadOnlyList<SourcePolicy> PoliciesOfArn(string accountId, string arn)
        {
            var parts = arn.Split(':', 6);
            if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "iam")
                throw AwsQueryException.InvalidInput("Invalid ARN: " + arn);
            var resource = parts[5];
            var name = resource.Substring(resource.LastIndexOf('/') + 1);
            var account = Account(parts[4]);
            if (resource.StartsWith("user/", StringComparison.Ordinal))
            {
                if (string.Equals(name, AdminUserName, StringComparison.Ordinal))
                    return new[] { new SourcePolicy("AdministratorAccess", "aws-managed", PolicyEvaluation.AdministratorAccessDocument) };
                var user = account.Users.TryGetValue(name, out var u) && u.Arn == arn ? u : throw AwsQueryException.NoSuchEntity("The user with name " + name + " cannot be found.");
                return PoliciesOf(account, user.AttachedPolicyArns, user.InlinePolicies, "user");
            }
            if (resource.StartsWith("role/", StringComparison.Ordinal))
            {
                var role = account.Roles.TryGetValue(name, out var r) && r.Arn == arn ? r : throw AwsQueryException.NoSuchEntity("The role with name " + name + " cannot be found.");
                return PoliciesOf(account, role.AttachedPolicyArns, role.InlinePolicies, "role");
            }
            throw AwsQueryException.InvalidInput("Invalid ARN: " + arn + " is neither a user nor a role.");
        }

        private static IReadOnlyList<SourcePolicy> PoliciesOf(AccountIam account, IEnumerable<string> attached, IReadOnlyDictionary<string, string> inline, string inlineType)
        {
            var policies = inline.Select(p => new SourcePolicy(p.Key, inlineType, p.Value)).ToList();
            foreach (var arn in attached)
            {
                if (arn == PolicyEvaluation.AdministratorAccessArn)
                    policies.Add(new SourcePolicy("AdministratorAccess", "aws-managed", PolicyEvaluation.AdministratorAccessDocument));
                else if (account.Policies.Values.FirstOrDefault(p => p.Arn == arn) is { } managed)
                    policies.Add(new SourcePolicy(managed.Name, "user-managed", managed.DefaultVersion.Document));
            }
            return policies;
        }

        private static IamUser UserByName(AccountIam account, string name)
        {
            IamValidation.Name(name, "userName", 64);
            return account.Users.TryGetValue(name, out var user) ? user : throw AwsQueryException.NoSuchEntity("The user with name " + name + " cannot be found.");
        }
    }
}
