using System.Linq;

namespace VisionOneOnboarding.Tests.Emulator
{
    /// <summary>Policy documents for emulator tests.</summary>
    internal static class Documents
    {
        public const string Minimal = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
        public const string Other = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ec2:Describe*\",\"Resource\":\"*\"}]}";

        /// <summary>A managed policy of exactly <paramref name="countedSize"/> characters that are not white space, padded with <paramref name="whiteSpace"/> spaces.</summary>
        public static string OfSize(int countedSize, int whiteSpace = 0)
        {
            var head = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::";
            var tail = "\"}]}";
            var doc = head + new string('b', countedSize - head.Length - tail.Length) + tail;
            return doc.Insert(1, new string(' ', whiteSpace));
        }

        public static string Trust(params string[] federatedPrincipals) =>
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":[" +
            string.Join(",", federatedPrincipals.Select(p => "\"" + p + "\"")) +
            "]},\"Action\":\"sts:AssumeRoleWithWebIdentity\"}]}";

        public const string AccountTrust =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}";
    }
}
