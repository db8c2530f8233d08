using Collector.Kubernetes;

namespace Benchmarks.Collector;

/// <summary>
/// An API server in memory: an empty list, then one watch that replays the prepared stream; later watches
/// stay open and silent until the run is stopped. No network, so the benchmark measures the collector.
/// </summary>
public sealed class InMemoryEventApi(byte[] stream) : IEventApi
{
    private readonly TaskCompletionSource _consumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _watches;

    /// <summary>Completes when the collector asks for the next watch: the prepared stream has been read to its end.</summary>
    public Task StreamConsumed => _consumed.Task;

    public Task<EventListPage> ListAsync(string? @namespace, int limit, string? continueToken, CancellationToken cancellationToken) =>
        Task.FromResult(new EventListPage { Items = [], ResourceVersion = "1", Continue = "" });

    public async Task<Stream> WatchAsync(string? @namespace, string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _watches) == 1)
        {
            return new MemoryStream(stream, writable: false);
        }

        _consumed.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new OperationCanceledException(cancellationToken);
    }
}
