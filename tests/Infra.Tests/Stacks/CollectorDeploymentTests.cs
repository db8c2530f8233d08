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
    public void ManifestFile_RepositoryTemplate_DefinesTheServiceAccountThePodIdentityAssociationNames()
    {
        var objects = Infra.Collector.CollectorManifest.ToObjects(File.ReadAllText(_pipeline.ManifestPath));
        string Name(IDictionary<string, object> o) => (string)((IDictionary<string, object>)o["metadata"])["name"];
        var account = Assert.Single(objects, o => (string)o["kind"] == "ServiceAccount");
        Assert.Equal(Infra.Settings.PipelineSettings.CollectorServiceAccount, Name(account));
        Assert.Contains(objects, o => (string)o["kind"] == "Deployment");
        var (_, association) = _pipeline.Single("AWS::EKS::PodIdentityAssociation");
        Assert.Equal(Name(account), association.GetProperty("ServiceAccount").GetString());
    }

    [Fact]
    public void CollectorImage_NotGiven_IsBuiltFromTheCollectorDockerfileAtDeploy()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object> { ["collectorImage"] = "" });
        using var assets = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(pipeline.Outdir, $"{pipeline.Stack.StackName}.assets.json")));
        var image = Assert.Single(assets.RootElement.GetProperty("dockerImages").EnumerateObject());
        Assert.Equal("src/Collector/Dockerfile", image.Value.GetProperty("source").GetProperty("dockerFile").GetString());
        Assert.Equal("linux/amd64", image.Value.GetProperty("source").GetProperty("platform").GetString());
        var text = File.ReadAllText(pipeline.ManifestPath);
        Assert.Contains($"image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/cdk-hnb659fds-container-assets-123456789012-us-east-1:{image.Name}", text, StringComparison.Ordinal);
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
        Assert.Matches("\\\\\"replicas\\\\\":[0-9]", manifest);
        Assert.False(File.Exists(deployed.ManifestPath), "deploy mode applies the manifests instead of writing them");
        deployed.Template.HasResourceProperties("AWS::EKS::PodIdentityAssociation", Match.ObjectLike(new Dictionary<string, object>
        {
            ["ServiceAccount"] = "eks-history-collector",
        }));
    }
}
