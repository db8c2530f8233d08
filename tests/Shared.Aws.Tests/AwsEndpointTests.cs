using Shared.Contract.Settings;

namespace Shared.Aws.Tests;

/// <summary>Where a JSON-protocol call goes and which region signs it, from an explicit environment.</summary>
public sealed class AwsEndpointTests
{
    private static AwsEndpoint Resolve(AwsService service, params (string Name, string Value)[] variables) =>
        AwsEndpoint.Resolve(service, Environment(variables));

    private static DictionaryEnvironmentVariables Environment(params (string Name, string Value)[] variables) =>
        new(variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));

    [Fact]
    public void Resolve_OnlyAwsRegion_RegionalEndpointOfTheService()
    {
        Assert.Equal(new AwsEndpoint(new Uri("https://ssm.eu-west-1.amazonaws.com/"), "eu-west-1"), Resolve(AwsService.Ssm, ("AWS_REGION", "eu-west-1")));
        Assert.Equal(new AwsEndpoint(new Uri("https://sqs.eu-west-1.amazonaws.com/"), "eu-west-1"), Resolve(AwsService.Sqs, ("AWS_REGION", "eu-west-1")));
    }

    [Fact]
    public void Resolve_ChinaRegion_EndpointInTheChinaPartition()
    {
        Assert.Equal(new Uri("https://ssm.cn-north-1.amazonaws.com.cn/"), Resolve(AwsService.Ssm, ("AWS_REGION", "cn-north-1")).Url);
    }

    [Fact]
    public void Resolve_AwsRegionSet_WinsOverAwsDefaultRegion()
    {
        Assert.Equal("us-west-2", Resolve(AwsService.Ssm, ("AWS_REGION", "us-west-2"), ("AWS_DEFAULT_REGION", "ap-south-1")).Region);
        Assert.Equal("ap-south-1", Resolve(AwsService.Ssm, ("AWS_REGION", " "), ("AWS_DEFAULT_REGION", "ap-south-1")).Region);
    }

    [Fact]
    public void Resolve_NoRegionVariable_TheFallbackRegion()
    {
        var endpoint = AwsEndpoint.Resolve(AwsService.Ssm, Environment(), fallbackRegion: "eu-north-1");

        Assert.Equal(new AwsEndpoint(new Uri("https://ssm.eu-north-1.amazonaws.com/"), "eu-north-1"), endpoint);
        Assert.Equal("eu-west-3", AwsEndpoint.Resolve(AwsService.Ssm, Environment(("AWS_REGION", "eu-west-3")), fallbackRegion: "eu-north-1").Region);
    }

    [Fact]
    public void Resolve_NoRegionAnywhere_FailsNamingAwsRegionAndTheService()
    {
        var error = Assert.Throws<ConfigurationException>(() => Resolve(AwsService.Ssm, ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")));

        Assert.Equal("AWS_REGION", error.Setting);
        Assert.Contains("SSM", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ServiceSpecificEndpointSet_WinsOverTheGeneralOneForThatServiceOnly()
    {
        (string, string)[] variables = [("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:4566"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")];

        Assert.Equal(new AwsEndpoint(new Uri("http://127.0.0.1:4566/"), "us-east-1"), Resolve(AwsService.Ssm, variables));
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), Resolve(AwsService.Sqs, variables).Url);
    }

    [Fact]
    public void Resolve_ConfiguredEndpointsIgnored_RegionalEndpoint()
    {
        var endpoint = Resolve(AwsService.Ssm, ("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:4566"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"));

        Assert.Equal(new Uri("https://ssm.eu-west-1.amazonaws.com/"), endpoint.Url);
    }

    [Fact]
    public void Resolve_EndpointNotAUrl_FailsNamingTheVariableAndValue()
    {
        var error = Assert.Throws<ConfigurationException>(() => Resolve(AwsService.Ssm, ("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL_SSM", "localhost:4566")));

        Assert.Equal("AWS_ENDPOINT_URL_SSM", error.Setting);
        Assert.Contains("AWS_ENDPOINT_URL_SSM must be an http(s) URL, got 'localhost:4566'", error.Message, StringComparison.Ordinal);
    }
}
