using Amazon.CDK.Assertions;
using Infra.Settings;
using Shared.Contract.Settings;

namespace Infra.Tests.Stacks;

public sealed class ContextOverrideTests
{
    [Fact]
    public void Synth_CustomContext_ReachesEveryResourceItConfigures()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["architecture"] = "arm64",
            ["openSearchEndpoint"] = "search-demo.us-east-1.es.amazonaws.com",
            ["ssmParameterPrefix"] = "/custom/search",
            ["indexerBatchSize"] = "20",
            ["indexerMaxBatchingWindowSeconds"] = "2",
            ["indexerMaxConcurrency"] = 7d,
            ["indexerTimeoutSeconds"] = "30",
            ["logRetentionDays"] = "14",
            ["eventsIndex"] = "cluster-a-events",
        });

        var (_, mapping) = pipeline.Single("AWS::Lambda::EventSourceMapping", "Indexer");
        Assert.Equal(20, mapping.GetProperty("BatchSize").GetInt32());
        Assert.Equal(2, mapping.GetProperty("MaximumBatchingWindowInSeconds").GetInt32());
        Assert.Equal(7, mapping.GetProperty("ScalingConfig").GetProperty("MaximumConcurrency").GetInt32());
        var (_, queue) = pipeline.Single("AWS::SQS::Queue", "EventsQueue");
        Assert.Equal((6 * 30) + 2, queue.GetProperty("VisibilityTimeout").GetInt32());

        var indexer = pipeline.Json.GetProperty("Resources").GetProperty("IndexerFunction").GetProperty("Properties");
        Assert.Equal("arm64", indexer.GetProperty("Architectures")[0].GetString());
        Assert.Equal("/custom/search", indexer.GetProperty("Environment").GetProperty("Variables").GetProperty("SSM_PARAMETER_PREFIX").GetString());
        Assert.Equal("cluster-a-events", indexer.GetProperty("Environment").GetProperty("Variables").GetProperty("EVENTS_INDEX").GetString());
        Assert.All(pipeline.Resources("AWS::Logs::LogGroup").Values, g => Assert.Equal(14, g.GetProperty("Properties").GetProperty("RetentionInDays").GetInt32()));

        pipeline.Template.HasResourceProperties("AWS::SSM::Parameter", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "/custom/search/host",
            ["Type"] = "String",
            ["Value"] = "search-demo.us-east-1.es.amazonaws.com",
        }));
    }

    [Fact]
    public void Synth_LargerMessages_ShrinksTheDefaultBatchToKeepTheBulkUnderTheLimit()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object> { ["collectorMaxMessageBytes"] = "262144" });
        var (_, mapping) = pipeline.Single("AWS::Lambda::EventSourceMapping", "Indexer");
        var batch = mapping.GetProperty("BatchSize").GetInt32();
        Assert.InRange(batch * 262144, 1, 5 * 1024 * 1024);
        Assert.Equal(16, batch);
    }

    [Fact]
    public void Synth_WithoutClusterName_FailsNamingTheKey()
    {
        var ex = Assert.Throws<ConfigurationException>(() => PipelineSettings.FromContext(_ => null));
        Assert.Equal("clusterName", ex.Setting);
        Assert.Contains("clusterName", ex.Message, StringComparison.Ordinal);
    }
}
