using Infra.Tests.Stacks;

namespace Infra.Tests.Deploy;

/// <summary>
/// Every template the app synthesizes passes cfn-lint without errors (exit-code bit 2). Warnings such as
/// W3005 (redundant DependsOn, common in CDK output) are allowed.
/// </summary>
public sealed class CfnLintTests
{
    private static async Task AssertNoLintErrorsAsync(SynthesizedPipeline pipeline)
    {
        var templates = Directory.GetFiles(pipeline.Outdir, "*.template.json");
        Assert.NotEmpty(templates);
        var result = await CommandLine.RunAsync("cfn-lint", ["--format", "parseable", .. templates]);
        Assert.True((result.ExitCode & ~(4 | 8)) == 0, $"cfn-lint exit {result.ExitCode}:\n{result.Output}\n{result.Error}");
    }

    [Fact]
    public async Task Synth_Default_PassesCfnLint()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["alarmEmail"] = "ops@example.com",
            ["openSearchEndpoint"] = "search-demo.us-east-1.es.amazonaws.com",
        });
        await AssertNoLintErrorsAsync(pipeline);
    }

    [Fact]
    public async Task Synth_VpcWithSsmEndpointAndControlPlaneLogs_PassesCfnLint()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["vpcSubnetIds"] = string.Join(',', Stacks.VpcPlacementTests.Subnets),
            ["vpcId"] = Stacks.VpcPlacementTests.VpcId,
            ["vpcSsmEndpoint"] = "true",
            ["enableControlPlaneLogs"] = "true",
            ["openSearchEndpoint"] = "vpc-history-abc123.us-east-1.es.amazonaws.com",
        });
        await AssertNoLintErrorsAsync(pipeline);
    }

    [Fact]
    public async Task Synth_Serverless_PassesCfnLint()
    {
        using var pipeline = SynthesizedPipeline.Create(Stacks.ServerlessTests.Context);
        await AssertNoLintErrorsAsync(pipeline);
    }

    [Fact]
    public async Task Synth_DeployCollectorWithIrsaSigV4OnArm_PassesCfnLint()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["deployCollector"] = "true",
            ["kubectlRoleArn"] = "arn:aws:iam::123456789012:role/cluster-admin",
            ["collectorIdentity"] = "irsa",
            ["oidcProviderArn"] = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
            ["architecture"] = "arm64",
            ["openSearchAuth"] = "sigv4",
            ["openSearchResourceArn"] = "arn:aws:es:us-east-1:123456789012:domain/history",
        });
        Assert.True(Directory.GetFiles(pipeline.Outdir, "*.template.json").Length > 1, "the kubectl provider is a nested stack");
        await AssertNoLintErrorsAsync(pipeline);
    }
}
