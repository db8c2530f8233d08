using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ControlPlaneLogsFunction.Documents;
using ControlPlaneLogsFunction.Parsing;
using ControlPlaneLogsFunction.Serialization;
using Functions.Core.Events.CloudWatchLogs;
using Functions.Core.Logging;
using Functions.Core.Metrics;
using Functions.Core.OpenSearch;
using Functions.Core.Runtime;
using Microsoft.Extensions.Logging;

namespace ControlPlaneLogsFunction.Handling;

/// <summary>
/// Handles one CloudWatch Logs subscription delivery: decode, one document per log event, bulk index,
/// re-index refused documents in their plain form, and fail the invocation if anything is still not
/// stored (SPEC 5: CloudWatch Logs invokes asynchronously, so only a failed invocation gets retried).
/// </summary>
public sealed partial class ControlPlaneLogsHandler : ILambdaHandler
{
    private readonly ControlPlaneDocumentBuilder _builder;
    private readonly IBulkWriter _writer;
    private readonly ControlPlaneOptions _options;
    private readonly TimeProvider _time;
    private readonly LineWriter _metrics;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    public ControlPlaneLogsHandler(ControlPlaneDocumentBuilder builder, IBulkWriter writer, ControlPlaneOptions options, TimeProvider time, LineWriter metrics, ILogger<ControlPlaneLogsHandler> logger)
    {
        _builder = builder;
        _writer = writer;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var counts = new Counts();
        try
        {
            var summary = await HandleAsync(payload, context, counts, cancellationToken);
            return JsonSerializer.SerializeToUtf8Bytes(summary, ControlPlaneJsonContext.Default.InvocationSummary);
        }
        catch (CloudWatchLogsDecodeException)
        {
            counts.InvalidPayloads = 1;
            throw;
        }
        finally
        {
            // Every invocation reports, failed ones too: the alarms watch DocumentsFailed.
            WriteMetrics(context.FunctionName, counts);
        }
    }

    private async Task<InvocationSummary> HandleAsync(ReadOnlyMemory<byte> eventJson, ILambdaContext context, Counts counts, CancellationToken cancellationToken)
    {
        var payload = Decode(eventJson, out var utf8Repaired);
        if (payload.MessageType == CloudWatchLogsPayload.ControlMessage)
        {
            // CloudWatch Logs sends this once when the subscription is created, to check that we answer.
            LogControlMessage(_logger, payload.LogGroup ?? string.Empty);
            return new InvocationSummary { MessageType = CloudWatchLogsPayload.ControlMessage };
        }

        var events = payload.LogEvents!;
        counts.Lines = events.Count;
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

        var result = await _writer.WriteAsync(items, context.Deadline, cancellationToken);
        counts.Retries += result.Retries;
        var outcomes = result.Outcomes.ToArray();

        // A refused document is indexed again in its plain form, which holds only fields the template
        // maps, so a mapping conflict in one parsed field never costs the raw line.
        var rejected = Enumerable.Range(0, outcomes.Length).Where(i => outcomes[i].Status == BulkItemStatus.Rejected).ToList();
        if (rejected.Count > 0)
        {
            var plain = rejected.Select(i => _builder.BuildPlain(documents[i].Source, documents[i].Event, Describe(outcomes[i]))).ToList();
            LogPlainFallback(_logger, rejected.Count, Describe(outcomes[rejected[0]]));
            var second = await _writer.WriteAsync(plain, context.Deadline, cancellationToken);
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
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i].IsStored)
            {
                counts.Indexed++;
                counts.PerType[(int)documents[i].Type]++;
            }
            else
            {
                counts.Failed++;
                firstFailure ??= $"document {documents[i].Item.Id} in {documents[i].Item.Index}: {Describe(outcomes[i])}";
            }
        }

        if (counts.Failed > 0)
        {
            LogNotStored(_logger, counts.Failed, outcomes.Length, firstFailure!);
            throw new ControlPlaneIndexingException(
                $"{counts.Failed} of {outcomes.Length} documents from {payload.LogGroup}/{payload.LogStream} were not stored; the invocation fails so that Lambda retries it. First: {firstFailure}");
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
        new EmfMetrics(functionName, _time)
            .Count("LogLines", counts.Lines)
            .Count("DocumentsIndexed", counts.Indexed)
            .Count("DocumentsFailed", counts.Failed)
            .Count("ParseErrors", counts.ParseErrors)
            .Count("PlainFallbacks", counts.PlainFallbacks)
            .Count("Retries", counts.Retries)
            .Count("InvalidPayloads", counts.InvalidPayloads)
            .WriteTo(_metrics);
        foreach (var type in LogStreamClassifier.All)
        {
            if (counts.PerType[(int)type] > 0)
            {
                new EmfMetrics(functionName, _time)
                    .Dimension("LogType", LogStreamClassifier.Name(type))
                    .Count("Documents", counts.PerType[(int)type])
                    .WriteTo(_metrics);
            }
        }
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

    [LoggerMessage(EventId = 504, Level = LogLevel.Error, Message = "{Failed} of {Total} documents were not stored; failing the invocation. First: {Reason}")]
    private static partial void LogNotStored(ILogger logger, int failed, int total, string reason);

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
    }
}
