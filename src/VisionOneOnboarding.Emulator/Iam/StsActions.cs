using System;
using System.Collections.Generic;
using System.Xml.Linq;
using static VisionOneOnboarding.Emulator.Aws.QueryXml;

namespace VisionOneOnboarding.Emulator.Iam
{
    /// <summary>The STS actions the emulator serves.</summary>
    internal static class StsActions
    {
        public static IReadOnlyDictionary<string, QueryAction> Create(IamStore store) => new Dictionary<string, QueryAction>(StringComparer.Ordinal)
        {
            ["GetCallerIdentity"] = (p, c) => new[]
            {
                Text("Arn", c.Arn),
                Text("UserId", c.UserId),
                Text("Account", c.AccountId),
            },
            ["AssumeRole"] = (p, c) =>
            {
                var credential = store.AssumeRole(c, p.Required("RoleArn"), p.Required("RoleSessionName"), p.Int("DurationSeconds"));
                return new[]
                {
                    new XElement("AssumedRoleUser",
                        Text("AssumedRoleId", credential.Principal.UserId),
                        Text("Arn", credential.Principal.Arn)),
                    new XElement("Credentials",
                        Text("AccessKeyId", credential.AccessKeyId),
                        Text("SecretAccessKey", credential.SecretAccessKey),
                        Text("SessionToken", credential.SessionToken!),
                        Date("Expiration", credential.Expiration!.Value)),
                };
            },
        };
    }
}
