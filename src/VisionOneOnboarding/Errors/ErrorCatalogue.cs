// The module's errors: every id with its category and what to do next (this file), and the one exception type that carries them.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace VisionOneOnboarding.Errors
{
    /// <summary>
    /// How a failure is classified. The names are PowerShell's ErrorCategory names, so the cmdlet base maps by name;
    /// the engine stays free of PowerShell types (it runs under xunit without a runspace).
    /// </summary>
    public enum FailureKind
    {
        NotSpecified,
        InvalidArgument,
        InvalidData,
        InvalidResult,
        ObjectNotFound,
        ResourceExists,
        ResourceUnavailable,
        LimitsExceeded,
        SecurityError,
        AuthenticationError,
        PermissionDenied,
        ConnectionError,
        InvalidOperation,
        OperationTimeout,
        OperationStopped,
    }

    /// <summary>What a failure concerns, which decides how a cmdlet raises it.</summary>
    public enum ErrorScope
    {
        /// <summary>One input (a piped account, a name, an ARN): reported, and the pipeline goes on with the next input.</summary>
        Input,

        /// <summary>
        /// How the command was set up (credentials, API key, endpoints): every input would fail the same way, so the
        /// command stops with one terminating error — caught by try/catch without -ErrorAction Stop, printed once.
        /// </summary>
        Setup,
    }

    /// <summary>One entry of the catalogue: a stable id (scripts match on it), its category, its scope and what to do next.</summary>
    public sealed class ErrorEntry
    {
        internal ErrorEntry(string id, FailureKind kind, string nextStep, ErrorScope scope = ErrorScope.Input)
        {
            Id = id;
            Kind = kind;
            NextStep = nextStep;
            Scope = scope;
        }

        /// <summary>The FullyQualifiedErrorId's first part, e.g. VisionOne.InvalidAccountId.</summary>
        public string Id { get; }
        public FailureKind Kind { get; }
        public ErrorScope Scope { get; }
        /// <summary>What the user does next; the ErrorRecord's RecommendedAction and the README's error list.</summary>
        public string NextStep { get; }

        public override string ToString() => Id;
    }

    /// <summary>
    /// Every error the module raises, in one place. Ids that scripts already match on keep their names; a new
    /// error is a new entry here (the README's error list is checked against <see cref="All"/> by a test).
    /// Wire errors are two families, named from what the service answered: <see cref="ForAwsCode"/> and
    /// <see cref="ForApiAnswer"/>.
    /// </summary>
    public static class ErrorCatalogue
    {
        // ---- values given to a cmdlet (checked before the first call, so nothing changes) ----
        public static readonly ErrorEntry InvalidAccountId = new ErrorEntry("VisionOne.InvalidAccountId", FailureKind.InvalidArgument,
            "Pass the 12-digit AWS account id, e.g. 123456789012.");
        public static readonly ErrorEntry InvalidAwsRegion = new ErrorEntry("VisionOne.InvalidAwsRegion", FailureKind.InvalidArgument,
            "Pass an AWS region code such as us-east-1, eu-west-2 or ap-southeast-1.");
        public static readonly ErrorEntry UnknownRegion = new ErrorEntry("VisionOne.UnknownRegion", FailureKind.InvalidArgument,
            "Pass a Vision One region code: us, eu, jp, sg, au, in, mea, uk, ca, za, id, br or usgov.");
        public static readonly ErrorEntry V1RegionUnknown = new ErrorEntry("VisionOne.V1RegionUnknown", FailureKind.InvalidArgument,
            "The Vision One region cannot be read from the provider: pass -V1Region.");
        public static readonly ErrorEntry NoOidcIssuer = new ErrorEntry("VisionOne.NoOidcIssuer", FailureKind.InvalidArgument,
            "Pass the issuer URL that the template call (visionOneOidcProviderUrl) or the Vision One console gives you.");
        public static readonly ErrorEntry IssuerUnknown = new ErrorEntry("VisionOne.IssuerUnknown", FailureKind.InvalidArgument,
            "Pass -V1Region, -Url with the issuer, or pipe Get-V1AwsTemplate's output.");
        public static readonly ErrorEntry InvalidIssuerUrl = new ErrorEntry("VisionOne.InvalidIssuerUrl", FailureKind.InvalidArgument,
            "Pass the issuer as https://cloudaccounts-<region>.xdr.trendmicro.com, or use -V1Region.");
        public static readonly ErrorEntry InvalidBusinessId = new ErrorEntry("VisionOne.InvalidBusinessId", FailureKind.InvalidArgument,
            "Copy the business id from the Vision One console (letters, digits, '.', '_' or '-').");
        public static readonly ErrorEntry InvalidThumbprint = new ErrorEntry("VisionOne.InvalidThumbprint", FailureKind.InvalidArgument,
            "Pass the certificate's SHA-1 fingerprint: 40 hexadecimal characters.");
        public static readonly ErrorEntry ThumbprintsEmpty = new ErrorEntry("VisionOne.ThumbprintsEmpty", FailureKind.InvalidArgument,
            "Omit -Thumbprint to use the documented Vision One thumbprints, or pass one to five.");
        public static readonly ErrorEntry TooManyThumbprints = new ErrorEntry("VisionOne.TooManyThumbprints", FailureKind.LimitsExceeded,
            "Pass at most five thumbprints (IAM's limit per OIDC provider).");
        public static readonly ErrorEntry InvalidRoleName = new ErrorEntry("VisionOne.InvalidRoleName", FailureKind.InvalidArgument,
            "Use 1 to 64 letters, digits or + = , . @ _ - (no spaces).");
        public static readonly ErrorEntry InvalidPolicyName = new ErrorEntry("VisionOne.InvalidPolicyName", FailureKind.InvalidArgument,
            "Use 1 to 128 letters, digits or + = , . @ _ - (no spaces).");
        public static readonly ErrorEntry InvalidRoleArn = new ErrorEntry("VisionOne.InvalidRoleArn", FailureKind.InvalidArgument,
            "Pass an IAM role ARN such as arn:aws:iam::123456789012:role/VisionOneRole, or pipe New-V1Role's output.");
        public static readonly ErrorEntry InvalidPolicyArn = new ErrorEntry("VisionOne.InvalidPolicyArn", FailureKind.InvalidArgument,
            "Pass the ARNs of the account's own policies (arn:aws:iam::123456789012:policy/Name), or pipe New-V1Policies' output.");
        public static readonly ErrorEntry InvalidOidcProviderArn = new ErrorEntry("VisionOne.InvalidOidcProviderArn", FailureKind.InvalidArgument,
            "Pass an OIDC provider ARN (arn:aws:iam::123456789012:oidc-provider/host), or pipe New-V1OidcProvider's output.");
        public static readonly ErrorEntry PolicyArnsMissing = new ErrorEntry("VisionOne.PolicyArnsMissing", FailureKind.InvalidArgument,
            "Pass -PolicyArn, or pipe New-V1Policies' output.");
        public static readonly ErrorEntry InvalidAccountName = new ErrorEntry("VisionOne.InvalidAccountName", FailureKind.InvalidArgument,
            "Pass -Name with 1 to 254 printable characters: the name the account should have in Vision One.");
        public static readonly ErrorEntry InvalidAccountDescription = new ErrorEntry("VisionOne.InvalidAccountDescription", FailureKind.InvalidArgument,
            "Pass a description of at most 254 printable characters.");
        public static readonly ErrorEntry InvalidTemplateAccountType = new ErrorEntry("VisionOne.InvalidTemplateAccountType", FailureKind.InvalidArgument,
            "Ask for a 'single' or an 'organization' template.");
        public static readonly ErrorEntry InvalidTop = new ErrorEntry("VisionOne.InvalidTop", FailureKind.InvalidArgument,
            "Page with 25, 50, 100, 500, 1000 or 5000 items.");
        public static readonly ErrorEntry FilterTooLong = new ErrorEntry("VisionOne.FilterTooLong", FailureKind.InvalidArgument,
            "Shorten the filter to at most 254 characters.");
        public static readonly ErrorEntry InvalidTemplateUrl = new ErrorEntry("VisionOne.InvalidTemplateUrl", FailureKind.InvalidArgument,
            "Pass an absolute https URL, or a file with -TemplatePath.");

        // ---- templates and policy documents ----
        public static readonly ErrorEntry TemplateNotFound = new ErrorEntry("VisionOne.TemplateNotFound", FailureKind.ObjectNotFound,
            "Download the template from Vision One (Cloud Accounts > AWS > Add account) or with Get-V1AwsTemplate, then pass its path — or leave the path out to use the Vision One API.");
        public static readonly ErrorEntry TemplateMalformed = new ErrorEntry("VisionOne.TemplateMalformed", FailureKind.InvalidData,
            "Download the template again (Get-V1AwsTemplate -OutFile), or leave -TemplatePath out to use the Vision One API.");
        public static readonly ErrorEntry UntrustedIssuer = new ErrorEntry("VisionOne.UntrustedIssuer", FailureKind.SecurityError,
            "Use the template Vision One hands out, or -V1Region; pass -AllowCustomIssuer only if you mean to trust this issuer.");
        public static readonly ErrorEntry TemplatePolicyWidened = new ErrorEntry("VisionOne.TemplatePolicyWidened", FailureKind.SecurityError,
            "Use the template Vision One hands out, unchanged; pass -AllowPolicyChanges only if you mean to grant the actions it adds.");
        public static readonly ErrorEntry TemplateResourceMissing = new ErrorEntry("VisionOne.TemplateResourceMissing", FailureKind.InvalidData,
            "Use the Vision One template for a single AWS account, unchanged.");
        public static readonly ErrorEntry TemplateUnresolvable = new ErrorEntry("VisionOne.TemplateUnresolvable", FailureKind.InvalidData,
            "Pass the value the template refers to (e.g. -AccountId), or use the Vision One template unchanged.");
        public static readonly ErrorEntry PolicyDocumentMalformed = new ErrorEntry("VisionOne.PolicyDocumentMalformed", FailureKind.InvalidData,
            "Fix the policy document (a JSON object with Version 2012-10-17 and Statement), or use the published one.");
        public static readonly ErrorEntry PolicyTooLarge = new ErrorEntry("VisionOne.PolicyTooLarge", FailureKind.LimitsExceeded,
            "Shorten the policy to IAM's 6,144 characters (whitespace not counted), or split it.");
        public static readonly ErrorEntry PolicyVersionMissing = new ErrorEntry("VisionOne.PolicyVersionMissing", FailureKind.InvalidData,
            "Add \"Version\": \"2012-10-17\" to the policy document.");
        public static readonly ErrorEntry PolicyNotLatin1 = new ErrorEntry("VisionOne.PolicyNotLatin1", FailureKind.InvalidData,
            "Remove the characters IAM does not accept (outside Latin-1) from the policy document.");

        public static readonly ErrorEntry HandOffPlanMalformed = new ErrorEntry("VisionOne.HandOffPlanMalformed", FailureKind.InvalidArgument,
            "Export the plan again with Export-V1AwsOnboardingPlan -Format Json, and pass the file unchanged.");

        // ---- the account as found ----
        public static readonly ErrorEntry InvalidShard = new ErrorEntry("VisionOne.InvalidShard", FailureKind.InvalidArgument,
            "Pass -Shard as i/n with 1 <= i <= n <= 1000, e.g. 2/4 for the second of four jobs.");
        public static readonly ErrorEntry InvalidOrganizationalUnitId = new ErrorEntry("VisionOne.InvalidOrganizationalUnitId", FailureKind.InvalidArgument,
            "Pass an OU id such as ou-ab12-cd34ef56 or a root id such as r-ab12 (aws organizations list-organizational-units-for-parent lists them).");
        public static readonly ErrorEntry InvalidNameFormat = new ErrorEntry("VisionOne.InvalidNameFormat", FailureKind.InvalidArgument,
            "Use only the placeholders {AccountId}, {AccountName} and {Email}, with at least one that tells the accounts apart.");
        public static readonly ErrorEntry CloudAccountNameClash = new ErrorEntry("VisionOne.CloudAccountNameClash", FailureKind.ResourceExists,
            "Choose a -NameFormat that tells the accounts apart, or rename the existing Cloud Accounts entry.");
        public static readonly ErrorEntry AwsAccountNotActive = new ErrorEntry("VisionOne.AwsAccountNotActive", FailureKind.ResourceUnavailable,
            "Only ACTIVE accounts can be onboarded: reopen the account in AWS Organizations, or leave it out with -ExcludeAccountId.");
        public static readonly ErrorEntry NoAccountSelected = new ErrorEntry("VisionOne.NoAccountSelected", FailureKind.ObjectNotFound,
            "Check -AccountId, -OrganizationalUnitId and -ExcludeAccountId: each account named in the error was left out for the reason beside it.",
            ErrorScope.Setup);
        public static readonly ErrorEntry AwsPermissionMissing = new ErrorEntry("VisionOne.AwsPermissionMissing", FailureKind.PermissionDenied,
            "Nothing was changed. Grant the caller the actions the message names (Get-V1AwsOperatorPolicy writes the whole least-privilege policy), then run the command again.", ErrorScope.Setup);
        public static readonly ErrorEntry AwsAccessDeniedDuringApply = new ErrorEntry("VisionOne.AwsAccessDeniedDuringApply", FailureKind.PermissionDenied,
            "Grant the caller the action the message names (Get-V1AwsOperatorPolicy writes the whole least-privilege policy), then run the command again: it continues where it stopped.");
        public static readonly ErrorEntry NotOrganizationManagementAccount = new ErrorEntry("VisionOne.NotOrganizationManagementAccount", FailureKind.PermissionDenied,
            "Nothing was changed. Run it with credentials of the Organization's management account (or of a delegated administrator), or name the accounts with -AccountId.", ErrorScope.Setup);
        public static readonly ErrorEntry AssumeRoleDenied = new ErrorEntry("VisionOne.AssumeRoleDenied", FailureKind.PermissionDenied,
            "Check that the role exists in the member account and trusts the caller's account, or pass -AssumeRoleName and -ExternalId.");
        public static readonly ErrorEntry BusinessIdRequired = new ErrorEntry("VisionOne.BusinessIdRequired", FailureKind.InvalidArgument,
            "Pass -BusinessId: the role's trust policy names your Vision One business id.");
        public static readonly ErrorEntry AccountMismatch = new ErrorEntry("VisionOne.AccountMismatch", FailureKind.InvalidArgument,
            "Use credentials for the account the input names, or drop the input that names another account.");
        public static readonly ErrorEntry RoleTrustMismatch = new ErrorEntry("VisionOne.RoleTrustMismatch", FailureKind.ResourceExists,
            "Look at the role's trust policy; pass -Force to replace it with the Vision One one, or choose another -RoleName.");
        public static readonly ErrorEntry OidcProviderNotFound = new ErrorEntry("VisionOne.OidcProviderNotFound", FailureKind.ObjectNotFound,
            "Create the provider first (New-V1OidcProvider), or run the command again if it was just created.");
        public static readonly ErrorEntry PolicyNotFound = new ErrorEntry("VisionOne.PolicyNotFound", FailureKind.ObjectNotFound,
            "Run the command again; IAM may not show a policy created a moment ago yet.");
        public static readonly ErrorEntry PolicyUnderOtherPath = new ErrorEntry("VisionOne.PolicyUnderOtherPath", FailureKind.ResourceExists,
            "Delete or rename the policy of the same name under the other path (the message names its ARN), then run the command again.");
        public static readonly ErrorEntry RoleNotFound = new ErrorEntry("VisionOne.RoleNotFound", FailureKind.ObjectNotFound,
            "Run the command again; IAM may not show a role created a moment ago yet.");
        public static readonly ErrorEntry ConnectedWithOtherRole = new ErrorEntry("VisionOne.ConnectedWithOtherRole", FailureKind.ResourceExists,
            "Pass -Force to re-point the Cloud Accounts entry to this role, or disconnect it first.");
        public static readonly ErrorEntry CloudAccountNotFound = new ErrorEntry("VisionOne.CloudAccountNotFound", FailureKind.ObjectNotFound,
            "Check the account id (Get-V1AwsAccount lists what is connected), or connect it first.");
        public static readonly ErrorEntry RoleNotAssumableYet = new ErrorEntry("VisionOne.RoleNotAssumableYet", FailureKind.ResourceUnavailable,
            "Run the same command again in a minute: the IAM side is in place, and once AWS lets Vision One assume the role the re-run finishes the connection.");
        public static readonly ErrorEntry CloudAccountNotManaged = new ErrorEntry("VisionOne.CloudAccountNotManaged", FailureKind.InvalidOperation,
            "Fix the IAM side (Test-V1AwsOnboarding shows what differs), then run the onboarding again.");
        public static readonly ErrorEntry RemovalConnectedWithOtherRole = new ErrorEntry("VisionOne.RemovalConnectedWithOtherRole", FailureKind.InvalidOperation,
            "Nothing was changed. Disconnect the entry yourself (Disconnect-V1AwsAccount) if it really should go.");
        public static readonly ErrorEntry ConfirmationRequired = new ErrorEntry("VisionOne.ConfirmationRequired", FailureKind.InvalidOperation,
            "Nothing was changed. Run it where it can ask, or pass -Force (or -Confirm:$false) to allow the high-impact change unattended.");
        public static readonly ErrorEntry RemovalRoleNotCreatedByProcedure = new ErrorEntry("VisionOne.RemovalRoleNotCreatedByProcedure", FailureKind.InvalidOperation,
            "Nothing was changed. Delete the role yourself if it really belongs to this procedure, or pass -RoleName.");
        public static readonly ErrorEntry RemovalRoleInUse = new ErrorEntry("VisionOne.RemovalRoleInUse", FailureKind.InvalidOperation,
            "Nothing was changed. Detach what else uses the role, or keep the AWS resources (-KeepAwsResources).");
        public static readonly ErrorEntry RemovalProviderInUse = new ErrorEntry("VisionOne.RemovalProviderInUse", FailureKind.InvalidOperation,
            "Nothing was changed. Remove what else trusts the provider first, or keep the AWS resources (-KeepAwsResources).");

        // ---- how the command was set up: raised once, terminating ----
        public static readonly ErrorEntry AwsCredentialsNotFound = new ErrorEntry("VisionOne.AwsCredentialsNotFound", FailureKind.AuthenticationError,
            "Pass -ProfileName or -AccessKey/-SecretKey, run Set-AWSCredential, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.", ErrorScope.Setup);
        public static readonly ErrorEntry AwsProfileNotFound = new ErrorEntry("VisionOne.AwsProfileNotFound", FailureKind.ObjectNotFound,
            "Check the profile name (aws configure list-profiles), or create it with aws configure --profile <name>.", ErrorScope.Setup);
        public static readonly ErrorEntry AwsProfileUnusable = new ErrorEntry("VisionOne.AwsProfileUnusable", FailureKind.AuthenticationError,
            "Complete the profile's settings (aws configure --profile <name>), or use another profile.", ErrorScope.Setup);
        public static readonly ErrorEntry AwsKeyPairIncomplete = new ErrorEntry("VisionOne.AwsKeyPairIncomplete", FailureKind.InvalidArgument,
            "Pass -AccessKey and -SecretKey together (and -SessionToken for temporary credentials).", ErrorScope.Setup);
        public static readonly ErrorEntry AwsStoredCredentialsUnreadable = new ErrorEntry("VisionOne.AwsStoredCredentialsUnreadable", FailureKind.AuthenticationError,
            "Set $StoredAWSCredentials again with Set-AWSCredential, or remove it and pass credentials explicitly.", ErrorScope.Setup);
        public static readonly ErrorEntry AwsCredentialObjectUnreadable = new ErrorEntry("VisionOne.AwsCredentialObjectUnreadable", FailureKind.AuthenticationError,
            "Pass an AWSCredentials object (for example from Get-AWSCredential) to -Credential, or use -ProfileName.", ErrorScope.Setup);
        public static readonly ErrorEntry AwsMfaCodeRequired = new ErrorEntry("VisionOne.AwsMfaCodeRequired", FailureKind.AuthenticationError,
            "Run the command in an interactive session to be asked for the MFA code, or use a profile without mfa_serial.", ErrorScope.Setup);
        public static readonly ErrorEntry AwsSsoLoginRequired = new ErrorEntry("VisionOne.AwsSsoLoginRequired", FailureKind.AuthenticationError,
            "Run 'aws sso login --profile <name>' to renew the IAM Identity Center token, then run the command again.", ErrorScope.Setup);
        public static readonly ErrorEntry RegionMismatch = new ErrorEntry("VisionOne.RegionMismatch", FailureKind.InvalidArgument,
            "Use one Vision One region: make -V1Region, the API host, the issuer and the template agree (the message names each value and its source).", ErrorScope.Setup);
        public static readonly ErrorEntry RegionUnknown = new ErrorEntry("VisionOne.RegionUnknown", FailureKind.InvalidArgument,
            "Pass -V1Region (or set one with Set-V1Credential -V1Region): the API host is in no region table and nothing names the issuer.", ErrorScope.Setup);
        public static readonly ErrorEntry BusinessIdMismatch = new ErrorEntry("VisionOne.BusinessIdMismatch", FailureKind.InvalidArgument,
            "Pass the business id the template names, or download the template of your own tenant.", ErrorScope.Setup);
        public static readonly ErrorEntry InvalidEndpointUrl = new ErrorEntry("VisionOne.InvalidEndpointUrl", FailureKind.InvalidArgument,
            "Pass -EndpointUrl as scheme, host, port and path only, e.g. https://iam.example.com or http://127.0.0.1:5000.", ErrorScope.Setup);
        public static readonly ErrorEntry InvalidEndpoint = new ErrorEntry("VisionOne.InvalidEndpoint", FailureKind.InvalidArgument,
            "Pass -ApiBaseUrl as an absolute https URL without query, fragment or user info.", ErrorScope.Setup);
        public static readonly ErrorEntry InsecureEndpoint = new ErrorEntry("VisionOne.InsecureEndpoint", FailureKind.SecurityError,
            "Use https; plain http is accepted only for this machine (localhost, 127.0.0.1, ::1).", ErrorScope.Setup);
        public static readonly ErrorEntry UnsupportedAwsPartition = new ErrorEntry("VisionOne.UnsupportedAwsPartition", FailureKind.InvalidArgument,
            "Use credentials and a -Region of the aws, aws-cn or aws-us-gov partition: Vision One Cloud Accounts connects no other.", ErrorScope.Setup);
        public static readonly ErrorEntry FipsEndpointUnavailable = new ErrorEntry("VisionOne.FipsEndpointUnavailable", FailureKind.InvalidArgument,
            "Pass a -Region where AWS offers the FIPS endpoint, or turn FIPS off (AWS_USE_FIPS_ENDPOINT=false, use_fips_endpoint = false).", ErrorScope.Setup);
        public static readonly ErrorEntry ApiKeyNotFound = new ErrorEntry("VisionOne.ApiKeyNotFound", FailureKind.AuthenticationError,
            "Pass -ApiKey (a SecureString), run Set-V1Credential -ApiKey once per session, or set VISIONONE_API_KEY.", ErrorScope.Setup);
        public static readonly ErrorEntry UnknownApiVersion = new ErrorEntry("VisionOne.UnknownApiVersion", FailureKind.InvalidArgument,
            "Pass -ApiVersion v3.0, beta or beta-xdr.", ErrorScope.Setup);

        // ---- the services and the network ----
        public static readonly ErrorEntry InvalidResponse = new ErrorEntry("VisionOne.InvalidResponse", FailureKind.InvalidResult,
            "Run the command again; if it persists, give Trend support the x-trace-id from the message.");
        public static readonly ErrorEntry ConnectionFailed = new ErrorEntry("VisionOne.ConnectionFailed", FailureKind.ConnectionError,
            "Check -EndpointUrl / -ApiBaseUrl, proxies and network access, then run the command again.", ErrorScope.Setup);
        public static readonly ErrorEntry Timeout = new ErrorEntry("VisionOne.Timeout", FailureKind.OperationTimeout,
            "Run the command again; it continues where it stopped.");
        public static readonly ErrorEntry Cancelled = new ErrorEntry("VisionOne.Cancelled", FailureKind.OperationStopped,
            "Run the command again to finish; it continues where it stopped.");
        public static readonly ErrorEntry Unexpected = new ErrorEntry("VisionOne.Unexpected", FailureKind.NotSpecified,
            "Run the command again with -Debug and report the output (it never contains a secret).");

        /// <summary>The family of IAM and STS error codes: VisionOne.Aws.&lt;code&gt;, with the request id in the message.</summary>
        public const string AwsFamily = "VisionOne.Aws.";

        /// <summary>The family of Vision One API errors: VisionOne.&lt;error.code&gt;, or VisionOne.Http&lt;status&gt; without a code.</summary>
        public const string ApiHttpFamily = "VisionOne.Http";

        private static readonly Lazy<IReadOnlyList<ErrorEntry>> Entries = new Lazy<IReadOnlyList<ErrorEntry>>(() =>
            typeof(ErrorCatalogue).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.FieldType == typeof(ErrorEntry))
                .Select(f => (ErrorEntry)f.GetValue(null)!)
                .ToList());

        /// <summary>Every named entry (not the two wire families).</summary>
        public static IReadOnlyList<ErrorEntry> All => Entries.Value;

        /// <summary>An entry by id, or null.</summary>
        public static ErrorEntry? Find(string id) => All.FirstOrDefault(e => e.Id == id);

        /// <summary>The entry for an IAM or STS error code: the id keeps the code, the kind and next step follow from it.</summary>
        public static ErrorEntry ForAwsCode(string code)
        {
            if (AwsCodeAdvice.TryGetValue(code, out var known)) return new ErrorEntry(AwsFamily + code, known.Kind, known.NextStep, known.Scope);
            var kind = AwsKind(code);
            return new ErrorEntry(AwsFamily + code, kind, AwsNextStep(kind),
                kind == FailureKind.AuthenticationError ? ErrorScope.Setup : ErrorScope.Input);
        }

        /// <summary>
        /// AWS error codes that reach users and need advice of their own, beyond what their kind says (the codes are those
        /// of the IAM and STS service models; STS answers ExpiredToken, the SDK's JSON clients ExpiredTokenException).
        /// </summary>
        public static IReadOnlyDictionary<string, (FailureKind Kind, string NextStep, ErrorScope Scope)> AwsCodeAdvice { get; } =
            new Dictionary<string, (FailureKind, string, ErrorScope)>(StringComparer.Ordinal)
            {
                ["RegionDisabledException"] = (FailureKind.AuthenticationError,
                    "STS is not activated in this region for the account: activate it (IAM > Account settings > Security Token Service), or pass -Region of an activated region.", ErrorScope.Setup),
                ["ExpiredToken"] = (FailureKind.AuthenticationError, ExpiredTokenStep, ErrorScope.Setup),
                ["ExpiredTokenException"] = (FailureKind.AuthenticationError, ExpiredTokenStep, ErrorScope.Setup),
                ["UnmodifiableEntity"] = (FailureKind.InvalidOperation,
                    "The role is protected (a service-linked role, or one AWS manages) and cannot be changed: pass another -RoleName.", ErrorScope.Input),
                ["PolicyNotAttachable"] = (FailureKind.InvalidOperation,
                    "That policy cannot be attached to a role (AWS reserves it for service roles): attach the account's own VisionOnePolicyPart policies.", ErrorScope.Input),
            };

        private const string ExpiredTokenStep =
            "The session token has expired: renew the credentials (aws sso login, a new role session, fresh keys from your identity provider), then run the command again; it continues where it stopped.";

        /// <summary>The entry for a Vision One API answer: VisionOne.&lt;error.code&gt;, else VisionOne.Http&lt;status&gt;.</summary>
        public static ErrorEntry ForApiAnswer(int status, string? code)
        {
            var kind = HttpKind(status);
            return new ErrorEntry(code != null ? "VisionOne." + code : ApiHttpFamily + status, kind, ApiNextStep(status),
                status == 401 ? ErrorScope.Setup : ErrorScope.Input);
        }

        private static FailureKind AwsKind(string code)
        {
            switch (code)
            {
                case "NoSuchEntity": return FailureKind.ObjectNotFound;
                case "EntityAlreadyExists": return FailureKind.ResourceExists;
                case "LimitExceeded": return FailureKind.LimitsExceeded;
                case "DeleteConflict":
                case "ConcurrentModification": return FailureKind.InvalidOperation;
                case "MalformedPolicyDocument":
                case "InvalidInput":
                case "ValidationError": return FailureKind.InvalidData;
                case "AccessDenied":
                case "AccessDeniedException":
                case "UnauthorizedOperation": return FailureKind.PermissionDenied;
                case "InvalidClientTokenId":
                case "SignatureDoesNotMatch":
                case "MissingAuthenticationToken":
                case "RequestExpired": return FailureKind.AuthenticationError;
                case "ConnectionFailure": return FailureKind.ConnectionError;
                case "RequestTimeout": return FailureKind.OperationTimeout;
                case "Throttling":
                case "ServiceFailure":
                case "ServiceUnavailable": return FailureKind.ResourceUnavailable;
                case "MalformedResponse": return FailureKind.InvalidResult;
                default: return FailureKind.NotSpecified;
            }
        }

        private static string AwsNextStep(FailureKind kind)
        {
            switch (kind)
            {
                case FailureKind.AuthenticationError: return "Check the AWS credentials (keys, profile, session token expiry) and run the command again.";
                case FailureKind.PermissionDenied: return "Give the caller the IAM permission the message names, then run the command again.";
                case FailureKind.ConnectionError:
                case FailureKind.OperationTimeout:
                case FailureKind.ResourceUnavailable: return "Run the command again later; it continues where it stopped. Check -EndpointUrl, proxies and network access.";
                default: return "Read IAM's message and request id, fix the cause, then run the command again; it continues where it stopped.";
            }
        }

        private static FailureKind HttpKind(int status)
        {
            switch (status)
            {
                case 400: return FailureKind.InvalidArgument;
                case 401: return FailureKind.AuthenticationError;
                case 403: return FailureKind.PermissionDenied;
                case 404: return FailureKind.ObjectNotFound;
                case 409: return FailureKind.ResourceExists;
                case 412:
                case 428: return FailureKind.InvalidOperation;
                case 429: return FailureKind.LimitsExceeded;
                default: return status >= 500 ? FailureKind.ResourceUnavailable : FailureKind.NotSpecified;
            }
        }

        private static string ApiNextStep(int status)
        {
            switch (status)
            {
                case 401: return "Check the API key, and that it belongs to the region whose host was called (keys are regional).";
                case 403: return "Give the API key's role full Cloud Accounts permissions (add, edit, delete).";
                case 429: return "Wait a minute and run the command again.";
                default:
                    return status >= 500
                    ? "Run the command again later; if it persists, give Trend support the x-trace-id."
                    : "Read the API's message, fix the cause, then run the command again; give Trend support the x-trace-id if it persists.";
            }
        }
    }
}
