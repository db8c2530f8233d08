using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Functions.Core.Contract;
using Functions.Core.Events.Sqs;
using Functions.Core.Logging;
using Functions.Core.Metrics;
using Functions.Core.OpenSearch;
using Functions.Core.Queue;
using Functions.Core.Runtime;
using IndexerFunction.Documents;
using IndexerFunction.Messages;
using IndexerFunction.Metrics;
using Microsoft.Extensions.Logging;

namespace IndexerFunction;

/// <summary>
/// Handles one SQS batch: reads every message, builds one document per event, writes them in bulk,
/// and answers with <c>batchItemFailures</c> listing exactly the messages not fully indexed — a
/// malformed body, a document OpenSearch refused, or work the deadline left undone. The other messages
/// are deleted by the event source mapping; the listed ones come back and, after the queue's
/// maxReceiveCount, go to its dead-letter queue. Nothing is acknowledged that was not stored.
/// </summary>
public sealed partial class SqsBatchHandler(
    IBulkWriter writer,
    EventDocumentBuilder documents,
    string defaultClusterName,
    LineWriter metricsOutput,
    TimeProvider time,
    ILogger<SqsBatchHandler> logger) : ILambdaHandler
{
    // Reused by every invocation (Lambda runs one at a time per process): the documents of a batch are
    // written into it once and sliced, never copied again; the bookkeeping below keeps its capacity.
    private readonly ArrayBufferWriter<byte> _sources = new(1024 * 1024);
    private readonly SqsBatchReader _reader = new();

    // One document per (index, id): an event updated several times within a batch is written once, at
    // its newest version, on behalf of every message that carried a copy. A document's first carrier
    // is kept by position; the rare further ones in a list of (document, message).
    private readonly List<BulkItem> _items = [];
    private readonly List<int> _firstCarriers = [];
    private readonly List<(int Item, int Message)> _otherCarriers = [];
    private readonly Dictionary<(string Index, string Id), int> _slots = [];
    private readonly WarningEventCounter _warnings = new();

    /// <summary>The reasons the <c>WarningEvents</c> metric names (WARNING_METRIC_REASONS); the rest count as <c>Other</c>.</summary>
    public WarningReasons WarningReasons { get; init; } = WarningReasons.Default;

    /// <inheritdoc />
    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken cancellationToken)
    {
        var response = await HandleAsync(_reader.Read(payload.Span), context, cancellationToken);
        return JsonSerializer.SerializeToUtf8Bytes(response, IndexerJsonContext.Default.SQSBatchResponse);
    }

    /// <summary>Handles a deserialized batch (as tests and other hosts hold it).</summary>
    public Task<SQSBatchResponse> HandleAsync(SQSEvent batch, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var records = batch.Records.Select(r => new SqsRecord(
            r.MessageId,
            Encoding.UTF8.GetBytes(r.Body ?? string.Empty),
            r.MessageAttributes is { } attributes && attributes.TryGetValue(QueueContract.ClusterNameAttribute, out var a) && a.DataType?.StartsWith("String", StringComparison.Ordinal) == true ? a.StringValue : null))
            .ToList();
        return HandleAsync(records, context, cancellationToken);
    }

    /// <summary>Handles the records of one batch.</summary>
    public async Task<SQSBatchResponse> HandleAsync(IReadOnlyList<SqsRecord> records, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(context);
        _sources.ResetWrittenCount();
        var failed = new bool[records.Count];
        var eventsReceived = 0;

        var items = _items;
        items.Clear();
        _firstCarriers.Clear();
        _otherCarriers.Clear();
        _slots.Clear();
        _warnings.Clear();
        for (var m = 0; m < records.Count; m++)
        {
            var record = records[m];
            if (record.BodyProblem is not null)
            {
                failed[m] = true;
                LogMalformed(logger, record.MessageId, record.BodyProblem);
                continue;
            }

            using var message = QueueMessageReader.TryRead(record.Body, record.ClusterNameAttribute, defaultClusterName, out var problem);
            if (message is null)
            {
                failed[m] = true;
                LogMalformed(logger, record.MessageId, problem!);
                continue;
            }

            eventsReceived += message.Events.Count;
            var position = 0;
            foreach (var evt in message.Events)
            {
                var item = documents.TryBuild(evt, message.ClusterName, _sources, out var eventProblem);
                if (item is null)
                {
                    failed[m] = true;
                    LogBadEvent(logger, record.MessageId, position, eventProblem!);
                }
                else
                {
                    Add(item, m, _warnings.Tag(evt, message.ClusterName, WarningReasons));
                }

                position++;
            }
        }

        var started = Stopwatch.GetTimestamp();
        var result = await writer.WriteAsync(items, context.Deadline, cancellationToken);
        var bulkElapsed = Stopwatch.GetElapsedTime(started);
        var warnings = _warnings.Report(result.Outcomes, time, metricsOutput);
        for (var i = 0; i < items.Count; i++)
        {
            var outcome = result.Outcomes[i];
            if (outcome.IsStored)
            {
                continue;
            }

            var carriers = Carriers(i);
            foreach (var m in carriers)
            {
                failed[m] = true;
            }

            LogNotStored(logger, items[i].Index, items[i].Id, outcome.Status.ToString(), outcome.HttpStatus, outcome.ErrorType ?? "none", outcome.Reason ?? "none", string.Join(",", carriers.Select(m => records[m].MessageId)));
        }

        var response = new SQSBatchResponse();
        for (var m = 0; m < records.Count; m++)
        {
            if (failed[m])
            {
                response.BatchItemFailures.Add(new SQSBatchResponse.BatchItemFailure { ItemIdentifier = records[m].MessageId });
            }
        }

        new EmfMetrics(context.FunctionName, time)
            .Property("requestId", context.AwsRequestId)
            .Count("MessagesReceived", records.Count)
            .Count("MessagesFailed", response.BatchItemFailures.Count)
            .Count("EventsReceived", eventsReceived)
            .Count("DocumentsIndexed", result.StoredCount)
            .Count("DocumentsFailed", result.FailedCount)
            .Count("Retries", result.Retries)
            .Count(WarningMetric.MetricName, warnings)
            .Milliseconds("BulkMilliseconds", bulkElapsed.TotalMilliseconds)
            .WriteTo(metricsOutput);
        LogBatch(logger, records.Count, eventsReceived, result.StoredCount, result.FailedCount, response.BatchItemFailures.Count);
        return response;
    }

    /// <summary>Adds the document carried by message <paramref name="message"/>, or keeps the newer copy of one already added.</summary>
    private void Add(BulkItem item, int message, int warningTag)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_slots, (item.Index, item.Id), out var seen);
        if (!seen)
        {
            slot = _items.Count;
            _items.Add(item);
            _firstCarriers.Add(message);
            _warnings.Keep(slot, warningTag);
            return;
        }

        _otherCarriers.Add((slot, message));
        if ((item.ExternalVersion ?? long.MaxValue) >= (_items[slot].ExternalVersion ?? long.MinValue))
        {
            _items[slot] = item;
            _warnings.Keep(slot, warningTag);
        }
    }

    /// <summary>The messages that carried document <paramref name="item"/>, in batch order.</summary>
    private List<int> Carriers(int item)
    {
        var carriers = new List<int> { _firstCarriers[item] };
        foreach (var (other, message) in _otherCarriers)
        {
            if (other == item)
            {
                carriers.Add(message);
            }
        }

        return carriers;
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "Message {MessageId} is malformed and will be retried, then dead-lettered: {Problem}")]
    private static partial void LogMalformed(ILogger logger, string messageId, string problem);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "Message {MessageId}, event {Position}, cannot be indexed: {Problem}")]
    private static partial void LogBadEvent(ILogger logger, string messageId, int position, string problem);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Document {Index}/{Id} not stored ({Outcome}, HTTP {HttpStatus}, {ErrorType}): {Reason}; failing messages {MessageIds}")]
    private static partial void LogNotStored(ILogger logger, string index, string id, string outcome, int httpStatus, string errorType, string reason, string messageIds);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Batch of {Messages} messages, {Events} events: {Stored} documents stored, {Failed} not stored, {FailedMessages} messages reported as failed")]
    private static partial void LogBatch(ILogger logger, int messages, int events, int stored, int failed, int failedMessages);
}
