using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Values;

namespace VisionOneOnboarding.Tests.Errors
{
    /// <summary>Each fact is parsed by one type, with one error id, whoever asks (cmdlet, engine or API client).</summary>
    public sealed class ValueTypesTests
    {
        [Theory]
        [InlineData("arn:aws:iam::123456789012:role/VisionOneRole", "aws", "123456789012", "VisionOneRole")]
        [InlineData("arn:aws-cn:iam::123456789012:role/path/to/Role_1", "aws-cn", "123456789012", "Role_1")]
        [InlineData("arn:aws-us-gov:iam::123456789012:role/a+b=c,d.e@f-g", "aws-us-gov", "123456789012", "a+b=c,d.e@f-g")]
        public void A_role_ARN_is_read_into_partition_account_and_name(string text, string partition, string account, string name)
        {
            var arn = AwsRoleArn.Parse(text);
            Assert.Equal(partition, arn.Partition);
            Assert.Equal(account, arn.AccountId);
            Assert.Equal(name, arn.RoleName);
            Assert.Equal(text, arn.Value);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("arn:aws:iam::123:role/x")]
        [InlineData("arn:aws:iam::123456789012:user/bob")]
        [InlineData("arn:aws:iam::123456789012:policy/VisionOneRole")]
        [InlineData("arn:aws-iso:iam::123456789012:role/VisionOneRole")]
        [InlineData("arn:aws:sts::123456789012:role/VisionOneRole")]
        [InlineData("arn:aws:iam::123456789012:role/")]
        [InlineData("arn:aws:iam::123456789012:role/Vision One")]
        [InlineData("arn:aws:iam::123456789012:role/Rôle")]
        [InlineData("arn:aws:iam::123456789012:role/VisionOneRole\n")]
        [InlineData("arn:aws:iam::123456789012:role/VisionOneRole\u0000")]
        public void Anything_else_is_not_a_role_ARN(string? text)
        {
            var ex = Assert.Throws<VisionOneException>(() => AwsRoleArn.Parse(text));
            Assert.Equal("VisionOne.InvalidRoleArn", ex.ErrorId);
            Assert.DoesNotContain(ex.Message, c => c == '\n' || c == '\u0000');   // shown as \uXXXX, never raw
        }

        [Theory]
        [InlineData("arn:aws:iam::aws:policy/AdministratorAccess", "AWS managed")]
        [InlineData("arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess", "AWS managed")]
        [InlineData("arn:aws:iam::123456789012:role/VisionOnePolicyPart1", "not an IAM policy ARN")]
        [InlineData("arn:aws:iam::12345678901:policy/VisionOnePolicyPart1", "not an IAM policy ARN")]
        public void A_policy_ARN_must_be_one_of_the_accounts_own(string text, string why)
        {
            var ex = Assert.Throws<VisionOneException>(() => AwsPolicyArn.Parse(text));
            Assert.Equal("VisionOne.InvalidPolicyArn", ex.ErrorId);
            Assert.Contains(why, ex.Message);
        }

        [Fact]
        public void A_policy_ARN_is_read_into_account_and_name()
        {
            var arn = AwsPolicyArn.Parse("arn:aws:iam::123456789012:policy/team/VisionOnePolicyPart1");
            Assert.Equal("123456789012", arn.AccountId);
            Assert.Equal("VisionOnePolicyPart1", arn.PolicyName);
        }

        [Theory]
        [InlineData("arn:aws:iam::123456789012:oidc-provider/cloudaccounts-us.xdr.trendmicro.com", "cloudaccounts-us.xdr.trendmicro.com")]
        [InlineData("arn:aws:iam::123456789012:oidc-provider/issuer.example.test/oidc", "issuer.example.test/oidc")]
        public void A_provider_ARN_names_its_issuer_host(string text, string host) =>
            Assert.Equal(host, OidcProviderArn.Parse(text).IssuerHost);

        [Theory]
        [InlineData("arn:aws:iam::123456789012:oidc-provider/")]
        [InlineData("arn:aws:iam::123456789012:saml-provider/cloudaccounts-us.xdr.trendmicro.com")]
        [InlineData("arn:aws:iam::1234:oidc-provider/cloudaccounts-us.xdr.trendmicro.com")]
        [InlineData("arn:aws:iam::123456789012:oidc-provider/bad host.example.com")]
        public void Anything_else_is_not_a_provider_ARN(string text) =>
            Assert.Equal("VisionOne.InvalidOidcProviderArn", Assert.Throws<VisionOneException>(() => OidcProviderArn.Parse(text)).ErrorId);

        [Theory]
        [InlineData("123456789012", true)]
        [InlineData("12345678901", false)]
        [InlineData("1234567890123", false)]
        [InlineData("12345678901a", false)]
        [InlineData("١٢٣٤٥٦٧٨٩٠١٢", false)]   // Arabic-Indic digits: \d would take them, IAM would not
        [InlineData(" 123456789012", false)]
        public void An_account_id_is_twelve_ASCII_digits(string text, bool valid)
        {
            Assert.Equal(valid, AwsAccountId.IsValid(text));
            if (!valid) Assert.Equal("VisionOne.InvalidAccountId", Assert.Throws<VisionOneException>(() => AwsAccountId.Parse(text)).ErrorId);
        }

        [Theory]
        [InlineData("us-east-1", true)]
        [InlineData("us-gov-west-1", true)]
        [InlineData("cn-north-1", true)]
        [InlineData("eu-isoe-west-1", true)]
        [InlineData("ap-southeast-5", true)]
        [InlineData("US-EAST-1", false)]
        [InlineData("us-east", false)]
        [InlineData("Mars", false)]
        [InlineData("us-east-1\r\n", false)]
        public void An_AWS_region_code_has_one_shape_everywhere(string text, bool valid)
        {
            Assert.Equal(valid, AwsRegionCode.IsValid(text));
            Assert.Equal(valid, VisionOneOnboarding.Aws.AwsEndpoints.IsWellFormedRegion(text));
            if (!valid) Assert.Equal("VisionOne.InvalidAwsRegion", Assert.Throws<VisionOneException>(() => AwsRegionCode.Parse(text)).ErrorId);
        }

        [Theory]
        [InlineData("Payments prod", true)]
        [InlineData("Zahlungen – Produktion", true)]
        [InlineData("", false)]
        [InlineData("   ", false)]
        [InlineData("line\nbreak", false)]
        [InlineData("bell\u0007", false)]
        [InlineData("esc\u001b[31m", false)]
        public void A_Cloud_Accounts_name_is_printable_and_at_most_254_characters(string text, bool valid)
        {
            if (valid) Assert.Equal(text, CloudAccountText.Name(text));
            else Assert.Equal("VisionOne.InvalidAccountName", Assert.Throws<VisionOneException>(() => CloudAccountText.Name(text)).ErrorId);
        }

        [Fact]
        public void A_description_may_break_lines_but_holds_no_other_control_character()
        {
            Assert.Equal("one\ntwo", CloudAccountText.Description("one\ntwo"));
            Assert.Null(CloudAccountText.Description(null));
            Assert.Equal("VisionOne.InvalidAccountDescription", Assert.Throws<VisionOneException>(() => CloudAccountText.Description("x\u0000")).ErrorId);
            Assert.Equal("VisionOne.InvalidAccountDescription", Assert.Throws<VisionOneException>(() => CloudAccountText.Description(new string('d', 255))).ErrorId);
            Assert.Equal("VisionOne.InvalidAccountName", Assert.Throws<VisionOneException>(() => CloudAccountText.Name(new string('n', 255))).ErrorId);
        }

        [Theory]
        [InlineData("1234567890", true)]
        [InlineData("tenant-01.a_b", true)]
        [InlineData("a b", false)]
        [InlineData("-leading", false)]
        [InlineData("urn:x", false)]
        public void A_business_id_is_what_the_console_shows(string text, bool valid)
        {
            if (valid) Assert.Equal(text, BusinessId.Parse(text).Value);
            else Assert.Equal("VisionOne.InvalidBusinessId", Assert.Throws<VisionOneException>(() => BusinessId.Parse(text)).ErrorId);
        }
    }
}
