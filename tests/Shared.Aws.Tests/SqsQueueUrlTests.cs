namespace Shared.Aws.Tests;

/// <summary>The region a queue URL's host names: the fallback region of the collector's SQS calls.</summary>
public sealed class SqsQueueUrlTests
{
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
    public void RegionOf_QueueUrlHost_RegionOrNull(string host, string? region) => Assert.Equal(region, SqsQueueUrl.RegionOf(host));
}
