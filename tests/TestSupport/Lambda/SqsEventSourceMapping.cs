using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace TestSupport.Lambda;

/// <summary>
/// Lambda's SQS event source mapping, against a real queue (moto) and a function behind a
/// <see cref="RuntimeApiDouble"/>, following the documented behaviour:
/// <list type="bullet">
/// <item>pollers (one per unit of maximum concurrency) long-poll with ReceiveMessage (at most 10 a call)
/// and gather up to the batch size or until the batching window has passed since the first message;</item>
/// <item>the invocation's payload is the SQS event Lambda sends (<c>Records[]</c> with messageId,
/// receiptHandle, body, attributes incl. ApproximateReceiveCount, messageAttributes, md5OfBody,
/// eventSource <c>aws:sqs</c>, eventSourceARN, awsRegion);</item>
/// <item>with ReportBatchItemFailures, it deletes every message not named in <c>batchItemFailures</c>;
/// a failed or timed-out invocation, or a response naming an id not in the batch, deletes none;</item>
/// <item>messages not deleted come back after the visibility timeout; the queue's redrive policy (moto
/// applies it on receive, checked by the end-to-end tests) moves them to the DLQ after maxReceiveCount.</item>
/// </list>
/// </summary>
public sealed class SqsEventSourceMapping : IAsyncDisposable
{
    private readonly IAmazonSQS _sqs;
    private readonly RuntimeApiDouble _runtime;
    private readonly SqsEventSourceMappingOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pollers = [];
    private long _invocations;
    private long _invocationErrors;
    private long _received;
    private long _redeliveries;
    private long _deleted;
    private long _itemFailures;
    private long _lastActivityTicks = DateTime.UtcNow.Ticks;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _receivesByBody = new(StringComparer.Ordinal);

    /// <summary>Creates a mapping; <see cref="Start"/> begins polling.</summary>
    public SqsEventSourceMapping(IAmazonSQS sqs, RuntimeApiDouble runtime, SqsEventSourceMappingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSize > 10 && options.MaximumBatchingWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException("Lambda requires a batching window for a batch size above 10.", nameof(options));
        }

        _sqs = sqs;
        _runtime = runtime;
        _options = options;
    }

    /// <summary>Invocations made.</summary>
    public long Invocations => Interlocked.Read(ref _invocations);

    /// <summary>Invocations that failed as a whole (function error, timeout, unusable response).</summary>
    public long InvocationErrors => Interlocked.Read(ref _invocationErrors);

    /// <summary>Messages received (every receive of a message counts).</summary>
    public long MessagesReceived => Interlocked.Read(ref _received);

    /// <summary>Receives of a message that had been received before (ApproximateReceiveCount above 1).</summary>
    public long Redeliveries => Interlocked.Read(ref _redeliveries);

    /// <summary>Messages deleted after their invocation succeeded for them.</summary>
    public long MessagesDeleted => Interlocked.Read(ref _deleted);

    /// <summary>Messages the function listed in batchItemFailures.</summary>
    public long BatchItemFailures => Interlocked.Read(ref _itemFailures);

    /// <summary>
    /// Receives per message body (by its MD5), copies of a body included: how often the same content came back,
    /// which is what decides whether it would have reached the DLQ without being held.
    /// </summary>
    public IReadOnlyDictionary<string, int> ReceivesByBodyMd5 => _receivesByBody;

    /// <summary>When a message was last received.</summary>
    public DateTime LastReceiveUtc => new(Interlocked.Read(ref _lastActivityTicks), DateTimeKind.Utc);

    /// <summary>Starts the pollers.</summary>
    public void Start()
    {
        for (var i = 0; i < _options.MaxConcurrency; i++)
        {
            _pollers.Add(Task.Run(() => PollAsync(_stop.Token)));
        }
    }

    /// <summary>Stops polling and waits for invocations in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_pollers);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var batch = await GatherAsync(cancellationToken);
                if (batch.Count > 0)
                {
                    await InvokeAsync(batch, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (AmazonSQSException) when (!cancellationToken.IsCancellationRequested)
            {
                // Lambda's pollers back off and poll again; so does the emulator.
                await Task.Delay(200, cancellationToken);
            }
            catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private async Task<List<Message>> GatherAsync(CancellationToken cancellationToken)
    {
        var batch = new List<Message>();
        DateTime? windowEnds = null;
        while (batch.Count < _options.BatchSize)
        {
            var remaining = windowEnds is { } end ? end - DateTime.UtcNow : TimeSpan.FromSeconds(1);
            if (windowEnds is not null && remaining <= TimeSpan.Zero)
            {
                break;
            }

            var request = new ReceiveMessageRequest
            {
                QueueUrl = _options.QueueUrl,
                MaxNumberOfMessages = Math.Min(10, _options.BatchSize - batch.Count),
                // Long polling: an empty queue answers after the wait, not at once.
                WaitTimeSeconds = Math.Clamp((int)Math.Ceiling(remaining.TotalSeconds), windowEnds is null ? 1 : 0, 20),
                MessageSystemAttributeNames = ["All"],
                MessageAttributeNames = ["All"],
            };
            if (_options.VisibilityTimeout is { } visibility)
            {
                request.VisibilityTimeout = (int)visibility.TotalSeconds;
            }

            var response = await _sqs.ReceiveMessageAsync(request, cancellationToken);
            if (response.Messages is { Count: > 0 } messages)
            {
                Interlocked.Exchange(ref _lastActivityTicks, DateTime.UtcNow.Ticks);
                batch.AddRange(messages);
                windowEnds ??= DateTime.UtcNow + _options.MaximumBatchingWindow;
            }
            else if (batch.Count > 0 && _options.MaximumBatchingWindow <= TimeSpan.Zero)
            {
                break;
            }
        }

        Interlocked.Add(ref _received, batch.Count);
        foreach (var message in batch)
        {
            _receivesByBody.AddOrUpdate(message.MD5OfBody, 1, static (_, count) => count + 1);
        }

        Interlocked.Add(ref _redeliveries, batch.Count(m => ReceiveCount(m) > 1));
        return batch;
    }

    private async Task InvokeAsync(List<Message> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _invocations);
        var invocation = _runtime.InvokeAsync(Payload(batch), _options.FunctionTimeout);
        InvocationOutcome outcome;
        try
        {
            // Lambda ends an invocation at its timeout; a function that never answers is a failed invocation.
            outcome = await invocation.WaitAsync(_options.FunctionTimeout + TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (TimeoutException)
        {
            Interlocked.Increment(ref _invocationErrors);
            return;
        }

        var failed = FailedIds(outcome, batch);
        if (failed is null)
        {
            Interlocked.Increment(ref _invocationErrors);
            return;
        }

        Interlocked.Add(ref _itemFailures, failed.Count);
        var succeeded = batch.Where(m => !failed.Contains(m.MessageId)).ToList();
        foreach (var chunk in succeeded.Chunk(10))
        {
            var response = await _sqs.DeleteMessageBatchAsync(
                new DeleteMessageBatchRequest
                {
                    QueueUrl = _options.QueueUrl,
                    Entries = chunk.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle)).ToList(),
                },
                CancellationToken.None);
            Interlocked.Add(ref _deleted, response.Successful?.Count ?? 0);
        }
    }

    /// <summary>The ids to keep, or null when the whole batch counts as failed.</summary>
    private static HashSet<string>? FailedIds(InvocationOutcome outcome, List<Message> batch)
    {
        if (outcome.IsError)
        {
            return null;
        }

        var ids = batch.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var json = outcome.Json();
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("batchItemFailures", out var failures)
                || failures.ValueKind == JsonValueKind.Null)
            {
                // No batchItemFailures: Lambda treats the batch as a complete success.
                return failed;
            }

            foreach (var failure in failures.EnumerateArray())
            {
                // An empty, null or unknown identifier makes Lambda treat the whole batch as failed.
                if (!failure.TryGetProperty("itemIdentifier", out var id) || id.ValueKind != JsonValueKind.String || !ids.Contains(id.GetString()!))
                {
                    return null;
                }

                failed.Add(id.GetString()!);
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return failed;
    }

    private static int ReceiveCount(Message message) =>
        message.Attributes is { } attributes && attributes.TryGetValue("ApproximateReceiveCount", out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 1;

    private byte[] Payload(List<Message> batch)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Records");
            foreach (var message in batch)
            {
                writer.WriteStartObject();
                writer.WriteString("messageId", message.MessageId);
                writer.WriteString("receiptHandle", message.ReceiptHandle);
                writer.WriteString("body", message.Body);
                writer.WriteStartObject("attributes");
                foreach (var (name, value) in message.Attributes ?? [])
                {
                    writer.WriteString(name, value);
                }

                writer.WriteEndObject();
                writer.WriteStartObject("messageAttributes");
                foreach (var (name, value) in message.MessageAttributes ?? [])
                {
                    writer.WriteStartObject(name);
                    if (value.StringValue is not null)
                    {
                        writer.WriteString("stringValue", value.StringValue);
                    }

                    if (value.BinaryValue is not null)
                    {
                        writer.WriteString("binaryValue", Convert.ToBase64String(value.BinaryValue.ToArray()));
                    }

                    writer.WriteStartArray("stringListValues");
                    writer.WriteEndArray();
                    writer.WriteStartArray("binaryListValues");
                    writer.WriteEndArray();
                    writer.WriteString("dataType", value.DataType);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteString("md5OfBody", message.MD5OfBody);
                if (message.MD5OfMessageAttributes is not null)
                {
                    writer.WriteString("md5OfMessageAttributes", message.MD5OfMessageAttributes);
                }

                writer.WriteString("eventSource", "aws:sqs");
                writer.WriteString("eventSourceARN", _options.QueueArn);
                writer.WriteString("awsRegion", _options.Region);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
