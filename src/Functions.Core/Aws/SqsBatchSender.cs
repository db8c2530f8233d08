using System.Buffers;

namespace Functions.Core.Aws;

/// <summary>
/// Sends messages to SQS with <c>SendMessageBatch</c> through an <see cref="AwsJsonClient"/>, as few requests as SQS
/// allows (ten entries and 1 MiB of payload each), the request written into one reused buffer. Nothing is retried
/// here: an entry SQS did not accept, or every entry of a request that failed as a whole, comes back as not
/// accepted with the reason, and the caller decides what becomes of it.
/// </summary>
public sealed class SqsBatchSender : IDisposable
{
    /// <summary>The most payload bytes (bodies and attributes) one request may carry.</summary>
    public const int MaxBatchPayloadBytes = 1024 * 1024;

    private readonly AwsJsonClient _client;
    private readonly SqsSendMessageBatchWriter _writer = new(new ArrayBufferWriter<byte>(64 * 1024));
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the sender; <paramref name="client"/> must be an SQS client.</summary>
    public SqsBatchSender(AwsJsonClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.Service != AwsService.Sqs)
        {
            throw new ArgumentException($"The client calls {client.Service}, not SQS.", nameof(client));
        }

        _client = client;
    }

    /// <summary>Sends <paramref name="messages"/> to <paramref name="queueUrl"/>; one outcome per message, in order.</summary>
    public async Task<SqsSendOutcome[]> SendAsync(string queueUrl, IReadOnlyList<SqsOutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        ArgumentNullException.ThrowIfNull(messages);
        var outcomes = new SqsSendOutcome[messages.Count];
        // One request at a time: the request buffer is shared.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var start = 0;
            while (start < messages.Count)
            {
                var batch = NextBatch(messages, start);
                var result = await SendBatchAsync(queueUrl, batch, cancellationToken);
                result.CopyTo(outcomes, start);
                start += batch.Count;
            }
        }
        finally
        {
            _gate.Release();
        }

        return outcomes;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _writer.Dispose();
        _gate.Dispose();
    }

    private static List<SqsOutgoingMessage> NextBatch(IReadOnlyList<SqsOutgoingMessage> messages, int start)
    {
        // SQS refuses a batch of more than ten entries or more than 1 MiB in total; a message of 1 MiB goes alone.
        var batch = new List<SqsOutgoingMessage>(SqsSendMessageBatchWriter.MaxEntries);
        var bytes = 0;
        for (var i = start; i < messages.Count && batch.Count < SqsSendMessageBatchWriter.MaxEntries; i++)
        {
            var size = messages[i].PayloadBytes;
            if (batch.Count > 0 && bytes + size > MaxBatchPayloadBytes)
            {
                break;
            }

            batch.Add(messages[i]);
            bytes += size;
        }

        return batch;
    }

    private async Task<SqsSendOutcome[]> SendBatchAsync(string queueUrl, List<SqsOutgoingMessage> batch, CancellationToken cancellationToken)
    {
        try
        {
            var request = _writer.Write(queueUrl, batch);
            return await _client.InvokeAsync("SendMessageBatch", request, json => SqsSendMessageBatchResult.Read(json, batch), cancellationToken);
        }
        catch (Exception ex) when (ex is AwsServiceException or HttpRequestException or ArgumentException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Refused as a whole, unreachable, timed out, or not sendable at all (a body that is not UTF-8): none of
            // these entries is on the queue.
            var code = ex is AwsServiceException aws ? aws.ErrorCode : ex.GetType().Name;
            return [.. batch.Select(_ => new SqsSendOutcome(false, null, code, ex.Message))];
        }
    }
}
