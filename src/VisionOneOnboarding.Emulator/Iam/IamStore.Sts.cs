using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Emulator.Aws;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>What one AssumeRole call asks for, beyond the role and the session name.</summary>
    public sealed class AssumeRoleOptions
    {
        public int? DurationSeconds { get; set; }
        public string? ExternalId { get; set; }
        /// <summary>The MFA device ARN (arn:aws:iam::ACCOUNT:mfa/NAME) and the code it shows.</summary>
        public string? SerialNumber { get; set; }
        public string? TokenCode { get; set; }
    }

    public sealed partial class IamStore
    {
        /// <summary>The role AWS Organizations creates in every member account, trusting the management account.</summary>
        public const string OrganizationRoleName = "OrganizationAccountAccessRole";
        public const int MinAssumeRoleDuration = 900;
        public const int ChainedRoleSessionLimit = 3600;
        private const string AssumeRoleAction = "sts:AssumeRole";
        private const string WebIdentityAction = "sts:AssumeRoleWithWebIdentity";

        private static readonly Regex RoleArnPattern = new Regex(@"^arn:aws:iam::(\d{12}):role(/|/[\u0021-\u007E]+/)([A-Za-z0-9_+=,.@-]{1,64})$", RegexOptions.CultureInvariant);
        private static readonly Regex SessionNamePattern = new Regex("^[A-Za-z0-9_+=,.@-]*$", RegexOptions.CultureInvariant);
        private static readonly Regex ExternalIdPattern = new Regex(@"^[\w+=,.@:/-]*$", RegexOptions.CultureInvariant);
        private static readonly Regex MfaSerialPattern = new Regex(@"^arn:aws:iam::\d{12}:mfa/[\w+=,.@-]+$|^GAHT[0-9A-Z]{8,}$", RegexOptions.CultureInvariant);
        private static readonly Regex TokenCodePattern = new Regex(@"^\d{6}$", RegexOptions.CultureInvariant);

        private TimeSpan? _credentialLifetime;

        /// <summary>
        /// Control knob: temporary credentials issued from now on expire after this long, whatever duration was asked
        /// (null: the asked duration, as AWS does). Lets a test see credentials expire during one run.
        /// </summary>
        public TimeSpan? CredentialLifetime
        {
            get { lock (_gate) return _credentialLifetime; }
            set { lock (_gate) _credentialLifetime = value; }
        }

        /// <summary>
        /// STS AssumeRole: the role must exist in the target account and its trust policy must admit the caller for
        /// sts:AssumeRole — principal, and conditions on sts:ExternalId and aws:MultiFactorAuthPresent/Age. Real STS
        /// also checks the caller's own permissions and the MFA code against the device; the emulator's callers are
        /// administrators and any six-digit code counts as a valid one.
        /// </summary>
        public IssuedCredential AssumeRole(CallerPrincipal caller, string roleArn, string sessionName, AssumeRoleOptions options)
        {
            var duration = ValidateSessionRequest(roleArn, sessionName, options.DurationSeconds);
            var context = new TrustRequest { Action = AssumeRoleAction, Caller = caller };
            if (options.ExternalId != null)
            {
                IamValidation.Length(options.ExternalId, "externalId", 2, 1224);
                if (!ExternalIdPattern.IsMatch(options.ExternalId))
                {
                    throw AwsQueryException.Constraint("externalId", options.ExternalId, @"Member must satisfy regular expression pattern: [\w+=,.@:\/-]*");
                }
                context.Context["sts:ExternalId"] = options.ExternalId;
            }
            if (options.SerialNumber != null)
            {
                IamValidation.Length(options.SerialNumber, "serialNumber", 9, 256);
                if (!MfaSerialPattern.IsMatch(options.SerialNumber) || options.TokenCode == null || !TokenCodePattern.IsMatch(options.TokenCode))
                {
                    throw new AwsQueryException(403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.");
                }
                context.Context["aws:MultiFactorAuthPresent"] = "true";
                context.Context["aws:MultiFactorAuthAge"] = "0";
            }
            else
            {
                context.Context["aws:MultiFactorAuthPresent"] = "false";
            }

            lock (_gate)
            {
                var role = RoleForArn(roleArn);
                if (role == null || !TrustEvaluation.Admits(role.TrustPolicy, context))
                {
                    throw new AwsQueryException(403, "AccessDenied",
                        "User: " + caller.Arn + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
                }
                if (caller.IsAssumedRole && duration > ChainedRoleSessionLimit)
                {
                    throw new AwsQueryException(400, "ValidationError",
                        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
                }
                return IssueRoleSession(role, sessionName, duration);
            }
        }

        /// <summary>
        /// STS AssumeRoleWithWebIdentity (an unsigned call): the token's issuer must be an OIDC provider in the role's
        /// account, its audience one of that provider's client ids, it must not have expired, and the role's trust must
        /// admit the provider with the token's aud/sub. Real STS also verifies the token's signature against the
        /// issuer's published keys; the emulator cannot reach an issuer, so it reads the token's claims only.
        /// </summary>
        public WebIdentitySession AssumeRoleWithWebIdentity(string roleArn, string sessionName, string webIdentityToken, int? durationSeconds)
        {
            var duration = ValidateSessionRequest(roleArn, sessionName, durationSeconds);
            IamValidation.Length(webIdentityToken, "webIdentityToken", 4, 20000);
            var claims = ReadTokenClaims(webIdentityToken);
            var accountId = RoleArnPattern.Match(roleArn).Groups[1].Value;
            lock (_gate)
            {
                var providerKey = claims.Issuer.StartsWith(HttpsScheme, StringComparison.Ordinal) ? claims.Issuer.Substring(HttpsScheme.Length) : claims.Issuer;
                if (!_accounts.TryGetValue(accountId, out var account) || !account.Providers.TryGetValue(providerKey, out var provider))
                {
                    throw new AwsQueryException(400, "InvalidIdentityToken", "No OpenIDConnect provider found in your account for " + claims.Issuer);
                }
                if (!claims.Audiences.Any(a => provider.ClientIds.Contains(a, StringComparer.Ordinal)))
                {
                    throw new AwsQueryException(400, "InvalidIdentityToken", "Incorrect token audience");
                }
                if (claims.Expires <= Now)
                {
                    throw new AwsQueryException(400, "ExpiredTokenException",
                        "Token expired: current date/time " + Now.ToString("O", CultureInfo.InvariantCulture) +
                        " must be before the expiration date/time " + claims.Expires.ToString("O", CultureInfo.InvariantCulture));
                }
                var audience = claims.Audiences.First(a => provider.ClientIds.Contains(a, StringComparer.Ordinal));
                var context = new TrustRequest { Action = WebIdentityAction, FederatedProvider = provider.Arn };
                context.Context[providerKey + ":aud"] = audience;
                context.Context[providerKey + ":sub"] = claims.Subject;
                var role = RoleForArn(roleArn);
                if (role == null || !TrustEvaluation.Admits(role.TrustPolicy, context))
                {
                    throw new AwsQueryException(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
                }
                return new WebIdentitySession(IssueRoleSession(role, sessionName, duration), claims.Subject, providerKey, audience);
            }
        }

        /// <summary>Creates OrganizationAccountAccessRole in a member account, trusting the management account (as Organizations does).</summary>
        public void CreateOrganizationAccessRole(string memberAccountId, string managementAccountId)
        {
            var trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" +
                managementAccountId + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
            lock (_gate)
            {
                if (Account(memberAccountId).Roles.ContainsKey(OrganizationRoleName)) return;
            }
            CreateRole(memberAccountId, OrganizationRoleName, null, trust, null, null, System.Array.Empty<IamTag>());
            GrantAdministratorAccess(memberAccountId, OrganizationRoleName);
        }

        /// <summary>Checks what every AssumeRole* call checks; returns the duration in seconds.</summary>
        private static int ValidateSessionRequest(string roleArn, string sessionName, int? durationSeconds)
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
                throw AwsQueryException.Constraint("durationSeconds", duration.ToString(CultureInfo.InvariantCulture), "Member must have value greater than or equal to " + MinAssumeRoleDuration);
            }
            if (duration > MaxSessionDuration)
            {
                throw AwsQueryException.Constraint("durationSeconds", duration.ToString(CultureInfo.InvariantCulture), "Member must have value less than or equal to " + MaxSessionDuration);
            }
            if (!RoleArnPattern.IsMatch(roleArn))
            {
                throw new AwsQueryException(400, "ValidationError", roleArn + " is invalid");
            }
            return duration;
        }

        /// <summary>The role the ARN names (path included), once IAM has propagated it; null otherwise. Inside the lock.</summary>
        private Role? RoleForArn(string roleArn)
        {
            var match = RoleArnPattern.Match(roleArn);
            if (!_accounts.TryGetValue(match.Groups[1].Value, out var account) || !account.Roles.TryGetValue(match.Groups[3].Value, out var role)) return null;
            if (!string.Equals(role.Arn, roleArn, StringComparison.OrdinalIgnoreCase)) return null;
            return Now - role.CreateDate < _faults.RolePropagationDelay ? null : role;
        }

        /// <summary>Temporary credentials acting as a session of <paramref name="role"/>. Inside the lock.</summary>
        private IssuedCredential IssueRoleSession(Role role, string sessionName, int duration)
        {
            if (duration > role.MaxSessionDuration)
            {
                throw new AwsQueryException(400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
            }
            var accountId = role.Arn.Split(':')[4];
            var principal = new CallerPrincipal(accountId,
                "arn:aws:sts::" + accountId + ":assumed-role/" + role.Name + "/" + sessionName,
                role.Id + ":" + sessionName, true);
            return IssueTemporary(principal, TimeSpan.FromSeconds(duration));
        }

        /// <summary>Temporary credentials for <paramref name="principal"/>; the lifetime knob, when set, wins. Inside the lock.</summary>
        private IssuedCredential IssueTemporary(CallerPrincipal principal, TimeSpan lifetime)
        {
            Account(principal.AccountId);
            var credential = new IssuedCredential(
                "ASIA" + RandomString(UpperAlphanumerics, 16),
                RandomString(SecretAlphabet, 40),
                RandomString(SecretAlphabet, 356),
                Now.Add(_credentialLifetime ?? lifetime),
                principal);
            _credentials.Add(credential.AccessKeyId, credential);
            return credential;
        }

        private static TokenClaims ReadTokenClaims(string token)
        {
            var parts = token.Split('.');
            JsonElement payload;
            try
            {
                if (parts.Length != 3) throw new FormatException();
                using var header = JsonDocument.Parse(Base64Url(parts[0]));
                using var document = JsonDocument.Parse(Base64Url(parts[1]));
                payload = document.RootElement.Clone();
            }
            catch (Exception e) when (e is FormatException || e is JsonException)
            {
                throw new AwsQueryException(400, "InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
            }
            var issuer = payload.TryGetProperty("iss", out var iss) && iss.ValueKind == JsonValueKind.String ? iss.GetString()! : "";
            var subject = payload.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString()! : "";
            var audiences = PolicyJson.Strings(payload.TryGetProperty("aud", out var aud) ? aud : (JsonElement?)null);
            if (issuer.Length == 0 || subject.Length == 0 || audiences.Count == 0 || !payload.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expSeconds))
            {
                throw new AwsQueryException(400, "InvalidIdentityToken", "The ID Token provided is missing a required claim (iss, sub, aud or exp).");
            }
            return new TokenClaims(issuer, subject, audiences, DateTimeOffset.FromUnixTimeSeconds(expSeconds).UtcDateTime);
        }

        private static byte[] Base64Url(string text)
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            return Convert.FromBase64String(padded);
        }

        private sealed record TokenClaims(string Issuer, string Subject, System.Collections.Generic.IReadOnlyList<string> Audiences, DateTime Expires);
    }

    /// <summary>An AssumeRoleWithWebIdentity answer: the credentials and what STS echoes from the token.</summary>
    public sealed record WebIdentitySession(IssuedCredential Credential, string SubjectFromToken, string Provider, string Audience);
}
