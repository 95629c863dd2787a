using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>
    /// IAM and STS state of every emulated account, and the credentials the emulator accepts.
    /// All access goes through one lock; callers only ever receive copies.
    /// The operations are split by subject over the IamStore.*.cs files.
    /// </summary>
    public sealed partial class IamStore : IIamView
    {
        public const string SeedAccountId = "123456789012";
        public const string SeedAccessKeyId = "EMULATORAKID00000001";
        public const string SeedSecretAccessKey = "emulatorSecretKey0000000000000000000000001";
        public const string AdminUserName = "emulator-admin";

        private const string UpperAlphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

        private readonly object _gate = new object();
        private readonly FaultInjector _faults;
        private readonly Dictionary<string, AccountIam> _accounts = new Dictionary<string, AccountIam>(StringComparer.Ordinal);
        private readonly Dictionary<string, IssuedCredential> _credentials = new Dictionary<string, IssuedCredential>(StringComparer.Ordinal);
        private int _lastKeyNumber;

        /// <param name="faults">Supplies the principal propagation delay; a store of its own has none.</param>
        public IamStore(FaultInjector? faults = null)
        {
            _faults = faults ?? new FaultInjector();
            Reset();
        }

        /// <summary>
        /// The fault injector's clock, the emulator's one clock; settable so tests can move time (propagation delay,
        /// signature skew, token expiry) without sleeping.
        /// </summary>
        public TimeProvider Clock { get => _faults.Clock; set => _faults.Clock = value; }

        public DateTime Now => Clock.GetUtcNow().UtcDateTime;

        /// <summary>Back to the seeded account 123456789012 with its one access key, and nothing else.</summary>
        public void Reset()
        {
            lock (_gate)
            {
                _accounts.Clear();
                _credentials.Clear();
                _lastKeyNumber = 0;
                _credentialLifetime = null;
                _ssoTokens.Clear();
                _enforcePermissions = false;
                IssueUserKey(SeedAccountId, SeedSecretAccessKey);
            }
        }

        public static bool IsAccountId(string? value) => value != null && value.Length == 12 && value.All(char.IsAsciiDigit);

        /// <summary>Creates the account if needed and issues a fresh long-term key for its admin user.</summary>
        public IssuedCredential CreateAccountCredentials(string accountId)
        {
            if (!IsAccountId(accountId)) throw new ArgumentException("accountId must be 12 digits.", nameof(accountId));
            lock (_gate)
            {
                return IssueUserKey(accountId, RandomString(SecretAlphabet, 40));
            }
        }

        public IssuedCredential? FindCredential(string accessKeyId)
        {
            lock (_gate)
            {
                return _credentials.TryGetValue(accessKeyId, out var credential) ? credential : null;
            }
        }

        public IReadOnlyList<string> AccountIds()
        {
            lock (_gate)
            {
                return _accounts.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
            }
        }

        public RoleView? FindRole(string accountId, string roleName)
        {
            lock (_gate)
            {
                if (!_accounts.TryGetValue(accountId, out var account) || !account.Roles.TryGetValue(roleName, out var role)) return null;
                // A role created moments ago cannot be assumed yet: IAM has not propagated it (knob: rolePropagationMs).
                if (Now - role.CreateDate < _faults.RolePropagationDelay) return null;
                return new RoleView
                {
                    Arn = role.Arn,
                    TrustPolicy = role.TrustPolicy,
                    AttachedPolicyNames = role.AttachedPolicyArns.Select(NameFromArn).ToList(),
                    Tags = role.Tags.Select(t => new KeyValuePair<string, string>(t.Key, t.Value)).ToList(),
                };
            }
        }

        public bool RoleAssumableYet(string accountId, string roleName)
        {
            lock (_gate)
            {
                if (!_accounts.TryGetValue(accountId, out var account) || !account.Roles.TryGetValue(roleName, out var role)) return true;
                return Now - role.TrustChanged >= _faults.AssumeRoleWindow;
            }
        }

        public bool OidcProviderExists(string accountId, string url)
        {
            const string scheme = "https://";
            var key = url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? url.Substring(scheme.Length) : url;
            lock (_gate)
            {
                return _accounts.TryGetValue(accountId, out var account) && account.Providers.ContainsKey(key);
            }
        }

        private IssuedCredential IssueUserKey(string accountId, string secretAccessKey)
        {
            Account(accountId);
            _lastKeyNumber++;
            var principal = new CallerPrincipal(accountId, "arn:aws:iam::" + accountId + ":user/" + AdminUserName, "AIDAEMULATOR" + accountId, false);
            var credential = new IssuedCredential(
                "EMULATORAKID" + _lastKeyNumber.ToString("D8", CultureInfo.InvariantCulture), secretAccessKey, null, null, principal);
            _credentials.Add(credential.AccessKeyId, credential);
            return credential;
        }

        /// <summary>An account's IAM, created empty on first touch as a fresh AWS account is.</summary>
        private AccountIam Account(string accountId)
        {
            if (!_accounts.TryGetValue(accountId, out var account))
            {
                account = new AccountIam(accountId);
                _accounts.Add(accountId, account);
            }
            return account;
        }

        private static string NameFromArn(string arn) => arn.Substring(arn.LastIndexOf('/') + 1);

        private static string RandomString(string alphabet, int length) => RandomNumberGenerator.GetString(alphabet, length);

        private static string RandomId(string prefix) => prefix + RandomString(UpperAlphanumerics, 17);
    }
}
