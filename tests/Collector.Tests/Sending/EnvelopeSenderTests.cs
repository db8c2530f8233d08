using System.Text;
using System.Threading.Channels;
using Collector.Kubernetes;
using Collector.Observability;
using Collector.Sending;
using Collector.Settings;
using Collector.Tests.Packing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Collector.Tests.Sending;

/// <summary>
/// The sender on fake time: flush intervals, retry backoffs and heartbeats happen when a test moves the clock,
/// and the clock is moved only while the sender is parked in its wait (<see cref="ObservedTimeProvider"/>).
/// </summary>
public sealed class EnvelopeSenderTests
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider _fake = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly CollectorMetrics _metrics = new();
    private readonly ObservedTimeProvider _time;
    private readonly HealthState _health;

    public EnvelopeSenderTests()
    {
        _time = new ObservedTimeProvider(_fake);
        _health = new HealthState(_time, StallTimeout);
    }

    private (EnvelopeSender Sender, Channel<ObservedEvent> Buffer) Create(
        IEnvelopeSink sink,
        int capacity = 1000,
        int maxMessageBytes = 2048,
        TimeSpan? flush = null,
        TimeSpan? heartbeat = null,
        TimeSpan? backoffMax = null)
    {
        var settings = new CollectorSettings
        {
            ClusterName = "test",
            MaxMessageBytes = maxMessageBytes,
            FlushInterval = flush ?? TimeSpan.FromMilliseconds(50),
            SendBackoffMax = backoffMax ?? TimeSpan.FromMilliseconds(20),
            HeartbeatInterval = heartbeat ?? TimeSpan.Zero,
        };
        var buffer = Channel.CreateBounded<ObservedEvent>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
        var sender = new EnvelopeSender(buffer.Reader, sink, settings, _metrics, _health, _time, NullLogger.Instance);
        return (sender, buffer);
    }

    private DateTimeOffset Now => _fake.GetUtcNow();

    /// <summary>Polls <paramref name="condition"/>; retry backoffs the sender waits in meanwhile are skipped on the fake clock.</summary>
    private Task UntilSkippingBackoffs(Func<bool> condition, string what) => Eventually.TrueAsync(
        () =>
        {
            if (condition())
            {
                return true;
            }

            if (_time.PendingDelays is [var backoff, ..])
            {
                _fake.Advance(backoff);
            }

            return false;
        },
        what);

    /// <summary>Waits until the sender is parked in one timed wait (flush, backoff or heartbeat).</summary>
    private Task Parked(string what) => Eventually.TrueAsync(() => _time.PendingDelays.Count == 1, "the sender to wait: " + what);

    [Fact]
    public async Task RunAsync_PartialBatchFailure_RetriesOnlyTheFailedEntries()
    {
        var sink = new RecordingSink();
        sink.FailOddEntriesOnce();
        var (sender, buffer) = Create(sink);
        for (var i = 0; i < 200; i++)
        {
            await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(i, new string('m', 200)));
        }

        buffer.Writer.Complete();
        var running = sender.RunAsync(CancellationToken.None);
        await UntilSkippingBackoffs(() => running.IsCompleted, "the sender to finish");
        await running;

        var uids = sink.Events.Select(e => e["metadata"]!["uid"]!.GetValue<string>()).ToList();
        Assert.Equal(200, uids.Count);
        Assert.Equal(200, uids.Distinct().Count());
        Assert.Equal(10, sink.BatchSizes[0]);
        Assert.Equal(5, sink.BatchSizes[1]);
        Assert.Equal(5, _metrics.SendFailures.Value);
        Assert.Equal(200, _metrics.EventsSent.Value);
    }

    [Fact]
    public async Task RunAsync_SinkDown_BufferFillsWriterWaitsAndNothingIsLostAfterRecovery()
    {
        var sink = new RecordingSink { Down = true };
        var (sender, buffer) = Create(sink, capacity: 50);
        var running = sender.RunAsync(CancellationToken.None);

        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(i));
            }

            buffer.Writer.Complete();
        });
        await UntilSkippingBackoffs(() => sink.Calls >= 3 && buffer.Reader.Count == 50, "three failed sends and a full buffer");

        // Held back, not dropped: the writer cannot finish while the queue is down.
        Assert.False(writing.IsCompleted);
        Assert.Empty(sink.Accepted);
        // ...and /metrics shows the full buffer while the sender is stuck retrying (updated on each retry).
        await UntilSkippingBackoffs(() => _metrics.BufferDepth.Value == 50, "the buffer gauge");

        sink.Down = false;
        await UntilSkippingBackoffs(() => writing.IsCompleted && running.IsCompleted, "the writer and the sender to finish");
        await running;
        Assert.Equal(Enumerable.Range(0, 300).Select(i => "uid-" + i), sink.Events.Select(e => e["metadata"]!["uid"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RunAsync_FewEvents_SentWhenTheFlushIntervalHasPassedWithoutWaitingForMore()
    {
        var sink = new RecordingSink();
        var flush = TimeSpan.FromMilliseconds(100);
        var (sender, buffer) = Create(sink, maxMessageBytes: 65536, flush: flush);
        var running = sender.RunAsync(CancellationToken.None);

        await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(1));
        await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(2));
        await Eventually.TrueAsync(() => buffer.Reader.Count == 0 && _time.PendingDelays is [var wait] && wait == flush, "both events packed, waiting for the flush");
        _fake.Advance(flush - TimeSpan.FromMilliseconds(1));
        await Parked("the rest of the flush interval");
        Assert.Empty(sink.Accepted);

        _fake.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => sink.Accepted.Count == 1, "the message");

        Assert.Equal(2, Assert.Single(sink.Accepted).EventCount);
        buffer.Writer.Complete();
        await running.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task RunAsync_InputCompletedWithOpenMessage_FlushesItBeforeReturning()
    {
        var sink = new RecordingSink();
        var (sender, buffer) = Create(sink, maxMessageBytes: 65536, flush: TimeSpan.FromHours(1));
        var running = sender.RunAsync(CancellationToken.None);
        await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(7));

        buffer.Writer.Complete();
        await running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("uid-7", Assert.Single(sink.Events)["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_LargeMessages_BatchStaysWithinOneMebibyte()
    {
        var sink = new RecordingSink();
        var (sender, buffer) = Create(sink, maxMessageBytes: 300 * 1024);
        for (var i = 0; i < 40; i++)
        {
            await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(i, new string('b', 200 * 1024)));
        }

        buffer.Writer.Complete();
        await sender.RunAsync(CancellationToken.None);

        Assert.Equal(40, sink.Events.Count);
        Assert.All(sink.BatchSizes, size => Assert.True(size <= 5, $"{size} messages of ~200 KiB in one batch"));
    }

    [Fact]
    public async Task RunAsync_NothingSentForTheHeartbeatInterval_SendsAnEnvelopeWithoutEventsCountedFromTheLastAcceptedMessage()
    {
        var sink = new RecordingSink { Clock = _time };
        var heartbeat = TimeSpan.FromMinutes(5);
        var (sender, buffer) = Create(sink, maxMessageBytes: 65536, heartbeat: heartbeat);
        _ = sender.RunAsync(CancellationToken.None);
        await Parked("the first heartbeat");

        _fake.Advance(heartbeat - TimeSpan.FromSeconds(1));
        await Parked("the rest of the interval");
        Assert.Equal(0, sink.Calls);
        _fake.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => sink.Accepted.Count == 1, "the heartbeat");

        var beat = Assert.Single(sink.Accepted);
        Assert.Equal("{\"schema\":\"eks-events/v1\",\"clusterName\":\"test\",\"events\":[]}", Encoding.UTF8.GetString(beat.Body.Span));
        Assert.Equal(0, beat.EventCount);
        await Parked("the next heartbeat");
        Assert.Equal(1, _metrics.HeartbeatsSent.Value);
        Assert.Equal(1, _metrics.MessagesSent.Value);
        Assert.Equal(0, _metrics.EventsSent.Value);

        // An event sent two minutes later: the next heartbeat is due five minutes after that send.
        _fake.Advance(TimeSpan.FromMinutes(2));
        await Parked("the next heartbeat");
        await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(1));
        await Eventually.TrueAsync(() => _time.PendingDelays is [var wait] && wait == TimeSpan.FromMilliseconds(50), "the event to wait for its flush");
        _fake.Advance(TimeSpan.FromMilliseconds(50));
        await Eventually.TrueAsync(() => sink.Accepted.Count == 2, "the event's message");
        await Parked("the next heartbeat");
        _fake.Advance(heartbeat - TimeSpan.FromSeconds(1));
        await Parked("the rest of the interval");
        Assert.Equal(2, sink.Accepted.Count);
        _fake.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => sink.Accepted.Count == 3, "the second heartbeat");

        Assert.Equal(2, _metrics.HeartbeatsSent.Value);
        Assert.Equal(1, _metrics.EventsSent.Value);
        Assert.Equal([heartbeat, TimeSpan.FromMinutes(2) + TimeSpan.FromMilliseconds(50), heartbeat], sink.AcceptedAt.Zip(sink.AcceptedAt.Skip(1), (a, b) => b - a).Prepend(sink.AcceptedAt[0] - _fake.Start));
    }

    [Fact]
    public async Task RunAsync_MessageOpenWhenTheHeartbeatIsDue_SendsItEarlyInsteadOfAnEmptyOne()
    {
        var sink = new RecordingSink();
        var heartbeat = TimeSpan.FromMinutes(5);
        var (sender, buffer) = Create(sink, maxMessageBytes: 65536, flush: TimeSpan.FromMinutes(15), heartbeat: heartbeat);
        _ = sender.RunAsync(CancellationToken.None);
        await Parked("the first heartbeat");
        _fake.Advance(TimeSpan.FromMinutes(4));
        await Parked("the first heartbeat");

        await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(1));
        await Eventually.TrueAsync(() => buffer.Reader.Count == 0 && _time.PendingDelays is [var wait] && wait == TimeSpan.FromMinutes(1), "the event packed, the heartbeat first due");
        _fake.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => sink.Accepted.Count == 1, "the open message");

        Assert.Equal(1, Assert.Single(sink.Accepted).EventCount);
        Assert.Equal(0, _metrics.HeartbeatsSent.Value);
    }

    [Fact]
    public async Task RunAsync_WatchSilentPastTheStallTimeout_SendsNoHeartbeatUntilItRecovers()
    {
        // A stuck collector must fall silent on the queue too, or the CollectorSilent alarm could not see it.
        var sink = new RecordingSink();
        var heartbeat = TimeSpan.FromMinutes(6);
        _health.WatchStarted(["default"]);
        var (sender, _) = Create(sink, heartbeat: heartbeat);
        _ = sender.RunAsync(CancellationToken.None);
        await Parked("the first heartbeat");

        _fake.Advance(heartbeat);
        await Parked("the next heartbeat, the first one skipped");
        Assert.NotNull(_health.Problem());
        Assert.Equal(0, sink.Calls);

        _fake.Advance(TimeSpan.FromMinutes(1));
        _health.WatchProgressed("default");
        Assert.Null(_health.Problem());
        _fake.Advance(heartbeat - TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => sink.Accepted.Count == 1, "the heartbeat once the watch is back");
        Assert.Equal(1, _metrics.HeartbeatsSent.Value);
    }

    [Fact]
    public async Task RunAsync_HeartbeatOff_SendsNothingWhileIdle()
    {
        var sink = new RecordingSink();
        var (sender, buffer) = Create(sink, heartbeat: TimeSpan.Zero);
        var running = sender.RunAsync(CancellationToken.None);

        await Eventually.TrueAsync(() => _health.Problem() is null && _time.PendingDelays.Count == 0, "the sender to wait for input only");
        _fake.Advance(TimeSpan.FromHours(1));
        buffer.Writer.Complete();
        await running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, sink.Calls);
    }

    [Fact]
    public async Task RunAsync_IdleForAnHour_HealthyThroughoutWithAHeartbeatEveryInterval()
    {
        var sink = new RecordingSink { Clock = _time };
        var (sender, _) = Create(sink, heartbeat: TimeSpan.FromMinutes(5));
        _ = sender.RunAsync(CancellationToken.None);

        for (var minute = 1; minute <= 60; minute++)
        {
            await Parked("the next heartbeat");
            _fake.Advance(TimeSpan.FromMinutes(1));
            await Eventually.TrueAsync(() => sink.Accepted.Count == minute / 5 && _time.PendingDelays.Count == 1, "the heartbeats due by minute " + minute);
            Assert.Null(_health.Problem());
        }

        Assert.Equal(12, _metrics.HeartbeatsSent.Value);
    }

    [Fact]
    public async Task RunAsync_SinkRefusingForTheStallTimeout_UnhealthyUntilAMessageIsAccepted()
    {
        var sink = new RecordingSink { Down = true };
        var (sender, buffer) = Create(sink, heartbeat: TimeSpan.FromMinutes(5), backoffMax: TimeSpan.FromSeconds(30));
        _ = sender.RunAsync(CancellationToken.None);
        await Parked("the first heartbeat");

        // An hour idle first: a sender with nothing to send is healthy, and that hour does not count later.
        _fake.Advance(TimeSpan.FromMinutes(4));
        await Parked("the first heartbeat");
        await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(1));
        await Eventually.TrueAsync(() => _time.PendingDelays is [var wait] && wait == TimeSpan.FromMilliseconds(50), "the event to wait for its flush");
        _fake.Advance(TimeSpan.FromMilliseconds(50));
        await Eventually.TrueAsync(() => sink.Calls == 1, "the first refused send");
        var pendingSince = Now;

        // Retried with backoff, refused every time: healthy until the stall timeout has passed, then not.
        while (Now - pendingSince <= StallTimeout + TimeSpan.FromMinutes(1))
        {
            var calls = sink.Calls;
            await Parked("the next retry");
            Assert.Equal(Now - pendingSince > StallTimeout, _health.Problem() is not null);
            _fake.Advance(_time.PendingDelays[0]);
            await Eventually.TrueAsync(() => sink.Calls == calls + 1, "the next retry");
        }

        Assert.StartsWith("the sender has made no progress for ", _health.Problem(), StringComparison.Ordinal);
        Assert.Empty(sink.Accepted);

        sink.Down = false;
        await Parked("the next retry");
        _fake.Advance(_time.PendingDelays[0]);
        await Eventually.TrueAsync(() => sink.Accepted.Count == 1, "the message once the queue is back");
        await Parked("the next heartbeat");
        Assert.Null(_health.Problem());
    }
}
