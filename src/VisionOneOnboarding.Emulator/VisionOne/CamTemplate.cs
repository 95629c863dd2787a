using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VisionOneOnboarding.Emulator.VisionOne
{
    /// <summary>What a generateCfnTemplateLinks call asked for; the template URL's token leads back to it.</summary>
    public sealed class CamTemplateRequest
    {
        public string Token { get; set; } = "";
        public string Region { get; set; } = "";
        public string BusinessId { get; set; } = "";
        public string AwsRegion { get; set; } = "";
        public string TemplateAccountType { get; set; } = "single";
        public string? AwsAccountName { get; set; }
        /// <summary>The download link's X-Amz-Signature and X-Amz-Security-Token: the link is pre-signed as a real storage link is, so the query is the credential.</summary>
        public string Signature { get; set; } = "";
        public string SecurityToken { get; set; } = "";
    }

    /// <summary>
    /// The CloudFormation template Cloud Accounts hands out, in YAML with short-form intrinsics (!Ref, !Sub, !GetAtt),
    /// holding the OIDC provider, the three published policies as VisionOnePolicyPart1/2/3 and VisionOneRole.
    /// The real template is not public; this one follows everything the manual procedure says about it.
    /// </summary>
    public static class CamTemplate
    {
        public const string FileName = "vision-one-template.yaml";
        public const string StackName = "Vision-One-Cloud-Account-Management";

        public static readonly IReadOnlyList<string> Thumbprints = new[]
        {
            "9e99a48a9960b14926bb7f3b02e22da2b0ab7280", "9565AD13689C2C4B4F018BE31767084D197F2692",
            "8CF427FD790C3AD166068DE81E57EFBB932272D4", "F21C12F46CDB6B2E16F09F9419CDFF328437B2D7",
        };

        private static readonly Lazy<IReadOnlyList<string>> PolicyDocuments = new Lazy<IReadOnlyList<string>>(LoadPolicies);
        private static readonly Regex PlainKey = new Regex("^[A-Za-z0-9_]+$", RegexOptions.CultureInvariant);

        /// <summary>The published documents VisionOnePolicyPart1..3 (JSON), embedded from the module's data folder.</summary>
        public static IReadOnlyList<string> Policies => PolicyDocuments.Value;

        public static string Render(CamTemplateRequest request)
        {
            var issuer = CamRoleCheck.IssuerHost(request.Region);
            var y = new StringBuilder();
            y.Append("AWSTemplateFormatVersion: '2010-09-09'\n");
            y.Append("Description: 'Trend Vision One Cloud Accounts - IAM resources that let Vision One connect this AWS account (Core Features, ")
             .Append(request.TemplateAccountType).Append(" account)'\n");
            y.Append("Metadata:\n  TemplateVersion: '2.0.0'\n  TemplateAccountType: ").Append(Quote(request.TemplateAccountType)).Append('\n');
            y.Append("Parameters:\n");
            Parameter(y, "VisionOneOIDCProviderURL", "The Vision One OIDC issuer host, without https://", issuer);
            Parameter(y, "VisionOneRegion", "Your Trend Vision One region", request.Region);
            Parameter(y, "VisionOneAccountID", "Your Trend Vision One business id", request.BusinessId);
            Parameter(y, "CloudAccountName", "The name of the account in Cloud Accounts (not used by the resources)", request.AwsAccountName ?? "");
            y.Append("Resources:\n");
            y.Append("  VisionOneOIDCProvider:\n    Type: AWS::IAM::OIDCProvider\n    Properties:\n");
            y.Append("      Url: !Sub 'https://${VisionOneOIDCProviderURL}'\n");
            y.Append("      ClientIdList:\n        - !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'\n");
            y.Append("      ThumbprintList:\n");
            foreach (var t in Thumbprints) y.Append("        - ").Append(Quote(t)).Append('\n');
            for (int i = 0; i < Policies.Count; i++)
            {
                var name = "VisionOnePolicyPart" + (i + 1).ToString(CultureInfo.InvariantCulture);
                y.Append("  ").Append(name).Append(":\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n");
                y.Append("      ManagedPolicyName: ").Append(name).Append('\n');
                y.Append("      Description: 'Trend Vision One Cloud Accounts core features, part ").Append(i + 1).Append("'\n");
                y.Append("      PolicyDocument:\n");
                using (var doc = JsonDocument.Parse(Policies[i])) EmitMapping(y, doc.RootElement, 8);
            }
            y.Append("  VisionOneRole:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: VisionOneRole\n");
            y.Append("      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n");
            y.Append("          - Effect: Allow\n            Principal:\n              Federated: !GetAtt VisionOneOIDCProvider.Arn\n");
            y.Append("            Action:\n              - sts:AssumeRoleWithWebIdentity\n              - sts:SetSourceIdentity\n");
            y.Append("            Condition:\n              StringEquals:\n");
            // Condition keys cannot hold intrinsics, so the issuer host is written into them; the template is made per region.
            y.Append("                '").Append(issuer).Append(":aud': !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root'\n");
            y.Append("                '").Append(issuer).Append(":sub':\n");
            y.Append("                  - !Sub 'urn:visionone:identity:${VisionOneRegion}:${VisionOneAccountID}:account/${VisionOneAccountID}'\n");
            y.Append("      ManagedPolicyArns:\n");
            for (int i = 1; i <= Policies.Count; i++) y.Append("        - !Ref VisionOnePolicyPart").Append(i).Append('\n');
            y.Append("      Tags:\n");
            y.Append("        - Key: VisionOneCloudFormationStackName\n          Value: !Ref AWS::StackName\n");
            y.Append("        - Key: VisionOneCloudFormationStackRegion\n          Value: !Ref AWS::Region\n");
            y.Append("        - Key: VisionOneFeatures\n          Value: Base\n");
            y.Append("Outputs:\n");
            y.Append("  VisionOneRoleArn:\n    Value: !GetAtt VisionOneRole.Arn\n");
            y.Append("  VisionOneOIDCProviderArn:\n    Value: !Ref VisionOneOIDCProvider\n");
            return y.ToString();
        }

        /// <summary>The AWS console quick-create link for the template, with the parameters filled in.</summary>
        /// <summary>
        /// The template link as real Cloud Accounts hands it out: a pre-signed storage URL whose query carries a session
        /// token and a signature. The download checks the signature, so a client that drops the query cannot fetch it.
        /// </summary>
        public static string PresignedPath(CamTemplateRequest request)
        {
            string E(string s) => Uri.EscapeDataString(s);
            return "templates/" + request.Token + "/" + FileName +
                   "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + E("ASIAEMULATORTEMPLATE/20260101/us-east-1/s3/aws4_request") +
                   "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host" +
                   "&X-Amz-Security-Token=" + E(request.SecurityToken) + "&X-Amz-Signature=" + E(request.Signature);
        }

        public static string CreateStackUrl(CamTemplateRequest request, string templateUrl)
        {
            string E(string s) => Uri.EscapeDataString(s);
            return "https://" + request.AwsRegion + ".console.aws.amazon.com/cloudformation/home?region=" + request.AwsRegion +
                   "#/stacks/quickcreate?templateURL=" + E(templateUrl) + "&stackName=" + StackName +
                   "&param_VisionOneOIDCProviderURL=" + E(CamRoleCheck.IssuerHost(request.Region)) +
                   "&param_VisionOneRegion=" + E(request.Region) + "&param_VisionOneAccountID=" + E(request.BusinessId) +
                   "&param_CloudAccountName=" + E(request.AwsAccountName ?? "");
        }

        private static void Parameter(StringBuilder y, string name, string description, string defaultValue)
        {
            y.Append("  ").Append(name).Append(":\n    Type: String\n    Description: ").Append(Quote(description))
             .Append("\n    Default: ").Append(Quote(defaultValue)).Append('\n');
        }

        /// <summary>Writes a JSON object as a block mapping at <paramref name="indent"/> spaces.</summary>
        private static void EmitMapping(StringBuilder y, JsonElement obj, int indent)
        {
            var pad = new string(' ', indent);
            foreach (var p in obj.EnumerateObject())
            {
                y.Append(pad).Append(PlainKey.IsMatch(p.Name) ? p.Name : Quote(p.Name)).Append(':');
                EmitValue(y, p.Value, indent);
            }
        }

        /// <summary>Writes a value after "key:" (scalars inline, collections on the following lines).</summary>
        private static void EmitValue(StringBuilder y, JsonElement value, int indent)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object when value.EnumerateObject().Any():
                    y.Append('\n');
                    EmitMapping(y, value, indent + 2);
                    break;
                case JsonValueKind.Array when value.GetArrayLength() > 0:
                    y.Append('\n');
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Object && item.EnumerateObject().Any())
                        {
                            // "- " followed by the mapping's first key on the same line, the rest aligned under it.
                            var nested = new StringBuilder();
                            EmitMapping(nested, item, indent + 4);
                            y.Append(new string(' ', indent + 2)).Append("- ").Append(nested.ToString(indent + 4, nested.Length - indent - 4));
                        }
                        else
                        {
                            y.Append(new string(' ', indent + 2)).Append('-');
                            EmitValue(y, item, indent + 2);
                        }
                    }
                    break;
                default:
                    y.Append(' ').Append(Scalar(value)).Append('\n');
                    break;
            }
        }

        private static string Scalar(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => Quote(value.GetString()!),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Object => "{}",
            JsonValueKind.Array => "[]",
            _ => "null",
        };

        /// <summary>Single-quoted YAML scalar: no escapes except '' for a quote.</summary>
        private static string Quote(string text) => "'" + text.Replace("'", "''") + "'";

        private static IReadOnlyList<string> LoadPolicies()
        {
            var assembly = typeof(CamTemplate).Assembly;
            return Enumerable.Range(1, 3).Select(i =>
            {
                var name = "VisionOneOnboarding.Emulator.Data.VisionOnePolicyPart" + i + ".json";
                using var stream = assembly.GetManifestResourceStream(name)
                    ?? throw new InvalidOperationException("Embedded resource " + name + " is missing from the emulator build.");
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return reader.ReadToEnd();
            }).ToList();
        }
    }
}
