using System.Threading.Channels;
using Collector.Kubernetes;
using Collector.Observability;
using Collector.Sending;
using Collector.Settings;
using Collector.Tests.Packing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Tests.Sending;

public sealed class EnvelopeSenderTests
{
    private static (EnvelopeSender Sender, Channel<ObservedEvent> Buffer, CollectorMetrics Metrics) Create(IEnvelopeSink sink, int capacity = 1000, int maxMessageBytes = 2048, TimeSpan? flush = null)
    {
        var settings = new CollectorSettings
        {
            ClusterName = "test",
            MaxMessageBytes = maxMessageBytes,
            FlushInterval = flush ?? TimeSpan.FromMilliseconds(50),
            SendBackoffMax = TimeSpan.FromMilliseconds(20),
        };
        var buffer = Channel.CreateBounded<ObservedEvent>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
        var metrics = new CollectorMetrics();
        var sender = new EnvelopeSender(buffer.Reader, sink, settings, metrics, new HealthState(TimeProvider.System, TimeSpan.FromMinutes(1)), TimeProvider.System, NullLogger.Instance);
        return (sender, buffer, metrics);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    [Fact]
    public async Task RunAsync_PartialBatchFailure_RetriesOnlyTheFailedEntries()
    {
        var sink = new RecordingSink();
        sink.FailOddEntriesOnce();
        var (sender, buffer, metrics) = Create(sink);
        for (var i = 0; i < 200; i++)
        {
            await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(i, new string('m', 200)));
        }

        buffer.Writer.Complete();
        await sender.RunAsync(CancellationToken.None);

        var uids = sink.Events.Select(e => e["metadata"]!["uid"]!.GetValue<string>()).ToList();
        Assert.Equal(200, uids.Count);
        Assert.Equal(200, uids.Distinct().Count());
        Assert.Equal(10, sink.BatchSizes[0]);
        Assert.Equal(5, sink.BatchSizes[1]);
        Assert.Equal(5, metrics.SendFailures.Value);
        Assert.Equal(200, metrics.EventsSent.Value);
    }

    [Fact]
    public async Task RunAsync_SinkDown_BufferFillsWriterWaitsAndNothingIsLostAfterRecovery()
    {
        var sink = new RecordingSink { Down = true };
        var (sender, buffer, metrics) = Create(sink, capacity: 50);
        var running = sender.RunAsync(CancellationToken.None);

        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(i));
            }

            buffer.Writer.Complete();
        });
        await WaitUntil(() => sink.Calls >= 3 && buffer.Reader.Count == 50);

        // Held back, not dropped: the writer cannot finish while the queue is down.
        Assert.False(writing.IsCompleted);
        Assert.Empty(sink.Accepted);
        // ...and /metrics shows the full buffer while the sender is stuck retrying (updated on each retry).
        await WaitUntil(() => metrics.BufferDepth.Value == 50);

        sink.Down = false;
        await writing.WaitAsync(TimeSpan.FromSeconds(20));
        await running.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => "uid-" + i), sink.Events.Select(e => e["metadata"]!["uid"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RunAsync_FewEvents_SentAfterTheFlushIntervalWithoutWaitingForMore()
    {
        var sink = new RecordingSink();
        var (sender, buffer, _) = Create(sink, maxMessageBytes: 65536, flush: TimeSpan.FromMilliseconds(100));
        var running = sender.RunAsync(CancellationToken.None);

        await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(1));
        await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(2));
        await WaitUntil(() => sink.Accepted.Count == 1);

        var envelope = Assert.Single(sink.Accepted);
        Assert.Equal(2, envelope.EventCount);
        buffer.Writer.Complete();
        await running.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task RunAsync_InputCompletedWithOpenMessage_FlushesItBeforeReturning()
    {
        var sink = new RecordingSink();
        var (sender, buffer, _) = Create(sink, maxMessageBytes: 65536, flush: TimeSpan.FromHours(1));
        var running = sender.RunAsync(CancellationToken.None);
        await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(7));

        buffer.Writer.Complete();
        await running.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("uid-7", Assert.Single(sink.Events)["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_LargeMessages_BatchStaysWithinOneMebibyte()
    {
        var sink = new RecordingSink();
        var (sender, buffer, _) = Create(sink, maxMessageBytes: 300 * 1024);
        for (var i = 0; i < 40; i++)
        {
            await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(i, new string('b', 200 * 1024)));
        }

        buffer.Writer.Complete();
        await sender.RunAsync(CancellationToken.None);

        Assert.Equal(40, sink.Events.Count);
        Assert.All(sink.BatchSizes, size => Assert.True(size <= 5, $"{size} messages of ~200 KiB in one batch"));
    }
}
