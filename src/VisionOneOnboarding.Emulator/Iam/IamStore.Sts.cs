using System;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Emulator.Aws;

namespace VisionOneOnboarding.Emulator.Iam
{
    public sealed partial class IamStore
    {
        /// <summary>The role AWS Organizations creates in every member account; assumable there without creating it.</summary>
        public const string OrganizationRoleName = "OrganizationAccountAccessRole";
        public const int MinAssumeRoleDuration = 900;
        public const int ChainedRoleSessionLimit = 3600;

        private static readonly Regex RoleArnPattern = new Regex(@"^arn:aws:iam::(\d{12}):role(/|/[\u0021-\u007E]+/)([A-Za-z0-9_+=,.@-]{1,64})$", RegexOptions.CultureInvariant);
        private static readonly Regex SessionNamePattern = new Regex("^[A-Za-z0-9_+=,.@-]*$", RegexOptions.CultureInvariant);

        /// <summary>
        /// STS AssumeRole: the role must exist in the target account, except OrganizationAccountAccessRole, which
        /// every (possibly new) 12-digit account has. Returns temporary credentials acting in that account.
        /// </summary>
        public IssuedCredential AssumeRole(CallerPrincipal caller, string roleArn, string sessionName, int? durationSeconds)
        {
            IamValidation.Length(roleArn, "roleArn", 20, 2048);
            IamValidation.Length(sessionName, "roleSessionName", 2, 64);
            if (!SessionNamePattern.IsMatch(sessionName))
            {
                throw AwsQueryException.Constraint("roleSessionName", sessionName, @"Member must satisfy regular expression pattern: [\w+=,.@-]*");
            }
            var duration = durationSeconds ?? ChainedRoleSessionLimit;
            if (duration < MinAssumeRoleDuration)
            {
                throw AwsQueryException.Constraint("durationSeconds", duration.ToString(), "Member must have value greater than or equal to " + MinAssumeRoleDuration);
            }
            if (duration > MaxSessionDuration)
            {
                throw AwsQueryException.Constraint("durationSeconds", duration.ToString(), "Member must have value less than or equal to " + MaxSessionDuration);
            }
            var match = RoleArnPattern.Match(roleArn);
            if (!match.Success)
            {
                throw new AwsQueryException(400, "ValidationError", roleArn + " is invalid");
            }
            var accountId = match.Groups[1].Value;
            var path = match.Groups[2].Value;
            var roleName = match.Groups[3].Value;
            lock (_gate)
            {
                Role? role = null;
                if (_accounts.TryGetValue(accountId, out var account) && account.Roles.TryGetValue(roleName, out var found)
                    && string.Equals(found.Arn, roleArn, StringComparison.OrdinalIgnoreCase))
                {
                    role = found;
                }
                bool organizationRole = role == null && roleName == OrganizationRoleName && path == "/";
                if (role == null && !organizationRole)
                {
                    throw new AwsQueryException(403, "AccessDenied",
                        "User: " + caller.Arn + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
                }
                if (caller.IsAssumedRole && duration > ChainedRoleSessionLimit)
                {
                    throw new AwsQueryException(400, "ValidationError",
                        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
                }
                if (duration > (role?.MaxSessionDuration ?? MinSessionDuration))
                {
                    throw new AwsQueryException(400, "ValidationError",
                        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
                }
                Account(accountId);
                var roleId = role?.Id ?? "AROAORGACCESS" + accountId;
                var principal = new CallerPrincipal(accountId,
                    "arn:aws:sts::" + accountId + ":assumed-role/" + (role?.Name ?? roleName) + "/" + sessionName,
                    roleId + ":" + sessionName, true);
                var credential = new IssuedCredential(
                    "ASIA" + RandomString(UpperAlphanumerics, 16),
                    RandomString(SecretAlphabet, 40),
                    RandomString(SecretAlphabet, 356),
                    Now.AddSeconds(duration),
                    principal);
                _credentials.Add(credential.AccessKeyId, credential);
                return credential;
            }
        }
    }
}
