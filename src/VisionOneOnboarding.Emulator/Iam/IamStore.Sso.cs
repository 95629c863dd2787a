using System;
using System.Collections.Generic;
using System.Linq;
using VisionOneOnboarding.Emulator.Aws;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>One account and permission set a user of IAM Identity Center may sign in to.</summary>
    public sealed class SsoAssignment
    {
        public string? AccountId { get; set; }
        public string? RoleName { get; set; }
    }

    /// <summary>An access token of the IAM Identity Center portal, as 'aws sso login' caches it.</summary>
    public sealed record SsoAccessToken(string AccessToken, DateTime ExpiresAt, IReadOnlyList<SsoAssignment> Assignments);

    /// <summary>An error of the SSO portal's REST-JSON API: HTTP status and the exception type name it sends.</summary>
    public sealed class SsoPortalException : Exception
    {
        public SsoPortalException(int status, string type, string message) : base(message) { Status = status; Type = type; }
        public int Status { get; }
        public string Type { get; }
    }

    public sealed partial class IamStore
    {
        public const string SsoUserName = "emulator-sso-user";
        private readonly Dictionary<string, SsoAccessToken> _ssoTokens = new Dictionary<string, SsoAccessToken>(StringComparer.Ordinal);

        /// <summary>
        /// Issues a portal access token (what 'aws sso login' obtains through the device flow) that may fetch role
        /// credentials for the given assignments. The control endpoint hands it to tests, which write the token cache.
        /// </summary>
        public SsoAccessToken IssueSsoToken(IReadOnlyList<SsoAssignment> assignments, TimeSpan lifetime)
        {
            if (assignments.Any(a => !IsAccountId(a.AccountId) || string.IsNullOrEmpty(a.RoleName)))
            {
                throw new ArgumentException("Every assignment needs a 12-digit accountId and a roleName.", nameof(assignments));
            }
            lock (_gate)
            {
                var token = new SsoAccessToken("aoa" + RandomString(SecretAlphabet, 60), Now.Add(lifetime), assignments.ToList());
                _ssoTokens.Add(token.AccessToken, token);
                return token;
            }
        }

        /// <summary>
        /// The portal's GetRoleCredentials: a known, unexpired bearer token with an assignment for the account and
        /// permission set. The credentials act as the role Identity Center keeps in that account
        /// (AWSReservedSSO_&lt;permission set&gt;_&lt;id&gt;), for one hour unless the lifetime knob says otherwise.
        /// </summary>
        public IssuedCredential GetSsoRoleCredentials(string? accessToken, string? accountId, string? roleName)
        {
            if (string.IsNullOrEmpty(accessToken) || string.IsNullOrEmpty(accountId) || string.IsNullOrEmpty(roleName))
            {
                throw new SsoPortalException(400, "InvalidRequestException", "accessToken, account_id and role_name are required.");
            }
            lock (_gate)
            {
                if (!_ssoTokens.TryGetValue(accessToken, out var token) || token.ExpiresAt <= Now)
                {
                    throw new SsoPortalException(401, "UnauthorizedException", "Session token not found or invalid");
                }
                if (!token.Assignments.Any(a => a.AccountId == accountId && string.Equals(a.RoleName, roleName, StringComparison.Ordinal)))
                {
                    throw new SsoPortalException(403, "ForbiddenException", "No access");
                }
                var reservedRole = "AWSReservedSSO_" + roleName + "_" + Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(accountId)).Substring(0, 16);
                var principal = new CallerPrincipal(accountId,
                    "arn:aws:sts::" + accountId + ":assumed-role/" + reservedRole + "/" + SsoUserName,
                    "AROASSO" + accountId + ":" + SsoUserName, true);
                return IssueTemporary(principal, TimeSpan.FromHours(1));
            }
        }
    }
}
