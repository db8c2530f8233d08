using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ControlPlaneLogsFunction.Documents;
using ControlPlaneLogsFunction.Parsing;
using ControlPlaneLogsFunction.Serialization;
using Functions.Runtime;
using Functions.Runtime.Events.CloudWatchLogs;
using Functions.Runtime.Events.Destinations;
using Functions.Runtime.Events.Sqs;
using Functions.Runtime.Metrics;
using Functions.Runtime.Redelivery;
using Microsoft.Extensions.Logging;
using Shared.Contract.Queue;
using Shared.Logging;
using Shared.OpenSearch;
using Shared.OpenSearch.Failures;

namespace ControlPlaneLogsFunction.Handling;

/// <summary>
/// Handles CloudWatch Logs subscription deliveries: decode, one document per log event, bulk index, re-index
/// refused documents in their plain form. It is invoked two ways:
/// <list type="bullet">
/// <item>by CloudWatch Logs, asynchronously, with one delivery: it fails the invocation if anything is still not
/// stored (docs/contract.md, "Packaging and invocation": only a failed invocation gets retried), so Lambda retries it twice and then sends an invocation
/// record holding the delivery to the on-failure queue;</item>
/// <item>by the event source mapping on that on-failure queue, with an SQS batch of those records: each record's
/// <c>requestPayload</c> is handled as the delivery it is. One whose lines could not all be stored for transient
/// reasons is held through the outage (<see cref="OutageHold"/>: a delayed copy of the record goes back to the
/// queue); one that cannot be decoded, or whose plain form OpenSearch refuses, is a batch item failure and reaches
/// that queue's dead-letter queue after its maxReceiveCount.</item>
/// </list>
/// </summary>
public sealed partial class ControlPlaneLogsHandler : ILambdaHandler
{
    private readonly ControlPlaneDocumentBuilder _builder;
    private readonly IBulkWriter _writer;
    private readonly ControlPlaneOptions _options;
    private readonly TimeProvider _time;
    private readonly LineWriter _metrics;
    private readonly ILogger _logger;
    private readonly OutageHold? _hold;

    // The invocation's EMF records, one per line, written to stdout with one call (see WriteMetrics). Reused: Lambda
    // hands the process one invocation at a time.
    private readonly ArrayBufferWriter<byte> _metricLines = new(1024);

    /// <summary>Creates the handler.</summary>
    /// <param name="builder">Builds the documents.</param>
    /// <param name="writer">The bulk writer.</param>
    /// <param name="options">Limits.</param>
    /// <param name="time">The clock.</param>
    /// <param name="metrics">Where the EMF lines go.</param>
    /// <param name="logger">The log.</param>
    /// <param name="hold">Holds on-failure records that failed again for transient reasons; null holds nothing (every
    /// failed record is a batch item failure), for hosts without a queue to send to.</param>
    public ControlPlaneLogsHandler(ControlPlaneDocumentBuilder builder, IBulkWriter writer, ControlPlaneOptions options, TimeProvider time, LineWriter metrics, ILogger<ControlPlaneLogsHandler> logger, OutageHold? hold = null)
    {
        _builder = builder;
        _writer = writer;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _hold = hold;
    }

    /// <inheritdoc />
    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var counts = new Counts();
        try
        {
            if (IsSqsEvent(payload.Span))
            {
                var response = await HandleFailureRecordsAsync(payload, context, counts, cancellationToken);
                return JsonSerializer.SerializeToUtf8Bytes(response, ControlPlaneJsonContext.Default.SQSBatchResponse);
            }

            var summary = await IndexAsync(payload, context.Deadline, counts, cancellationToken);
            return JsonSerializer.SerializeToUtf8Bytes(summary, ControlPlaneJsonContext.Default.InvocationSummary);
        }
        catch (CloudWatchLogsDecodeException)
        {
            counts.InvalidPayloads++;
            throw;
        }
        finally
        {
            // Every invocation reports, failed ones too: the alarms watch DocumentsFailed.
            WriteMetrics(context.FunctionName, counts);
        }
    }

    /// <summary>
    /// Handles a batch from the on-failure queue: every record is one delivery that failed all of Lambda's attempts
    /// (or a held copy of one). The answer lists the records that failed for good, or whose copy could not be sent.
    /// </summary>
    private async Task<SQSBatchResponse> HandleFailureRecordsAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, Counts counts, CancellationToken cancellationToken)
    {
        var batch = JsonSerializer.Deserialize(payload.Span, ControlPlaneJsonContext.Default.SQSEvent)
            ?? throw new JsonException("The invocation payload is an SQS event without records.");
        var records = batch.Records;
        counts.FailureQueue = new FailureQueueCounts { Records = records.Count };
        var failures = new FailureKind?[records.Count];
        var reasons = new string?[records.Count];
        var recordedAt = new DateTimeOffset?[records.Count];
        var workDeadline = _hold is null ? context.Deadline : OutageHold.WorkDeadline(context.Deadline, context.RemainingTime);
        for (var m = 0; m < records.Count; m++)
        {
            var record = records[m];
            try
            {
                var delivery = ReadInvocationRecord(record, out recordedAt[m]);
                await IndexAsync(delivery, workDeadline, counts, cancellationToken);
            }
            catch (CloudWatchLogsDecodeException ex)
            {
                counts.InvalidPayloads++;
                failures[m] = FailureClassification.OfInput;
                reasons[m] = ex.Message;
                LogUndecodableRecord(_logger, record.MessageId, ex.Message);
            }
            catch (ControlPlaneIndexingException ex)
            {
                failures[m] = ex.Kind;
                reasons[m] = ex.Message;
            }
        }

        var held = new bool[records.Count];
        if (_hold is not null && failures.Contains(FailureKind.Transient))
        {
            var positions = new List<int>();
            var candidates = new List<HoldCandidate>();
            for (var m = 0; m < records.Count; m++)
            {
                if (failures[m] == FailureKind.Transient)
                {
                    var record = records[m];
                    positions.Add(m);
                    // The hold window runs from the record's timestamp: when Lambda gave up on the delivery.
                    candidates.Add(new HoldCandidate(record.MessageId, record.EventSourceArn, Encoding.UTF8.GetBytes(record.Body ?? string.Empty), [], RetryOf(record), recordedAt[m], reasons[m]!));
                }
            }

            var result = await _hold.HoldAsync(candidates, context.Deadline, cancellationToken);
            for (var k = 0; k < positions.Count; k++)
            {
                held[positions[k]] = result.Held[k];
            }

            counts.FailureQueue.Requeued = result.Requeued;
            counts.FailureQueue.PastHoldWindow = result.PastHoldWindow;
        }

        var response = new SQSBatchResponse();
        for (var m = 0; m < records.Count; m++)
        {
            if (failures[m] is not null && !held[m])
            {
                response.BatchItemFailures.Add(new SQSBatchResponse.BatchItemFailure { ItemIdentifier = records[m].MessageId });
            }
        }

        counts.FailureQueue.Failed = response.BatchItemFailures.Count;
        return response;
    }

    /// <summary>The delivery inside an on-failure record, or a permanent failure saying why there is none.</summary>
    private byte[] ReadInvocationRecord(SQSEvent.SQSMessage message, out DateTimeOffset? recordedAt)
    {
        recordedAt = null;
        AsyncInvocationRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(message.Body ?? string.Empty, ControlPlaneJsonContext.Default.AsyncInvocationRecord);
        }
        catch (JsonException ex)
        {
            throw new CloudWatchLogsDecodeException($"The message is not an asynchronous invocation record: {ex.Message}", ex);
        }

        if (record?.RequestContext?.Condition is not { Length: > 0 } condition || record.RequestPayload is not { ValueKind: JsonValueKind.Object } request)
        {
            throw new CloudWatchLogsDecodeException("The message is not an asynchronous invocation record: it has no requestContext.condition or no requestPayload object.");
        }

        recordedAt = record.Timestamp;
        LogFailureRecord(_logger, message.MessageId, record.RequestContext.RequestId ?? string.Empty, condition, record.RequestContext.ApproximateInvokeCount, RetryOf(message).Generation);
        // The delivery's own bytes: the subscription path decodes them in place (an undecodable one fails for good).
        return Encoding.UTF8.GetBytes(request.GetRawText());
    }

    private static RetryState RetryOf(SQSEvent.SQSMessage message)
    {
        string? Attribute(string name, string type) =>
            message.MessageAttributes is { } attributes && attributes.TryGetValue(name, out var a) && QueueContract.HasDataType(a.DataType, type) ? a.StringValue : null;

        return RetryState.Read(Attribute(QueueContract.RetryGenerationAttribute, QueueContract.NumberDataType), Attribute(QueueContract.RetryFirstFailedAtAttribute, QueueContract.StringDataType));
    }

    /// <summary>True when the payload is an SQS event (<c>{"Records":[...]}</c>) rather than a subscription delivery.</summary>
    private static bool IsSqsEvent(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("Records"u8))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.StartArray;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the subscription path says what is wrong with it.
        }

        return false;
    }

    private async Task<InvocationSummary> IndexAsync(ReadOnlyMemory<byte> eventJson, DateTimeOffset deadline, Counts counts, CancellationToken cancellationToken)
    {
        var payload = Decode(eventJson, out var utf8Repaired);
        if (payload.MessageType == CloudWatchLogsPayload.ControlMessage)
        {
            // CloudWatch Logs sends this once when the subscription is created, to check that we answer.
            LogControlMessage(_logger, payload.LogGroup ?? string.Empty);
            return new InvocationSummary { MessageType = CloudWatchLogsPayload.ControlMessage };
        }

        var events = payload.LogEvents!;
        counts.Lines += events.Count;
        if (events.Count == 0)
        {
            LogNoEvents(_logger, payload.LogGroup ?? string.Empty, payload.LogStream ?? string.Empty);
            return new InvocationSummary { MessageType = CloudWatchLogsPayload.DataMessage };
        }

        var documents = new List<BuiltDocument>(events.Count);
        _builder.Build(payload, utf8Repaired, documents);
        foreach (var document in documents)
        {
            counts.ParseErrors += document.ParseError ? 1 : 0;
        }

        var items = new BulkItem[documents.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = documents[i].Item;
        }

        var result = await _writer.WriteAsync(items, deadline, cancellationToken);
        counts.Retries += result.Retries;
        var outcomes = result.Outcomes.ToArray();

        // A refused document is indexed again in its plain form, which holds only fields the template
        // maps, so a mapping conflict in one parsed field never costs the raw line.
        var rejected = Enumerable.Range(0, outcomes.Length).Where(i => outcomes[i].Status == BulkItemStatus.Rejected).ToList();
        if (rejected.Count > 0)
        {
            var plain = rejected.Select(i => _builder.BuildPlain(documents[i].Source, documents[i].Event, Describe(outcomes[i]))).ToList();
            LogPlainFallback(_logger, rejected.Count, Describe(outcomes[rejected[0]]));
            var second = await _writer.WriteAsync(plain, deadline, cancellationToken);
            counts.Retries += second.Retries;
            for (var k = 0; k < rejected.Count; k++)
            {
                var outcome = second.Outcomes[k];
                if (outcome.IsStored)
                {
                    counts.PlainFallbacks++;
                }

                // Keep the first refusal's reason in the failure message if the plain form was refused too.
                outcomes[rejected[k]] = outcome.IsStored ? outcome : outcome with { Reason = $"{outcome.Reason} (plain form; parsed form: {Describe(outcomes[rejected[k]])})" };
            }
        }

        string? firstFailure = null;
        FailureKind? kind = null;
        var failed = 0;
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i].Failure is { } failure)
            {
                failed++;
                kind = FailureClassification.Merge(kind, failure);
                firstFailure ??= $"document {documents[i].Item.Id} in {documents[i].Item.Index}: {Describe(outcomes[i])}";
            }
            else
            {
                counts.Indexed++;
                counts.PerType[(int)documents[i].Type]++;
            }
        }

        if (failed > 0)
        {
            counts.Failed += failed;
            LogNotStored(_logger, failed, outcomes.Length, kind!.Value.ToString(), firstFailure!);
            throw new ControlPlaneIndexingException(
                $"{failed} of {outcomes.Length} documents from {payload.LogGroup}/{payload.LogStream} were not stored ({kind.Value.ToString().ToLowerInvariant()}); the delivery fails so that it is tried again. First: {firstFailure}",
                kind.Value);
        }

        return new InvocationSummary
        {
            MessageType = CloudWatchLogsPayload.DataMessage,
            LogEvents = events.Count,
            DocumentsIndexed = counts.Indexed,
            ParseErrors = counts.ParseErrors,
            PlainFallbacks = counts.PlainFallbacks,
            Retries = counts.Retries,
        };
    }

    private CloudWatchLogsPayload Decode(ReadOnlyMemory<byte> eventJson, out bool utf8Repaired)
    {
        // The inflated JSON's buffer goes back to the pool when this method returns: the payload read below
        // keeps nothing of it.
        using var inflated = CloudWatchLogsDecoder.DecodeEvent(eventJson.Span, _options.MaxDecompressedBytes);
        var json = inflated.Json;
        utf8Repaired = false;
        if (!Utf8.IsValid(json.Span))
        {
            // A producer wrote bytes that are not UTF-8. Failing would send every line of the batch to the
            // on-failure destination for one bad byte; instead the bytes become U+FFFD and the lines
            // affected are marked invalid_utf8, while @message keeps everything else.
            json = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json.Span));
            utf8Repaired = true;
            LogInvalidUtf8(_logger);
        }

        CloudWatchLogsPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(json.Span, ControlPlaneJsonContext.Default.CloudWatchLogsPayload);
        }
        catch (JsonException ex)
        {
            throw new CloudWatchLogsDecodeException($"awslogs.data does not hold a subscription payload: {ex.Message}", ex);
        }

        if (payload is null || payload.MessageType is null)
        {
            throw new CloudWatchLogsDecodeException("awslogs.data does not hold a subscription payload: it has no messageType.");
        }

        if (payload.MessageType == CloudWatchLogsPayload.ControlMessage)
        {
            return payload;
        }

        if (payload.MessageType != CloudWatchLogsPayload.DataMessage)
        {
            throw new CloudWatchLogsDecodeException($"awslogs.data has messageType '{payload.MessageType}'; expected DATA_MESSAGE or CONTROL_MESSAGE.");
        }

        if (payload.LogEvents is null)
        {
            throw new CloudWatchLogsDecodeException("awslogs.data is a DATA_MESSAGE without logEvents.");
        }

        for (var i = 0; i < payload.LogEvents.Count; i++)
        {
            // The id is the document's _id, what makes a retried delivery harmless; without it there is no safe write.
            if (payload.LogEvents[i] is not { Id.Length: > 0 })
            {
                throw new CloudWatchLogsDecodeException($"awslogs.data logEvents[{i}] has no id.");
            }
        }

        return payload;
    }

    private void WriteMetrics(string functionName, Counts counts)
    {
        // All records in one write, each on its own line (Lambda makes each line a CloudWatch Logs event, so EMF
        // reads them as separate records): stdout is unbuffered, and a write per record was a system call and a
        // wake-up of Lambda's log collector per record, twice per delivery of one stream.
        var lines = _metricLines;
        lines.ResetWrittenCount();
        new EmfMetrics(functionName, _time)
            .Count("LogLines", counts.Lines)
            .Count("DocumentsIndexed", counts.Indexed)
            .Count("DocumentsFailed", counts.Failed)
            .Count("ParseErrors", counts.ParseErrors)
            .Count("PlainFallbacks", counts.PlainFallbacks)
            .Count("Retries", counts.Retries)
            .Count("InvalidPayloads", counts.InvalidPayloads)
            .WriteTo(lines);
        if (counts.FailureQueue is { } queue)
        {
            // Only invocations from the on-failure queue report these: deliveries that failed Lambda's attempts.
            lines.Write("\n"u8);
            new EmfMetrics(functionName, _time)
                .Count("FailureQueueRecords", queue.Records)
                .Count("MessagesRequeued", queue.Requeued)
                .Count("MessagesPastHoldWindow", queue.PastHoldWindow)
                .Count("MessagesFailed", queue.Failed)
                .WriteTo(lines);
        }

        foreach (var type in LogStreamClassifier.All)
        {
            if (counts.PerType[(int)type] > 0)
            {
                lines.Write("\n"u8);
                new EmfMetrics(functionName, _time)
                    .Dimension("LogType", LogStreamClassifier.Name(type))
                    .Count("Documents", counts.PerType[(int)type])
                    .WriteTo(lines);
            }
        }

        _metrics.WriteLine(lines);
    }

    private static string Describe(BulkItemOutcome outcome) =>
        outcome.ErrorType is null
            ? $"HTTP {outcome.HttpStatus}: {outcome.Reason}"
            : $"HTTP {outcome.HttpStatus} {outcome.ErrorType}: {outcome.Reason}";

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "CONTROL_MESSAGE for log group {LogGroup}: nothing to index")]
    private static partial void LogControlMessage(ILogger logger, string logGroup);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "DATA_MESSAGE for {LogGroup}/{LogStream} has no log events: nothing to index")]
    private static partial void LogNoEvents(ILogger logger, string logGroup, string logStream);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "The payload is not valid UTF-8; invalid bytes were replaced with U+FFFD and the lines marked invalid_utf8")]
    private static partial void LogInvalidUtf8(ILogger logger);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "OpenSearch refused {Count} documents; indexing them again in plain form. First reason: {Reason}")]
    private static partial void LogPlainFallback(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 504, Level = LogLevel.Error, Message = "{Failed} of {Total} documents were not stored ({Kind}); failing the delivery. First: {Reason}")]
    private static partial void LogNotStored(ILogger logger, int failed, int total, string kind, string reason);

    [LoggerMessage(EventId = 505, Level = LogLevel.Information, Message = "Message {MessageId} from the on-failure queue: delivery of request {RequestId} ({Condition} after {InvokeCount} attempts), held copy generation {Generation}")]
    private static partial void LogFailureRecord(ILogger logger, string messageId, string requestId, string condition, int invokeCount, int generation);

    [LoggerMessage(EventId = 506, Level = LogLevel.Error, Message = "Message {MessageId} from the on-failure queue cannot be handled and will be dead-lettered: {Problem}")]
    private static partial void LogUndecodableRecord(ILogger logger, string messageId, string problem);

    /// <summary>What one invocation counted, for the EMF line.</summary>
    private sealed class Counts
    {
        public int Lines { get; set; }

        public int Indexed { get; set; }

        public int Failed { get; set; }

        public int ParseErrors { get; set; }

        public int PlainFallbacks { get; set; }

        public int Retries { get; set; }

        public int InvalidPayloads { get; set; }

        public int[] PerType { get; } = new int[LogStreamClassifier.All.Count];

        public FailureQueueCounts? FailureQueue { get; set; }
    }

    /// <summary>What an invocation from the on-failure queue did with its records.</summary>
    private sealed class FailureQueueCounts
    {
        public int Records { get; init; }

        public int Requeued { get; set; }

        public int PastHoldWindow { get; set; }

        public int Failed { get; set; }
    }
}
