using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Functions.Runtime;
using Functions.Runtime.Events.Sqs;
using Functions.Runtime.Metrics;
using Functions.Runtime.Redelivery;
using IndexerFunction.Documents;
using IndexerFunction.Messages;
using IndexerFunction.Metrics;
using IndexerFunction.Serialization;
using IndexerFunction.Settings;
using Microsoft.Extensions.Logging;
using Shared.Aws;
using Shared.Contract;
using Shared.Contract.Queue;
using Shared.Logging;
using Shared.OpenSearch;
using Shared.OpenSearch.Failures;

namespace IndexerFunction.Handling;

/// <summary>
/// Handles one SQS batch: reads every message, builds one document per event, writes them in bulk, and
/// answers with <c>batchItemFailures</c> listing exactly the messages not fully indexed and not held.
/// A message not fully indexed only for transient reasons (the domain down or throttling, credentials
/// refused, the deadline reached: <see cref="FailureClassification"/>) is held through the outage by
/// <paramref name="hold"/>: a delayed copy goes back to the queue and the original counts as done. A
/// message with a permanent failure (a malformed body, an unusable event, a document OpenSearch refused)
/// is a batch item failure: it comes back and, after the queue's maxReceiveCount, goes to its dead-letter
/// queue. The other messages are deleted by the event source mapping. Nothing is acknowledged that was
/// neither stored nor safely re-queued.
/// </summary>
/// <param name="writer">The bulk writer.</param>
/// <param name="settings">The indexer's settings, as <see cref="IndexerSettings.Load"/> read them: the index prefix, the
/// cluster name for messages that carry none, the reasons the <c>WarningEvents</c> metric names.</param>
/// <param name="metricsOutput">Where the EMF line goes.</param>
/// <param name="time">The clock.</param>
/// <param name="logger">The log.</param>
/// <param name="hold">Holds messages that failed for transient reasons; null holds nothing (every failure is a
/// batch item failure), for hosts without a queue to send to.</param>
public sealed partial class SqsBatchHandler(
    IBulkWriter writer,
    IndexerSettings settings,
    LineWriter metricsOutput,
    TimeProvider time,
    ILogger<SqsBatchHandler> logger,
    OutageHold? hold = null) : ILambdaHandler
{
    // Reused by every invocation (Lambda runs one at a time per process): the documents of a batch are
    // written into it once and sliced, never copied again; the bookkeeping below keeps its capacity.
    private readonly ArrayBufferWriter<byte> _sources = new(1024 * 1024);
    private readonly SqsBatchReader _reader = new();
    private readonly QueueMessageReader _messages = new(new EventDocumentBuilder(settings.EventsIndex));

    // One document per (index, id): an event updated several times within a batch is written once, at
    // its newest version, on behalf of every message that carried a copy. A document's first carrier
    // is kept by position; the rare further ones in a list of (document, message).
    private readonly List<BulkItem> _items = [];
    private readonly List<int> _firstCarriers = [];
    private readonly List<(int Item, int Message)> _otherCarriers = [];
    // Keyed by id alone: a string key gets .NET's fast string hashing (randomized only if collisions pile up),
    // where a tuple of two strings is hashed with Marvin twice for every event. The same id in a second index
    // (an event that moved to another day's index) is the rare case, kept in the tuple-keyed map.
    private readonly Dictionary<string, int> _slots = [];
    private readonly Dictionary<(string Index, string Id), int> _slotsInOtherIndices = [];
    private readonly WarningEventCounter _warnings = new();
    private readonly ArrayBufferWriter<byte> _metricLines = new(2048);
    private readonly string _defaultClusterName = settings.Function.ClusterName;

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
            Attribute(r, QueueContract.ClusterNameAttribute, QueueContract.StringDataType),
            EventSourceArn: r.EventSourceArn,
            Retry: RetryState.Read(Attribute(r, QueueContract.RetryGenerationAttribute, QueueContract.NumberDataType), Attribute(r, QueueContract.RetryFirstFailedAtAttribute, QueueContract.StringDataType))))
            .ToList();
        return HandleAsync(records, context, cancellationToken);

        static string? Attribute(SQSEvent.SQSMessage message, string name, string type) =>
            message.MessageAttributes is { } attributes && attributes.TryGetValue(name, out var a) && QueueContract.HasDataType(a.DataType, type) ? a.StringValue : null;
    }

    /// <summary>Handles the records of one batch.</summary>
    public async Task<SQSBatchResponse> HandleAsync(IReadOnlyList<SqsRecord> records, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(context);
        _sources.ResetWrittenCount();

        // Per message: null while nothing failed, else the kind of what failed (any permanent failure makes the
        // message permanent) and the first reason, for the log and the hold.
        var failures = new FailureKind?[records.Count];
        var reasons = new string?[records.Count];
        var eventsReceived = 0;

        var items = _items;
        items.Clear();
        _firstCarriers.Clear();
        _otherCarriers.Clear();
        _slots.Clear();
        _slotsInOtherIndices.Clear();
        _warnings.Clear();
        for (var m = 0; m < records.Count; m++)
        {
            var record = records[m];
            if (record.BodyProblem is not null)
            {
                Fail(failures, reasons, m, FailureClassification.OfInput, record.BodyProblem);
                LogMalformed(logger, record.MessageId, record.BodyProblem);
                continue;
            }

            if (!_messages.TryRead(record.Body.Span, record.ClusterNameAttribute, _defaultClusterName, settings.WarningReasons, _sources, out var problem))
            {
                Fail(failures, reasons, m, FailureClassification.OfInput, problem!);
                LogMalformed(logger, record.MessageId, problem!);
                continue;
            }

            var events = _messages.Events;
            eventsReceived += events.Count;
            for (var position = 0; position < events.Count; position++)
            {
                var evt = events[position];
                if (evt.Item is null)
                {
                    Fail(failures, reasons, m, FailureClassification.OfInput, $"event {position}: {evt.Problem}");
                    LogBadEvent(logger, record.MessageId, position, evt.Problem!);
                }
                else
                {
                    Add(evt.Item, m, _warnings.Tag(evt.WarningReason, _messages.ClusterName));
                }
            }
        }

        var started = Stopwatch.GetTimestamp();
        var result = await writer.WriteAsync(items, hold is null ? context.Deadline : OutageHold.WorkDeadline(context.Deadline, context.RemainingTime), cancellationToken);
        var bulkElapsed = Stopwatch.GetElapsedTime(started);
        // The invocation's EMF records (the Warning events by reason, then the totals) go out as the lines of one write:
        // stdout is unbuffered, and each record written alone was a system call and a wake-up of Lambda's log collector.
        var metricLines = _metricLines;
        metricLines.ResetWrittenCount();
        var warnings = _warnings.Report(result.Outcomes, time, metricLines);
        try
        {
            var transientDocuments = 0;
            var firstTransient = -1;
            for (var i = 0; i < items.Count; i++)
            {
                var outcome = result.Outcomes[i];
                if (outcome.Failure is not { } kind)
                {
                    continue;
                }

                var carriers = Carriers(i);
                string? reason = null;
                foreach (var m in carriers)
                {
                    // A message keeps its first reason: during an outage thousands of documents fail, few messages.
                    failures[m] = FailureClassification.Merge(failures[m], kind);
                    reasons[m] ??= reason ??= $"{items[i].Index}/{items[i].Id} not stored ({outcome.Status}, HTTP {outcome.HttpStatus}{(outcome.ErrorType is null ? string.Empty : " " + outcome.ErrorType)}): {outcome.Reason}";
                }

                if (kind == FailureKind.Permanent)
                {
                    LogNotStored(logger, items[i].Index, items[i].Id, outcome.Status.ToString(), outcome.HttpStatus, outcome.ErrorType ?? "none", outcome.Reason ?? "none", string.Join(",", carriers.Select(m => records[m].MessageId)));
                }
                else
                {
                    // During an outage every document fails the same way: one line for all of them, not thousands.
                    transientDocuments++;
                    firstTransient = firstTransient < 0 ? i : firstTransient;
                }
            }

            if (transientDocuments > 0)
            {
                var first = result.Outcomes[firstTransient];
                LogNotStoredTransient(logger, transientDocuments, items[firstTransient].Index, items[firstTransient].Id, first.HttpStatus, first.Reason ?? "none");
            }

            var held = await HoldAsync(records, failures, reasons, context, cancellationToken);
            var response = new SQSBatchResponse();
            for (var m = 0; m < records.Count; m++)
            {
                if (failures[m] is not null && !held.Messages[m])
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
                .Count("MessagesRequeued", held.Requeued)
                .Count("MessagesPastHoldWindow", held.PastHoldWindow)
                .Milliseconds("BulkMilliseconds", bulkElapsed.TotalMilliseconds)
                .WriteTo(metricLines);
            metricLines.Write("\n"u8);
            // A batch stored whole is told by the EMF record above; its summary line would be a second write to stdout and
            // a second log event per invocation, so it is Debug. One with anything not stored, held or failed stays Information.
            var summaryLevel = result.FailedCount == 0 && held.Requeued == 0 && response.BatchItemFailures.Count == 0 ? LogLevel.Debug : LogLevel.Information;
            LogBatch(logger, summaryLevel, records.Count, eventsReceived, result.StoredCount, result.FailedCount, held.Requeued, response.BatchItemFailures.Count);
            return response;
        }
        finally
        {
            // Also when holding failed the invocation: the Warning events just stored would not count on a retry.
            if (metricLines.WrittenCount > 0)
            {
                metricsOutput.WriteLine(metricLines.WrittenSpan[..^1]);
            }
        }
    }

    private static void Fail(FailureKind?[] failures, string?[] reasons, int message, FailureKind kind, string reason)
    {
        failures[message] = FailureClassification.Merge(failures[message], kind);
        reasons[message] ??= reason;
    }

    /// <summary>Holds the messages whose failures are all transient; says which now have a copy on the queue.</summary>
    private async Task<(bool[] Messages, int Requeued, int PastHoldWindow)> HoldAsync(IReadOnlyList<SqsRecord> records, FailureKind?[] failures, string?[] reasons, ILambdaContext context, CancellationToken cancellationToken)
    {
        var held = new bool[records.Count];
        if (hold is null || !failures.Contains(FailureKind.Transient))
        {
            return (held, 0, 0);
        }

        var messages = new List<int>();
        var candidates = new List<HoldCandidate>();
        for (var m = 0; m < records.Count; m++)
        {
            if (failures[m] == FailureKind.Transient)
            {
                var record = records[m];
                // The copy keeps what the indexer reads from attributes: the cluster name of a bare Event or list.
                IReadOnlyList<SqsMessageAttribute> carried = record.ClusterNameAttribute is { } cluster
                    ? [new SqsMessageAttribute(QueueContract.ClusterNameAttribute, QueueContract.StringDataType, cluster)]
                    : [];
                messages.Add(m);
                candidates.Add(new HoldCandidate(record.MessageId, record.EventSourceArn, record.Body, carried, record.Retry, null, reasons[m]!));
            }
        }

        var result = await hold.HoldAsync(candidates, context.Deadline, cancellationToken);
        for (var k = 0; k < messages.Count; k++)
        {
            held[messages[k]] = result.Held[k];
        }

        return (held, result.Requeued, result.PastHoldWindow);
    }

    /// <summary>Adds the document carried by message <paramref name="message"/>, or keeps the newer copy of one already added.</summary>
    private void Add(BulkItem item, int message, int warningTag)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_slots, item.Id, out var seen);
        if (seen && !string.Equals(_items[slot].Index, item.Index, StringComparison.Ordinal))
        {
            slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_slotsInOtherIndices, (item.Index, item.Id), out seen);
        }

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

    [LoggerMessage(EventId = 403, Message = "Batch of {Messages} messages, {Events} events: {Stored} documents stored, {Failed} not stored, {Requeued} messages held (re-queued), {FailedMessages} messages reported as failed")]
    private static partial void LogBatch(ILogger logger, LogLevel level, int messages, int events, int stored, int failed, int requeued, int failedMessages);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "{Count} documents not stored for transient reasons; first {Index}/{Id} (HTTP {HttpStatus}): {Reason}")]
    private static partial void LogNotStoredTransient(ILogger logger, int count, string index, string id, int httpStatus, string reason);
}
