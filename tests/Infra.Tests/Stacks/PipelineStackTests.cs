using System.Text.Json;
using Amazon.CDK.Assertions;
using Infra.Settings;

namespace Infra.Tests.Stacks;

public sealed class PipelineStackTests(DefaultPipelineFixture fixture) : IClassFixture<DefaultPipelineFixture>
{
    private readonly SynthesizedPipeline _pipeline = fixture.Pipeline;

    private static Dictionary<string, object> Props(params (string Key, object Value)[] pairs) =>
        pairs.ToDictionary(pair => pair.Key, pair => pair.Value);

    [Fact]
    public void EventsQueue_Default_IsEncryptedHoldsOneMebibyteAndFourDays()
    {
        _pipeline.Template.HasResourceProperties("AWS::SQS::Queue", Match.ObjectLike(Props(
            ("QueueName", "history-test-eks-history-events"),
            ("SqsManagedSseEnabled", true),
            ("MaximumMessageSize", 1048576),
            ("MessageRetentionPeriod", 4 * 24 * 3600))));
    }

    [Fact]
    public void EventsQueue_Default_MovesAMessageToADlqKeptFourteenDaysAfterFiveReceives()
    {
        var (_, queue) = _pipeline.Single("AWS::SQS::Queue", "EventsQueue");
        var redrive = queue.GetProperty("RedrivePolicy");
        Assert.Equal(5, redrive.GetProperty("maxReceiveCount").GetInt32());
        var dlqId = redrive.GetProperty("deadLetterTargetArn").GetProperty("Fn::GetAtt")[0].GetString();
        var dlq = _pipeline.Json.GetProperty("Resources").GetProperty(dlqId!).GetProperty("Properties");
        Assert.Equal(14 * 24 * 3600, dlq.GetProperty("MessageRetentionPeriod").GetInt32());
        Assert.True(dlq.GetProperty("SqsManagedSseEnabled").GetBoolean());
    }

    [Fact]
    public void EventsQueue_Default_VisibilityTimeoutIsAtLeastSixIndexerTimeouts()
    {
        var (_, queue) = _pipeline.Single("AWS::SQS::Queue", "EventsQueue");
        var (_, indexer) = _pipeline.Single("AWS::Lambda::Function", "IndexerFunction");
        Assert.True(queue.GetProperty("VisibilityTimeout").GetInt32() >= 6 * indexer.GetProperty("Timeout").GetInt32());
    }

    private JsonElement MappingOf(string functionId) =>
        Assert.Single(_pipeline.Resources("AWS::Lambda::EventSourceMapping").Values.Select(m => m.GetProperty("Properties")),
            m => m.GetProperty("FunctionName").GetProperty("Ref").GetString() == functionId);

    [Fact]
    public void EventSourceMapping_Default_ReportsItemFailuresAndKeepsOneBulkUnderTheLimit()
    {
        var mapping = MappingOf("IndexerFunction");
        Assert.Equal("ReportBatchItemFailures", mapping.GetProperty("FunctionResponseTypes")[0].GetString());
        Assert.Equal("IndexerFunction", mapping.GetProperty("FunctionName").GetProperty("Ref").GetString());
        var batchSize = mapping.GetProperty("BatchSize").GetInt32();
        Assert.True(batchSize * 64 * 1024 <= 5 * 1024 * 1024, $"batch {batchSize} × 64 KiB exceeds BULK_MAX_BYTES");
        Assert.True(batchSize > 10, "a batch that small would make one bulk request per few events");
        Assert.True(mapping.GetProperty("MaximumBatchingWindowInSeconds").GetInt32() >= 1);
        Assert.Equal(2, mapping.GetProperty("ScalingConfig").GetProperty("MaximumConcurrency").GetInt32());
    }

    [Fact]
    public void Functions_Default_AreNativeBootstrapsOnAl2023ForX86()
    {
        foreach (var id in new[] { "IndexerFunction", "ControlPlaneLogsFunction" })
        {
            var function = _pipeline.Json.GetProperty("Resources").GetProperty(id).GetProperty("Properties");
            Assert.Equal("provided.al2023", function.GetProperty("Runtime").GetString());
            Assert.Equal("bootstrap", function.GetProperty("Handler").GetString());
            Assert.Equal("x86_64", function.GetProperty("Architectures")[0].GetString());
        }
    }

    [Fact]
    public void Functions_Default_GetTheSpecEnvironment()
    {
        _pipeline.Template.HasResourceProperties("AWS::Lambda::Function", Match.ObjectLike(Props(
            ("Handler", "bootstrap"),
            ("Environment", Props(("Variables", Props(
                ("SSM_PARAMETER_PREFIX", "/eksworkshop/history-test/opensearch"),
                ("CLUSTER_NAME", "history-test"),
                ("EVENTS_INDEX", "eks-kubernetes-events"),
                ("BULK_MAX_BYTES", "5242880"),
                ("CREDENTIALS_TTL_SECONDS", "300"))))))));
        _pipeline.Template.HasResourceProperties("AWS::Lambda::Function", Match.ObjectLike(Props(
            ("Environment", Props(("Variables", Match.ObjectLike(Props(
                ("SSM_PARAMETER_PREFIX", "/eksworkshop/history-test/opensearch"),
                ("CONTROL_PLANE_INDEX", "eks-control-plane-logs")))))))));
    }

    [Fact]
    public void ControlPlaneSubscription_Default_SendsEveryEventOfTheClusterLogGroupToTheFunction()
    {
        var (_, filter) = _pipeline.Single("AWS::Logs::SubscriptionFilter");
        Assert.Equal("/aws/eks/history-test/cluster", filter.GetProperty("LogGroupName").GetString());
        Assert.Equal(string.Empty, filter.GetProperty("FilterPattern").GetString());
        var target = filter.GetProperty("DestinationArn").GetProperty("Fn::GetAtt");
        Assert.Equal("ControlPlaneLogsFunction", target[0].GetString());
    }

    [Fact]
    public void ControlPlaneInvokePermission_Default_IsScopedToTheClusterLogGroup()
    {
        var permissions = _pipeline.Resources("AWS::Lambda::Permission").Values
            .Select(r => r.GetProperty("Properties"))
            .Where(p => p.GetProperty("Principal").GetString() == "logs.amazonaws.com")
            .ToList();
        var permission = Assert.Single(permissions);
        Assert.Equal("ControlPlaneLogsFunction", permission.GetProperty("FunctionName").GetProperty("Fn::GetAtt")[0].GetString());
        Assert.Contains("log-group:/aws/eks/history-test/cluster:*", permission.GetProperty("SourceArn").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void ControlPlaneAsyncConfig_Default_RetriesTwiceThenSendsToAFailureQueue()
    {
        var (_, config) = _pipeline.Single("AWS::Lambda::EventInvokeConfig");
        Assert.Equal(2, config.GetProperty("MaximumRetryAttempts").GetInt32());
        Assert.Equal("ControlPlaneLogsFunction", config.GetProperty("FunctionName").GetProperty("Ref").GetString());
        var destination = config.GetProperty("DestinationConfig").GetProperty("OnFailure").GetProperty("Destination").GetProperty("Fn::GetAtt");
        var queue = _pipeline.Json.GetProperty("Resources").GetProperty(destination[0].GetString()!);
        Assert.Equal("AWS::SQS::Queue", queue.GetProperty("Type").GetString());
        Assert.Equal(14 * 24 * 3600, queue.GetProperty("Properties").GetProperty("MessageRetentionPeriod").GetInt32());
    }

    [Fact]
    public void ControlPlaneFailureQueue_Default_IsConsumedByTheSameFunctionReportingItemFailures()
    {
        var mapping = MappingOf("ControlPlaneLogsFunction");
        Assert.Equal("ReportBatchItemFailures", mapping.GetProperty("FunctionResponseTypes")[0].GetString());
        Assert.Equal(5, mapping.GetProperty("BatchSize").GetInt32()); // 5 records of up to 1 MiB: under the 6 MB payload
        Assert.Equal(2, mapping.GetProperty("ScalingConfig").GetProperty("MaximumConcurrency").GetInt32());
        var (_, config) = _pipeline.Single("AWS::Lambda::EventInvokeConfig");
        var destination = config.GetProperty("DestinationConfig").GetProperty("OnFailure").GetProperty("Destination").GetProperty("Fn::GetAtt")[0].GetString();
        Assert.Equal(destination, mapping.GetProperty("EventSourceArn").GetProperty("Fn::GetAtt")[0].GetString());
    }

    [Fact]
    public void ControlPlaneFailureQueue_Default_MovesARecordToItsOwnDlqAfterFiveReceives()
    {
        var (_, queue) = _pipeline.Single("AWS::SQS::Queue", "ControlPlaneFailedInvocations");
        var (_, function) = _pipeline.Single("AWS::Lambda::Function", "ControlPlaneLogsFunction");
        Assert.True(queue.GetProperty("VisibilityTimeout").GetInt32() >= 6 * function.GetProperty("Timeout").GetInt32());
        Assert.Equal(1048576, queue.GetProperty("MaximumMessageSize").GetInt32());
        var redrive = queue.GetProperty("RedrivePolicy");
        Assert.Equal(5, redrive.GetProperty("maxReceiveCount").GetInt32());
        var dlqId = redrive.GetProperty("deadLetterTargetArn").GetProperty("Fn::GetAtt")[0].GetString()!;
        Assert.StartsWith("ControlPlaneDeadLetterQueue", dlqId, StringComparison.Ordinal);
        var dlq = _pipeline.Json.GetProperty("Resources").GetProperty(dlqId).GetProperty("Properties");
        Assert.Equal(14 * 24 * 3600, dlq.GetProperty("MessageRetentionPeriod").GetInt32());
        Assert.Equal(1048576, dlq.GetProperty("MaximumMessageSize").GetInt32());
    }

    [Theory]
    [InlineData("IndexerFunction", "EventsQueue")]
    [InlineData("ControlPlaneLogsFunction", "ControlPlaneFailedInvocations")]
    public void Functions_Default_HoldSeventyTwoHoursOnTheQueueTheyConsume(string functionId, string queuePrefix)
    {
        var variables = _pipeline.Json.GetProperty("Resources").GetProperty(functionId).GetProperty("Properties").GetProperty("Environment").GetProperty("Variables");
        Assert.Equal("72", variables.GetProperty("OUTAGE_HOLD_HOURS").GetString());
        Assert.StartsWith(queuePrefix, variables.GetProperty("SOURCE_QUEUE_URL").GetProperty("Ref").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EventsQueue_LongerHold_KeepsMessagesADayLonger()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object> { ["outageHoldHours"] = "120" });
        var (_, queue) = pipeline.Single("AWS::SQS::Queue", "EventsQueue");
        Assert.Equal(144 * 3600, queue.GetProperty("MessageRetentionPeriod").GetInt32());
        var variables = pipeline.Json.GetProperty("Resources").GetProperty("ControlPlaneLogsFunction").GetProperty("Properties").GetProperty("Environment").GetProperty("Variables");
        Assert.Equal("120", variables.GetProperty("OUTAGE_HOLD_HOURS").GetString());
    }

    [Fact]
    public void HostParameter_NoEndpoint_IsLeftToTheUser()
    {
        Assert.Empty(_pipeline.Resources("AWS::SSM::Parameter"));
    }

    [Fact]
    public void LogGroups_Default_KeepThirtyDays()
    {
        var groups = _pipeline.Resources("AWS::Logs::LogGroup").Values.ToList();
        Assert.Equal(3, groups.Count);
        Assert.All(groups, g => Assert.Equal(30, g.GetProperty("Properties").GetProperty("RetentionInDays").GetInt32()));
        foreach (var id in new[] { "IndexerFunction", "ControlPlaneLogsFunction", "SetupFunction" })
        {
            var function = _pipeline.Json.GetProperty("Resources").GetProperty(id).GetProperty("Properties");
            Assert.True(function.TryGetProperty("LoggingConfig", out var logging), $"{id} writes to its own log group");
            Assert.True(logging.TryGetProperty("LogGroup", out _));
        }
    }

    [Fact]
    public void Outputs_Default_NameTheQueueUrlAndParameterPrefix()
    {
        var outputs = _pipeline.Json.GetProperty("Outputs");
        Assert.Equal("/eksworkshop/history-test/opensearch", outputs.GetProperty("ParameterPrefix").GetProperty("Value").GetString());
        Assert.Equal("EventsQueue", outputs.GetProperty("QueueUrl").GetProperty("Value").GetProperty("Ref").GetString()![..11]);
    }

    [Fact]
    public void Settings_Default_ComputeTheBatchFromBulkAndMessageSize()
    {
        Assert.Equal(64, _pipeline.Settings.IndexerBatchSize);
        Assert.Equal(PipelineSettings.CollectorServiceAccount, "eks-history-collector");
    }
}
