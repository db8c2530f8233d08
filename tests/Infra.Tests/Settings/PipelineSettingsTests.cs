using Infra.Settings;
using Shared.Contract.Settings;

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
        Assert.Same(TargetArchitecture.X86_64, settings.Architecture);
        Assert.Equal([TargetArchitecture.X86_64], settings.CollectorArchitectures);
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
        Assert.Null(settings.Vpc);
        Assert.Equal(30, settings.EventsRetentionDays);
        Assert.Equal(14, settings.ControlPlaneRetentionDays);
        Assert.True(settings.OpenSearchSetup);
        Assert.False(settings.EnableControlPlaneLogs);
        Assert.False(settings.Serverless);
        Assert.Equal(72, settings.OutageHoldHours);
        Assert.Equal(96, settings.EventsQueueRetentionHours);
    }

    [Fact]
    public void FromContext_VpcKeys_AreReadAsTheirLists()
    {
        var settings = Read(("vpcSubnetIds", " subnet-0a1b2c3d4e5f60718 ,subnet-0f1e2d3c4b5a69788,"), ("vpcId", "vpc-0a1b2c3d"), ("vpcSsmEndpoint", "true"));
        Assert.Equal(["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"], settings.Vpc!.SubnetIds);
        Assert.Empty(settings.Vpc.SecurityGroupIds);
        Assert.Equal("vpc-0a1b2c3d", settings.Vpc.VpcId);
        Assert.True(settings.Vpc.SsmEndpoint);
    }

    [Fact]
    public void FromContext_VpcListsFromCdkJson_AreAccepted()
    {
        var settings = Read(("vpcSubnetIds", new object[] { "subnet-0a1b2c3d" }), ("vpcSecurityGroupIds", new object[] { "sg-0a1b2c3d", "sg-1a1b2c3d" }));
        Assert.Equal(["sg-0a1b2c3d", "sg-1a1b2c3d"], settings.Vpc!.SecurityGroupIds);
        Assert.Null(settings.Vpc.VpcId);
    }

    [Theory]
    [InlineData("vpcSubnetIds", "subnet-0a1b2c3d,vpc-0a1b2c3d", "vpcSubnetIds")]
    [InlineData("vpcSubnetIds", "subnet-0a1b2c3d", "vpcId")]
    [InlineData("vpcSecurityGroupIds", "sg-0a1b2c3d", "vpcSubnetIds")]
    [InlineData("vpcId", "vpc-0a1b2c3d", "vpcSubnetIds")]
    [InlineData("vpcSsmEndpoint", "true", "vpcSubnetIds")]
    public void FromContext_IncompleteOrWrongVpcKeys_FailNamingTheKeyToFix(string key, string value, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read((key, value)));
        Assert.Equal(expected, ex.Setting);
    }

    [Fact]
    public void FromContext_OwnGroupsWithSsmEndpointButNoVpc_AsksForTheVpc()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(("vpcSubnetIds", "subnet-0a1b2c3d"), ("vpcSecurityGroupIds", "sg-0a1b2c3d"), ("vpcSsmEndpoint", "true"), ("vpcId", "")));
        Assert.Equal("vpcId", ex.Setting);
        Assert.Contains("vpcSsmEndpoint", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_ServerlessWithBasicAuth_FailsNamingOpenSearchAuth()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(("openSearchService", "aoss")));
        Assert.Equal("openSearchAuth", ex.Setting);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("History")]
    [InlineData("ab")]
    public void FromContext_ServerlessWithoutAValidCollectionName_FailsNamingIt(string? name)
    {
        var pairs = new List<(string, object)>
        {
            ("openSearchService", "aoss"), ("openSearchAuth", "sigv4"), ("openSearchResourceArn", "arn:aws:aoss:us-east-1:123456789012:collection/abc"),
        };
        if (name is not null)
        {
            pairs.Add(("openSearchCollectionName", name));
        }

        var ex = Assert.Throws<ConfigurationException>(() => Read([.. pairs]));
        Assert.Equal("openSearchCollectionName", ex.Setting);
    }

    [Theory]
    [InlineData("eventsRetentionDays", "0")]
    [InlineData("controlPlaneRetentionDays", "3651")]
    [InlineData("openSearchSetup", "maybe")]
    [InlineData("enableControlPlaneLogs", "on")]
    public void FromContext_InvalidSetupKey_FailsNamingIt(string key, string value)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read((key, value)));
        Assert.Equal(key, ex.Setting);
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
    [InlineData("architecture", "aarch64")]
    [InlineData("collectorArchitecture", "amd64")]
    [InlineData("collectorArchitecture", "multi")]
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
    [InlineData("collectorSilenceMinutes", "14")]
    [InlineData("warningReasons", "BackOff,Failed Mount")]
    [InlineData("warningReasons", "Other")]
    [InlineData("warningAlarms", "FailedScheduling")]
    [InlineData("warningAlarms", "FailedScheduling=ten")]
    [InlineData("warningAlarms", "FailedScheduling=-1")]
    [InlineData("warningAlarms", "WidgetReconcileFailed=5")]
    [InlineData("warningAlarms", "BackOff=5,BackOff=6")]
    [InlineData("outageHoldHours", "313")]
    [InlineData("outageHoldHours", "-1")]
    [InlineData("outageHoldHours", "3d")]
    public void FromContext_InvalidValue_FailsNamingTheKey(string key, string value)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read((key, value)));
        // irsa without a provider and deployCollector without a kubectl role name the key that is missing.
        var expected = (key, value) switch
        {
            ("collectorIdentity", "irsa") => "oidcProviderArn",
            ("deployCollector", "true") => "kubectlRoleArn",
            _ => key,
        };
        Assert.Equal(expected, ex.Setting);
        Assert.Contains($"'{expected}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_BatchAboveTenWithoutWindow_IsRejected()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(("indexerBatchSize", "50"), ("indexerMaxBatchingWindowSeconds", "0")));
        Assert.Equal("indexerMaxBatchingWindowSeconds", ex.Setting);
    }

    [Fact]
    public void FromContext_JsonValuesFromCdkJson_AreAccepted()
    {
        var settings = Read(("indexerMaxConcurrency", 10d), ("deployCollector", true), ("kubectlRoleArn", "arn:aws:iam::123456789012:role/kubectl"));
        Assert.Equal(10, settings.IndexerMaxConcurrency);
        Assert.True(settings.DeployCollector);
    }

    [Theory]
    [InlineData("x86_64", null, "x86_64")]
    [InlineData("arm64", null, "arm64")]
    [InlineData("arm64", "x86_64", "x86_64")]
    [InlineData("x86_64", "arm64", "arm64")]
    public void FromContext_Architectures_CollectorFollowsTheFunctionsUnlessSetApart(string functions, string? collector, string expectedCollector)
    {
        var pairs = new List<(string, object)> { ("architecture", functions) };
        if (collector is not null)
        {
            pairs.Add(("collectorArchitecture", collector));
        }

        var settings = Read([.. pairs]);
        Assert.Equal(functions, settings.Architecture.Name);
        Assert.Equal(functions == "arm64" ? "linux-arm64" : "linux-x64", settings.Architecture.RuntimeIdentifier);
        Assert.Equal(expectedCollector, Assert.Single(settings.CollectorArchitectures).Name);
    }

    [Fact]
    public void FromContext_MultiArchCollectorWithImage_RunsOnBothNodeArchitectures()
    {
        var settings = Read(("collectorArchitecture", "multi"), ("collectorImage", "example.com/collector:1"));
        Assert.Equal(["amd64", "arm64"], settings.CollectorArchitectures.Select(a => a.KubernetesName));
    }

    [Fact]
    public void FromContext_MultiArchCollectorWithoutImage_SaysHowToBuildOne()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(("collectorArchitecture", "multi")));
        Assert.Equal("collectorArchitecture", ex.Setting);
        Assert.Contains("collectorImage", ex.Message, StringComparison.Ordinal);
        Assert.Contains("docker buildx build --platform linux/amd64,linux/arm64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_WarningAlarms_OffByDefaultAndOnForChosenReasonsOfTheMetric()
    {
        Assert.Empty(Read().WarningAlarms);
        Assert.Null(Read().WarningReasons);

        var settings = Read(("warningAlarms", "FailedScheduling=10, Other=200"));
        Assert.Equal([("FailedScheduling", 10), ("Other", 200)], settings.WarningAlarms);

        // A reason of the operator's own list: the metric names it, so its alarm can fire.
        var custom = Read(("warningReasons", "WidgetReconcileFailed,BackOff"), ("warningAlarms", "WidgetReconcileFailed=3"));
        Assert.Equal(["WidgetReconcileFailed", "BackOff"], custom.WarningReasons);
        Assert.Equal([("WidgetReconcileFailed", 3)], custom.WarningAlarms);
    }

    [Fact]
    public void FromContext_AlarmOnAReasonTheMetricDoesNotName_SaysHowToNameIt()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(("warningReasons", "BackOff"), ("warningAlarms", "FailedScheduling=10")));

        Assert.Equal("warningAlarms", ex.Setting);
        Assert.Contains("warningReasons", ex.Message, StringComparison.Ordinal);
        Assert.Contains("could never fire", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_SeveralBadKeys_ReportsEveryOneAtOnceSayingHowToPassIt()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(
            ("clusterName", "bad name!"),
            ("bulkMaxBytes", "lots"),
            ("indexerBatchSize", "50"),
            ("indexerMaxBatchingWindowSeconds", "0"),
            ("vpcSubnetIds", new object[] { "subnet-0a1b2c3d", "vpc-0a1b2c3d" }),
            ("alarmEmail", "ops")));

        Assert.Equal(["clusterName", "bulkMaxBytes", "indexerMaxBatchingWindowSeconds", "alarmEmail", "vpcSubnetIds", "vpcId"], ex.Errors.Select(e => e.Setting));
        Assert.Contains("bulkMaxBytes='lots' is not a whole number", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'vpc-0a1b2c3d' is not a subnet id", ex.Message, StringComparison.Ordinal);
        Assert.All(ex.Errors, e => Assert.Contains($"Pass it with `-c {e.Setting}=...`", e.Message, StringComparison.Ordinal));
        Assert.StartsWith(PipelineSettings.ErrorHeading, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_NumbersAndFlagsFromCdkJson_ReadAsTyped()
    {
        var settings = Read(("bulkMaxBytes", 1048576.0), ("indexerMemoryMb", 1024), ("deployCollector", false), ("openSearchSetup", false));

        Assert.Equal(1048576, settings.BulkMaxBytes);
        Assert.Equal(1024, settings.IndexerMemoryMb);
        Assert.False(settings.OpenSearchSetup);
    }
}
