using SetupFunction.Settings;
using Shared.Contract.Settings;

namespace SetupFunction.Tests.Settings;

public sealed class SetupFunctionSettingsTests
{
    private static SetupFunctionSettings Load(params (string Name, string Value)[] variables) =>
        SetupFunctionSettings.Load(new DictionaryEnvironmentVariables(variables.ToDictionary(v => v.Name, v => v.Value)));

    [Fact]
    public void Load_Nothing_IsBasicAuthOnADomainDoingTheWorkItself()
    {
        var settings = Load();

        Assert.Equal(OpenSearchAuth.Basic, settings.Auth);
        Assert.False(settings.Serverless);
        Assert.Null(settings.DelegateFunction);
    }

    [Fact]
    public void Load_ServerlessWithSigV4AndADelegate_ReadsThemInAnyCase()
    {
        var settings = Load(("OPENSEARCH_AUTH", "SigV4"), ("OPENSEARCH_SERVICE", "AOSS"), ("SETUP_DELEGATE_FUNCTION", " setup-in-vpc "), ("AWS_REGION", "eu-west-1"));

        Assert.Equal(OpenSearchAuth.SigV4, settings.Auth);
        Assert.True(settings.Serverless);
        Assert.Equal("setup-in-vpc", settings.DelegateFunction);
        Assert.Equal("eu-west-1", settings.Region);
    }

    [Fact]
    public void Load_BadAuthAndService_FailsOnceNamingBoth()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load(("OPENSEARCH_AUTH", "iam"), ("OPENSEARCH_SERVICE", "opensearch")));

        Assert.Equal(["OPENSEARCH_AUTH", "OPENSEARCH_SERVICE"], ex.Errors.Select(e => e.Setting));
        Assert.Contains("OPENSEARCH_AUTH='iam' is not one of: basic, sigv4.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("OPENSEARCH_SERVICE='opensearch' is not one of: es, aoss.", ex.Message, StringComparison.Ordinal);
    }
}
