using System.Text;
using Amazon.SQS.Model;
using TestSupport.Moto;

namespace Shared.Aws.Tests;

/// <summary>SendMessageBatch against moto: what SQS stores is what was sent, attributes and delays included.</summary>
[Collection(MotoCollection.Name)]
public sealed class SqsBatchSenderTests(MotoFixture moto)
{
    private async Task<string> CreateQueueAsync()
    {
        using var sqs = moto.CreateSqsClient();
        return (await sqs.CreateQueueAsync("sender-" + Guid.NewGuid().ToString("N")[..8])).QueueUrl;
    }

    [Fact]
    public async Task SendAsync_MoreThanABatch_StoresEveryMessageWithItsAttributes()
    {
        var queueUrl = await CreateQueueAsync();
        using var sender = new SqsBatchSender(moto.CreateAwsJsonClient(AwsService.Sqs));
        var messages = Enumerable.Range(0, 23)
            .Select(i => new SqsOutgoingMessage(Encoding.UTF8.GetBytes($"{{\"n\":{i},\"text\":\"é \\\" \\n\"}}"), 0, [new SqsMessageAttribute("clusterName", "String", "c" + i), new SqsMessageAttribute("retryGeneration", "Number", "2")]))
            .ToList();

        var outcomes = await sender.SendAsync(queueUrl, messages, CancellationToken.None);

        Assert.All(outcomes, o => Assert.True(o.Accepted, o.Message));
        Assert.Equal(23, outcomes.Select(o => o.MessageId).Distinct().Count());
        var received = await ReceiveAllAsync(queueUrl, 23);
        Assert.Equal(messages.Select(m => Encoding.UTF8.GetString(m.Body.Span)).Order(), received.Select(m => m.Body).Order());
        Assert.All(received, m => Assert.Equal("2", m.MessageAttributes["retryGeneration"].StringValue));
        Assert.Contains(received, m => m.MessageAttributes["clusterName"].StringValue == "c17");
    }

    [Fact]
    public async Task SendAsync_DelaySeconds_KeepsTheMessageInvisibleUntilThen()
    {
        var queueUrl = await CreateQueueAsync();
        using var sender = new SqsBatchSender(moto.CreateAwsJsonClient(AwsService.Sqs));

        var outcome = Assert.Single(await sender.SendAsync(queueUrl, [new SqsOutgoingMessage("later"u8.ToArray(), 30, [])], CancellationToken.None));

        Assert.True(outcome.Accepted);
        using var sqs = moto.CreateSqsClient();
        var attributes = await sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed"]);
        Assert.Equal(0, attributes.ApproximateNumberOfMessages);
        Assert.Equal(1, attributes.ApproximateNumberOfMessagesDelayed);
    }

    [Fact]
    public async Task SendAsync_MessagesAboveTheBatchPayloadLimit_GoInSeveralRequests()
    {
        var queueUrl = await CreateQueueAsync();
        using var sender = new SqsBatchSender(moto.CreateAwsJsonClient(AwsService.Sqs));
        // Three of 400 KiB: two fit under 1 MiB together, the third goes in a second request.
        var messages = Enumerable.Range(0, 3).Select(i => new SqsOutgoingMessage(Encoding.UTF8.GetBytes(i + new string('x', 400 * 1024)), 0, [])).ToList();

        var outcomes = await sender.SendAsync(queueUrl, messages, CancellationToken.None);

        Assert.All(outcomes, o => Assert.True(o.Accepted, o.Message));
        Assert.Equal(3, (await ReceiveAllAsync(queueUrl, 3)).Count);
    }

    [Fact]
    public async Task SendAsync_MoreRequestsThanGoAtOnce_EveryOutcomeBelongsToItsMessage()
    {
        var queueUrl = await CreateQueueAsync();
        using var sender = new SqsBatchSender(moto.CreateAwsJsonClient(AwsService.Sqs));
        // 64 messages: seven requests, in two waves of at most four; each outcome must still name its own message.
        var messages = Enumerable.Range(0, 64).Select(i => new SqsOutgoingMessage(Encoding.UTF8.GetBytes(i + ":" + new string('m', 20 * 1024)), 0, [])).ToList();

        var outcomes = await sender.SendAsync(queueUrl, messages, CancellationToken.None);

        Assert.All(outcomes, o => Assert.True(o.Accepted, o.Message));
        var received = await ReceiveAllAsync(queueUrl, 64);
        var idsByBody = received.ToDictionary(m => m.Body, m => m.MessageId, StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            Assert.Equal(idsByBody[Encoding.UTF8.GetString(messages[i].Body.Span)], outcomes[i].MessageId);
        }
    }

    [Fact]
    public async Task SendAsync_QueueDoesNotExist_EveryEntryNotAcceptedWithSqsCode()
    {
        using var sender = new SqsBatchSender(moto.CreateAwsJsonClient(AwsService.Sqs));

        var outcomes = await sender.SendAsync(moto.Server.Endpoint + "123456789012/no-such-queue", [new SqsOutgoingMessage("a"u8.ToArray(), 0, []), new SqsOutgoingMessage("b"u8.ToArray(), 0, [])], CancellationToken.None);

        Assert.All(outcomes, o =>
        {
            Assert.False(o.Accepted);
            Assert.Equal("QueueDoesNotExist", o.Code);
            Assert.Contains("The specified queue does not exist", o.Message, StringComparison.Ordinal);
        });
    }

    private async Task<List<Message>> ReceiveAllAsync(string queueUrl, int expected)
    {
        using var sqs = moto.CreateSqsClient();
        var messages = new List<Message>();
        for (var attempt = 0; attempt < 40 && messages.Count < expected; attempt++)
        {
            var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, MessageAttributeNames = ["All"], WaitTimeSeconds = 1 });
            messages.AddRange(response.Messages ?? []);
        }

        return messages;
    }
}
