using Functions.Runtime.Settings;
using Shared.Contract.Settings;

namespace Functions.Runtime.Tests.Settings;

public sealed class FunctionSettingsTests
{
    private static FunctionSettings Load(params (string Key, string Value)[] values) =>
        FunctionSettings.Load(new DictionaryEnvironmentVariables(values.ToDictionary(v => v.Key, v => v.Value)));

    [Fact]
    public void Load_OnlyClusterName_UsesWorkshopPrefixAndDefaults()
    {
        var settings = Load(("CLUSTER_NAME", "eks-workshop"));

        Assert.Equal("/eksworkshop/eks-workshop/opensearch", settings.SsmParameterPrefix);
        Assert.Equal("eks-workshop", settings.ClusterName);
        Assert.Equal(5 * 1024 * 1024, settings.BulkMaxBytes);
        Assert.Equal(TimeSpan.FromSeconds(300), settings.CredentialsTtl);
    }

    [Fact]
    public void Load_ExplicitValues_AreUsed()
    {
        var settings = Load(("SSM_PARAMETER_PREFIX", "/custom/os"), ("BULK_MAX_BYTES", "1048576"), ("CREDENTIALS_TTL_SECONDS", "60"));

        Assert.Equal("/custom/os", settings.SsmParameterPrefix);
        Assert.Equal(string.Empty, settings.ClusterName);
        Assert.Equal(1048576, settings.BulkMaxBytes);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.CredentialsTtl);
    }

    [Fact]
    public void Load_NoPrefixAndNoClusterName_FailsNamingBothSettings()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load());

        Assert.Equal("SSM_PARAMETER_PREFIX", ex.Setting);
        Assert.Contains("CLUSTER_NAME", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BULK_MAX_BYTES", "five", "not a whole number")]
    [InlineData("BULK_MAX_BYTES", "10", "out of range")]
    [InlineData("CREDENTIALS_TTL_SECONDS", "-1", "out of range")]
    [InlineData("SSM_PARAMETER_PREFIX", "no-leading-slash", "must start with '/'")]
    [InlineData("SSM_PARAMETER_PREFIX", "/trailing/", "must start with '/'")]
    public void Load_InvalidValue_FailsNamingTheSettingAndValue(string key, string value, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(("CLUSTER_NAME", "c"), (key, value)));

        Assert.Equal(key, ex.Setting);
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        Assert.Contains(value, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralBadSettings_FailsOnceNamingEveryOneWithItsValue()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(
            ("SSM_PARAMETER_PREFIX", "relative/prefix"),
            ("BULK_MAX_BYTES", "five"),
            ("OPENSEARCH_AUTH", "iam"),
            ("SOURCE_QUEUE_URL", "ftp://user:hunter2@sqs.eu-west-1.amazonaws.com/123456789012/q")));

        Assert.Equal(["SSM_PARAMETER_PREFIX", "OPENSEARCH_AUTH", "SOURCE_QUEUE_URL", "BULK_MAX_BYTES"], ex.Errors.Select(e => e.Setting));
        Assert.StartsWith(FunctionSettings.ErrorHeading, ex.Message, StringComparison.Ordinal);
        Assert.Contains("SSM_PARAMETER_PREFIX='relative/prefix'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BULK_MAX_BYTES='five'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("OPENSEARCH_AUTH='iam'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadDelayAndMaxBelowIt_ReportsTheBadDelayOnly()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(("CLUSTER_NAME", "c"), ("REQUEUE_DELAY_SECONDS", "soon"), ("REQUEUE_MAX_DELAY_SECONDS", "10")));

        Assert.Equal("REQUEUE_DELAY_SECONDS", Assert.Single(ex.Errors).Setting);
    }
}

public sealed class FunctionSettingsAuthTests
{
    private static FunctionSettings Load(params (string Key, string Value)[] values) =>
        FunctionSettings.Load(new DictionaryEnvironmentVariables(values.ToDictionary(v => v.Key, v => v.Value)));

    [Fact]
    public void Load_NoAuthSetting_IsBasicWithServiceEs()
    {
        var settings = Load(("CLUSTER_NAME", "c"));

        Assert.Equal(Shared.Contract.Settings.OpenSearchAuth.Basic, settings.Auth);
        Assert.Equal("es", settings.SigningService);
    }

    [Fact]
    public void Load_SigV4ForServerless_ReadsServiceAndRegion()
    {
        var settings = Load(("CLUSTER_NAME", "c"), ("OPENSEARCH_AUTH", "SigV4"), ("OPENSEARCH_SERVICE", "aoss"), ("AWS_REGION", "eu-central-1"));

        Assert.Equal(Shared.Contract.Settings.OpenSearchAuth.SigV4, settings.Auth);
        Assert.Equal("aoss", settings.SigningService);
        Assert.Equal("eu-central-1", settings.Region);
    }

    [Theory]
    [InlineData("OPENSEARCH_AUTH", "iam", "basic, sigv4")]
    [InlineData("OPENSEARCH_SERVICE", "opensearch", "es (OpenSearch Service domains), aoss")]
    public void Load_UnknownValue_NamesTheSettingAndTheChoices(string key, string value, string expected)
    {
        var ex = Assert.Throws<Shared.Contract.Settings.ConfigurationException>(() => Load(("CLUSTER_NAME", "c"), (key, value)));

        Assert.Equal(key, ex.Setting);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoOutageSettings_HoldsSeventyTwoHoursWithDelaysFromHalfAMinuteToFifteen()
    {
        var settings = Load(("CLUSTER_NAME", "c"));

        Assert.Equal(TimeSpan.FromHours(72), settings.OutageHold);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.RequeueDelay);
        Assert.Equal(TimeSpan.FromSeconds(900), settings.RequeueMaxDelay);
        Assert.Null(settings.SourceQueueUrl);
    }

    [Fact]
    public void Load_OutageSettings_AreUsed()
    {
        var settings = Load(("CLUSTER_NAME", "c"), ("OUTAGE_HOLD_HOURS", "0"), ("REQUEUE_DELAY_SECONDS", "2"), ("REQUEUE_MAX_DELAY_SECONDS", "8"), ("SOURCE_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/123456789012/q"));

        Assert.Equal(TimeSpan.Zero, settings.OutageHold);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.RequeueDelay);
        Assert.Equal(TimeSpan.FromSeconds(8), settings.RequeueMaxDelay);
        Assert.Equal("https://sqs.eu-west-1.amazonaws.com/123456789012/q", settings.SourceQueueUrl);
    }

    [Theory]
    [InlineData("OUTAGE_HOLD_HOURS", "313", "between 0 and 312")]
    [InlineData("OUTAGE_HOLD_HOURS", "three days", "not a whole number")]
    [InlineData("REQUEUE_DELAY_SECONDS", "0", "between 1 and 900")]
    [InlineData("REQUEUE_MAX_DELAY_SECONDS", "901", "between 1 and 900")]
    [InlineData("SOURCE_QUEUE_URL", "my-queue", "is not a queue URL")]
    public void Load_BadOutageSetting_FailsNamingIt(string name, string value, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(("CLUSTER_NAME", "c"), (name, value)));

        Assert.Equal(name, ex.Setting);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MaxDelayBelowTheFirst_FailsNamingTheMax()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(("CLUSTER_NAME", "c"), ("REQUEUE_DELAY_SECONDS", "60"), ("REQUEUE_MAX_DELAY_SECONDS", "30")));

        Assert.Equal("REQUEUE_MAX_DELAY_SECONDS", ex.Setting);
        Assert.Contains("REQUEUE_DELAY_SECONDS=60", ex.Message, StringComparison.Ordinal);
    }
}
