using Collector.Sending;
using Shared.Aws;
using Shared.Contract.Settings;

namespace Collector.Tests.Sending;

/// <summary>Where the SQS sink sends and which region it signs for, from an explicit environment.</summary>
public sealed class SqsEndpointTests
{
    private static readonly Uri QueueUrl = new("https://sqs.eu-west-1.amazonaws.com/123456789012/events");

    private static AwsEndpoint Resolve(Uri queueUrl, params (string Name, string? Value)[] variables) =>
        SqsEndpoint.Resolve(queueUrl, variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));

    [Fact]
    public void Resolve_NothingSet_RegionalEndpointAndTheQueueUrlsRegion()
    {
        var endpoint = Resolve(QueueUrl);

        Assert.Equal(new Uri("https://sqs.eu-west-1.amazonaws.com/"), endpoint.Url);
        Assert.Equal("eu-west-1", endpoint.Region);
    }

    [Fact]
    public void Resolve_ChinaRegion_EndpointInTheChinaPartition()
    {
        var endpoint = Resolve(new Uri("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/events"));

        Assert.Equal(new Uri("https://sqs.cn-north-1.amazonaws.com.cn/"), endpoint.Url);
        Assert.Equal("cn-north-1", endpoint.Region);
    }

    [Fact]
    public void Resolve_AwsRegionSet_WinsOverAwsDefaultRegionAndTheQueueUrl()
    {
        Assert.Equal("us-west-2", Resolve(QueueUrl, ("AWS_REGION", "us-west-2"), ("AWS_DEFAULT_REGION", "ap-south-1")).Region);
        Assert.Equal("ap-south-1", Resolve(QueueUrl, ("AWS_REGION", " "), ("AWS_DEFAULT_REGION", "ap-south-1")).Region);
        Assert.Equal(new Uri("https://sqs.us-west-2.amazonaws.com/"), Resolve(QueueUrl, ("AWS_REGION", "us-west-2")).Url);
    }

    [Fact]
    public void Resolve_SqsSpecificEndpointSet_WinsOverTheGeneralOne()
    {
        var endpoint = Resolve(QueueUrl, ("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:4566"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"));

        Assert.Equal(new Uri("http://127.0.0.1:4566/"), endpoint.Url);
        Assert.Equal("eu-west-1", endpoint.Region);
    }

    [Fact]
    public void Resolve_GeneralEndpointSet_UsedForSqs()
    {
        var endpoint = Resolve(new Uri("http://127.0.0.1:5000/123456789012/events"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"), ("AWS_REGION", "us-east-1"));

        Assert.Equal(new Uri("http://127.0.0.1:5000/"), endpoint.Url);
        Assert.Equal("us-east-1", endpoint.Region);
    }

    [Fact]
    public void Resolve_ConfiguredEndpointsIgnored_RegionalEndpoint()
    {
        var endpoint = Resolve(QueueUrl, ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));

        Assert.Equal(new Uri("https://sqs.eu-west-1.amazonaws.com/"), endpoint.Url);
    }

    [Fact]
    public void Resolve_NoRegionAnywhere_FailsNamingAwsRegionAndQueueUrl()
    {
        var error = Assert.Throws<ConfigurationException>(() => Resolve(new Uri("http://127.0.0.1:5000/123456789012/events"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")));

        var line = Assert.Single(error.Errors).Message;
        Assert.Contains("AWS_REGION", line, StringComparison.Ordinal);
        Assert.Contains("QUEUE_URL", line, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:5000/123456789012/events", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_EndpointNotAUrl_FailsNamingTheVariableAndValue()
    {
        var error = Assert.Throws<ConfigurationException>(() => Resolve(QueueUrl, ("AWS_ENDPOINT_URL_SQS", "localhost:4566")));

        Assert.Contains("AWS_ENDPOINT_URL_SQS must be an http(s) URL, got 'localhost:4566'", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqs.eu-central-2.amazonaws.com", "eu-central-2")]
    [InlineData("sqs.us-gov-west-1.amazonaws.com", "us-gov-west-1")]
    [InlineData("sqs-fips.us-east-2.amazonaws.com", "us-east-2")]
    [InlineData("sqs.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1")]
    [InlineData("vpce-0a1b2c3d4e5f-abcdefgh.sqs.ap-southeast-4.vpce.amazonaws.com", "ap-southeast-4")]
    [InlineData("eu-west-1.queue.amazonaws.com", "eu-west-1")]
    [InlineData("queue.amazonaws.com", "us-east-1")]
    [InlineData("SQS.EU-WEST-3.AMAZONAWS.COM", "eu-west-3")]
    [InlineData("localhost", null)]
    [InlineData("127.0.0.1", null)]
    [InlineData("sqs.example.com", null)]
    [InlineData("sqs.amazonaws.com", null)]
    public void RegionOf_QueueUrlHost_RegionOrNull(string host, string? region) => Assert.Equal(region, SqsEndpoint.RegionOf(host));
}
