using System.Text.Json;
using Infra.Packaging;

namespace Infra.Tests.Stacks;

/// <summary>The setup inside the deploy: SetupFunction and its custom resources, by default and with the keys that change them.</summary>
public sealed class DeploySetupTests(DefaultPipelineFixture fixture) : IClassFixture<DefaultPipelineFixture>
{
    private readonly SynthesizedPipeline _pipeline = fixture.Pipeline;

    private static JsonElement Properties(SynthesizedPipeline pipeline, string logicalId) =>
        pipeline.Json.GetProperty("Resources").GetProperty(logicalId).GetProperty("Properties");

    private static (string Id, JsonElement Resource) Custom(SynthesizedPipeline pipeline, string type)
    {
        var match = Assert.Single(pipeline.Resources(type));
        return (match.Key, match.Value);
    }

    [Fact]
    public void SetupFunction_Default_IsANativeBootstrapThatMayReadTheThreeParameters()
    {
        var function = Properties(_pipeline, "SetupFunction");
        Assert.Equal("provided.al2023", function.GetProperty("Runtime").GetString());
        Assert.Equal("bootstrap", function.GetProperty("Handler").GetString());
        Assert.Equal(300, function.GetProperty("Timeout").GetInt32());
        Assert.False(function.TryGetProperty("VpcConfig", out _));
        var statement = Assert.Single(IamPolicyTests.PolicyStatementsOfRoleOf(_pipeline, "SetupFunction"), s => IamPolicyTests.Actions(s).Contains("ssm:GetParameters"));
        Assert.Equal(3, statement.GetProperty("Resource").GetArrayLength());
        Assert.DoesNotContain(IamPolicyTests.PolicyStatementsOfRoleOf(_pipeline, "SetupFunction"), s => IamPolicyTests.Actions(s).Any(a => a.StartsWith("eks:", StringComparison.Ordinal)));
    }

    [Fact]
    public void OpenSearchSetup_Default_CarriesWhatToInstallAndTheHashOfTheFiles()
    {
        var (_, resource) = Custom(_pipeline, "Custom::OpenSearchSetup");
        var properties = resource.GetProperty("Properties");
        Assert.Equal("SetupFunction", properties.GetProperty("ServiceToken").GetProperty("Fn::GetAtt")[0].GetString());
        Assert.Equal("/eksworkshop/history-test/opensearch", properties.GetProperty("SsmParameterPrefix").GetString());
        Assert.Equal("eks-kubernetes-events", properties.GetProperty("EventsIndex").GetString());
        Assert.Equal("eks-control-plane-logs", properties.GetProperty("ControlPlaneIndex").GetString());
        Assert.Equal("30", properties.GetProperty("EventsRetentionDays").GetString());
        Assert.Equal("14", properties.GetProperty("ControlPlaneRetentionDays").GetString());
        Assert.Equal(SetupAssetsFingerprint.Of(RepositoryPaths.Combine()), properties.GetProperty("AssetsHash").GetString());
        // CloudFormation waits 15 minutes for an answer, not an hour.
        Assert.Equal("900", properties.GetProperty("ServiceTimeout").GetString());
    }

    [Fact]
    public void Outputs_Default_SayWhatTheSetupDid()
    {
        var output = _pipeline.Json.GetProperty("Outputs").GetProperty("OpenSearchSetup").GetProperty("Value").GetProperty("Fn::Join")[1];
        var (id, _) = Custom(_pipeline, "Custom::OpenSearchSetup");
        Assert.Equal(id, output[0].GetProperty("Fn::GetAtt")[0].GetString());
        Assert.Equal("Status", output[0].GetProperty("Fn::GetAtt")[1].GetString());
        Assert.Equal("Message", output[1].GetProperty("Fn::GetAtt")[1].GetString());
        Assert.False(_pipeline.Json.GetProperty("Outputs").TryGetProperty("ControlPlaneLogging", out _));
    }

    [Fact]
    public void ControlPlaneDeadLetterQueue_Default_HasTheNameVerifyLooksFor()
    {
        _pipeline.Template.HasResourceProperties("AWS::SQS::Queue", Amazon.CDK.Assertions.Match.ObjectLike(new Dictionary<string, object>
        {
            ["QueueName"] = "history-test-eks-history-control-plane-dlq",
        }));
    }

    [Theory]
    [InlineData("history-test", "history-test-eks-history-control-plane-dlq")]
    [InlineData("a123456789b123456789c123456789d123456789e123456789f123456789", "a123456789b123456789c123456789d123456789e123456789-eks-history-control-plane-dlq")]
    public void ControlPlaneDeadLetterQueueName_AnyCluster_FitsSqsLimitAndKeepsTheSuffix(string cluster, string expected)
    {
        var name = Infra.Stacks.PipelineStack.ControlPlaneDeadLetterQueueName(cluster);
        Assert.Equal(expected, name);
        Assert.True(name.Length <= 80);
    }

    [Fact]
    public void OpenSearchSetupOff_WithoutLogsOrServerless_CreatesNoSetupFunction()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object> { ["openSearchSetup"] = "false" });

        Assert.Empty(pipeline.Resources("Custom::OpenSearchSetup"));
        Assert.False(pipeline.Json.GetProperty("Resources").TryGetProperty("SetupFunction", out _));
        Assert.False(pipeline.Json.GetProperty("Outputs").TryGetProperty("OpenSearchSetup", out _));
    }

    [Fact]
    public void EnableControlPlaneLogs_True_TurnsTheFiveTypesOnBeforeTheSubscription()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object> { ["enableControlPlaneLogs"] = "true" });

        var (id, resource) = Custom(pipeline, "Custom::ClusterLogging");
        var properties = resource.GetProperty("Properties");
        Assert.Equal("history-test", properties.GetProperty("ClusterName").GetString());
        Assert.Equal("/aws/eks/history-test/cluster", properties.GetProperty("LogGroupName").GetString());
        Assert.Equal(["api", "audit", "authenticator", "controllerManager", "scheduler"], properties.GetProperty("LogTypes").EnumerateArray().Select(t => t.GetString()));
        var (_, filter) = pipeline.Resources("AWS::Logs::SubscriptionFilter").Single();
        Assert.Contains(id, filter.GetProperty("DependsOn").EnumerateArray().Select(d => d.GetString()));
        var statements = IamPolicyTests.PolicyStatementsOfRoleOf(pipeline, "SetupFunction");
        var eks = Assert.Single(statements, s => IamPolicyTests.Actions(s).Contains("eks:UpdateClusterConfig"));
        Assert.Equal(["eks:DescribeCluster", "eks:UpdateClusterConfig"], IamPolicyTests.Actions(eks).Order());
        Assert.Contains(":cluster/history-test", eks.GetProperty("Resource").GetRawText(), StringComparison.Ordinal);
        var logs = Assert.Single(statements, s => IamPolicyTests.Actions(s).Contains("logs:CreateLogGroup"));
        Assert.Contains(":log-group:/aws/eks/history-test/cluster", logs.GetProperty("Resource").GetRawText(), StringComparison.Ordinal);
        Assert.True(pipeline.Json.GetProperty("Outputs").TryGetProperty("ControlPlaneLogging", out _));
    }

    [Fact]
    public void SetupAssetsFingerprint_ADashboardChanges_ChangesTheHash()
    {
        var root = Directory.CreateTempSubdirectory("setup-assets-").FullName;
        foreach (var file in SetupAssetsFingerprint.Files(RepositoryPaths.Combine()))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, file))!);
            File.Copy(RepositoryPaths.Combine(file), Path.Combine(root, file));
        }

        var before = SetupAssetsFingerprint.Of(root);
        Assert.Equal(SetupAssetsFingerprint.Of(RepositoryPaths.Combine()), before);
        File.AppendAllText(Path.Combine(root, "dashboards", "kubernetes-events.ndjson"), "\n");
        var edited = SetupAssetsFingerprint.Of(root);
        File.WriteAllText(Path.Combine(root, "dashboards", "new.ndjson"), "{}\n");

        Assert.NotEqual(before, edited);
        Assert.NotEqual(edited, SetupAssetsFingerprint.Of(root));
    }
}
