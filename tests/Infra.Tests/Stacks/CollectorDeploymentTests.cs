using Amazon.CDK.Assertions;

namespace Infra.Tests.Stacks;

public sealed class CollectorDeploymentTests(DefaultPipelineFixture fixture) : IClassFixture<DefaultPipelineFixture>
{
    private readonly SynthesizedPipeline _pipeline = fixture.Pipeline;

    [Fact]
    public void ManifestFile_PodIdentity_CarriesQueueUrlClusterRegionImageAndNoIrsaRole()
    {
        var text = File.ReadAllText(_pipeline.ManifestPath);
        Assert.Contains("\"https://sqs.us-east-1.amazonaws.com/123456789012/history-test-eks-history-events\"", text, StringComparison.Ordinal);
        Assert.Contains("value: \"history-test\"", text, StringComparison.Ordinal);
        Assert.Contains("value: \"us-east-1\"", text, StringComparison.Ordinal);
        Assert.Contains($"image: {SynthesizedPipeline.TestImage}", text, StringComparison.Ordinal);
        Assert.Contains("eks.amazonaws.com/role-arn: \"\"", text, StringComparison.Ordinal);
        Assert.Contains("namespace: eks-history", text, StringComparison.Ordinal);
        Assert.DoesNotContain("${", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ManifestFile_Default_IsNamedInAStackOutput()
    {
        var outputs = _pipeline.Json.GetProperty("Outputs").EnumerateObject().Where(o => o.Name.StartsWith("CollectorManifestFile", StringComparison.Ordinal)).ToList();
        Assert.Equal(_pipeline.ManifestPath, Assert.Single(outputs).Value.GetProperty("Value").GetString());
        Assert.Empty(_pipeline.Resources("Custom::AWSCDK-EKS-KubernetesResource"));
    }

    [Fact]
    public void ManifestFile_Irsa_AnnotatesTheServiceAccountWithTheCollectorRole()
    {
        using var irsa = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["collectorIdentity"] = "irsa",
            ["oidcProviderArn"] = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
        });
        var text = File.ReadAllText(irsa.ManifestPath);
        Assert.Contains("eks.amazonaws.com/role-arn: \"arn:aws:iam::123456789012:role/history-test-eks-history-collector\"", text, StringComparison.Ordinal);
        var (_, role) = irsa.Single("AWS::IAM::Role", "CollectorRole");
        Assert.Equal("history-test-eks-history-collector", role.GetProperty("RoleName").GetString());
    }

    [Fact]
    public void DeployCollector_WithKubectlRole_AppliesTheRenderedManifestToTheCluster()
    {
        using var deployed = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["deployCollector"] = "true",
            ["kubectlRoleArn"] = "arn:aws:iam::123456789012:role/cluster-admin",
        });
        var (_, resource) = deployed.Single("Custom::AWSCDK-EKS-KubernetesResource");
        Assert.Equal("history-test", resource.GetProperty("ClusterName").GetString());
        Assert.Equal("arn:aws:iam::123456789012:role/cluster-admin", resource.GetProperty("RoleArn").GetString());
        var manifest = resource.GetProperty("Manifest").GetRawText();
        // The queue URL and region are CloudFormation references resolved at deploy time.
        Assert.Contains("EventsQueue", manifest, StringComparison.Ordinal);
        Assert.Contains("history-test", manifest, StringComparison.Ordinal);
        Assert.Contains("\\\"replicas\\\":1", manifest, StringComparison.Ordinal);
        Assert.False(File.Exists(deployed.ManifestPath), "deploy mode applies the manifests instead of writing them");
        deployed.Template.HasResourceProperties("AWS::EKS::PodIdentityAssociation", Match.ObjectLike(new Dictionary<string, object>
        {
            ["ServiceAccount"] = "eks-history-collector",
        }));
    }
}
