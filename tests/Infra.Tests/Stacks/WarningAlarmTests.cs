using System.Text.Json;

namespace Infra.Tests.Stacks;

/// <summary>Kubernetes Warning events in CloudWatch: the stack's alarms on chosen reasons and the dashboard's graph.</summary>
public sealed class WarningAlarmTests(DefaultPipelineFixture fixture) : IClassFixture<DefaultPipelineFixture>
{
    private static IReadOnlyList<JsonElement> WarningAlarms(SynthesizedPipeline pipeline) =>
        pipeline.Resources("AWS::CloudWatch::Alarm").Values.Select(a => a.GetProperty("Properties"))
            .Where(a => a.TryGetProperty("MetricName", out var m) && m.GetString() == "WarningEvents")
            .ToList();

    [Fact]
    public void Alarms_Default_NoneOnWarningEvents()
    {
        Assert.Empty(WarningAlarms(fixture.Pipeline));
    }

    [Fact]
    public void Alarms_ChosenReasons_FireAboveTheirThresholdForThisClusterAndNotify()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object> { ["warningAlarms"] = "FailedScheduling=10,Other=200" });
        var (topicId, _) = pipeline.Single("AWS::SNS::Topic");

        var alarms = WarningAlarms(pipeline).ToDictionary(a => a.GetProperty("Dimensions").EnumerateArray().Single(d => d.GetProperty("Name").GetString() == "Reason").GetProperty("Value").GetString()!);

        Assert.Equal(["FailedScheduling", "Other"], alarms.Keys.Order(StringComparer.Ordinal));
        foreach (var (reason, threshold) in new[] { ("FailedScheduling", 10), ("Other", 200) })
        {
            var alarm = alarms[reason];
            Assert.Equal("EksHistory", alarm.GetProperty("Namespace").GetString());
            Assert.Equal(threshold, alarm.GetProperty("Threshold").GetDouble());
            Assert.Equal("GreaterThanThreshold", alarm.GetProperty("ComparisonOperator").GetString());
            Assert.Equal("Sum", alarm.GetProperty("Statistic").GetString());
            Assert.Equal(300, alarm.GetProperty("Period").GetInt32());
            Assert.Equal("notBreaching", alarm.GetProperty("TreatMissingData").GetString());
            var dimensions = alarm.GetProperty("Dimensions").EnumerateArray().ToDictionary(d => d.GetProperty("Name").GetString()!, d => d.GetProperty("Value").GetString());
            Assert.Equal(new Dictionary<string, string?> { ["ClusterName"] = SynthesizedPipeline.Cluster, ["Reason"] = reason }, dimensions);
            Assert.Equal(topicId, alarm.GetProperty("AlarmActions")[0].GetProperty("Ref").GetString());
        }
    }

    [Fact]
    public void Indexer_WarningReasons_ReachTheFunctionAsItsSetting()
    {
        static string? ReasonsOf(SynthesizedPipeline pipeline) =>
            pipeline.Json.GetProperty("Resources").GetProperty("IndexerFunction").GetProperty("Properties").GetProperty("Environment").GetProperty("Variables")
                .TryGetProperty("WARNING_METRIC_REASONS", out var value) ? value.GetString() : null;

        using var custom = SynthesizedPipeline.Create(new Dictionary<string, object> { ["warningReasons"] = "WidgetReconcileFailed, BackOff" });

        Assert.Null(ReasonsOf(fixture.Pipeline)); // the function's default list
        Assert.Equal("WidgetReconcileFailed,BackOff", ReasonsOf(custom));
    }

    [Fact]
    public void Dashboard_Default_GraphsWarningEventsOfTheClusterByReason()
    {
        var (_, dashboard) = fixture.Pipeline.Single("AWS::CloudWatch::Dashboard");
        var body = dashboard.GetProperty("DashboardBody").GetRawText();

        Assert.Contains("Warning events by reason", body, StringComparison.Ordinal);
        // A search expression: one line per reason that occurred, without the stack naming them.
        Assert.Contains("SEARCH('{EksHistory,ClusterName,Reason} MetricName=", body, StringComparison.Ordinal);
        Assert.Contains($"ClusterName=\\\\\\\"{SynthesizedPipeline.Cluster}\\\\\\\"", body, StringComparison.Ordinal);
    }
}
