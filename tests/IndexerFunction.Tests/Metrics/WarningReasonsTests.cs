using IndexerFunction.Metrics;
using IndexerFunction.Settings;
using Shared.Contract.Settings;
using TestSupport.Settings;

namespace IndexerFunction.Tests.Metrics;

public sealed class WarningReasonsTests
{
    // Through the production reader: the indexer's settings with WARNING_METRIC_REASONS set to value (null: unset).
    private static WarningReasons Read(string? value)
    {
        var environment = value is null ? FunctionSettingsFrom.Environment() : FunctionSettingsFrom.Environment(("WARNING_METRIC_REASONS", value));
        return IndexerSettings.Load(environment).WarningReasons;
    }

    private static string NameOf(WarningReasons reasons, string reasonJson)
    {
        return reasons.NameOf(System.Text.Encoding.UTF8.GetBytes(reasonJson));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Load_Unset_IsTheDefaultList(string? value)
    {
        Assert.Same(WarningReasons.Default, Read(value));
    }

    [Fact]
    public void Default_HoldsTheWellKnownReasons()
    {
        foreach (var reason in new[] { "FailedScheduling", "BackOff", "Failed", "FailedMount", "FailedAttachVolume", "Unhealthy", "Evicted", "OOMKilling", "NodeNotReady", "FailedCreatePodSandBox" })
        {
            Assert.Equal(reason, NameOf(WarningReasons.Default, $"\"{reason}\""));
        }

        Assert.InRange(WarningReasons.Default.Names.Count, 10, Shared.Contract.WarningMetric.MaxReasons);
    }

    [Theory]
    [InlineData("\"WidgetReconcileFailed\"")] // a controller's own reason
    [InlineData("\"backoff\"")] // reasons are case-sensitive
    [InlineData("\"Back\\u004ffff\"")] // escapes never spell a listed reason
    [InlineData("\"Échec\"")]
    [InlineData("42")]
    public void NameOf_UnlistedReason_IsOther(string reason)
    {
        Assert.Equal("Other", NameOf(WarningReasons.Default, reason));
    }

    [Fact]
    public void Load_CommaSeparatedList_KeepsThoseInOrderOnce()
    {
        var reasons = Read(" BackOff,WidgetReconcileFailed,,BackOff ");

        Assert.Equal(["BackOff", "WidgetReconcileFailed"], reasons.Names);
        Assert.Equal("Other", NameOf(reasons, "\"FailedScheduling\""));
    }

    [Theory]
    [InlineData("BackOff,Failed Mount", "'Failed Mount'")]
    [InlineData("reason=BackOff", "'reason=BackOff'")]
    [InlineData("1stReason", "'1stReason'")]
    [InlineData("BackOff,Other", "'Other'")]
    public void Load_NotAReasonName_NamesTheSettingAndTheValue(string value, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(value));

        Assert.Equal("WARNING_METRIC_REASONS", ex.Setting);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MoreThanTheBound_IsRefusedSayingWhy()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(string.Join(",", Enumerable.Range(0, 51).Select(i => $"Reason{i}"))));

        Assert.Contains("at most 50", ex.Message, StringComparison.Ordinal);
    }
}
