using System.Globalization;
using Amazon.SQS.Model;
using Functions.Runtime.Events.Sqs;
using Functions.Runtime.Redelivery;
using IndexerFunction.Handling;
using IndexerFunction.Settings;
using IndexerFunction.Tests.Handling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shared.Aws;
using Shared.Logging;
using Shared.OpenSearch;
using TestSupport.Lambda;
using TestSupport.Moto;
using TestSupport.OpenSearch;
using TestSupport.Settings;

namespace IndexerFunction.Tests.Reliability;

/// <summary>
/// The indexer through an outage of the domain, with its queue on moto: messages that failed only for transient
/// reasons go back to the queue as delayed copies and are not reported failed, so no receive count grows and no
/// good message reaches the DLQ; poison still is a batch item failure.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class DomainOutageTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private OpenSearchDouble _domain = null!;
    private HttpClient _http = null!;
    private SqsBatchSender _sender = null!;
    private string _queueUrl = null!;
    private string _queueArn = null!;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        _http = OpenSearchHttp.CreateClient();
        _sender = new SqsBatchSender(moto.CreateAwsJsonClient(AwsService.Sqs));
        using var sqs = moto.CreateSqsClient();
        _queueUrl = (await sqs.CreateQueueAsync("indexer-outage-" + Guid.NewGuid().ToString("N")[..8])).QueueUrl;
        _queueArn = (await sqs.GetQueueAttributesAsync(_queueUrl, ["QueueArn"])).QueueARN;
    }

    public async Task DisposeAsync()
    {
        _sender.Dispose();
        _http.Dispose();
        await _domain.DisposeAsync();
    }

    private SqsBatchHandler Handler(HoldPolicy? policy = null) => new(
        new OpenSearchBulkWriter(
            _http,
            new DoubleCredentialsSource(_domain),
            new BulkWriterOptions { RetryBackoff = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20)), DeadlineMargin = TimeSpan.FromMilliseconds(300) },
            TimeProvider.System,
            NullLogger<OpenSearchBulkWriter>.Instance),
        IndexerSettings.Load(FunctionSettingsFrom.Environment(("CLUSTER_NAME", "default-cluster"))),
        new LineWriter(Stream.Null),
        TimeProvider.System,
        NullLogger<SqsBatchHandler>.Instance,
        new OutageHold(_sender, policy ?? FunctionSettingsFrom.HoldPolicy(), null, _time, NullLogger<OutageHold>.Instance));

    private SQSEvent.SQSMessage Record(string id, string body, string? cluster = null, string? generation = null, DateTimeOffset? firstFailedAt = null, string? arn = null)
    {
        var attributes = new Dictionary<string, SQSEvent.MessageAttribute>();
        if (cluster is not null)
        {
            attributes["clusterName"] = new() { DataType = "String", StringValue = cluster };
        }

        if (generation is not null)
        {
            attributes["retryGeneration"] = new() { DataType = "Number", StringValue = generation };
            attributes["retryFirstFailedAt"] = new() { DataType = "String", StringValue = firstFailedAt!.Value.ToString("o", CultureInfo.InvariantCulture) };
        }

        return new SQSEvent.SQSMessage { MessageId = id, Body = body, MessageAttributes = attributes, EventSource = "aws:sqs", EventSourceArn = arn ?? _queueArn };
    }

    private Task<SQSBatchResponse> HandleAsync(SqsBatchHandler handler, params SQSEvent.SQSMessage[] records) =>
        handler.HandleAsync(new SQSEvent { Records = [.. records] }, new TestLambdaContext(TimeSpan.FromSeconds(10)), CancellationToken.None);

    private static IEnumerable<string> Failed(SQSBatchResponse response) => response.BatchItemFailures.Select(f => f.ItemIdentifier);

    [Fact]
    public async Task HandleAsync_DomainDown_ReportsNoFailureAndPutsEveryMessageBackDelayed()
    {
        _domain.Outage = BulkFault.ServiceUnavailable;

        var response = await HandleAsync(Handler(),
            Record("m0", SqsBatchHandlerTests.Envelope("prod", SqsBatchHandlerTests.Event("a", 1))),
            Record("m1", SqsBatchHandlerTests.Event("b", 1), cluster: "staging"),
            Record("m2", SqsBatchHandlerTests.Envelope("prod", SqsBatchHandlerTests.Event("c", 1), SqsBatchHandlerTests.Event("d", 1))));

        Assert.Empty(response.BatchItemFailures);
        using var sqs = moto.CreateSqsClient();
        var counts = await sqs.GetQueueAttributesAsync(_queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed"]);
        Assert.Equal(0, counts.ApproximateNumberOfMessages);
        Assert.Equal(3, counts.ApproximateNumberOfMessagesDelayed); // back in 30 s, the first delay
        Assert.Empty(_domain.Documents());
    }

    [Fact]
    public async Task HandleAsync_DomainDown_CopiesCarryTheBodyTheClusterAndTheirGeneration()
    {
        _domain.Outage = BulkFault.DropConnection;
        var bare = SqsBatchHandlerTests.Event("b", 7, message: "Back-off \\\"restarting\\\" é");

        await HandleAsync(Handler(FunctionSettingsFrom.HoldPolicy() with { FirstDelay = TimeSpan.Zero }), Record("m1", bare, cluster: "staging"));

        var copy = Assert.Single(await ReceiveAsync(1));
        Assert.Equal(bare, copy.Body);
        Assert.Equal("staging", copy.MessageAttributes["clusterName"].StringValue);
        Assert.Equal("1", copy.MessageAttributes["retryGeneration"].StringValue);
        Assert.Equal(_time.GetUtcNow(), DateTimeOffset.Parse(copy.MessageAttributes["retryFirstFailedAt"].StringValue, CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task HandleAsync_CopyWhenTheDomainIsBack_IsStoredUnderItsClusterAndNothingIsRequeued()
    {
        var response = await HandleAsync(Handler(), Record("copy", SqsBatchHandlerTests.Event("b", 7), cluster: "staging", generation: "12", firstFailedAt: _time.GetUtcNow() - TimeSpan.FromHours(5)));

        Assert.Empty(response.BatchItemFailures);
        Assert.Equal("staging", _domain.TryGet("eks-kubernetes-events-2024.06.01", "b")!.Source.GetProperty("clusterName").GetString());
        using var sqs = moto.CreateSqsClient();
        var counts = await sqs.GetQueueAttributesAsync(_queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed"]);
        Assert.Equal(0, counts.ApproximateNumberOfMessages + counts.ApproximateNumberOfMessagesDelayed);
    }

    [Fact]
    public async Task HandleAsync_PoisonDuringAnOutage_OnlyThePoisonIsABatchItemFailure()
    {
        _domain.Outage = BulkFault.ServiceUnavailable;

        var response = await HandleAsync(Handler(),
            Record("good", SqsBatchHandlerTests.Envelope("prod", SqsBatchHandlerTests.Event("a", 1))),
            Record("not-json", "this is not JSON {"),
            Record("no-uid", SqsBatchHandlerTests.Envelope("prod", SqsBatchHandlerTests.Event("b", 1), """{"kind":"Event","metadata":{"name":"x"}}""")));

        // The message with an unusable event is poison even though its good event failed only for the outage.
        Assert.Equal(["not-json", "no-uid"], Failed(response));
    }

    [Fact]
    public async Task HandleAsync_DocumentRefusedForGood_IsABatchItemFailureAndNotHeld()
    {
        _domain.RejectDocument = (_, doc) => doc.GetProperty("message").GetString() == "bad" ? "failed to parse field [message] of type [date]" : null;

        var response = await HandleAsync(Handler(),
            Record("ok", SqsBatchHandlerTests.Envelope("prod", SqsBatchHandlerTests.Event("a", 1))),
            Record("refused", SqsBatchHandlerTests.Envelope("prod", SqsBatchHandlerTests.Event("b", 1, message: "bad"))));

        Assert.Equal(["refused"], Failed(response));
        Assert.Empty(await ReceiveAsync(0));
    }

    [Fact]
    public async Task HandleAsync_FailingLongerThanTheHoldWindow_TakesTheNormalPathToTheDlq()
    {
        _domain.Outage = BulkFault.ServiceUnavailable;
        var now = _time.GetUtcNow();

        var response = await HandleAsync(Handler(),
            Record("old", SqsBatchHandlerTests.Event("a", 1), generation: "290", firstFailedAt: now - TimeSpan.FromHours(72) - TimeSpan.FromMinutes(1)),
            Record("young", SqsBatchHandlerTests.Event("b", 1), generation: "2", firstFailedAt: now - TimeSpan.FromMinutes(2)));

        Assert.Equal(["old"], Failed(response));
    }

    [Fact]
    public async Task HandleAsync_HoldWindowZero_HoldsNothing()
    {
        _domain.Outage = BulkFault.ServiceUnavailable;

        var response = await HandleAsync(Handler(FunctionSettingsFrom.HoldPolicy(("OUTAGE_HOLD_HOURS", "0"))), Record("m0", SqsBatchHandlerTests.Event("a", 1)));

        Assert.Equal(["m0"], Failed(response));
    }

    [Fact]
    public async Task HandleAsync_CopyCannotBeSent_StaysABatchItemFailure()
    {
        _domain.Outage = BulkFault.ServiceUnavailable;

        var response = await HandleAsync(Handler(), Record("m0", SqsBatchHandlerTests.Event("a", 1), arn: "arn:aws:sqs:us-east-1:123456789012:deleted-" + Guid.NewGuid().ToString("N")[..6]));

        Assert.Equal(["m0"], Failed(response));
    }

    [Fact]
    public async Task HandleAsync_PasswordStillWrongAfterRereading_IsHeldUntilItIsFixed()
    {
        var credentials = new DoubleCredentialsSource(_domain) { StoredPassword = "rotated-but-not-in-ssm-yet" };
        var handler = new SqsBatchHandler(
            new OpenSearchBulkWriter(_http, credentials, new BulkWriterOptions(), TimeProvider.System, NullLogger<OpenSearchBulkWriter>.Instance),
            IndexerSettings.Load(FunctionSettingsFrom.Environment(("CLUSTER_NAME", "c"))),
            new LineWriter(Stream.Null),
            TimeProvider.System,
            NullLogger<SqsBatchHandler>.Instance,
            new OutageHold(_sender, FunctionSettingsFrom.HoldPolicy(), null, _time, NullLogger<OutageHold>.Instance));

        var response = await HandleAsync(handler, Record("m0", SqsBatchHandlerTests.Event("a", 1)));

        Assert.Empty(response.BatchItemFailures);
        Assert.True(_domain.UnauthorizedRequests >= 2);
    }

    private async Task<List<Message>> ReceiveAsync(int expected)
    {
        using var sqs = moto.CreateSqsClient();
        var messages = new List<Message>();
        for (var attempt = 0; attempt < 5 && (messages.Count < expected || attempt == 0); attempt++)
        {
            var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = _queueUrl, MaxNumberOfMessages = 10, MessageAttributeNames = ["All"], WaitTimeSeconds = 1 });
            messages.AddRange(response.Messages ?? []);
        }

        return messages;
    }
}
