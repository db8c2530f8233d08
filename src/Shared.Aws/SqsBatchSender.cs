using System.Buffers;

namespace Shared.Aws;

/// <summary>
/// Sends messages to SQS with <c>SendMessageBatch</c> through an <see cref="AwsJsonClient"/>, as few requests as SQS
/// allows (ten entries and 1 MiB of payload each), up to <see cref="Concurrency"/> of them at once, each written into
/// a reused buffer of its own. Nothing is retried here: an entry SQS did not accept, or every entry of a request that
/// failed as a whole, comes back as not accepted with the reason, and the caller decides what becomes of it.
/// </summary>
public sealed class SqsBatchSender : IDisposable
{
    /// <summary>The most payload bytes (bodies and attributes) one request may carry.</summary>
    public const int MaxBatchPayloadBytes = 1024 * 1024;

    /// <summary>
    /// Requests in flight at once. A batch of 64 messages of 64 KiB is five requests of 1 MiB; sent together they
    /// take the time of one, which matters when they must go out in the last seconds of an invocation.
    /// </summary>
    public const int Concurrency = 4;

    private readonly AwsJsonClient _client;
    private readonly SqsSendMessageBatchWriter[] _writers = [.. Enumerable.Range(0, Concurrency).Select(_ => new SqsSendMessageBatchWriter(new ArrayBufferWriter<byte>(64 * 1024)))];
    private readonly ArrayBufferWriter<byte>[] _answers = [.. Enumerable.Range(0, Concurrency).Select(_ => new ArrayBufferWriter<byte>(4096))];
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
        var batches = new List<(int Start, List<SqsOutgoingMessage> Messages)>();
        for (var start = 0; start < messages.Count; start += batches[^1].Messages.Count)
        {
            batches.Add((start, NextBatch(messages, start)));
        }

        // One call at a time: each of the call's requests in flight has one of the request buffers.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var wave in batches.Chunk(Concurrency))
            {
                var results = await Task.WhenAll(wave.Select((batch, k) => SendBatchAsync(_writers[k], _answers[k], queueUrl, batch.Messages, cancellationToken)));
                for (var k = 0; k < wave.Length; k++)
                {
                    results[k].CopyTo(outcomes, wave[k].Start);
                }
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
        foreach (var writer in _writers)
        {
            writer.Dispose();
        }

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

    private async Task<SqsSendOutcome[]> SendBatchAsync(SqsSendMessageBatchWriter writer, ArrayBufferWriter<byte> answer, string queueUrl, List<SqsOutgoingMessage> batch, CancellationToken cancellationToken)
    {
        try
        {
            var request = writer.Write(queueUrl, batch);
            return await _client.InvokeAsync("SendMessageBatch", queueUrl, request, answer, batch, static (json, sent) => SqsSendMessageBatchResult.Read(json, sent), cancellationToken);
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
