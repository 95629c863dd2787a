using System;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VisionOneOnboarding.Emulator.Iam;

namespace VisionOneOnboarding.Emulator
{
    /// <summary>
    /// The IAM Identity Center portal's GetRoleCredentials (REST-JSON, <c>GET /federation/credentials</c>, bearer
    /// token in <c>x-amz-sso_bearer_token</c>), which SSO profiles call with the token 'aws sso login' cached.
    /// Tokens come from <c>POST /_emulator/sso/tokens</c>; refreshing one through SSO OIDC is not emulated.
    /// </summary>
    public static class SsoPortalEndpoint
    {
        public static void Map(WebApplication app, EmulatorState state)
        {
            app.MapGet("/federation/credentials", (HttpContext context) =>
            {
                var record = new CallRecord { Service = "sso", Action = "GetRoleCredentials", Account = context.Request.Query["account_id"].ToString() };
                IResult result;
                try
                {
                    var credential = state.Iam.GetSsoRoleCredentials(context.Request.Headers["x-amz-sso_bearer_token"].ToString(),
                        context.Request.Query["account_id"].ToString(), context.Request.Query["role_name"].ToString());
                    result = Results.Json(new
                    {
                        roleCredentials = new
                        {
                            accessKeyId = credential.AccessKeyId,
                            secretAccessKey = credential.SecretAccessKey,
                            sessionToken = credential.SessionToken,
                            expiration = new DateTimeOffset(credential.Expiration!.Value).ToUnixTimeMilliseconds(),
                        },
                    });
                    record.Status = StatusCodes.Status200OK;
                    record.Success = true;
                }
                catch (SsoPortalException error)
                {
                    context.Response.Headers["x-amzn-ErrorType"] = error.Type;
                    result = Results.Json(new { message = error.Message }, statusCode: error.Status);
                    record.Status = error.Status;
                    record.ErrorCode = error.Type;
                }
                state.Calls.Add(record);
                return result;
            });
        }
    }
}
