using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using VisionOneOnboarding.Aws;
using VisionOneOnboarding.Emulator;
using VisionOneOnboarding.Emulator.Iam;
using VisionOneOnboarding.Errors;
using VisionOneOnboarding.Net;
using VisionOneOnboarding.Onboarding;
using VisionOneOnboarding.Onboarding.Permissions;
using VisionOneOnboarding.Tests.Net;
using VisionOneOnboarding.VisionOne;

namespace VisionOneOnboarding.Tests.Onboarding;

/// <summary>
/// Least privilege: the operator policy written from the action table, the preflight that asks IAM's policy simulator
/// before the first change, and the emulator's enforcement holding the engine to both.
/// </summary>
public sealed class PermissionTests : IAsyncLifetime
{
    private const string Account = "123456789012";
    private const string BusinessId = "1234567890";
    private const string ProviderArn = "arn:aws:iam::" + Account + ":oidc-provider/cloudaccounts-us.xdr.trendmicro.com";
    private const string RoleName = "VisionOneRole";
    private static readonly OnboardingTimings Timings = new OnboardingTimings { Clock = new ManualWaitClock() };

    private EmulatorHost _host = null!;
    private CamClient _cam = null!;
    private AccountScope _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await EmulatorHost.StartAsync();
        _cam = EmulatorClients.VisionOne(_host);
        _admin = await EmulatorClients.AccountAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _cam.Dispose();
        await _host.DisposeAsync();
    }

    private IamStore Iam => _host.State.Iam;

    private static string PolicyArn(int part) => "arn:aws:iam::" + Account + ":policy/VisionOnePolicyPart" + part;

    // ---- the policy ----

    [Theory]
    [InlineData(OperatorScope.Account)]
    [InlineData(OperatorScope.Organization)]
    [InlineData(OperatorScope.Member)]
    public void The_operator_policy_names_every_action_of_the_table_and_no_wildcard_action(OperatorScope scope)
    {
        var policy = JsonNode.Parse(OperatorPolicy.Write(scope, OperatorOperation.All, "aws", Account, RoleName, "OrganizationAccountAccessRole"))!;
        var statements = policy["Statement"]!.AsArray();
        var actions = statements.SelectMany(s => s!["Action"]!.AsArray().Select(a => a!.GetValue<string>())).ToList();
        Assert.All(actions, a => Assert.DoesNotContain("*", a));
        var expected = OperatorPermissions.Calls.Where(c => c.Place == OperatorPlace.Account || scope == OperatorScope.Organization).SelectMany(c => c.Actions).Distinct().OrderBy(a => a).ToList();
        Assert.Equal(expected, actions.Distinct().OrderBy(a => a).ToList());
        Assert.Equal(scope == OperatorScope.Organization, actions.Contains("sts:AssumeRole"));
        Assert.Equal(scope == OperatorScope.Organization, actions.Contains("organizations:DescribeOrganization"));
        // "*" only for the actions without a resource type.
        foreach (var statement in statements)
        {
            var resources = statement!["Resource"] is JsonArray many ? many.Select(r => r!.GetValue<string>()).ToList() : new List<string> { statement["Resource"]!.GetValue<string>() };
            if (resources.Contains("*"))
                Assert.All(statement["Action"]!.AsArray(), a => Assert.Contains(a!.GetValue<string>(), new[] { "iam:ListRoles", "iam:ListPolicies", "organizations:DescribeOrganization", "organizations:ListAccounts", "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent" }));
        }
    }

    [Fact]
    public void Resources_are_narrowed_to_what_the_procedure_touches()
    {
        var text = OperatorPolicy.Write(OperatorScope.Organization, OperatorOperation.All, "aws-cn", "111122223333", RoleName, "OnboardingMember");
        Assert.Contains("\"arn:aws-cn:iam::111122223333:role/VisionOneRole\"", text);
        Assert.Contains("\"arn:aws-cn:iam::111122223333:policy/VisionOnePolicyPart*\"", text);
        Assert.Contains("\"arn:aws-cn:iam::111122223333:oidc-provider/cloudaccounts-*.xdr.trendmicro.com\"", text);
        Assert.Contains("\"arn:aws-cn:iam::*:role/OnboardingMember\"", text);
        var anyAccount = OperatorPolicy.Write(OperatorScope.Member, OperatorOperation.All, "aws", null, RoleName, "x");
        Assert.Contains("\"arn:aws:iam::*:role/VisionOneRole\"", anyAccount);
    }

    [Fact]
    public void A_policy_for_Test_alone_holds_reads_only()
    {
        var text = OperatorPolicy.Write(OperatorScope.Account, OperatorOperation.Test, "aws", Account, RoleName, "x");
        var actions = JsonNode.Parse(text)!["Statement"]!.AsArray().SelectMany(s => s!["Action"]!.AsArray().Select(a => a!.GetValue<string>())).ToList();
        Assert.All(actions, a => Assert.Matches("^iam:(Get|List|Simulate)", a));
        Assert.Contains("iam:GetRole", actions);
        Assert.DoesNotContain("iam:ListRoles", actions);
    }

    // ---- every call the engine makes is in the table ----

    [Fact]
    public async Task Every_AWS_call_of_Invoke_Test_and_Remove_maps_to_an_action_of_the_table()
    {
        _host.State.Calls.Clear();
        var scope = Checked(_admin, "arn:aws:iam::" + Account + ":user/emulator-admin", new PreflightOptions());
        await RunAsync(Scenario.InvokeFresh, scope);
        await RunAsync(Scenario.InvokeFresh, scope);
        await RunAsync(Scenario.Test, scope);
        await SetUpAsync(Scenario.InvokeDrifted, reset: false);
        await RunAsync(Scenario.InvokeDrifted, scope);
        await RunAsync(Scenario.Remove, scope);
        await SetUpAsync(Scenario.RemoveShared, reset: false);
        await RunAsync(Scenario.RemoveShared, scope);

        var calls = _host.State.Calls.Snapshot().Where(c => c.Service == "iam" || c.Service == "sts").Select(c => c.Service + ":" + c.Action).Distinct().ToList();
        Assert.Contains("iam:SimulatePrincipalPolicy", calls);
        Assert.Contains("iam:DeleteRolePolicy", calls);
        Assert.Contains("iam:UpdateOpenIDConnectProviderThumbprint", calls);
        var unknown = calls.Where(c => OperatorPermissions.Find(c.Split(':')[0], c.Split(':')[1]) == null).ToList();
        Assert.Empty(unknown);
        var policy = OperatorPolicy.Write(OperatorScope.Account, OperatorOperation.All, "aws", Account, RoleName, "x");
        foreach (var call in calls)
            foreach (var action in OperatorPermissions.Find(call.Split(':')[0], call.Split(':')[1])!.Actions)
                Assert.Contains("\"" + action + "\"", policy);
    }

    // ---- the preflight under enforcement ----

    [Fact]
    public async Task An_identity_with_exactly_the_operator_policy_onboards_reruns_checks_and_removes_under_enforcement()
    {
        Iam.EnforcePermissions = true;
        var scope = await OperatorAsync(OperatorPolicy.Write(OperatorScope.Account, OperatorOperation.All, "aws", Account, RoleName, "x"));
        var log = new RecordingLog();
        var first = await Engine(scope, log).InvokeAsync(Request(), null, null, default);
        Assert.True(first.IsComplete);
        Assert.NotEmpty(first.Changes);
        _host.State.Calls.Clear();
        var again = await Engine(scope, log).InvokeAsync(Request(), null, null, default);
        Assert.Empty(again.Changes);
        Assert.DoesNotContain(_host.State.Calls.Snapshot(), c => c.Mutating && c.Success && c.Service == "iam");
        var plan = await new AccountOnboarding(scope, _cam, FixedChangeGate.Deny, log).TestAsync(new ExpectationRequest { BusinessId = BusinessId, V1Region = "us" }, null, default);
        Assert.All(plan.Checks, c => Assert.Equal(CheckStatus.Ok, c.Kind));
        var removed = await Engine(scope, log).RemoveAsync(new RemovalRequest { ProviderArn = ProviderArn }, default);
        Assert.True(removed.IsComplete);
        Assert.DoesNotContain(Iam.DescribeAccount(Account)!["roles"]!.AsArray(), r => r!["name"]?.GetValue<string>() == RoleName);
        Assert.Empty(log.Warnings);
        Assert.Contains(_host.State.Calls.Snapshot(), c => c.Action == "SimulatePrincipalPolicy" && c.Success);
    }

    /// <summary>Each action of the table, and a run whose plan needs it.</summary>
    public static IEnumerable<object[]> NeededActions() => new (string Action, Scenario Scenario)[]
    {
        ("iam:GetOpenIDConnectProvider", Scenario.InvokeFresh),
        ("iam:ListPolicyVersions", Scenario.InvokeFresh),
        ("iam:GetPolicyVersion", Scenario.InvokeFresh),
        ("iam:GetRole", Scenario.InvokeFresh),
        ("iam:ListAttachedRolePolicies", Scenario.InvokeFresh),
        ("iam:CreateOpenIDConnectProvider", Scenario.InvokeFresh),
        ("iam:TagOpenIDConnectProvider", Scenario.InvokeFresh),
        ("iam:CreatePolicy", Scenario.InvokeFresh),
        ("iam:TagPolicy", Scenario.InvokeFresh),
        ("iam:CreateRole", Scenario.InvokeFresh),
        ("iam:TagRole", Scenario.InvokeFresh),
        ("iam:AttachRolePolicy", Scenario.InvokeFresh),
        ("iam:AddClientIDToOpenIDConnectProvider", Scenario.InvokeDrifted),
        ("iam:UpdateOpenIDConnectProviderThumbprint", Scenario.InvokeDrifted),
        ("iam:CreatePolicyVersion", Scenario.InvokeDrifted),
        ("iam:DeletePolicyVersion", Scenario.InvokeDrifted),
        ("iam:UpdateAssumeRolePolicy", Scenario.InvokeDrifted),
        ("iam:DetachRolePolicy", Scenario.InvokeDrifted),
        ("iam:GetRole", Scenario.Test),
        ("iam:GetPolicy", Scenario.Remove),
        ("iam:ListRolePolicies", Scenario.Remove),
        ("iam:ListRoles", Scenario.Remove),
        ("iam:DetachRolePolicy", Scenario.Remove),
        ("iam:DeletePolicyVersion", Scenario.Remove),
        ("iam:DeletePolicy", Scenario.Remove),
        ("iam:DeleteRole", Scenario.Remove),
        ("iam:DeleteOpenIDConnectProvider", Scenario.Remove),
        ("iam:DeleteRolePolicy", Scenario.RemoveShared),
        ("iam:ListInstanceProfilesForRole", Scenario.Remove),
        ("iam:RemoveRoleFromInstanceProfile", Scenario.RemoveShared),
    }.Select(c => new object[] { c.Action, c.Scenario });

    [Fact]
    public void The_data_driven_cases_cover_every_action_of_the_account_policy()
    {
        var covered = NeededActions().Select(c => (string)c[0]).ToHashSet();
        var all = OperatorPolicy.Rows(OperatorScope.Account, OperatorOperation.All).Where(r => !r.OnlyToExplainAFailure).SelectMany(r => r.Actions).Where(a => a != "iam:SimulatePrincipalPolicy");
        Assert.DoesNotContain(all, a => !covered.Contains(a));
    }

    [Theory]
    [MemberData(nameof(NeededActions))]
    public async Task Without_one_action_the_preflight_refuses_before_any_change(string action, Scenario scenario)
    {
        await SetUpAsync(scenario);
        Iam.EnforcePermissions = true;
        var scope = await OperatorAsync(Without(OperatorPolicy.Write(OperatorScope.Account, OperatorOperation.All, "aws", Account, RoleName, "x"), action));
        var before = Iam.DescribeAccount(Account)!.ToJsonString();
        _host.State.Calls.Clear();

        var error = await Assert.ThrowsAsync<VisionOneException>(() => RunAsync(scenario, scope));

        Assert.Same(ErrorCatalogue.AwsPermissionMissing, error.Error);
        Assert.Contains(action + " on " + (action == "iam:ListRoles" ? "*" : "arn:aws:iam::" + Account + ":"), error.Message);
        Assert.Contains("Nothing was changed", error.Message);
        Assert.Contains("Get-V1AwsOperatorPolicy", error.Message);
        Assert.DoesNotContain(_host.State.Calls.Snapshot(), c => c.Mutating && c.Success);
        Assert.DoesNotContain(_host.State.Calls.Snapshot(), c => c.ErrorCode == "AccessDenied");
        Assert.Equal(before, Iam.DescribeAccount(Account)!.ToJsonString());
    }

    [Fact]
    public async Task Without_SimulatePrincipalPolicy_the_run_warns_once_and_still_onboards()
    {
        Iam.EnforcePermissions = true;
        var scope = await OperatorAsync(Without(OperatorPolicy.Write(OperatorScope.Account, OperatorOperation.All, "aws", Account, RoleName, "x"), "iam:SimulatePrincipalPolicy"));
        var log = new RecordingLog();
        var outcome = await Engine(scope, log).InvokeAsync(Request(), null, null, default);
        Assert.True(outcome.IsComplete);
        var warning = Assert.Single(log.Warnings);
        Assert.StartsWith("Could not check permissions in advance: IAM answered AccessDenied: User: arn:aws:iam::" + Account + ":user/operator is not authorized to perform: iam:SimulatePrincipalPolicy", warning);
    }

    [Fact]
    public async Task Without_the_preflight_an_AccessDenied_during_apply_names_the_action_the_resource_and_what_was_changed()
    {
        Iam.EnforcePermissions = true;
        var scope = await OperatorAsync(Without(OperatorPolicy.Write(OperatorScope.Account, OperatorOperation.All, "aws", Account, RoleName, "x"), "iam:AttachRolePolicy"),
            new PreflightOptions { Skip = true });
        var error = await Assert.ThrowsAsync<VisionOneException>(() => Engine(scope, new RecordingLog()).InvokeAsync(Request(), null, null, default));
        Assert.Same(ErrorCatalogue.AwsAccessDeniedDuringApply, error.Error);
        Assert.Contains("iam:AttachRolePolicy on arn:aws:iam::" + Account + ":role/VisionOneRole", error.Message);
        Assert.Contains("is not authorized to perform: iam:AttachRolePolicy", error.Message);
        Assert.Contains("iam:CreateRole on arn:aws:iam::" + Account + ":role/VisionOneRole", error.Message);
        Assert.Contains("iam:CreatePolicy on " + PolicyArn(1), error.Message);
        Assert.DoesNotContain(_host.State.Calls.Snapshot(), c => c.Action == "SimulatePrincipalPolicy");
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:user/ops/alice", "arn:aws:iam::123456789012:user/ops/alice")]
    [InlineData("arn:aws:iam::123456789012:role/runbook", "arn:aws:iam::123456789012:role/runbook")]
    [InlineData("arn:aws-us-gov:sts::123456789012:assumed-role/Runbook/session-1", "arn:aws-us-gov:iam::123456789012:role/Runbook")]
    [InlineData("arn:aws:iam::123456789012:root", null)]
    [InlineData("arn:aws:sts::123456789012:federated-user/bob", null)]
    public void The_simulator_is_asked_about_the_user_or_the_role_behind_the_session(string caller, string? source) =>
        Assert.Equal(source, PermissionPreflight.PolicySourceOf(caller));

    [Fact]
    public async Task The_simulator_pages_are_all_read()
    {
        var actions = OperatorPermissions.Calls.SelectMany(c => c.Actions).Distinct().ToList();
        var results = await _admin.Iam.SimulatePrincipalPolicyAsync("arn:aws:iam::" + Account + ":user/emulator-admin", actions, new string[0], default);
        Assert.Equal(actions, results.Select(r => r.ActionName).ToList());
        Assert.True(actions.Count > 0);
        _ = await OperatorAsync(OperatorPolicy.Write(OperatorScope.Account, OperatorOperation.Test, "aws", Account, RoleName, "x"));
        var many = Enumerable.Range(0, 150).Select(i => "iam:GetRole").Concat(new[] { "iam:DeleteRole" }).ToList();
        var paged = await _admin.Iam.SimulatePrincipalPolicyAsync("arn:aws:iam::" + Account + ":user/operator", many, new[] { "arn:aws:iam::" + Account + ":role/VisionOneRole" }, default);
        Assert.Equal(151, paged.Count);
        Assert.Equal("implicitDeny", paged[150].Decision);
        Assert.Equal("allowed", paged[0].ResourceDecisions["arn:aws:iam::" + Account + ":role/VisionOneRole"]);
        Assert.True(_host.State.Calls.Snapshot().Count(c => c.Action == "SimulatePrincipalPolicy") >= 3);
    }

    // ---- scenarios ----

    public enum Scenario
    {
        InvokeFresh,
        InvokeDrifted,
        Test,
        Remove,
        RemoveShared,
    }

    private static OnboardingRequest Request(bool force = false) => new OnboardingRequest { Name = "Permissions", BusinessId = BusinessId, V1Region = "us", Force = force };

    private AccountOnboarding Engine(AccountScope scope, ILogSink? log = null) => new AccountOnboarding(scope, _cam, FixedChangeGate.Allow, log ?? NullLogSink.Instance, Timings);

    private Task RunAsync(Scenario scenario, AccountScope scope)
    {
        switch (scenario)
        {
            case Scenario.InvokeFresh: return Engine(scope).InvokeAsync(Request(), null, null, default);
            case Scenario.InvokeDrifted: return Engine(scope).InvokeAsync(Request(force: true), null, null, default);
            case Scenario.Test: return new AccountOnboarding(scope, _cam, FixedChangeGate.Deny, NullLogSink.Instance).TestAsync(new ExpectationRequest { BusinessId = BusinessId, V1Region = "us" }, null, default);
            case Scenario.Remove: return Engine(scope).RemoveAsync(new RemovalRequest { ProviderArn = ProviderArn }, default);
            default: return Engine(scope).RemoveAsync(new RemovalRequest { ProviderArn = ProviderArn, IncludeShared = true }, default);
        }
    }

    /// <summary>The account as the scenario starts from, made with the administrator's keys.</summary>
    private async Task SetUpAsync(Scenario scenario, bool reset = true)
    {
        if (reset) _host.State.Reset();
        if (scenario == Scenario.InvokeFresh) return;
        await Engine(_admin).InvokeAsync(Request(), null, null, default);
        var document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
        switch (scenario)
        {
            case Scenario.InvokeDrifted:
                Iam.RemoveClientIdFromOpenIdConnectProvider(Account, ProviderArn, "arn:aws:iam::" + Account + ":root");
                Iam.UpdateOpenIdConnectProviderThumbprint(Account, ProviderArn, new[] { new string('a', 40) });
                for (int i = 0; i < 4; i++) Iam.CreatePolicyVersion(Account, PolicyArn(1), document.Replace("GetObject", "GetObject" + i), true);
                Iam.UpdateAssumeRolePolicy(Account, RoleName, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + Account + ":root\"},\"Action\":\"sts:AssumeRole\"}]}");
                Iam.UntagRole(Account, RoleName, new[] { "VisionOneFeatures" });
                Iam.CreatePolicy(Account, "Extra", null, document, null, Array.Empty<IamTag>());
                Iam.AttachRolePolicy(Account, RoleName, "arn:aws:iam::" + Account + ":policy/Extra");
                Iam.DetachRolePolicy(Account, RoleName, PolicyArn(2));
                break;
            case Scenario.Remove:
                Iam.CreatePolicyVersion(Account, PolicyArn(3), document, false);
                break;
            case Scenario.RemoveShared:
                Iam.PutRolePolicy(Account, RoleName, "Inline", document);
                Iam.CreateInstanceProfile(Account, "web-servers", null);
                Iam.AddRoleToInstanceProfile(Account, "web-servers", RoleName);
                break;
        }
    }

    /// <summary>An IAM user "operator" holding <paramref name="policy"/> (as a managed policy), and its scope with the preflight.</summary>
    private async Task<AccountScope> OperatorAsync(string policy, PreflightOptions? options = null)
    {
        Iam.CreateUser(Account, "operator", null);
        Iam.CreatePolicy(Account, "VisionOneOperator", null, policy, null, Array.Empty<IamTag>());
        Iam.AttachUserPolicy(Account, "operator", "arn:aws:iam::" + Account + ":policy/VisionOneOperator");
        var key = Iam.CreateAccessKey(Account, "operator");
        var context = await AwsAccountContext.CreateAsync(new AwsClientSettings
        {
            Credentials = new AwsCredentialRequest { AccessKey = key.AccessKeyId, SecretKey = key.SecretAccessKey },
            EndpointUrl = _host.BaseUrl.ToString(),
            Retry = RetryPolicy.None,
        }, NullLogSink.Instance, CancellationToken.None);
        Assert.Equal("arn:aws:iam::" + Account + ":user/operator", context.CallerArn);
        return Checked(new AccountScope(context.AccountId, context.Partition, context.Iam, context.Region), context.CallerArn, options ?? new PreflightOptions());
    }

    private static AccountScope Checked(AccountScope scope, string callerArn, PreflightOptions options) =>
        new AccountScope(scope.AccountId, scope.Partition, scope.Iam, scope.Region) { Preflight = new PermissionPreflight(scope.Iam, callerArn, options) };

    /// <summary>The policy with one action taken out.</summary>
    private static string Without(string policy, string action)
    {
        var root = JsonNode.Parse(policy)!;
        foreach (var statement in root["Statement"]!.AsArray())
        {
            var actions = statement!["Action"]!.AsArray();
            foreach (var node in actions.Where(a => a!.GetValue<string>() == action).ToList()) actions.Remove(node);
        }
        var statements = root["Statement"]!.AsArray();
        foreach (var empty in statements.Where(s => s!["Action"]!.AsArray().Count == 0).ToList()) statements.Remove(empty);
        Assert.DoesNotContain("\"" + action + "\"", root.ToJsonString());
        return root.ToJsonString();
    }

    private sealed class RecordingLog : ILogSink
    {
        public List<string> Warnings { get; } = new List<string>();
        public void Verbose(string message) { }
        public void Debug(string message) { }
        public void Warning(string message) { lock (Warnings) Warnings.Add(message); }
    }
}
