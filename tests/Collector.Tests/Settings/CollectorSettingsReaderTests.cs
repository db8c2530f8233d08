using Collector.Settings;
using Shared.Contract.Settings;

namespace Collector.Tests.Settings;

public sealed class CollectorSettingsReaderTests
{
    private static Dictionary<string, string> Valid() => new()
    {
        ["QUEUE_URL"] = "https://sqs.us-east-1.amazonaws.com/123456789012/events",
        ["CLUSTER_NAME"] = "prod",
    };

    // Through the production reader, from a dictionary instead of the process environment.
    private static CollectorSettings Read(Dictionary<string, string> environment, bool dryRun) =>
        CollectorSettingsReader.Read(new DictionaryEnvironmentVariables(environment), dryRun);

    [Fact]
    public void Read_OnlyRequiredSettings_UsesDocumentedDefaults()
    {
        var settings = Read(Valid(), dryRun: false);

        Assert.Equal(new Uri("https://sqs.us-east-1.amazonaws.com/123456789012/events"), settings.QueueUrl);
        Assert.Equal("prod", settings.ClusterName);
        Assert.Equal(65536, settings.MaxMessageBytes);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.FlushInterval);
        Assert.Equal(8080, settings.HttpPort);
        Assert.False(settings.LeaderElection);
        Assert.Empty(settings.Namespaces);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.HealthStallTimeout);
        Assert.Equal(TimeSpan.FromMinutes(3), settings.WatchIdleTimeout);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1s", 1)]
    [InlineData("1h", 3600)]
    public void Read_HeartbeatInterval_ZeroTurnsItOffOtherwiseOneSecondToOneHour(string value, int seconds)
    {
        var environment = Valid();
        environment["HEARTBEAT_INTERVAL"] = value;

        Assert.Equal(TimeSpan.FromSeconds(seconds), Read(environment, dryRun: false).HeartbeatInterval);
    }

    [Fact]
    public void Read_MissingQueueUrl_FailsNamingTheSetting()
    {
        var environment = Valid();
        environment.Remove("QUEUE_URL");

        var error = Assert.Throws<ConfigurationException>(() => Read(environment, dryRun: false));

        Assert.Contains(error.Errors, e => e.Message.StartsWith("QUEUE_URL", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_MissingQueueUrlInDryRun_IsAccepted()
    {
        var settings = Read([], dryRun: true);

        Assert.True(settings.DryRun);
        Assert.Null(settings.QueueUrl);
    }

    [Theory]
    [InlineData("MAX_MESSAGE_BYTES", "2000000")]
    [InlineData("MAX_MESSAGE_BYTES", "big")]
    [InlineData("MAX_MESSAGE_BYTES", "100")]
    [InlineData("FLUSH_INTERVAL", "soon")]
    [InlineData("FLUSH_INTERVAL", "-1s")]
    [InlineData("HTTP_PORT", "70000")]
    [InlineData("BUFFER_CAPACITY", "0")]
    [InlineData("LEADER_ELECTION", "yes")]
    [InlineData("QUEUE_URL", "not a url")]
    [InlineData("WATCH_IDLE_TIMEOUT", "2h")]
    [InlineData("HEARTBEAT_INTERVAL", "500ms")]
    [InlineData("HEARTBEAT_INTERVAL", "2h")]
    [InlineData("HEARTBEAT_INTERVAL", "often")]
    public void Read_BadValue_FailsNamingTheSettingAndTheValue(string name, string value)
    {
        var environment = Valid();
        environment[name] = value;

        var error = Assert.Throws<ConfigurationException>(() => Read(environment, dryRun: false));

        var line = Assert.Single(error.Errors).Message;
        Assert.StartsWith(name, line, StringComparison.Ordinal);
        Assert.Contains("'" + value + "'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SeveralBadValues_ReportsAllOfThemAtOnce()
    {
        var environment = Valid();
        environment["MAX_MESSAGE_BYTES"] = "x";
        environment["FLUSH_INTERVAL"] = "y";

        var error = Assert.Throws<ConfigurationException>(() => Read(environment, dryRun: false));

        Assert.Equal(2, error.Errors.Count);
        Assert.Contains("MAX_MESSAGE_BYTES", error.Message, StringComparison.Ordinal);
        Assert.Contains("FLUSH_INTERVAL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("1s", 1000)]
    [InlineData("2", 2000)]
    [InlineData("1.5", 1500)]
    [InlineData("2m", 120000)]
    public void Read_FlushIntervalForms_AreUnderstood(string text, int milliseconds)
    {
        var environment = Valid();
        environment["FLUSH_INTERVAL"] = text;

        var settings = Read(environment, dryRun: false);

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), settings.FlushInterval);
    }

    [Fact]
    public void Read_CommaLists_AreTrimmedAndSplit()
    {
        var environment = Valid();
        environment["NAMESPACES"] = " default, kube-system ,,";
        environment["EXCLUDE_REASONS"] = "Pulled";

        var settings = Read(environment, dryRun: false);

        Assert.Equal(["default", "kube-system"], settings.Namespaces);
        Assert.Equal(["Pulled"], settings.ExcludeReasons);
    }

    [Fact]
    public void Read_LeaderElectionWithoutPodIdentity_FailsNamingPodNameAndNamespace()
    {
        var environment = Valid();
        environment["LEADER_ELECTION"] = "true";

        var error = Assert.Throws<ConfigurationException>(() => Read(environment, dryRun: false));

        Assert.Contains(error.Errors, e => e.Message.StartsWith("POD_NAME", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Message.StartsWith("POD_NAMESPACE", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_StallTimeoutShorterThanIdleTimeout_IsRejected()
    {
        var environment = Valid();
        environment["WATCH_IDLE_TIMEOUT"] = "5m";
        environment["HEALTH_STALL_TIMEOUT"] = "1m";

        var error = Assert.Throws<ConfigurationException>(() => Read(environment, dryRun: false));

        Assert.Contains(error.Errors, e => e.Message.StartsWith("HEALTH_STALL_TIMEOUT", StringComparison.Ordinal));
    }
}
