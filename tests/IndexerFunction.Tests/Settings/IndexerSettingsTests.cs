using IndexerFunction.Settings;
using Shared.Contract.Settings;
using TestSupport.Settings;

namespace IndexerFunction.Tests.Settings;

public sealed class IndexerSettingsTests
{
    [Fact]
    public void Load_OnlyClusterName_UsesTheDefaultIndexAndReasons()
    {
        var settings = IndexerSettings.Load(FunctionSettingsFrom.Environment(("CLUSTER_NAME", "shop-prod")));

        Assert.Equal("eks-kubernetes-events", settings.EventsIndex);
        Assert.Equal("shop-prod", settings.Function.ClusterName);
        Assert.Contains("FailedScheduling", settings.WarningReasons.Names);
    }

    [Fact]
    public void Load_BadSharedAndOwnSettings_FailsOnceNamingEveryOne()
    {
        var ex = Assert.Throws<ConfigurationException>(() => IndexerSettings.Load(FunctionSettingsFrom.Environment(
            ("CREDENTIALS_TTL_SECONDS", "-1"),
            ("EVENTS_INDEX", "Events"),
            ("WARNING_METRIC_REASONS", "BackOff,Failed Mount"))));

        Assert.Equal(["CREDENTIALS_TTL_SECONDS", "EVENTS_INDEX", "WARNING_METRIC_REASONS"], ex.Errors.Select(e => e.Setting));
        Assert.Contains("CREDENTIALS_TTL_SECONDS='-1' is out of range", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EVENTS_INDEX='Events' is not a valid index prefix", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Failed Mount'", ex.Message, StringComparison.Ordinal);
    }
}
