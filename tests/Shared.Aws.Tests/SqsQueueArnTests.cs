namespace Shared.Aws.Tests;

public sealed class SqsQueueArnTests
{
    [Theory]
    [InlineData("arn:aws:sqs:eu-west-1:123456789012:prod-eks-history-events", "https://sqs.eu-west-1.amazonaws.com/123456789012/prod-eks-history-events")]
    [InlineData("arn:aws-cn:sqs:cn-north-1:123456789012:q", "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q")]
    [InlineData("arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q", "https://sqs.us-gov-west-1.amazonaws.com/123456789012/q")]
    public void QueueUrl_OfAnArn_IsTheDocumentedQueueUrl(string arn, string url)
    {
        Assert.True(SqsQueueArn.TryParse(arn, out var queue));
        Assert.Equal(url, queue!.QueueUrl);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("arn:aws:sns:eu-west-1:123456789012:topic")]
    [InlineData("arn:aws:sqs:eu-west-1:123456789012")]
    [InlineData("arn:aws:sqs::123456789012:q")]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/123456789012/q")]
    public void TryParse_NotAnSqsQueueArn_IsFalse(string? arn) => Assert.False(SqsQueueArn.TryParse(arn, out _));

    [Theory]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/123456789012/q", true)]
    [InlineData("http://127.0.0.1:5000/123456789012/q", true)] // an emulator's URL for the same queue
    [InlineData("https://sqs.eu-west-1.amazonaws.com/123456789012/q-dlq", false)]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/999999999999/q", false)]
    [InlineData("not a url", false)]
    public void IsNamedBy_QueueUrl_MatchesAccountAndName(string url, bool expected)
    {
        SqsQueueArn.TryParse("arn:aws:sqs:eu-west-1:123456789012:q", out var queue);

        Assert.Equal(expected, queue!.IsNamedBy(url));
    }
}
