using System.Text.Json;
using System.Text.RegularExpressions;

namespace Infra.Tests.Stacks;

public sealed partial class ObservabilityTests(DefaultPipelineFixture fixture) : IClassFixture<DefaultPipelineFixture>
{
    private readonly SynthesizedPipeline _pipeline = fixture.Pipeline;

    private IReadOnlyList<JsonElement> Alarms() =>
        _pipeline.Resources("AWS::CloudWatch::Alarm").Values.Select(a => a.GetProperty("Properties")).ToList();

    private IReadOnlyList<JsonElement> AlarmsOn(string namespaceName, string metricName) =>
        Alarms().Where(a => a.TryGetProperty("MetricName", out var m) && m.GetString() == metricName
                            && a.GetProperty("Namespace").GetString() == namespaceName).ToList();

    [Fact]
    public void Alarms_Default_AllNotifyTheAlarmTopic()
    {
        var (topicId, _) = _pipeline.Single("AWS::SNS::Topic");
        Assert.NotEmpty(Alarms());
        Assert.All(Alarms(), alarm =>
            Assert.Equal(topicId, alarm.GetProperty("AlarmActions")[0].GetProperty("Ref").GetString()));
    }

    [Fact]
    public void Alarms_Default_WatchBothDeadLetterQueues()
    {
        var dlqAlarms = AlarmsOn("AWS/SQS", "ApproximateNumberOfMessagesVisible");
        Assert.Equal(2, dlqAlarms.Count);
        Assert.All(dlqAlarms, a => Assert.Equal(0, a.GetProperty("Threshold").GetDouble()));
        var queues = dlqAlarms.Select(a => a.GetProperty("Dimensions")[0].GetProperty("Value").GetProperty("Fn::GetAtt")[0].GetString()).Order().ToList();
        Assert.Contains(queues, q => q!.StartsWith("EventsDeadLetterQueue", StringComparison.Ordinal));
        Assert.Contains(queues, q => q!.StartsWith("ControlPlaneDeadLetterQueue", StringComparison.Ordinal));
    }

    [Fact]
    public void Alarms_Default_FireWhenAFailedDeliveryCannotReachTheFailureQueue()
    {
        var alarm = Assert.Single(AlarmsOn("AWS/Lambda", "DestinationDeliveryFailures"));
        Assert.Equal("ControlPlaneLogsFunction", alarm.GetProperty("Dimensions")[0].GetProperty("Value").GetProperty("Ref").GetString());
        Assert.Equal(0, alarm.GetProperty("Threshold").GetDouble());
        Assert.Equal("GreaterThanThreshold", alarm.GetProperty("ComparisonOperator").GetString());
    }

    [Fact]
    public void Alarms_Default_WatchTheOldestMessageAge()
    {
        var alarm = Assert.Single(AlarmsOn("AWS/SQS", "ApproximateAgeOfOldestMessage"));
        Assert.Equal(900, alarm.GetProperty("Threshold").GetDouble());
    }

    [Theory]
    [InlineData("Errors")]
    [InlineData("Throttles")]
    public void Alarms_Default_WatchBothFunctions(string metric)
    {
        var functions = AlarmsOn("AWS/Lambda", metric)
            .Select(a => a.GetProperty("Dimensions")[0].GetProperty("Value").GetProperty("Ref").GetString())
            .Order().ToList();
        Assert.Equal(["ControlPlaneLogsFunction", "IndexerFunction"], functions);
    }

    [Fact]
    public void Alarms_Default_WatchFailedDocumentsFromTheEmfMetrics()
    {
        var functions = AlarmsOn("EksHistory", "DocumentsFailed")
            .Select(a => (Dimension: a.GetProperty("Dimensions")[0], Stat: a.GetProperty("Statistic").GetString()))
            .ToList();
        Assert.Equal(2, functions.Count);
        Assert.All(functions, f =>
        {
            Assert.Equal("FunctionName", f.Dimension.GetProperty("Name").GetString());
            Assert.Equal("Sum", f.Stat);
        });
    }

    [Fact]
    public void Alarms_Default_FireWhenTheQueueGetsNoMessageForThirtyMinutesMissingDataIncluded()
    {
        var alarm = Assert.Single(AlarmsOn("AWS/SQS", "NumberOfMessagesSent"));
        Assert.Equal(1800, alarm.GetProperty("Period").GetInt32());
        Assert.Equal("Sum", alarm.GetProperty("Statistic").GetString());
        Assert.Equal(1, alarm.GetProperty("Threshold").GetDouble());
        Assert.Equal("LessThanThreshold", alarm.GetProperty("ComparisonOperator").GetString());
        Assert.Equal(1, alarm.GetProperty("EvaluationPeriods").GetInt32());
        Assert.Equal("breaching", alarm.GetProperty("TreatMissingData").GetString());
        Assert.StartsWith("EventsQueue", alarm.GetProperty("Dimensions")[0].GetProperty("Value").GetProperty("Fn::GetAtt")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("heartbeat", alarm.GetProperty("AlarmDescription").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Alarms_ShortestSilencePeriod_HoldsThreeHeartbeatsOfTheShippedCollector()
    {
        // A quiet cluster must not page: the collector's manifest sets how often a leader sends at least a
        // heartbeat, and even the shortest alarm period allowed must hold three of them.
        var manifest = File.ReadAllText(RepositoryPaths.Combine("deploy", "collector", "collector.yaml"));
        var heartbeat = HeartbeatSetting().Match(manifest);
        Assert.True(heartbeat.Success, "the manifest sets HEARTBEAT_INTERVAL in minutes");
        var heartbeatSeconds = 60 * int.Parse(heartbeat.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        using var shortest = SynthesizedPipeline.Create(new Dictionary<string, object> { ["collectorSilenceMinutes"] = 15 });

        var alarm = Assert.Single(shortest.Resources("AWS::CloudWatch::Alarm").Values.Select(a => a.GetProperty("Properties")),
            a => a.TryGetProperty("MetricName", out var m) && m.GetString() == "NumberOfMessagesSent");

        Assert.Equal(900, alarm.GetProperty("Period").GetInt32());
        Assert.True(alarm.GetProperty("Period").GetInt32() >= 3 * heartbeatSeconds, $"a {alarm.GetProperty("Period").GetInt32()} s period for a heartbeat every {heartbeatSeconds} s");
    }

    [GeneratedRegex(@"- name: HEARTBEAT_INTERVAL\s+value: ""?(\d+)m""?")]
    private static partial Regex HeartbeatSetting();

    [Fact]
    public void AlarmTopic_WithEmail_SubscribesIt()
    {
        Assert.Empty(_pipeline.Resources("AWS::SNS::Subscription"));
        using var withEmail = SynthesizedPipeline.Create(new Dictionary<string, object> { ["alarmEmail"] = "ops@example.com" });
        var (_, subscription) = withEmail.Single("AWS::SNS::Subscription");
        Assert.Equal("email", subscription.GetProperty("Protocol").GetString());
        Assert.Equal("ops@example.com", subscription.GetProperty("Endpoint").GetString());
    }

    [Fact]
    public void Dashboard_Default_ShowsThePipelineFromEventsInToDeadLetterQueues()
    {
        var (_, dashboard) = _pipeline.Single("AWS::CloudWatch::Dashboard");
        var body = dashboard.GetProperty("DashboardBody").GetRawText();
        foreach (var expected in new[]
                 {
                     "Events in", "NumberOfMessagesSent", "EventsReceived", "Queue depth", "ApproximateNumberOfMessagesVisible",
                     "ApproximateAgeOfOldestMessage", "Invocations", "Duration", "DocumentsIndexed", "DocumentsFailed",
                     "Dead-letter queues", "Held through outages", "MessagesRequeued", "Control-plane failure queue",
                     "ApproximateNumberOfMessagesDelayed",
                 })
        {
            Assert.Contains(expected, body, StringComparison.Ordinal);
        }
    }
}
