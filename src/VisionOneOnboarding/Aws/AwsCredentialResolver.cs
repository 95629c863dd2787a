using System;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Aws
{
    /// <summary>
    /// Finds AWS credentials and a region the way AWS.Tools and the AWS CLI do, with AWSSDK.Core reading the profile
    /// files: explicit keys, -Credential, the named profile, $StoredAWSCredentials, environment variables, web identity
    /// from the environment, the default profile, container credentials, the EC2 instance profile. Temporary
    /// credentials stay with the provider that refreshes them. Says in Debug which source and kind won — never the secret.
    /// </summary>
    public static class AwsCredentialResolver
    {
        public const string DefaultRegion = "us-east-1";

        /// <summary>The first credential source that yields keys. <c>environment</c> reads an environment variable: the process environment when null (tests inject their own).</summary>
        /// <remarks>region: Where the credential providers call STS (assume role, web identity); null: the resolved region.</remarks>
        /// <remarks>endpoints: The standard endpoint settings for the providers' STS/SSO calls; null: read for this request.</remarks>
        public static AwsCredentialSet Resolve(AwsCredentialRequest request, ILogSink log, Func<string, string?>? environment = null,
            string? region = null, AwsServiceEndpoints? endpoints = null)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var env = environment ?? Environment.GetEnvironmentVariable;
            SdkServiceClients.EnsureRegistered();
            var context = new ProviderContext(request,
                region ?? ResolveRegion(request, NullLogSink.Instance, env),
                endpoints ?? EndpointsFor(request, null, env));
            AwsCredentialSet credentials;
            using (AwsEndpointScope.Enter(context.Endpoints))
            {
                credentials = FindCredentials(request, env, log, context);
            }
            log.Debug("AWS credentials from " + credentials.Source + " (access key " + Mask(credentials.AccessKeyId) +
                (credentials.Refreshes ? ", refreshed before they expire" : "") + ").");
            return credentials;
        }

        /// <summary>The standard endpoint settings for this request's profile in effect (and -EndpointUrl, for IAM and STS).</summary>
        public static AwsServiceEndpoints EndpointsFor(AwsCredentialRequest request, string? endpointUrl, Func<string, string?>? environment = null)
        {
            var env = environment ?? Environment.GetEnvironmentVariable;
            return new AwsServiceEndpoints(env, ProfileNameInEffect(request, env), request.ProfileLocation, endpointUrl);
        }

        /// <summary>Region order: -Region, $StoredAWSRegion, AWS_REGION, AWS_DEFAULT_REGION, the profile's region, us-east-1.</summary>
        public static string ResolveRegion(AwsCredentialRequest request, ILogSink log, Func<string, string?>? environment = null)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var env = environment ?? Environment.GetEnvironmentVariable;

            string? region; string source;
            if (!IsBlank(request.Region)) { region = request.Region; source = "the -Region parameter"; }
            else if (!IsBlank(request.StoredRegion)) { region = request.StoredRegion; source = "$StoredAWSRegion"; }
            else if (!IsBlank(env("AWS_REGION"))) { region = env("AWS_REGION"); source = "environment variable AWS_REGION"; }
            else if (!IsBlank(env("AWS_DEFAULT_REGION"))) { region = env("AWS_DEFAULT_REGION"); source = "environment variable AWS_DEFAULT_REGION"; }
            else
            {
                var profileName = ProfileNameInEffect(request, env);
                region = TryGetProfile(profileName, request.ProfileLocation, out var profile) ? profile!.Region?.SystemName : null;
                source = "profile '" + profileName + "'";
                if (IsBlank(region)) { region = DefaultRegion; source = "the built-in default (no region configured)"; }
            }

            region = region!.Trim();
            if (!AwsEndpoints.IsWellFormedRegion(region))
            {
                throw new VisionOneException(ErrorCatalogue.InvalidAwsRegion,
                    "The AWS region '" + region + "' from " + source + " is not a region name. Use a name such as us-east-1, eu-central-1 or cn-north-1.",
                    region);
            }
            log.Debug("AWS region " + region + " from " + source + ".");
            return region;
        }

        private static AwsCredentialSet FindCredentials(AwsCredentialRequest request, Func<string, string?> env, ILogSink log, ProviderContext context)
        {
            if (!IsBlank(request.AccessKey) || !IsBlank(request.SecretKey) || !IsBlank(request.SessionToken))
            {
                if (IsBlank(request.AccessKey) || IsBlank(request.SecretKey))
                {
                    throw new VisionOneException(ErrorCatalogue.AwsKeyPairIncomplete,
                        "-AccessKey and -SecretKey must be given together (-SessionToken only with both). Pass both, or neither and use -ProfileName.");
                }
                if (!IsBlank(request.ProfileName)) log.Debug("-ProfileName '" + request.ProfileName + "' is ignored because explicit keys were given.");
                return new AwsCredentialSet(request.AccessKey!, request.SecretKey!, Blank(request.SessionToken), "the -AccessKey/-SecretKey parameters");
            }

            if (request.Credential != null)
                return FromCredentialObject(UnwrapPowerShellObject(request.Credential), "-Credential", context);

            if (!IsBlank(request.ProfileName))
                return FromProfile(request.ProfileName!, "-ProfileName", context)!;

            if (request.StoredCredentials != null)
                return FromStoredCredentials(request.StoredCredentials, context);

            var envAccessKey = env("AWS_ACCESS_KEY_ID");
            var envSecretKey = env("AWS_SECRET_ACCESS_KEY");
            if (!IsBlank(envAccessKey) && !IsBlank(envSecretKey))
                return new AwsCredentialSet(envAccessKey!, envSecretKey!, Blank(env("AWS_SESSION_TOKEN")), "environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
            if (!IsBlank(envAccessKey) || !IsBlank(envSecretKey))
                log.Debug("Only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set; the environment is not used for credentials.");

            // How EKS pods (IRSA) and CI runners sign in: a token file and a role, both from the environment.
            var tokenFile = env("AWS_WEB_IDENTITY_TOKEN_FILE");
            var roleArn = env("AWS_ROLE_ARN");
            if (!IsBlank(tokenFile) && !IsBlank(roleArn))
            {
                var session = env("AWS_ROLE_SESSION_NAME");
                return Fetch(() => new AssumeRoleWithWebIdentityCredentials(tokenFile, roleArn, IsBlank(session) ? null : session),
                    () => "environment variables AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN (web identity, role " + roleArn + ")", context, null);
            }

            // AWS_PROFILE names a profile as deliberately as -ProfileName does, so a missing one is an error too.
            var awsProfile = env("AWS_PROFILE");
            var defaultProfile = FromProfile(IsBlank(awsProfile) ? "default" : awsProfile!,
                IsBlank(awsProfile) ? null : "environment variable AWS_PROFILE", context);
            if (defaultProfile != null) return defaultProfile;

            if (!IsBlank(env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) || !IsBlank(env("AWS_CONTAINER_CREDENTIALS_FULL_URI")))
            {
                var container = TryFetch(() => new GenericContainerCredentials(), "container credentials endpoint", log, context);
                if (container != null) return container;
            }

            if (string.Equals(env("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
            {
                log.Debug("AWS_EC2_METADATA_DISABLED=true: the EC2 instance profile is not tried.");
            }
            else
            {
                var instance = TryFetch(() => new InstanceProfileAWSCredentials(), "EC2 instance profile", log, context);
                if (instance != null) return instance;
            }

            throw new VisionOneException(ErrorCatalogue.AwsCredentialsNotFound,
                "No AWS credentials were found. Pass -ProfileName <name> (create a profile with 'aws configure --profile <name>' or " +
                "Set-AWSCredential -StoreAs <name>), or -AccessKey and -SecretKey, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, " +
                "or run Set-AWSCredential in this session. Tried: parameters, $StoredAWSCredentials, environment variables, " +
                "web identity (AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN), the default profile" +
                (IsBlank(request.ProfileLocation) ? "" : " in " + request.ProfileLocation) + ", container and instance credentials.");
        }

        /// <summary>
        /// Credentials of a profile. AWSSDK.Core reads the files and makes the SSO, web identity and credential_process
        /// providers; assume-role profiles (source_profile, credential_source, external_id, role_session_name,
        /// duration_seconds, mfa_serial) become <see cref="AssumeRoleCredentials"/>, chains included.
        /// <paramref name="namedBy"/> says who named the profile; when null the profile is only a fallback and its absence returns null.
        /// </summary>
        private static AwsCredentialSet? FromProfile(string profileName, string? namedBy, ProviderContext context)
        {
            var profileLocation = context.Request.ProfileLocation;
            var where = DescribeLocation(profileLocation);
            if (!TryGetProfile(profileName, profileLocation, out _))
            {
                if (namedBy == null) return null;
                throw new VisionOneException(ErrorCatalogue.AwsProfileNotFound,
                    "The AWS profile '" + profileName + "' (named by " + namedBy + ") was not found in " + where +
                    ". Check the name (Get-AWSCredential -ListProfileDetail lists them) or create it with 'aws configure --profile " + profileName + "'.",
                    profileName);
            }

            var source = (namedBy == null ? "default profile '" : "profile '") + profileName + "' in " + where + (namedBy == null ? "" : " (named by " + namedBy + ")");
            string kind = "";
            return Fetch(() => ProfileCredentials(profileName, context, new HashSet<string>(StringComparer.Ordinal), out kind),
                () => source + " (" + kind + ")", context, profileName);
        }

        private static AWSCredentials ProfileCredentials(string profileName, ProviderContext context, HashSet<string> visited, out string kind)
        {
            if (!visited.Add(profileName))
                throw new InvalidOperationException("the source_profile chain returns to profile '" + profileName + "'");
            if (!TryGetProfile(profileName, context.Request.ProfileLocation, out var profile))
                throw new InvalidOperationException("its source_profile '" + profileName + "' does not exist");
            var options = profile!.Options;
            if (!IsBlank(options.RoleArn) && IsBlank(options.WebIdentityTokenFile))
            {
                var (source, via) = SourceOfAssumeRole(profileName, options, context, visited);
                var duration = context.Endpoints.SettingOf(profileName, "duration_seconds");
                if (duration != null && !int.TryParse(duration, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    throw new InvalidOperationException("duration_seconds '" + duration + "' is not a whole number of seconds");
                var settings = new AssumeRoleSettings
                {
                    RoleArn = options.RoleArn,
                    SessionName = IsBlank(options.RoleSessionName) ? "visionone-" + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture) : options.RoleSessionName,
                    ExternalId = Blank(options.ExternalID),
                    MfaSerial = Blank(options.MfaSerial),
                    DurationSeconds = duration == null ? (int?)null : int.Parse(duration, CultureInfo.InvariantCulture),
                    ProfileName = profileName,
                };
                kind = "assume role " + options.RoleArn + " " + via + (settings.ExternalId == null ? "" : ", external id") + (settings.MfaSerial == null ? "" : ", MFA");
                return new AssumeRoleCredentials(source, settings, context.Region, context.Endpoints, context.Request.MfaPrompt);
            }

            if (!new CredentialProfileStoreChain(context.Request.ProfileLocation).TryGetAWSCredentials(profileName, out var credentials))
                throw new InvalidOperationException("the profile has no usable credential settings");
            switch (credentials)
            {
                case SSOAWSCredentials sso:
                    // Never start a device login from inside a cmdlet: an expired or missing token is the user's to renew.
                    sso.Options.SupportsGettingNewToken = false;
                    kind = "IAM Identity Center, account " + sso.AccountId + ", permission set " + sso.RoleName;
                    break;
                case AssumeRoleWithWebIdentityCredentials web:
                    kind = "web identity, role " + web.RoleArn;
                    break;
                case ProcessAWSCredentials _:
                    kind = "credential_process";
                    break;
                case SessionAWSCredentials _:
                    kind = "temporary keys";
                    break;
                default:
                    kind = "access keys";
                    break;
            }
            return credentials;
        }

        /// <summary>The credentials an assume-role profile starts from: its source_profile (maybe itself assuming a role), its own keys, or its credential_source.</summary>
        private static (AWSCredentials Source, string Via) SourceOfAssumeRole(string profileName, CredentialProfileOptions options, ProviderContext context, HashSet<string> visited)
        {
            if (!IsBlank(options.SourceProfile) && options.SourceProfile == profileName && !IsBlank(options.AccessKey))
            {
                AWSCredentials own = IsBlank(options.Token)
                    ? new BasicAWSCredentials(options.AccessKey, options.SecretKey)
                    : new SessionAWSCredentials(options.AccessKey, options.SecretKey, options.Token);
                return (own, "with its own keys");
            }
            if (!IsBlank(options.SourceProfile))
            {
                var source = ProfileCredentials(options.SourceProfile, context, visited, out var sourceKind);
                return (source, "via '" + options.SourceProfile + "'" + (sourceKind.StartsWith("assume role", StringComparison.Ordinal) ? ", itself an " + sourceKind : ""));
            }
            if (!IsBlank(options.CredentialSource))
                return (CredentialSourceCredentials(options.CredentialSource), "from credential_source " + options.CredentialSource);
            throw new InvalidOperationException("role_arn needs source_profile or credential_source beside it");
        }

        /// <summary>credential_source of an assume-role profile, as the AWS CLI knows it.</summary>
        private static AWSCredentials CredentialSourceCredentials(string credentialSource)
        {
            switch (credentialSource.Trim().ToLowerInvariant())
            {
                case "environment": return new EnvironmentVariablesAWSCredentials();
                case "ec2instancemetadata": return new InstanceProfileAWSCredentials();
                case "ecscontainer": return new GenericContainerCredentials();
                default: throw new InvalidOperationException("credential_source '" + credentialSource + "' is not one of Environment, Ec2InstanceMetadata, EcsContainer");
            }
        }

        /// <summary>
        /// $StoredAWSCredentials as AWS.Tools leaves it: a profile name, or an AWSPSCredentials whose Credentials property
        /// is internal and holds an AWSCredentials of AWS.Tools' own AWSSDK.Core (another load context) — read by
        /// reflection — else whose ToString() is the profile name it was set from. Our own AWSCredentials work too.
        /// </summary>
        private static AwsCredentialSet FromStoredCredentials(object stored, ProviderContext context)
        {
            const string source = "$StoredAWSCredentials (credentials set by Set-AWSCredential)";
            stored = UnwrapPowerShellObject(stored);
            if (stored is string profileName)
                return FromProfile(profileName, "$StoredAWSCredentials", context)!;
            var inner = InnerCredentials(stored);
            if (inner != null) return FromCredentialObject(inner, source, context);
            if (stored is AWSCredentials || HasGetCredentials(stored)) return FromCredentialObject(stored, source, context);
            var named = StoredProfileName(stored);
            if (named != null) return FromProfile(named, "$StoredAWSCredentials", context)!;
            throw new VisionOneException(ErrorCatalogue.AwsStoredCredentialsUnreadable,
                "$StoredAWSCredentials holds a " + stored.GetType().FullName + ", which is neither a profile name nor AWS credentials. " +
                "Run Set-AWSCredential again or Clear-AWSCredential, or pass -ProfileName.");
        }

        /// <summary>An AWSCredentials object: ours is used as it is; another copy's is asked through GetCredentials() each time keys are needed.</summary>
        private static AwsCredentialSet FromCredentialObject(object credentials, string source, ProviderContext context)
        {
            var error = source.StartsWith("$", StringComparison.Ordinal) ? ErrorCatalogue.AwsStoredCredentialsUnreadable : ErrorCatalogue.AwsCredentialObjectUnreadable;
            if (credentials is AWSCredentials own)
                return Fetch(() => own, () => source + " (" + own.GetType().Name + ")", context, null);
            if (!HasGetCredentials(credentials))
            {
                throw new VisionOneException(error,
                    source + " holds a " + credentials.GetType().FullName + ", which has no GetCredentials() method. Pass an AWSCredentials object " +
                    "(for example from Get-AWSCredential), or use -ProfileName.");
            }
            try
            {
                return new AwsCredentialSet(new ReflectedCredentials(credentials), context.Endpoints,
                    source + " (" + credentials.GetType().Name + " of another AWSSDK.Core copy)");
            }
            catch (Exception ex) when (!(ex is VisionOneException))
            {
                var cause = ex is TargetInvocationException tie && tie.InnerException != null ? tie.InnerException : ex;
                throw new VisionOneException(error,
                    "The credentials in " + source + " could not be read: " + cause.Message + ". Run Set-AWSCredential again, or pass -ProfileName.",
                    null, cause);
            }
        }

        /// <summary>AWS.Tools' AWSPSCredentials.Credentials — internal, so read with non-public reflection.</summary>
        private static object? InnerCredentials(object stored)
        {
            if (stored is AWSCredentials) return null;
            return CredentialsProperty(stored)?.GetValue(stored);
        }

        private static PropertyInfo? CredentialsProperty(object stored) =>
            stored.GetType().GetProperty("Credentials", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);

        internal static bool HasGetCredentials(object value) =>
            value.GetType().GetMethod("GetCredentials", BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null) != null;

        /// <summary>The profile a stored value names: the string itself, or an AWSPSCredentials' ToString() when it is more than its type name.</summary>
        private static string? StoredProfileName(object? stored)
        {
            if (stored == null) return null;
            stored = UnwrapPowerShellObject(stored);
            if (stored is string text) return IsBlank(text) ? null : text;
            // Only an AWSPSCredentials-shaped wrapper (a Credentials property, empty here) speaks of a profile through ToString().
            if (stored is AWSCredentials || InnerCredentials(stored) != null || HasGetCredentials(stored) || CredentialsProperty(stored) == null) return null;
            var name = stored.ToString();
            return IsBlank(name) || name == stored.GetType().FullName ? null : name;
        }

        /// <summary>Makes the provider and takes its first keys (within the endpoint settings); failures become clear setup errors.</summary>
        private static AwsCredentialSet Fetch(Func<AWSCredentials> create, Func<string> source, ProviderContext context, string? profileName)
        {
            try
            {
                var provider = create();
                return new AwsCredentialSet(provider, context.Endpoints, source());
            }
            catch (Exception ex) when (!(ex is VisionOneException))
            {
                var cause = ex is AggregateException agg && agg.InnerException != null ? agg.InnerException : ex;
                if (cause is VisionOneException setup) throw setup;
                var name = profileName ?? "";
                if (profileName != null && IsSsoTokenProblem(cause))
                {
                    throw new VisionOneException(ErrorCatalogue.AwsSsoLoginRequired,
                        "The IAM Identity Center (SSO) sign-in of profile '" + name + "' has expired or was never made (" + cause.Message + "). " +
                        "Run 'aws sso login --profile " + name + "', then run this command again.", name, cause);
                }
                if (IsCredentialProcessFailure(cause))
                {
                    // The helper's stderr and stdout may hold secrets (a token, a key it echoed): only its exit code is told.
                    var exit = System.Text.RegularExpressions.Regex.Match(cause.Message, @"exit (?:value|code)\D{0,3}(-?\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
                    throw new VisionOneException(ErrorCatalogue.AwsProfileUnusable,
                        "The credential_process of profile '" + name + "' " + (exit.Success ? "failed with exit code " + exit.Groups[1].Value : "did not print usable credentials") +
                        ". Run the command of its credential_process yourself to see why (its output is not shown here: it may hold secrets), fix it, and try again.",
                        profileName);
                }
                throw new VisionOneException(ErrorCatalogue.AwsProfileUnusable,
                    "The AWS credentials of " + (profileName == null ? "the " + SafeSource(source) : "profile '" + name + "'") + " could not be obtained: " + cause.Message +
                    (profileName == null ? ". Check the settings and try again." : ". Fix the profile (for SSO profiles run 'aws sso login --profile " + name + "') or choose another."),
                    profileName, cause);
            }
        }

        private static string SafeSource(Func<string> source)
        {
            try { return source(); }
            catch (Exception) { return "credentials"; }
        }

        private static bool IsCredentialProcessFailure(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException)
                if (e.GetType().Name == "ProcessAWSCredentialException") return true;
            return false;
        }

        private static bool IsSsoTokenProblem(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e.Message.IndexOf("SSO Token", StringComparison.OrdinalIgnoreCase) >= 0) return true;
                if (e.GetType().Name == "UnauthorizedException") return true;
            }
            return false;
        }

        private static AwsCredentialSet? TryFetch(Func<AWSCredentials> create, string source, ILogSink log, ProviderContext context)
        {
            try
            {
                return new AwsCredentialSet(create(), context.Endpoints, source);
            }
            catch (Exception ex)
            {
                log.Debug("No credentials from the " + source + ": " + ex.Message);
                return null;
            }
        }

        /// <summary>The profile whose settings apply: -ProfileName, the profile $StoredAWSCredentials names, AWS_PROFILE, default.</summary>
        private static string ProfileNameInEffect(AwsCredentialRequest request, Func<string, string?> env)
        {
            if (!IsBlank(request.ProfileName)) return request.ProfileName!;
            if (StoredProfileName(request.StoredCredentials) is string stored) return stored;
            var awsProfile = env("AWS_PROFILE");
            return IsBlank(awsProfile) ? "default" : awsProfile!;
        }

        private static bool TryGetProfile(string profileName, string? profileLocation, out CredentialProfile? profile)
        {
            try
            {
                var found = new CredentialProfileStoreChain(profileLocation).TryGetProfile(profileName, out var p);
                profile = p;
                return found;
            }
            catch (Exception ex)
            {
                throw new VisionOneException(ErrorCatalogue.AwsProfileUnusable,
                    "The AWS profile files in " + DescribeLocation(profileLocation) + " could not be read: " + ex.Message + ". Fix or move the file.",
                    profileLocation, ex);
            }
        }

        /// <summary>PowerShell may hand over a PSObject; its BaseObject is the value the user stored. Read by name: no SMA reference here.</summary>
        private static object UnwrapPowerShellObject(object value)
        {
            var type = value.GetType();
            if (type.FullName != "System.Management.Automation.PSObject") return value;
            return type.GetProperty("BaseObject")?.GetValue(value) ?? value;
        }

        private static string DescribeLocation(string? profileLocation) =>
            IsBlank(profileLocation) ? "the shared AWS credentials and config files" : "'" + profileLocation + "'";

        /// <summary>Enough of an access key id to tell keys apart in a log, as 'aws configure list' shows it.</summary>
        internal static string Mask(string accessKeyId) =>
            accessKeyId.Length <= 4 ? "****" : new string('*', 4) + accessKeyId.Substring(accessKeyId.Length - 4);

        private static bool IsBlank(string? value) => string.IsNullOrWhiteSpace(value);
        private static string? Blank(string? value) => IsBlank(value) ? null : value;

        /// <summary>Everything the credential providers need besides the request: where to call STS and SSO.</summary>
        private sealed class ProviderContext
        {
            public ProviderContext(AwsCredentialRequest request, string region, AwsServiceEndpoints endpoints)
            {
                Request = request; Region = region; Endpoints = endpoints;
            }
            public AwsCredentialRequest Request { get; }
            public string Region { get; }
            public AwsServiceEndpoints Endpoints { get; }
        }
    }

    /// <summary>
    /// An AWSCredentials of another AWSSDK.Core copy (AWS.Tools', in another load context), asked through its public
    /// GetCredentials() by reflection whenever keys are needed — so when it refreshes itself, we sign with the new keys.
    /// </summary>
    internal sealed class ReflectedCredentials : AWSCredentials
    {
        private readonly object _foreign;
        private readonly MethodInfo _getCredentials;

        public ReflectedCredentials(object foreign)
        {
            _foreign = foreign;
            _getCredentials = foreign.GetType().GetMethod("GetCredentials", BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null)
                ?? throw new ArgumentException("The object has no GetCredentials() method.", nameof(foreign));
        }

        public override ImmutableCredentials GetCredentials()
        {
            var keys = _getCredentials.Invoke(_foreign, null);
            var accessKey = Read(keys, "AccessKey");
            var secretKey = Read(keys, "SecretKey");
            if (string.IsNullOrWhiteSpace(accessKey) || string.IsNullOrWhiteSpace(secretKey))
                throw new InvalidOperationException("they have no access key or secret key");
            return new ImmutableCredentials(accessKey, secretKey, Read(keys, "Token"));
        }

        private static string? Read(object? source, string property) =>
            source?.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)?.GetValue(source) as string;
    }
}
