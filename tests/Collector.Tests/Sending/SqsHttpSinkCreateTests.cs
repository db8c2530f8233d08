using Amazon.Runtime;
using Collector.Sending;
using Shared.Contract.Settings;

namespace Collector.Tests.Sending;

/// <summary>
/// Where the collector's sink sends and which region it signs for, from an explicit environment: the shared
/// resolution (<c>Shared.Aws.Tests.AwsEndpointTests</c>) with the queue URL's region as the fallback, and a bad
/// setting reported as the collector reports every bad setting.
/// </summary>
public sealed class SqsHttpSinkCreateTests
{
    private static readonly Uri QueueUrl = new("https://sqs.eu-west-1.amazonaws.com/123456789012/events");

    private static (Uri Url, string Region) Resolve(Uri queueUrl, params (string Name, string Value)[] variables)
    {
        using var sink = SqsHttpSink.Create(
            queueUrl,
            new DictionaryEnvironmentVariables(variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal)),
            new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            TimeProvider.System);
        return (sink.Endpoint, sink.Region);
    }

    [Fact]
    public void Create_NothingSet_RegionalEndpointAndTheQueueUrlsRegion()
    {
        Assert.Equal((new Uri("https://sqs.eu-west-1.amazonaws.com/"), "eu-west-1"), Resolve(QueueUrl));
    }

    [Fact]
    public void Create_ChinaRegionQueue_EndpointInTheChinaPartition()
    {
        Assert.Equal((new Uri("https://sqs.cn-north-1.amazonaws.com.cn/"), "cn-north-1"), Resolve(new Uri("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/events")));
    }

    [Fact]
    public void Create_AwsRegionSet_WinsOverTheQueueUrl()
    {
        Assert.Equal((new Uri("https://sqs.us-west-2.amazonaws.com/"), "us-west-2"), Resolve(QueueUrl, ("AWS_REGION", "us-west-2"), ("AWS_DEFAULT_REGION", "ap-south-1")));
        Assert.Equal("ap-south-1", Resolve(QueueUrl, ("AWS_REGION", " "), ("AWS_DEFAULT_REGION", "ap-south-1")).Region);
    }

    [Fact]
    public void Create_EndpointSet_RequestsGoThereSignedForTheQueueUrlsRegion()
    {
        Assert.Equal((new Uri("http://127.0.0.1:4566/"), "eu-west-1"), Resolve(QueueUrl, ("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:4566"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")));
    }

    [Fact]
    public void Create_NoRegionAnywhere_FailsNamingAwsRegionAndQueueUrl()
    {
        var error = Assert.Throws<ConfigurationException>(() => Resolve(new Uri("http://127.0.0.1:5000/123456789012/events"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")));

        var line = Assert.Single(error.Errors).Message;
        Assert.Contains("AWS_REGION", line, StringComparison.Ordinal);
        Assert.Contains("QUEUE_URL", line, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:5000/123456789012/events", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_EndpointNotAUrl_FailsNamingTheVariableAndValue()
    {
        var error = Assert.Throws<ConfigurationException>(() => Resolve(QueueUrl, ("AWS_ENDPOINT_URL_SQS", "localhost:4566")));

        Assert.Contains("AWS_ENDPOINT_URL_SQS must be an http(s) URL, got 'localhost:4566'", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }
}
