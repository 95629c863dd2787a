using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Emulator.VisionOne
{
    /// <summary>An API key the emulator accepts, and the tenant it speaks for.</summary>
    public sealed class CamKey
    {
        public CamKey(string key, string businessId, string region, bool readOnly)
        {
            Key = key; BusinessId = businessId; Region = region; ReadOnly = readOnly;
        }
        public string Key { get; }
        public string BusinessId { get; }
        /// <summary>The Vision One region the tenant lives in (us, eu, ...): decides the OIDC issuer and the sub.</summary>
        public string Region { get; }
        /// <summary>A key whose role may read but not change Cloud Accounts (answers 403 on writes).</summary>
        public bool ReadOnly { get; }
        public override string ToString() => "key for " + BusinessId + " (" + Region + (ReadOnly ? ", read-only" : "") + ")";
    }

    /// <summary>One page of a list.</summary>
    public sealed class CamPage
    {
        public CamPage(IReadOnlyList<CamAccount> items, int totalCount, int? nextOffset) { Items = items; TotalCount = totalCount; NextOffset = nextOffset; }
        public IReadOnlyList<CamAccount> Items { get; }
        public int TotalCount { get; }
        /// <summary>Where the next page starts; null on the last page.</summary>
        public int? NextOffset { get; }
    }

    /// <summary>The fields a PATCH changes; null means "leave as is".</summary>
    public sealed class CamAccountPatch
    {
        public string? RoleArn { get; set; }
        public string? Name { get; set; }
        public string? Description { get; set; }
        public JsonArray? Features { get; set; }
        public JsonArray? ConnectedSecurityServices { get; set; }
        public JsonArray? CustomTags { get; set; }
    }

    /// <summary>
    /// The state behind the emulator's Vision One face: API keys (tenants), connected accounts, template links and
    /// the rate limit. Validation and the AWS-side role check live here; HTTP lives in CamEndpoints. Thread-safe.
    /// Accounts are re-checked against IAM whenever they are read, so a repaired role turns an account managed.
    /// </summary>
    public sealed class CamStore
    {
        public const string SeededApiKey = "emulator-visionone-api-key";
        public const string SeededBusinessId = "1234567890";
        public const string SeededRegion = "us";
        public const int MaxNameLength = 254;
        public const int MaxDescriptionLength = 254;
        public static readonly IReadOnlyList<int> AllowedTop = new[] { 25, 50, 100, 500, 1000, 5000 };

        /// <summary>Regions with a documented OIDC issuer (usgov has none, so it cannot be emulated).</summary>
        public static readonly IReadOnlyList<string> Regions = new[] { "us", "eu", "jp", "sg", "au", "in", "mea", "uk", "ca", "za", "id", "br" };

        /// <summary>The default AWS region per Vision One region, used when generateCfnTemplateLinks is given none.</summary>
        private static readonly Dictionary<string, string> DefaultAwsRegion = new Dictionary<string, string>
        {
            ["us"] = "us-east-1", ["eu"] = "eu-central-1", ["jp"] = "ap-northeast-1", ["sg"] = "ap-southeast-1",
            ["au"] = "ap-southeast-2", ["in"] = "ap-south-1", ["mea"] = "me-central-1", ["uk"] = "eu-west-2",
            ["ca"] = "ca-central-1", ["za"] = "af-south-1", ["id"] = "ap-southeast-3", ["br"] = "sa-east-1",
        };

        private static readonly Regex AwsRegionPattern = new Regex(@"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$", RegexOptions.CultureInvariant);

        private static readonly IReadOnlyList<(string Id, string Name, string Description)> FeatureCatalog = new[]
        {
            ("cloud-conformity", "Cloud Posture", "Misconfiguration and compliance checks of AWS resources"),
            ("cloud-sentry", "Agentless vulnerability & threat detection", "Scans EC2, EBS, ECR and Lambda without agents"),
            ("cloud-audit-log-monitoring", "Cloud detection and response", "Monitors CloudTrail activity"),
            ("container-security", "Container Security", "Protects EKS and ECS workloads"),
            ("file-storage-security", "File Storage Security", "Scans objects uploaded to S3"),
        };

        private readonly object _gate = new object();
        private readonly IIamView _iam;
        private readonly Func<DateTimeOffset> _clock;
        private readonly Dictionary<string, CamKey> _keys = new Dictionary<string, CamKey>(StringComparer.Ordinal);
        private readonly List<CamAccount> _accounts = new List<CamAccount>();
        private readonly Dictionary<string, CamTemplateRequest> _templates = new Dictionary<string, CamTemplateRequest>(StringComparer.Ordinal);
        private int _rateLimitPerMinute;
        private DateTimeOffset _windowStart;
        private int _windowCount;

        /// <param name="iam">What the service can see of IAM when it assumes the role.</param>
        /// <param name="clock">Time source for timestamps and the rate-limit window; tests inject one.</param>
        public CamStore(IIamView iam, Func<DateTimeOffset>? clock = null)
        {
            _iam = iam;
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
            Reset();
        }

        /// <summary>Requests per 60-second window over all keys; 0 means unlimited.</summary>
        public int RateLimitPerMinute
        {
            get { lock (_gate) return _rateLimitPerMinute; }
            set
            {
                if (value < 0) throw CamError.BadRequest("InvalidParameter", "perMinute must be 0 (unlimited) or more.");
                lock (_gate) { _rateLimitPerMinute = value; _windowCount = 0; _windowStart = _clock(); }
            }
        }

        /// <summary>Back to the seeded key, no accounts, no templates, no rate limit.</summary>
        public void Reset()
        {
            lock (_gate)
            {
                _keys.Clear();
                _keys[SeededApiKey] = new CamKey(SeededApiKey, SeededBusinessId, SeededRegion, readOnly: false);
                _accounts.Clear();
                _templates.Clear();
                _rateLimitPerMinute = 0;
                _windowCount = 0;
                _windowStart = _clock();
            }
        }

        public void AddKey(string key, string businessId, string region, bool readOnly)
        {
            if (string.IsNullOrWhiteSpace(key)) throw CamError.BadRequest("InvalidParameter", "key is required.");
            if (string.IsNullOrWhiteSpace(businessId)) throw CamError.BadRequest("InvalidParameter", "businessId is required.");
            if (!Regions.Contains(region)) throw CamError.BadRequest("InvalidParameter", "region must be one of " + string.Join(", ", Regions) + ".");
            lock (_gate) { _keys[key] = new CamKey(key, businessId, region, readOnly); }
        }

        /// <summary>Null for an unknown key.</summary>
        public CamKey? FindKey(string? key)
        {
            if (string.IsNullOrEmpty(key)) return null;
            lock (_gate) { return _keys.TryGetValue(key, out var found) ? found : null; }
        }

        /// <summary>Counts one request against the current window; a 429 CamError (with Retry-After) when over the limit.</summary>
        public void CountRequest()
        {
            lock (_gate)
            {
                if (_rateLimitPerMinute == 0) return;
                var now = _clock();
                if (now - _windowStart >= TimeSpan.FromMinutes(1)) { _windowStart = now; _windowCount = 0; }
                if (_windowCount >= _rateLimitPerMinute)
                {
                    var wait = _windowStart.AddMinutes(1) - now;
                    throw CamError.TooManyRequests(Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)));
                }
                _windowCount++;
            }
        }

        public CamAccount Add(CamKey caller, string? roleArn, string? name, string? description,
            JsonArray? features, JsonArray? connectedSecurityServices, JsonArray? customTags)
        {
            var arn = RequireRoleArn(roleArn);
            RequireName(name);
            RequireDescription(description);
            RequireSecurityServices(connectedSecurityServices);
            lock (_gate)
            {
                if (Find(caller, arn.AccountId) != null) throw CamError.AlreadyConnected(arn.AccountId);
                RequireUniqueName(caller, name!, exceptId: null);
                if (!_iam.RoleAssumableYet(arn.AccountId, arn.RoleName)) throw CamError.UnableToAssumeRole(roleArn!);
                var now = _clock();
                var account = new CamAccount
                {
                    BusinessId = caller.BusinessId,
                    Id = arn.AccountId,
                    RoleArn = roleArn!,
                    Name = name!,
                    Description = description,
                    Created = now,
                    Updated = now,
                    Features = (JsonArray?)features?.DeepClone() ?? new JsonArray(),
                    ConnectedSecurityServices = (JsonArray?)connectedSecurityServices?.DeepClone() ?? new JsonArray(),
                    CustomTags = (JsonArray?)customTags?.DeepClone() ?? new JsonArray(),
                };
                Check(caller, account, arn);
                account.ETag = NewETag();
                _accounts.Add(account);
                return account.Clone();
            }
        }

        /// <summary>Null when the tenant has no such account.</summary>
        public CamAccount? Get(CamKey caller, string id)
        {
            lock (_gate)
            {
                var account = Find(caller, id);
                if (account == null) return null;
                Recheck(caller, account);
                return account.Clone();
            }
        }

        public CamPage List(CamKey caller, string? filter, int top, int offset)
        {
            if (!AllowedTop.Contains(top)) throw CamError.BadRequest("InvalidParameter", "top must be one of " + string.Join(", ", AllowedTop) + ".");
            var predicate = CamFilter.Parse(filter);
            lock (_gate)
            {
                var mine = _accounts.Where(a => a.BusinessId == caller.BusinessId).ToList();
                foreach (var account in mine) Recheck(caller, account);
                var matching = mine.Where(predicate).ToList();
                if (offset < 0 || offset > matching.Count) throw CamError.BadRequest("InvalidParameter", "skipToken is out of range.");
                var page = matching.Skip(offset).Take(top).Select(a => a.Clone()).ToList();
                int? next = offset + page.Count < matching.Count ? offset + page.Count : (int?)null;
                return new CamPage(page, matching.Count, next);
            }
        }

        public CamAccount Update(CamKey caller, string id, string? ifMatch, CamAccountPatch patch)
        {
            if (string.IsNullOrWhiteSpace(ifMatch)) throw CamError.PreconditionRequired();
            var newArn = patch.RoleArn == null ? null : RequireRoleArn(patch.RoleArn);
            if (patch.Name != null) RequireName(patch.Name);
            RequireDescription(patch.Description);
            RequireSecurityServices(patch.ConnectedSecurityServices);
            lock (_gate)
            {
                var account = Find(caller, id) ?? throw CamError.NotFound(id);
                if (!ETagMatches(ifMatch!, account.ETag)) throw CamError.PreconditionFailed();
                if (newArn != null && newArn.AccountId != account.Id)
                {
                    throw CamError.BadRequest("InvalidRoleArn", "The role ARN names account " + newArn.AccountId + ", but this entry is account " + account.Id + ".");
                }
                if (patch.Name != null) RequireUniqueName(caller, patch.Name, exceptId: account.Id);
                if (newArn != null && !_iam.RoleAssumableYet(newArn.AccountId, newArn.RoleName)) throw CamError.UnableToAssumeRole(patch.RoleArn!);

                if (patch.RoleArn != null) account.RoleArn = patch.RoleArn;
                if (patch.Name != null) account.Name = patch.Name;
                if (patch.Description != null) account.Description = patch.Description;
                if (patch.Features != null) account.Features = (JsonArray)patch.Features.DeepClone();
                if (patch.ConnectedSecurityServices != null) account.ConnectedSecurityServices = (JsonArray)patch.ConnectedSecurityServices.DeepClone();
                if (patch.CustomTags != null) account.CustomTags = (JsonArray)patch.CustomTags.DeepClone();
                account.Updated = _clock();
                Check(caller, account, CamRoleCheck.ParseRoleArn(account.RoleArn)!);
                account.ETag = NewETag();
                return account.Clone();
            }
        }

        /// <summary>False when the tenant had no such account.</summary>
        public bool Delete(CamKey caller, string id)
        {
            lock (_gate)
            {
                var account = Find(caller, id);
                return account != null && _accounts.Remove(account);
            }
        }

        public IReadOnlyList<(string Id, string Name, string Description)> Features => FeatureCatalog;

        /// <summary>Remembers what a template was asked for; its token goes into the template URL.</summary>
        public CamTemplateRequest CreateTemplate(CamKey caller, string? awsRegion, string? templateAccountType, string? awsAccountName)
        {
            var region = string.IsNullOrEmpty(awsRegion) ? DefaultAwsRegion[caller.Region] : awsRegion!;
            if (!AwsRegionPattern.IsMatch(region)) throw CamError.BadRequest("InvalidParameter", "awsRegion '" + awsRegion + "' is not an AWS region code.");
            var type = string.IsNullOrEmpty(templateAccountType) ? "single" : templateAccountType!;
            if (type != "single" && type != "organization") throw CamError.BadRequest("InvalidParameter", "templateAccountType must be 'single' or 'organization'.");
            var request = new CamTemplateRequest
            {
                Token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(),
                Region = caller.Region,
                BusinessId = caller.BusinessId,
                AwsRegion = region,
                TemplateAccountType = type,
                AwsAccountName = awsAccountName,
                Signature = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant(),
                SecurityToken = "IQoJemulator" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
            };
            lock (_gate) { _templates[request.Token] = request; }
            return request;
        }

        public CamTemplateRequest? FindTemplate(string token)
        {
            lock (_gate) { return _templates.TryGetValue(token, out var found) ? found : null; }
        }

        /// <summary>
        /// What Vision One's own background sync reports of an entry, for the control endpoint: a state other than the
        /// role check's (outdated, failed), when it last synced, and per feature the AWS permissions its role lacks
        /// (<c>features[].missingAwsPermissions</c>). The real service learns these by syncing on its own schedule; the
        /// emulator cannot, so a test says what the sync found. False when no tenant has the account.
        /// </summary>
        public bool ReportSync(string id, string? state, DateTimeOffset? lastSynced, IReadOnlyDictionary<string, string[]> missingAwsPermissions)
        {
            lock (_gate)
            {
                var account = _accounts.FirstOrDefault(a => a.Id == id);
                if (account == null) return false;
                account.ReportedState = state;
                if (state != null) account.State = state;
                if (lastSynced != null) account.LastSynced = lastSynced.Value;
                foreach (var feature in missingAwsPermissions)
                {
                    var entry = account.Features.OfType<JsonObject>().FirstOrDefault(f => (string?)f["id"] == feature.Key);
                    if (entry == null)
                    {
                        entry = new JsonObject { ["id"] = feature.Key, ["regions"] = new JsonArray() };
                        account.Features.Add(entry);
                    }
                    entry["missingAwsPermissions"] = new JsonArray(feature.Value.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
                }
                account.ETag = NewETag();
                return true;
            }
        }

        /// <summary>Every account of every tenant, for the control endpoint.</summary>
        public IReadOnlyList<CamAccount> Dump()
        {
            lock (_gate) { return _accounts.Select(a => a.Clone()).ToList(); }
        }

        // ---- internals (callers hold _gate where noted) ----

        private CamAccount? Find(CamKey caller, string id) =>
            _accounts.FirstOrDefault(a => a.BusinessId == caller.BusinessId && a.Id == id);

        /// <summary>Holds _gate. An add or update: Vision One checks the role now, and that check is the entry's sync.</summary>
        private void Check(CamKey caller, CamAccount account, ParsedRoleArn arn)
        {
            account.ReportedState = null;
            Evaluate(caller, account, arn);
            account.LastSynced = _clock();
        }

        /// <summary>Holds _gate. Sets state and missing pieces from what IAM shows now (a reported sync state stands while the role checks out).</summary>
        private void Evaluate(CamKey caller, CamAccount account, ParsedRoleArn arn)
        {
            var missing = CamRoleCheck.FindMissingPieces(_iam, arn, caller.Region, caller.BusinessId);
            account.MissingPieces = missing;
            account.State = missing.Count > 0 ? "failed" : account.ReportedState ?? "managed";
        }

        /// <summary>
        /// Holds _gate. A read shows the role as IAM has it now (the emulator's shortcut for Vision One's periodic sync);
        /// a change of what the check finds is a change of the account: new ETag and sync time.
        /// </summary>
        private void Recheck(CamKey caller, CamAccount account)
        {
            var before = account.State + "|" + string.Join("|", account.MissingPieces);
            Evaluate(caller, account, CamRoleCheck.ParseRoleArn(account.RoleArn)!);
            if (before != account.State + "|" + string.Join("|", account.MissingPieces))
            {
                account.LastSynced = _clock();
                account.Updated = account.LastSynced;
                account.ETag = NewETag();
            }
        }

        private void RequireUniqueName(CamKey caller, string name, string? exceptId)
        {
            if (_accounts.Any(a => a.BusinessId == caller.BusinessId && a.Id != exceptId && string.Equals(a.Name, name, StringComparison.Ordinal)))
            {
                throw CamError.DuplicateName(name);
            }
        }

        private static ParsedRoleArn RequireRoleArn(string? roleArn)
        {
            if (string.IsNullOrEmpty(roleArn)) throw CamError.BadRequest("InvalidRoleArn", "roleArn is required.");
            return CamRoleCheck.ParseRoleArn(roleArn)
                ?? throw CamError.BadRequest("InvalidRoleArn", "roleArn '" + roleArn + "' is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>).");
        }

        private static void RequireName(string? name)
        {
            if (string.IsNullOrWhiteSpace(name)) throw CamError.BadRequest("InvalidName", "name is required.");
            if (name.Length > MaxNameLength) throw CamError.BadRequest("InvalidName", "name must be at most " + MaxNameLength + " characters.");
        }

        private static void RequireDescription(string? description)
        {
            if (description != null && description.Length > MaxDescriptionLength)
            {
                throw CamError.BadRequest("InvalidDescription", "description must be at most " + MaxDescriptionLength + " characters.");
            }
        }

        /// <summary>Only Server &amp; Workload Protection ("workload"), and one instance per AWS account.</summary>
        private static void RequireSecurityServices(JsonArray? services)
        {
            if (services == null) return;
            foreach (var service in services)
            {
                var name = (service as JsonObject)?["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                if (name != "workload")
                {
                    throw CamError.BadRequest("InvalidConnectedSecurityServices", "connectedSecurityServices entries must have name 'workload'.");
                }
                if (service!["instanceIds"] is not JsonArray ids || ids.Count != 1 || ids[0] is not JsonValue id || !id.TryGetValue<string>(out _))
                {
                    throw CamError.BadRequest("InvalidConnectedSecurityServices", "Exactly one Server & Workload Protection instance id can be associated with an AWS account.");
                }
            }
        }

        private static bool ETagMatches(string ifMatch, string etag)
        {
            static string Bare(string tag)
            {
                tag = tag.Trim();
                if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag.Substring(2);
                return tag.Trim('"');
            }
            return ifMatch.Split(',').Any(t => t.Trim() == "*" || Bare(t) == Bare(etag));
        }

        private static string NewETag() => "\"" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant() + "\"";
    }
}
