using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Collector.Packing;
using Collector.Sending;

namespace Collector.Tests.Sending;

/// <summary>
/// An in-memory sink that records what it accepted and can be told to fail: whole calls (an outage) or
/// chosen entries (a partial SendMessageBatch failure, which moto does not produce on demand).
/// </summary>
internal sealed class RecordingSink : IEnvelopeSink
{
    private readonly ConcurrentQueue<Envelope> _accepted = new();
    private readonly ConcurrentQueue<DateTimeOffset> _acceptedAt = new();
    private readonly ConcurrentQueue<int> _batchSizes = new();
    private int _failNextEntries;

    /// <summary>While true, every call throws as if the queue endpoint were unreachable.</summary>
    public volatile bool Down;

    public IReadOnlyList<Envelope> Accepted => [.. _accepted];

    /// <summary>When each of <see cref="Accepted"/> was accepted, by <see cref="Clock"/>.</summary>
    public IReadOnlyList<DateTimeOffset> AcceptedAt => [.. _acceptedAt];

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public IReadOnlyList<int> BatchSizes => [.. _batchSizes];

    public int Calls;

    /// <summary>The next call rejects its entries at odd indexes, once.</summary>
    public void FailOddEntriesOnce() => Interlocked.Exchange(ref _failNextEntries, 1);

    public IReadOnlyList<JsonNode> Events => Accepted.SelectMany(e => JsonNode.Parse(e.Body.Span)!["events"]!.AsArray()).Select(e => e!).ToList();

    public Task<IReadOnlyList<SendFailure>> SendBatchAsync(IReadOnlyList<Envelope> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        _batchSizes.Enqueue(batch.Count);
        if (Down)
        {
            throw new HttpRequestException("Connection refused (127.0.0.1:1)");
        }

        var failOdd = Interlocked.Exchange(ref _failNextEntries, 0) == 1;
        var failures = new List<SendFailure>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (failOdd && i % 2 == 1)
            {
                failures.Add(new SendFailure(i, "InternalError", "simulated per-entry failure"));
            }
            else
            {
                _acceptedAt.Enqueue(Clock.GetUtcNow());
                _accepted.Enqueue(batch[i]);
            }
        }

        return Task.FromResult<IReadOnlyList<SendFailure>>(failures);
    }
}
