using System;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VisionOneOnboarding.Emulator.Iam;
using VisionOneOnboarding.Emulator.Organizations;

namespace VisionOneOnboarding.Emulator
{
    /// <summary>
    /// <c>/_emulator/...</c>: reset, the call log, fault injection, extra accounts, an organization and a state dump, in camelCase JSON.
    /// Tests and the demo drive the emulator through these; they are not AWS-signed.
    /// </summary>
    public static class ControlEndpoints
    {
        private static readonly string[] FaultServices = { "iam", "sts", "cam", "organizations" };

        public static void Map(WebApplication app, EmulatorState state)
        {
            app.MapPost("/_emulator/reset", () =>
            {
                state.Reset();
                return Results.NoContent();
            });

            app.MapGet("/_emulator/calls", () => Results.Json(state.Calls.Snapshot()));
            app.MapDelete("/_emulator/calls", () =>
            {
                state.Calls.Clear();
                return Results.NoContent();
            });

            app.MapGet("/_emulator/faults", () => Results.Json(FaultSettingsOf(state.Faults)));
            app.MapPost("/_emulator/faults", (FaultSettings settings) =>
            {
                if (settings.LatencyMs < 0 || settings.PrincipalPropagationMs < 0 || settings.RolePropagationMs < 0 || settings.ThrottleRate < 0 || settings.ThrottleRate > 1
                    || settings.ThrottleRetryAfterSeconds < 0 || settings.AssumeRoleWindowSeconds < 0)
                {
                    return Problem("latencyMs, principalPropagationMs, rolePropagationMs, throttleRetryAfterSeconds and assumeRoleWindowSeconds must be 0 or more; throttleRate must be between 0 and 1.");
                }
                if (settings.AssumeRoleWindowSeconds.HasValue) state.Faults.AssumeRoleWindow = TimeSpan.FromSeconds(settings.AssumeRoleWindowSeconds.Value);
                if (settings.ThrottleRetryAfterSeconds.HasValue) state.Faults.ThrottleRetryAfterSeconds = settings.ThrottleRetryAfterSeconds.Value;
                if (settings.LatencyMs.HasValue) state.Faults.Latency = TimeSpan.FromMilliseconds(settings.LatencyMs.Value);
                if (settings.ThrottleRate.HasValue) state.Faults.ThrottleRate = settings.ThrottleRate.Value;
                if (settings.PrincipalPropagationMs.HasValue) state.Faults.PrincipalPropagationDelay = TimeSpan.FromMilliseconds(settings.PrincipalPropagationMs.Value);
                if (settings.RolePropagationMs.HasValue) state.Faults.RolePropagationDelay = TimeSpan.FromMilliseconds(settings.RolePropagationMs.Value);
                return Results.Json(FaultSettingsOf(state.Faults));
            });
            app.MapPost("/_emulator/faults/fail", (FailNthRule rule) =>
            {
                if (Array.IndexOf(FaultServices, rule.Service) < 0 || string.IsNullOrEmpty(rule.Action))
                {
                    return Problem("service must be one of iam, sts, cam, organizations and action must be given.");
                }
                if (rule.Status < 400 || rule.Status > 599)
                {
                    return Problem("status must be an HTTP error status (400-599).");
                }
                try
                {
                    state.Faults.AddRule(rule);
                }
                catch (ArgumentException e)
                {
                    return Problem(e.Message);
                }
                return Results.NoContent();
            });
            app.MapPost("/_emulator/faults/lag", (LagRule rule) =>
            {
                try
                {
                    state.Faults.AddLag(rule);
                }
                catch (ArgumentException e)
                {
                    return Problem(e.Message);
                }
                return Results.NoContent();
            });
            app.MapDelete("/_emulator/faults", () =>
            {
                state.Faults.Clear();
                return Results.NoContent();
            });

            app.MapPost("/_emulator/accounts", (NewAccount request) =>
            {
                if (!IamStore.IsAccountId(request.AccountId))
                {
                    return Problem("accountId must be 12 digits.");
                }
                if (request.ManagementAccountId != null && !IamStore.IsAccountId(request.ManagementAccountId))
                {
                    return Problem("managementAccountId must be 12 digits.");
                }
                var credential = state.Iam.CreateAccountCredentials(request.AccountId!);
                if (request.ManagementAccountId != null)
                {
                    state.Iam.CreateOrganizationAccessRole(request.AccountId!, request.ManagementAccountId);
                }
                return Results.Json(new { accountId = request.AccountId, accessKeyId = credential.AccessKeyId, secretAccessKey = credential.SecretAccessKey });
            });

            // Enforcement: calls signed by IAM users made here or by assumed roles are checked against their policies.
            app.MapPost("/_emulator/enforcement", (EnforcementSettings settings) =>
            {
                state.Iam.EnforcePermissions = settings.Enabled;
                return Results.Json(new { enabled = settings.Enabled });
            });

            app.MapPost("/_emulator/sts", (StsSettings settings) =>
            {
                if (settings.CredentialLifetimeSeconds is < 1)
                {
                    return Problem("credentialLifetimeSeconds must be 1 or more, or null for the asked duration.");
                }
                state.Iam.CredentialLifetime = settings.CredentialLifetimeSeconds is int seconds ? TimeSpan.FromSeconds(seconds) : null;
                return Results.Json(new { credentialLifetimeSeconds = settings.CredentialLifetimeSeconds });
            });

            app.MapPost("/_emulator/sso/tokens", (NewSsoToken request) =>
            {
                try
                {
                    var token = state.Iam.IssueSsoToken(request.Assignments ?? Array.Empty<SsoAssignment>(), TimeSpan.FromSeconds(request.ExpiresInSeconds));
                    return Results.Json(new { accessToken = token.AccessToken, expiresAt = token.ExpiresAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) });
                }
                catch (ArgumentException e)
                {
                    return Problem(e.Message);
                }
            });

            app.MapPost("/_emulator/organization", (OrganizationSeed seed) =>
            {
                try
                {
                    return Results.Json(state.Organizations.Create(seed));
                }
                catch (ArgumentException e)
                {
                    return Problem(e.Message);
                }
            });
            app.MapGet("/_emulator/organization", () =>
            {
                var organization = state.Organizations.Snapshot();
                return organization == null
                    ? Results.Json(new { error = "No organization: create one with POST /_emulator/organization." }, statusCode: StatusCodes.Status404NotFound)
                    : Results.Json(organization);
            });

            app.MapGet("/_emulator/state", (string? account) =>
            {
                var accountId = account ?? IamStore.SeedAccountId;
                var dump = state.Iam.DescribeAccount(accountId);
                return dump == null
                    ? Results.Json(new { error = "No account " + accountId + "." }, statusCode: StatusCodes.Status404NotFound)
                    : Results.Text(dump.ToJsonString(), "application/json");
            });
        }

        private static IResult Problem(string message) => Results.Json(new { error = message }, statusCode: StatusCodes.Status400BadRequest);

        private static FaultSettings FaultSettingsOf(FaultInjector faults) => new FaultSettings
        {
            LatencyMs = (int)faults.Latency.TotalMilliseconds,
            ThrottleRate = faults.ThrottleRate,
            PrincipalPropagationMs = (int)faults.PrincipalPropagationDelay.TotalMilliseconds,
            RolePropagationMs = (int)faults.RolePropagationDelay.TotalMilliseconds,
            ThrottleRetryAfterSeconds = faults.ThrottleRetryAfterSeconds,
            AssumeRoleWindowSeconds = faults.AssumeRoleWindow.TotalSeconds,
        };

        /// <summary>Body of POST /_emulator/faults: only the settings given change.</summary>
        public sealed class FaultSettings
        {
            public int? LatencyMs { get; set; }
            public double? ThrottleRate { get; set; }
            public int? PrincipalPropagationMs { get; set; }
            public int? RolePropagationMs { get; set; }
            public int? ThrottleRetryAfterSeconds { get; set; }
            /// <summary>Cloud Accounts answers "Unable to assume role" for this long after a role's creation or trust change (0: off).</summary>
            public double? AssumeRoleWindowSeconds { get; set; }
        }

        public sealed class NewAccount
        {
            public string? AccountId { get; set; }
            /// <summary>When given, the account gets OrganizationAccountAccessRole trusting this (management) account.</summary>
            public string? ManagementAccountId { get; set; }
        }

        /// <summary>Body of POST /_emulator/sts: temporary credentials issued from now on expire after this many seconds (null: as asked).</summary>
        public sealed class EnforcementSettings
        {
            public bool Enabled { get; set; }
        }

        public sealed class StsSettings
        {
            public int? CredentialLifetimeSeconds { get; set; }
        }

        /// <summary>Body of POST /_emulator/sso/tokens.</summary>
        public sealed class NewSsoToken
        {
            public SsoAssignment[]? Assignments { get; set; }
            /// <summary>Negative: a token that has already expired.</summary>
            public int ExpiresInSeconds { get; set; } = 3600;
        }
    }
}
