using Collector.Packing;
using Collector.Sending;

namespace Benchmarks.Collector;

/// <summary>A sink that accepts instantly and signals when a number of events has been accepted.</summary>
public sealed class CountingSink(int expectedEvents) : IEnvelopeSink
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _events;

    public Task AllAccepted => _done.Task;

    public long Messages { get; private set; }

    public long Batches { get; private set; }

    public long Bytes { get; private set; }

    public Task<IReadOnlyList<SendFailure>> SendBatchAsync(IReadOnlyList<Envelope> batch, CancellationToken cancellationToken)
    {
        Batches++;
        foreach (var envelope in batch)
        {
            Messages++;
            Bytes += envelope.Body.Length;
            if (Interlocked.Add(ref _events, envelope.EventCount) >= expectedEvents)
            {
                _done.TrySetResult();
            }
        }

        return Task.FromResult<IReadOnlyList<SendFailure>>([]);
    }
}
