using ControlPlaneLogsFunction.Settings;
using Shared.Contract.Settings;
using TestSupport.Settings;

namespace ControlPlaneLogsFunction.Tests.Settings;

public sealed class ControlPlaneSettingsTests
{
    [Fact]
    public void Load_OnlyClusterName_UsesTheDefaultIndexPrefix()
    {
        var settings = ControlPlaneSettings.Load(FunctionSettingsFrom.Environment(("CLUSTER_NAME", "shop-prod")));

        Assert.Equal("eks-control-plane-logs", settings.IndexPrefix);
        Assert.Equal("/eksworkshop/shop-prod/opensearch", settings.Shared.SsmParameterPrefix);
    }

    [Fact]
    public void Load_BadSharedAndOwnSettings_FailsOnceNamingEveryOne()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ControlPlaneSettings.Load(FunctionSettingsFrom.Environment(
            ("OPENSEARCH_SERVICE", "opensearch"),
            ("OUTAGE_HOLD_HOURS", "three days"),
            ("CONTROL_PLANE_INDEX", "_logs"))));

        Assert.Equal(["OPENSEARCH_SERVICE", "OUTAGE_HOLD_HOURS", "CONTROL_PLANE_INDEX"], ex.Errors.Select(e => e.Setting));
        Assert.Contains("OUTAGE_HOLD_HOURS='three days' is not a whole number", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CONTROL_PLANE_INDEX='_logs'", ex.Message, StringComparison.Ordinal);
    }
}
