using System.Threading.Channels;
using Collector.Filtering;
using Collector.Kubernetes;
using Collector.Observability;
using Collector.Sending;
using Collector.Settings;
using Microsoft.Extensions.Logging;

namespace Collector.Hosting;

/// <summary>
/// Watch → bounded buffer → sender, for one leadership term (or the life of the process without leader
/// election). Stopping is ordered so that nothing accepted is lost: the watches stop first, the buffer is
/// completed, and the sender drains it and flushes before this returns.
/// </summary>
public sealed class CollectorPipeline(
    IEventApi api,
    IEnvelopeSink sink,
    CollectorSettings settings,
    CollectorMetrics metrics,
    HealthState health,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly SeenVersions _seen = new(settings.DedupCapacity);

    /// <summary>
    /// Runs until <paramref name="stopToken"/> (graceful: flush) or <paramref name="abortToken"/> (deadline:
    /// give up). Throws when a part fails in a way it cannot recover from, so that the host stops.
    /// </summary>
    public async Task RunAsync(CancellationToken stopToken, CancellationToken abortToken)
    {
        // The buffer is the memory bound: when full, writers wait (FullMode.Wait) rather than drop.
        var buffer = Channel.CreateBounded<ObservedEvent>(new BoundedChannelOptions(settings.BufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = settings.Namespaces.Count <= 1,
        });
        metrics.BufferCapacity.Set(settings.BufferCapacity);
        var filter = new EventFilter(settings);
        var sender = new EnvelopeSender(buffer.Reader, sink, settings, metrics, health, time, loggers.CreateLogger<EnvelopeSender>());
        var namespaces = settings.Namespaces.Count == 0 ? [null] : settings.Namespaces.Select(n => (string?)n).ToList();
        var listsPending = namespaces.Count;

        using var watchStop = CancellationTokenSource.CreateLinkedTokenSource(stopToken, abortToken);
        health.WatchStarted(namespaces);
        var watchers = namespaces
            .Select(ns => new EventWatcher(api, ns, filter, _seen, settings, metrics, health, time, loggers.CreateLogger<EventWatcher>()))
            .Select(w => Task.Run(() => w.RunAsync(buffer.Writer, () =>
            {
                if (Interlocked.Decrement(ref listsPending) == 0)
                {
                    health.InitialListCompleted();
                }
            }, watchStop.Token), CancellationToken.None))
            .ToList();
        var watching = Task.WhenAll(watchers);
        var sending = Task.Run(() => sender.RunAsync(abortToken), CancellationToken.None);

        try
        {
            if (await Task.WhenAny(watching, sending).ConfigureAwait(false) == sending)
            {
                // The sender only returns early by failing (or by the abort deadline): stop the watches.
                await watchStop.CancelAsync().ConfigureAwait(false);
                await sending.ConfigureAwait(false);
                await watching.ConfigureAwait(false);
                return;
            }

            // Watches returned: on stop, or because one failed. Either way, drain what is buffered.
            Log.Flushing(loggers.CreateLogger<CollectorPipeline>(), buffer.Reader.Count);
            buffer.Writer.TryComplete();
            await sending.ConfigureAwait(false);
            await watching.ConfigureAwait(false);
        }
        finally
        {
            health.WatchStopped();
            buffer.Writer.TryComplete();
        }
    }
}
