using System.Globalization;
using System.Text;
using Amazon.SQS.Model;
using Functions.Runtime.Redelivery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shared.Aws;
using TestSupport.Moto;
using TestSupport.Settings;

namespace Functions.Runtime.Tests.Redelivery;

/// <summary>The hold against moto: copies land on the queue they came from, delayed and marked, or not at all.</summary>
[Collection(MotoCollection.Name)]
public sealed class OutageHoldTests(MotoFixture moto) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly SqsBatchSender _sender = new(moto.CreateAwsJsonClient(AwsService.Sqs));

    public void Dispose() => _sender.Dispose();

    private OutageHold Hold(string? sourceQueueUrl = null, HoldPolicy? policy = null) =>
        new(_sender, policy ?? FunctionSettingsFrom.HoldPolicy(), sourceQueueUrl, _time, NullLogger<OutageHold>.Instance);

    private async Task<(string Url, string Arn)> CreateQueueAsync()
    {
        using var sqs = moto.CreateSqsClient();
        var url = (await sqs.CreateQueueAsync("hold-" + Guid.NewGuid().ToString("N")[..8])).QueueUrl;
        return (url, (await sqs.GetQueueAttributesAsync(url, ["QueueArn"])).QueueARN);
    }

    private static HoldCandidate Candidate(string id, string? arn, string body, RetryState retry = default, DateTimeOffset? fallback = null, params SqsMessageAttribute[] carried) =>
        new(id, arn, Encoding.UTF8.GetBytes(body), carried, retry, fallback, "HTTP 503: the domain is down");

    private DateTimeOffset Deadline => _time.GetUtcNow() + TimeSpan.FromMinutes(1);

    [Fact]
    public async Task HoldAsync_FirstFailure_SendsADelayedCopyMarkedGenerationOneAndHoldsIt()
    {
        var queue = await CreateQueueAsync();

        var result = await Hold().HoldAsync([Candidate("m1", queue.Arn, "{\"kind\":\"Event\"}", carried: new SqsMessageAttribute("clusterName", "String", "prod"))], Deadline, CancellationToken.None);

        Assert.Equal([true], result.Held);
        Assert.Equal(1, result.Requeued);
        using var sqs = moto.CreateSqsClient();
        var counts = await sqs.GetQueueAttributesAsync(queue.Url, ["ApproximateNumberOfMessagesDelayed"]);
        Assert.Equal(1, counts.ApproximateNumberOfMessagesDelayed); // 30 s: the first delay
    }

    [Fact]
    public async Task HoldAsync_CopyOfACopy_CountsTheGenerationOnAndKeepsTheFirstFailure()
    {
        var queue = await CreateQueueAsync();
        var firstFailed = Now - TimeSpan.FromHours(30);
        var policy = FunctionSettingsFrom.HoldPolicy() with { FirstDelay = TimeSpan.Zero };

        await Hold(policy: policy).HoldAsync([Candidate("m1", queue.Arn, "body", RetryState.Read("4", firstFailed.ToString("o", CultureInfo.InvariantCulture)), carried: new SqsMessageAttribute("clusterName", "String", "prod"))], Deadline, CancellationToken.None);

        var copy = await ReceiveOneAsync(queue.Url);
        Assert.Equal("body", copy.Body);
        Assert.Equal("5", copy.MessageAttributes["retryGeneration"].StringValue);
        Assert.Equal("Number", copy.MessageAttributes["retryGeneration"].DataType);
        Assert.Equal(firstFailed, DateTimeOffset.Parse(copy.MessageAttributes["retryFirstFailedAt"].StringValue, CultureInfo.InvariantCulture));
        Assert.Equal("prod", copy.MessageAttributes["clusterName"].StringValue);
    }

    [Fact]
    public async Task HoldAsync_NoRetryAttributes_TheFallbackTimeStartsTheWindow()
    {
        var queue = await CreateQueueAsync();
        var recordedAt = Now - TimeSpan.FromHours(2);

        await Hold(policy: FunctionSettingsFrom.HoldPolicy() with { FirstDelay = TimeSpan.Zero }).HoldAsync([Candidate("m1", queue.Arn, "record", fallback: recordedAt)], Deadline, CancellationToken.None);

        var copy = await ReceiveOneAsync(queue.Url);
        Assert.Equal(recordedAt, DateTimeOffset.Parse(copy.MessageAttributes["retryFirstFailedAt"].StringValue, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task HoldAsync_FirstFailurePastTheHoldWindow_IsNotHeldAndNothingIsSent()
    {
        var queue = await CreateQueueAsync();
        var old = RetryState.Read("288", (Now - TimeSpan.FromHours(72) - TimeSpan.FromSeconds(1)).ToString("o", CultureInfo.InvariantCulture));

        var result = await Hold().HoldAsync([Candidate("old", queue.Arn, "body", old), Candidate("recent", queue.Arn, "body", fallback: Now - TimeSpan.FromHours(71))], Deadline, CancellationToken.None);

        Assert.Equal([false, true], result.Held);
        Assert.Equal(1, result.PastHoldWindow);
        using var sqs = moto.CreateSqsClient();
        Assert.Equal(1, (await sqs.GetQueueAttributesAsync(queue.Url, ["ApproximateNumberOfMessagesDelayed"])).ApproximateNumberOfMessagesDelayed);
    }

    [Fact]
    public async Task HoldAsync_QueueGone_NothingIsHeld()
    {
        var result = await Hold().HoldAsync([Candidate("m1", "arn:aws:sqs:us-east-1:123456789012:deleted-queue", "body")], Deadline, CancellationToken.None);

        Assert.Equal([false], result.Held);
        Assert.Equal(1, result.NotRequeued);
    }

    [Fact]
    public async Task HoldAsync_ArnIsNotAQueue_NothingIsHeld()
    {
        var queue = await CreateQueueAsync();

        var result = await Hold(queue.Url).HoldAsync([Candidate("m1", "arn:aws:kinesis:us-east-1:123456789012:stream/s", "body")], Deadline, CancellationToken.None);

        Assert.Equal([false], result.Held);
    }

    [Fact]
    public async Task HoldAsync_ConfiguredQueueAndRecordsWithoutArn_GoToTheConfiguredQueue()
    {
        var queue = await CreateQueueAsync();

        var result = await Hold(queue.Url).HoldAsync([Candidate("m1", null, "body")], Deadline, CancellationToken.None);

        Assert.Equal([true], result.Held);
    }

    [Fact]
    public async Task HoldAsync_NoTimeLeftBeforeTheDeadline_SendsNothingAndHoldsNothing()
    {
        var queue = await CreateQueueAsync();

        var result = await Hold().HoldAsync([Candidate("m1", queue.Arn, "body")], Now + TimeSpan.FromMilliseconds(400), CancellationToken.None);

        Assert.Equal([false], result.Held);
        using var sqs = moto.CreateSqsClient();
        Assert.Equal(0, (await sqs.GetQueueAttributesAsync(queue.Url, ["ApproximateNumberOfMessagesDelayed"])).ApproximateNumberOfMessagesDelayed);
    }

    [Theory]
    [InlineData(60, 2000)]
    [InlineData(10, 1000)]
    [InlineData(4, 400)]
    [InlineData(0, 0)]
    public void WorkDeadline_TimeLeft_KeepsATenthAtMostTwoSecondsForTheCopies(int remainingSeconds, int keptMilliseconds)
    {
        var deadline = Now + TimeSpan.FromSeconds(remainingSeconds);

        Assert.Equal(deadline - TimeSpan.FromMilliseconds(keptMilliseconds), OutageHold.WorkDeadline(deadline, TimeSpan.FromSeconds(remainingSeconds)));
    }

    private async Task<Message> ReceiveOneAsync(string queueUrl)
    {
        using var sqs = moto.CreateSqsClient();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 1, MessageAttributeNames = ["All"], WaitTimeSeconds = 1 });
            if (response.Messages is [var message])
            {
                return message;
            }
        }

        throw new InvalidOperationException("No message arrived.");
    }
}
