using OpenSearchSetup.Settings;

namespace OpenSearchSetup.Tests.Settings;

public sealed class SetupSettingsTests
{
    private static SetupSettings Parse(string[] args, Dictionary<string, string>? environment = null) =>
        SetupSettings.Parse(args, name => (environment ?? []).GetValueOrDefault(name));

    [Fact]
    public void Parse_ClusterNameOnly_UsesTheFunctionsDefaults()
    {
        var settings = Parse(["--cluster-name", "demo"]);
        Assert.Equal("/eksworkshop/demo/opensearch", settings.ParameterPrefix);
        Assert.Equal("eks-kubernetes-events", settings.EventsIndex);
        Assert.Equal("eks-control-plane-logs", settings.ControlPlaneIndex);
        Assert.Equal(30, settings.EventsRetentionDays);
        Assert.Equal(14, settings.ControlPlaneRetentionDays);
        Assert.Null(settings.DashboardsUrl);
        Assert.True(File.Exists(Path.Combine(settings.AssetsDirectory, "kubernetes-events.ndjson")));
    }

    [Fact]
    public void Parse_FunctionEnvironment_IsTheFallback()
    {
        var settings = Parse([], new() { ["SSM_PARAMETER_PREFIX"] = "/x/y", ["EVENTS_INDEX"] = "events-a" });
        Assert.Equal("/x/y", settings.ParameterPrefix);
        Assert.Equal("events-a", settings.EventsIndex);
    }

    [Theory]
    [InlineData("--cluster-name")]
    [InlineData("--ssm-parameter-prefix", "relative")]
    [InlineData("--events-retention-days", "0")]
    [InlineData("--control-plane-retention-days", "two")]
    [InlineData("--dashboards-url", "not a url")]
    [InlineData("--colour", "blue")]
    public void Parse_BadOption_FailsNamingIt(string option, string? value = null)
    {
        string[] args = value is null ? [] : ["--cluster-name", "demo", option, value];
        var ex = Assert.Throws<SetupSettingsException>(() => Parse(args));
        Assert.Equal(option, ex.Option);
    }
}
