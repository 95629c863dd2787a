using System;
using System.Reflection;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;

namespace VisionOneOnboarding.Aws
{
    /// <summary>
    /// Finds AWS credentials and a region the way AWS.Tools does, with AWSSDK.Core reading the profile files:
    /// explicit keys, the named profile, $StoredAWSCredentials, environment variables, the default profile,
    /// container credentials, the EC2 instance profile. Says in Debug which source won — never the secret.
    /// </summary>
    public static class AwsCredentialResolver
    {
        public const string DefaultRegion = "us-east-1";

        /// <summary>The first credential source that yields keys. <c>environment</c> reads an environment variable: the process environment when null (tests inject their own).</summary>
        public static AwsCredentialSet Resolve(AwsCredentialRequest request, ILogSink log, Func<string, string?>? environment = null)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var env = environment ?? Environment.GetEnvironmentVariable;
            var credentials = FindCredentials(request, env, log);
            log.Debug("AWS credentials from " + credentials.Source + " (access key " + Mask(credentials.AccessKeyId) + ").");
            return credentials;
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
                var profileName = ProfileNameForRegion(request, env);
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

        private static AwsCredentialSet FindCredentials(AwsCredentialRequest request, Func<string, string?> env, ILogSink log)
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

            if (!IsBlank(request.ProfileName))
                return FromProfile(request.ProfileName!, request.ProfileLocation, "-ProfileName")!;

            if (request.StoredCredentials != null)
                return FromStoredCredentials(request.StoredCredentials, request.ProfileLocation);

            var envAccessKey = env("AWS_ACCESS_KEY_ID");
            var envSecretKey = env("AWS_SECRET_ACCESS_KEY");
            if (!IsBlank(envAccessKey) && !IsBlank(envSecretKey))
                return new AwsCredentialSet(envAccessKey!, envSecretKey!, Blank(env("AWS_SESSION_TOKEN")), "environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
            if (!IsBlank(envAccessKey) || !IsBlank(envSecretKey))
                log.Debug("Only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set; the environment is not used for credentials.");

            // AWS_PROFILE names a profile as deliberately as -ProfileName does, so a missing one is an error too.
            var awsProfile = env("AWS_PROFILE");
            var defaultProfile = FromProfile(IsBlank(awsProfile) ? "default" : awsProfile!, request.ProfileLocation,
                IsBlank(awsProfile) ? null : "environment variable AWS_PROFILE");
            if (defaultProfile != null) return defaultProfile;

            if (!IsBlank(env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) || !IsBlank(env("AWS_CONTAINER_CREDENTIALS_FULL_URI")))
            {
                var container = TryFetch(() => new GenericContainerCredentials(), "container credentials endpoint", log);
                if (container != null) return container;
            }

            if (string.Equals(env("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
            {
                log.Debug("AWS_EC2_METADATA_DISABLED=true: the EC2 instance profile is not tried.");
            }
            else
            {
                var instance = TryFetch(() => new InstanceProfileAWSCredentials(), "EC2 instance profile", log);
                if (instance != null) return instance;
            }

            throw new VisionOneException(ErrorCatalogue.AwsCredentialsNotFound,
                "No AWS credentials were found. Pass -ProfileName <name> (create a profile with 'aws configure --profile <name>' or " +
                "Set-AWSCredential -StoreAs <name>), or -AccessKey and -SecretKey, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, " +
                "or run Set-AWSCredential in this session. Tried: parameters, $StoredAWSCredentials, environment variables, " +
                "the default profile" + (IsBlank(request.ProfileLocation) ? "" : " in " + request.ProfileLocation) + ", container and instance credentials.");
        }

        /// <summary>
        /// Credentials of a profile, read by AWSSDK.Core (so SSO, assume-role and credential_process profiles work as in AWS.Tools).
        /// <paramref name="namedBy"/> says who named the profile; when null the profile is only a fallback and its absence returns null.
        /// </summary>
        private static AwsCredentialSet? FromProfile(string profileName, string? profileLocation, string? namedBy)
        {
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
            try
            {
                var chain = new CredentialProfileStoreChain(profileLocation);
                if (!chain.TryGetAWSCredentials(profileName, out var awsCredentials))
                    throw new InvalidOperationException("the profile has no usable credential settings");
                var immutable = awsCredentials.GetCredentials();
                return new AwsCredentialSet(immutable.AccessKey, immutable.SecretKey, Blank(immutable.Token), source);
            }
            catch (Exception ex) when (!(ex is VisionOneException))
            {
                throw new VisionOneException(ErrorCatalogue.AwsProfileUnusable,
                    "The AWS profile '" + profileName + "' in " + where + " did not yield credentials: " + ex.Message +
                    ". Fix the profile (for SSO profiles run 'aws sso login --profile " + profileName + "') or choose another.",
                    profileName, ex);
            }
        }

        private static AwsCredentialSet FromStoredCredentials(object stored, string? profileLocation)
        {
            stored = UnwrapPowerShellObject(stored);
            if (stored is string profileName)
                return FromProfile(profileName, profileLocation, "$StoredAWSCredentials")!;

            // AWS.Tools keeps an AWSPSCredentials wrapper whose Credentials property is the SDK's AWSCredentials.
            var inner = stored.GetType().GetProperty("Credentials", BindingFlags.Public | BindingFlags.Instance)?.GetValue(stored);
            var credentialsObject = inner ?? stored;
            var getCredentials = credentialsObject.GetType().GetMethod("GetCredentials", BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null);
            if (getCredentials == null)
            {
                throw new VisionOneException(ErrorCatalogue.AwsStoredCredentialsUnreadable,
                    "$StoredAWSCredentials holds a " + stored.GetType().FullName + ", which is neither a profile name nor AWS credentials. " +
                    "Run Set-AWSCredential again or Clear-AWSCredential, or pass -ProfileName.");
            }

            object? immutable;
            try { immutable = getCredentials.Invoke(credentialsObject, null); }
            catch (TargetInvocationException ex)
            {
                var cause = ex.InnerException ?? ex;
                throw new VisionOneException(ErrorCatalogue.AwsStoredCredentialsUnreadable,
                    "The credentials in $StoredAWSCredentials could not be read: " + cause.Message + ". Run Set-AWSCredential again, or pass -ProfileName.",
                    null, cause);
            }

            var accessKey = ReadString(immutable, "AccessKey");
            var secretKey = ReadString(immutable, "SecretKey");
            if (IsBlank(accessKey) || IsBlank(secretKey))
            {
                throw new VisionOneException(ErrorCatalogue.AwsStoredCredentialsUnreadable,
                    "The credentials in $StoredAWSCredentials have no access key or secret key. Run Set-AWSCredential again, or pass -ProfileName.");
            }
            return new AwsCredentialSet(accessKey!, secretKey!, Blank(ReadString(immutable, "Token")), "$StoredAWSCredentials (credentials set by Set-AWSCredential)");
        }

        private static AwsCredentialSet? TryFetch(Func<AWSCredentials> create, string source, ILogSink log)
        {
            try
            {
                var immutable = create().GetCredentials();
                if (immutable == null || IsBlank(immutable.AccessKey)) return null;
                return new AwsCredentialSet(immutable.AccessKey, immutable.SecretKey, Blank(immutable.Token), source);
            }
            catch (Exception ex)
            {
                log.Debug("No credentials from the " + source + ": " + ex.Message);
                return null;
            }
        }

        private static string ProfileNameForRegion(AwsCredentialRequest request, Func<string, string?> env)
        {
            if (!IsBlank(request.ProfileName)) return request.ProfileName!;
            if (UnwrapStored(request.StoredCredentials) is string stored && !IsBlank(stored)) return stored;
            var awsProfile = env("AWS_PROFILE");
            return IsBlank(awsProfile) ? "default" : awsProfile!;
        }

        private static object? UnwrapStored(object? stored) => stored == null ? null : UnwrapPowerShellObject(stored);

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

        private static string? ReadString(object? source, string property) =>
            source?.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)?.GetValue(source) as string;

        private static string DescribeLocation(string? profileLocation) =>
            IsBlank(profileLocation) ? "the shared AWS credentials and config files" : "'" + profileLocation + "'";

        /// <summary>Enough of an access key id to tell keys apart in a log, as 'aws configure list' shows it.</summary>
        internal static string Mask(string accessKeyId) =>
            accessKeyId.Length <= 4 ? "****" : new string('*', 4) + accessKeyId.Substring(accessKeyId.Length - 4);

        private static bool IsBlank(string? value) => string.IsNullOrWhiteSpace(value);
        private static string? Blank(string? value) => IsBlank(value) ? null : value;
    }
}
