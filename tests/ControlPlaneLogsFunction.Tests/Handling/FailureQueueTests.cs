using System.Globalization;
using System.Text.Json;
using Amazon.SQS.Model;
using ControlPlaneLogsFunction.Documents;
using ControlPlaneLogsFunction.Handling;
using ControlPlaneLogsFunction.Tests.Samples;
using Functions.Runtime.Events.Sqs;
using Functions.Runtime.Redelivery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shared.Aws;
using Shared.OpenSearch;
using TestSupport.CloudWatchLogs;
using TestSupport.Lambda;
using TestSupport.Moto;
using TestSupport.OpenSearch;
using TestSupport.Settings;

namespace ControlPlaneLogsFunction.Tests.Handling;

/// <summary>
/// The function invoked by the event source mapping on its on-failure queue: each record's <c>requestPayload</c> is
/// handled as the delivery it is; transient failures are held (a delayed copy of the record back on the queue),
/// permanent ones are batch item failures. The queue is moto's.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class FailureQueueTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly RecordingLines _metrics = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private OpenSearchDouble _domain = null!;
    private SqsBatchSender _sender = null!;
    private string _queueUrl = null!;
    private string _queueArn = null!;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        _sender = new SqsBatchSender(moto.CreateAwsJsonClient(AwsService.Sqs));
        using var sqs = moto.CreateSqsClient();
        _queueUrl = (await sqs.CreateQueueAsync("control-plane-failed-" + Guid.NewGuid().ToString("N")[..8])).QueueUrl;
        _queueArn = (await sqs.GetQueueAttributesAsync(_queueUrl, ["QueueArn"])).QueueARN;
    }

    public async Task DisposeAsync()
    {
        _sender.Dispose();
        _metrics.Dispose();
        await _domain.DisposeAsync();
    }

    private ControlPlaneLogsHandler Handler(HoldPolicy? policy = null) => new(
        new ControlPlaneDocumentBuilder("eks-control-plane-logs", string.Empty),
        new OpenSearchBulkWriter(
            OpenSearchHttp.CreateClient(),
            new DoubleCredentialsSource(_domain),
            new BulkWriterOptions { RetryBackoff = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20)), DeadlineMargin = TimeSpan.FromMilliseconds(200), Templates = [ControlPlaneStartup.Template("eks-control-plane-logs")] },
            TimeProvider.System,
            NullLogger<OpenSearchBulkWriter>.Instance),
        new ControlPlaneOptions(),
        TimeProvider.System,
        _metrics.Writer,
        NullLogger<ControlPlaneLogsHandler>.Instance,
        new OutageHold(_sender, policy ?? FunctionSettingsFrom.HoldPolicy(), _queueUrl, _time, NullLogger<OutageHold>.Instance));

    private static byte[] Delivery(string stream, int lines) =>
        SubscriptionEvents.Event(SubscriptionEvents.Payload(stream, Enumerable.Range(0, lines).Select(i => ($"{stream}-{i}", SubscriptionEvents.Millis(2024, 3, 1, 10, 15, 30) + i, ControlPlaneLines.SchedulerStructured))));

    private SQSEvent.SQSMessage Record(string id, string body, string? generation = null, DateTimeOffset? firstFailedAt = null) => new()
    {
        MessageId = id,
        Body = body,
        EventSource = "aws:sqs",
        EventSourceArn = _queueArn,
        MessageAttributes = generation is null ? [] : new()
        {
            ["retryGeneration"] = new() { DataType = "Number", StringValue = generation },
            ["retryFirstFailedAt"] = new() { DataType = "String", StringValue = firstFailedAt!.Value.ToString("o", CultureInfo.InvariantCulture) },
        },
    };

    private string OnFailure(byte[] delivery, DateTimeOffset? at = null) => InvocationRecords.OnFailure(delivery, at ?? _time.GetUtcNow());

    private async Task<SQSBatchResponse> HandleAsync(ControlPlaneLogsHandler handler, params SQSEvent.SQSMessage[] records)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new SQSEvent { Records = [.. records] });
        var answer = await handler.HandleAsync(payload, new TestContext(TimeSpan.FromSeconds(20)), CancellationToken.None);
        return JsonSerializer.Deserialize<SQSBatchResponse>(answer)!;
    }

    private static IEnumerable<string> Failed(SQSBatchResponse response) => response.BatchItemFailures.Select(f => f.ItemIdentifier);

    [Fact]
    public async Task HandleAsync_RecordsOfFailedDeliveries_StoresEveryLineOfEachAndFailsNothing()
    {
        var response = await HandleAsync(Handler(),
            Record("r0", OnFailure(Delivery(ControlPlaneLines.SchedulerStream, 3))),
            Record("r1", InvocationRecords.OnFailure(Delivery(ControlPlaneLines.ApiServerStream, 2), _time.GetUtcNow(), condition: "EventAgeExceeded", invokeCount: 1)));

        Assert.Empty(response.BatchItemFailures);
        Assert.Equal(5, _domain.Documents("eks-control-plane-logs-*").Count);
        var queue = _metrics.Records().Single(r => r.ContainsKey("FailureQueueRecords"));
        Assert.Equal(2, (int)queue["FailureQueueRecords"]!);
        Assert.Equal(0, (int)queue["MessagesRequeued"]!);
        Assert.Equal(5, (int)_metrics.Records().Single(r => r.ContainsKey("LogLines"))["LogLines"]!);
    }

    [Fact]
    public async Task HandleAsync_DomainStillDown_EveryRecordGoesBackDelayedAndNothingFails()
    {
        _domain.Outage = BulkFault.ServiceUnavailable;

        var response = await HandleAsync(Handler(), Record("r0", OnFailure(Delivery(ControlPlaneLines.SchedulerStream, 3))), Record("r1", OnFailure(Delivery(ControlPlaneLines.ApiServerStream, 2))));

        Assert.Empty(response.BatchItemFailures);
        using var sqs = moto.CreateSqsClient();
        Assert.Equal(2, (await sqs.GetQueueAttributesAsync(_queueUrl, ["ApproximateNumberOfMessagesDelayed"])).ApproximateNumberOfMessagesDelayed);
        Assert.Equal(2, (int)_metrics.Records().Single(r => r.ContainsKey("FailureQueueRecords"))["MessagesRequeued"]!);
    }

    [Fact]
    public async Task HandleAsync_DomainStillDown_TheCopyIsTheSameRecordCountingFromItsTimestamp()
    {
        _domain.Outage = BulkFault.DropConnection;
        var recordedAt = _time.GetUtcNow() - TimeSpan.FromMinutes(3);
        var record = OnFailure(Delivery(ControlPlaneLines.SchedulerStream, 1), recordedAt);

        await HandleAsync(Handler(FunctionSettingsFrom.HoldPolicy() with { FirstDelay = TimeSpan.Zero }), Record("r0", record));

        using var sqs = moto.CreateSqsClient();
        var copy = Assert.Single((await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = _queueUrl, MessageAttributeNames = ["All"], WaitTimeSeconds = 2 })).Messages);
        Assert.Equal(record, copy.Body);
        Assert.Equal("1", copy.MessageAttributes["retryGeneration"].StringValue);
        Assert.Equal(recordedAt, DateTimeOffset.Parse(copy.MessageAttributes["retryFirstFailedAt"].StringValue, CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task HandleAsync_RecordOlderThanTheHoldWindow_IsABatchItemFailure()
    {
        _domain.Outage = BulkFault.ServiceUnavailable;
        var now = _time.GetUtcNow();

        var response = await HandleAsync(Handler(),
            Record("old", OnFailure(Delivery(ControlPlaneLines.SchedulerStream, 1), now - TimeSpan.FromHours(73))),
            Record("old-copy", OnFailure(Delivery(ControlPlaneLines.SchedulerStream, 1), now - TimeSpan.FromHours(1)), generation: "280", firstFailedAt: now - TimeSpan.FromHours(72.5)),
            Record("young", OnFailure(Delivery(ControlPlaneLines.SchedulerStream, 1), now - TimeSpan.FromHours(71))));

        Assert.Equal(["old", "old-copy"], Failed(response));
    }

    [Theory]
    [InlineData("not JSON at all")]
    [InlineData("{\"version\":\"1.0\",\"requestPayload\":{\"awslogs\":{\"data\":\"x\"}}}")] // no requestContext.condition
    [InlineData("{\"version\":\"1.0\",\"requestContext\":{\"condition\":\"RetriesExhausted\"},\"requestPayload\":\"text\"}")]
    [InlineData("{\"version\":\"1.0\",\"requestContext\":{\"condition\":\"RetriesExhausted\"},\"requestPayload\":{\"awslogs\":{\"data\":\"%%%\"}}}")]
    [InlineData("{\"version\":\"1.0\",\"requestContext\":{\"condition\":\"RetriesExhausted\"},\"requestPayload\":{\"awslogs\":[]}}")]
    public async Task HandleAsync_RecordThatCannotBeHandled_IsABatchItemFailureAndTheOthersAreStored(string body)
    {
        _time.SetUtcNow(DateTimeOffset.UtcNow);

        var response = await HandleAsync(Handler(), Record("bad", body), Record("good", OnFailure(Delivery(ControlPlaneLines.SchedulerStream, 2))));

        Assert.Equal(["bad"], Failed(response));
        Assert.Equal(2, _domain.Documents("eks-control-plane-logs-*").Count);
        Assert.Equal(1, (int)_metrics.Records().Single(r => r.ContainsKey("LogLines"))["InvalidPayloads"]!);
    }

    [Fact]
    public async Task HandleAsync_UndecodableDeliveryDuringAnOutage_IsStillABatchItemFailure()
    {
        _domain.Outage = BulkFault.ServiceUnavailable;

        var response = await HandleAsync(Handler(), Record("bad", OnFailure(SubscriptionEvents.EventWithData("bm90IGd6aXA="))), Record("good", OnFailure(Delivery(ControlPlaneLines.SchedulerStream, 2))));

        Assert.Equal(["bad"], Failed(response));
    }

    [Fact]
    public async Task HandleAsync_PlainFormRefusedToo_IsABatchItemFailureNotHeld()
    {
        _domain.RejectDocument = (_, _) => "everything is refused";

        var response = await HandleAsync(Handler(), Record("refused", OnFailure(Delivery(ControlPlaneLines.SchedulerStream, 1))));

        Assert.Equal(["refused"], Failed(response));
        using var sqs = moto.CreateSqsClient();
        var counts = await sqs.GetQueueAttributesAsync(_queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed"]);
        Assert.Equal(0, counts.ApproximateNumberOfMessages + counts.ApproximateNumberOfMessagesDelayed);
    }

    [Fact]
    public async Task HandleAsync_DirectDeliveryDuringAnOutage_StillFailsTheInvocationForLambdasRetries()
    {
        _domain.Outage = BulkFault.ServiceUnavailable;

        var error = await Assert.ThrowsAsync<ControlPlaneIndexingException>(() => Handler().HandleAsync(Delivery(ControlPlaneLines.SchedulerStream, 1), new TestContext(TimeSpan.FromSeconds(20)), CancellationToken.None));

        Assert.Equal(Shared.OpenSearch.Failures.FailureKind.Transient, error.Kind);
        Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
    }
}
