using Infra.Settings;

namespace Infra.Tests.Settings;

public sealed class PipelineSettingsTests
{
    private static PipelineSettings Read(params (string Key, object Value)[] pairs)
    {
        var values = pairs.ToDictionary(p => p.Key, p => p.Value);
        values.TryAdd("clusterName", "demo");
        return PipelineSettings.FromContext(key => values.GetValueOrDefault(key));
    }

    [Fact]
    public void FromContext_OnlyClusterName_AppliesTheDocumentedDefaults()
    {
        var settings = Read();
        Assert.Equal("/eksworkshop/demo/opensearch", settings.SsmParameterPrefix);
        Assert.Equal("EksHistory", settings.StackName);
        Assert.False(settings.Arm64);
        Assert.Equal(5 * 1024 * 1024, settings.BulkMaxBytes);
        Assert.Equal(64, settings.IndexerBatchSize);
        Assert.Equal(5, settings.IndexerMaxBatchingWindowSeconds);
        Assert.Equal(2, settings.IndexerMaxConcurrency);
        Assert.Equal(60, settings.IndexerTimeoutSeconds);
        Assert.Equal(365, settings.QueueVisibilityTimeoutSeconds);
        Assert.Equal(30, settings.LogRetentionDays);
        Assert.Equal(30, settings.CollectorSilenceMinutes);
        Assert.Equal("eks-history", settings.CollectorNamespace);
        Assert.Equal(CollectorIdentity.PodIdentity, settings.CollectorIdentity);
        Assert.False(settings.DeployCollector);
        Assert.Null(settings.OpenSearchEndpoint);
        Assert.Null(settings.AlarmEmail);
        Assert.Equal(72, settings.OutageHoldHours);
        Assert.Equal(96, settings.EventsQueueRetentionHours);
    }

    [Theory]
    [InlineData("0", 96)]
    [InlineData("72", 96)]
    [InlineData("120", 144)]
    [InlineData("312", 336)]
    public void FromContext_OutageHoldHours_QueueKeepsMessagesADayLongerThanTheHold(string hold, int retentionHours)
    {
        Assert.Equal(retentionHours, Read(("outageHoldHours", hold)).EventsQueueRetentionHours);
    }

    [Theory]
    [InlineData("clusterName", "bad name!")]
    [InlineData("ssmParameterPrefix", "no-leading-slash")]
    [InlineData("ssmParameterPrefix", "/trailing/")]
    [InlineData("architecture", "sparc")]
    [InlineData("indexerBatchSize", "0")]
    [InlineData("indexerBatchSize", "ten")]
    [InlineData("indexerMaxConcurrency", "1")]
    [InlineData("logRetentionDays", "31")]
    [InlineData("collectorIdentity", "kiam")]
    [InlineData("collectorIdentity", "irsa")]
    [InlineData("deployCollector", "true")]
    [InlineData("deployCollector", "yes")]
    [InlineData("alarmEmail", "not-an-address")]
    [InlineData("collectorNamespace", "Upper_Case")]
    [InlineData("indexerTimeoutSeconds", "900000")]
    [InlineData("outageHoldHours", "313")]
    [InlineData("outageHoldHours", "-1")]
    [InlineData("outageHoldHours", "3d")]
    public void FromContext_InvalidValue_FailsNamingTheKey(string key, string value)
    {
        var ex = Assert.Throws<SettingsException>(() => Read((key, value)));
        // irsa without a provider and deployCollector without a kubectl role name the key that is missing.
        var expected = (key, value) switch
        {
            ("collectorIdentity", "irsa") => "oidcProviderArn",
            ("deployCollector", "true") => "kubectlRoleArn",
            _ => key,
        };
        Assert.Equal(expected, ex.Key);
        Assert.Contains($"'{expected}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_BatchAboveTenWithoutWindow_IsRejected()
    {
        var ex = Assert.Throws<SettingsException>(() => Read(("indexerBatchSize", "50"), ("indexerMaxBatchingWindowSeconds", "0")));
        Assert.Equal("indexerMaxBatchingWindowSeconds", ex.Key);
    }

    [Fact]
    public void FromContext_JsonValuesFromCdkJson_AreAccepted()
    {
        var settings = Read(("indexerMaxConcurrency", 10d), ("deployCollector", true), ("kubectlRoleArn", "arn:aws:iam::123456789012:role/kubectl"));
        Assert.Equal(10, settings.IndexerMaxConcurrency);
        Assert.True(settings.DeployCollector);
    }
}
