using DomainSetup.Assets;
using OpenSearchSetup.Settings;
using Shared.Contract.Settings;

namespace OpenSearchSetup.Tests.Settings;

public sealed class SetupSettingsTests
{
    private static SetupSettings Parse(string[] args, Dictionary<string, string>? environment = null) =>
        SetupSettings.Parse(args, name => (environment ?? []).GetValueOrDefault(name));

    [Fact]
    public void Parse_ClusterNameOnly_UsesTheFunctionsDefaultsAndTheBuiltInAssets()
    {
        var settings = Parse(["--cluster-name", "demo"]);
        Assert.Equal(SetupCommand.Setup, settings.Command);
        Assert.Equal("/eksworkshop/demo/opensearch", settings.ParameterPrefix);
        Assert.Equal("eks-kubernetes-events", settings.EventsIndex);
        Assert.Equal("eks-control-plane-logs", settings.ControlPlaneIndex);
        Assert.Equal(30, settings.EventsRetentionDays);
        Assert.Equal(14, settings.ControlPlaneRetentionDays);
        Assert.Null(settings.DashboardsUrl);
        Assert.Same(EmbeddedSetupAssets.Instance, settings.Assets);
        Assert.False(settings.ToOptions().Serverless);
    }

    [Fact]
    public void Parse_FunctionEnvironment_IsTheFallback()
    {
        var settings = Parse([], new() { ["SSM_PARAMETER_PREFIX"] = "/x/y", ["EVENTS_INDEX"] = "events-a" });
        Assert.Equal("/x/y", settings.ParameterPrefix);
        Assert.Equal("events-a", settings.EventsIndex);
    }

    [Fact]
    public void Parse_Verify_ReadsTheCommandAndItsOptions()
    {
        var settings = Parse(["verify", "--cluster-name", "demo", "--window-minutes", "30", "--max-message-age-seconds", "120"]);
        Assert.Equal(SetupCommand.Verify, settings.Command);
        Assert.Equal("demo", settings.ClusterName);
        Assert.Equal(30, settings.WindowMinutes);
        Assert.Equal(120, settings.MaxMessageAgeSeconds);
    }

    [Fact]
    public void Parse_ServerlessWithSigV4_IsServerlessSetup()
    {
        var settings = Parse(["--cluster-name", "demo", "--auth", "sigv4", "--service", "aoss"]);
        Assert.True(settings.ToOptions().Serverless);
    }

    [Fact]
    public void Parse_AssetsFolder_ReadsTheFilesFromIt()
    {
        var folder = Directory.CreateTempSubdirectory("assets-").FullName;
        var settings = Parse(["--cluster-name", "demo", "--assets", folder]);
        Assert.Equal(folder, Assert.IsType<DirectorySetupAssets>(settings.Assets).Source);
    }

    [Theory]
    [InlineData("--cluster-name")]
    [InlineData("--ssm-parameter-prefix", "relative")]
    [InlineData("--events-retention-days", "0")]
    [InlineData("--control-plane-retention-days", "two")]
    [InlineData("--dashboards-url", "not a url")]
    [InlineData("--assets", "/no/such/folder")]
    [InlineData("--window-minutes", "1")]
    [InlineData("--colour", "blue")]
    public void Parse_BadOption_FailsNamingIt(string option, string? value = null)
    {
        string[] args = value is null ? [] : ["--cluster-name", "demo", option, value];
        var ex = Assert.Throws<ConfigurationException>(() => Parse(args));
        Assert.Equal(option, ex.Setting);
    }

    [Fact]
    public void Parse_ServerlessWithBasicAuth_FailsNamingAuth()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Parse(["--cluster-name", "demo", "--service", "aoss"]));
        Assert.Equal("--auth", ex.Setting);
        Assert.Contains("SigV4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_VerifyWithoutCluster_FailsNamingClusterName()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Parse(["verify", "--ssm-parameter-prefix", "/a/b"]));
        Assert.Equal("--cluster-name", ex.Setting);
    }

    [Fact]
    public void Parse_UnknownCommand_FailsNamingIt()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Parse(["install", "--cluster-name", "demo"]));
        Assert.Equal("command", ex.Setting);
        Assert.Contains("'install' is not a command", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralBadOptions_ReportsEveryOneAtOnce()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Parse(["--cluster-name", "demo", "--events-retention-days", "0", "--auth", "kerberos", "--colour", "blue"]));

        Assert.Equal(["--auth", "--colour", "--events-retention-days"], ex.Errors.Select(e => e.Setting).Order(StringComparer.Ordinal));
        Assert.Contains("--auth='kerberos'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--events-retention-days='0'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--colour is not an option", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadValueFromTheEnvironment_NamesTheOptionAndTheVariable()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Parse(["--cluster-name", "demo"], new() { ["EVENTS_INDEX"] = "Events" }));

        Assert.Equal("--events-index (from EVENTS_INDEX)", ex.Setting);
        Assert.Contains("'Events'", ex.Message, StringComparison.Ordinal);
    }
}
