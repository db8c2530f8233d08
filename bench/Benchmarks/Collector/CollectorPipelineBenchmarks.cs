using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Collector.Hosting;
using Collector.Kubernetes;
using Collector.Observability;
using Collector.Packing;
using Collector.Settings;
using Microsoft.Extensions.Logging.Abstractions;

namespace Benchmarks.Collector;

/// <summary>
/// Watch stream → parse → filter/de-duplicate → bounded buffer → pack (64 KiB envelopes) → batches of ten,
/// against a sink that accepts instantly, pinned to one core. Target: ≥ 20,000 events/s
/// (docs/performance.md). Time is per event (OperationsPerInvoke), so events/s = 1e9 / Mean(ns).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OneCore))]
public class CollectorPipelineBenchmarks
{
    private const int Events = 20_000;
    private byte[] _stream = null!;

    [GlobalSetup]
    public void Setup()
    {
        _stream = WatchStreamSample.Lines(Events);
        Console.WriteLine($"// watch stream: {Events} events, {_stream.Length / 1024} KiB");
    }

    /// <summary>
    /// The whole collector pipeline as the host runs it (watch task, buffer, sender task): the stream is read
    /// to its end, then the pipeline is stopped, which drains the buffer and flushes the last message (so
    /// the flush interval does not count).
    /// </summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task Pipeline()
    {
        var sink = new CountingSink(Events);
        var api = new InMemoryEventApi(_stream);
        var settings = new CollectorSettings { ClusterName = "bench" };
        var pipeline = new CollectorPipeline(api, sink, settings, new CollectorMetrics(), new HealthState(TimeProvider.System, settings.HealthStallTimeout), TimeProvider.System, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var running = pipeline.RunAsync(stop.Token, CancellationToken.None);
        await api.StreamConsumed;
        await stop.CancelAsync();
        await running;
        if (!sink.AllAccepted.IsCompleted)
        {
            throw new InvalidOperationException("Not every event reached the sink.");
        }
    }

    /// <summary>Only parsing and packing, synchronously: the CPU floor of the hot path.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int ParseAndPack()
    {
        var packer = new EnvelopePacker("bench", 64 * 1024);
        var messages = new List<Envelope>();
        var span = _stream.AsSpan();
        while (span.Length > 0)
        {
            var end = span.IndexOf((byte)'\n');
            packer.Add(EventJson.ParseWatchLine(span[..end]).Event!, messages);
            span = span[(end + 1)..];
        }

        packer.Flush(messages);
        return messages.Count;
    }

    private sealed class OneCore : ManualConfig
    {
        public OneCore() => AddJob(Job.Default.WithAffinity(1).WithWarmupCount(3).WithIterationCount(10));
    }
}
