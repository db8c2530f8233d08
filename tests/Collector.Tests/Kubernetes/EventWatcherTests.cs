using System.Collections.Concurrent;
using System.Threading.Channels;
using Collector.Filtering;
using Collector.Kubernetes;
using Collector.Observability;
using Collector.Settings;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TestSupport.Kubernetes;

namespace Collector.Tests.Kubernetes;

/// <summary>
/// The watcher against the Kubernetes API double, on fake time: the watchdog fires only when a test moves the
/// clock past it, never because the machine was slow. Reconnect backoffs (at most 100 ms here) are skipped by
/// <see cref="WaitUntil"/>, which moves the clock by exactly the pending wait.
/// </summary>
public sealed class EventWatcherTests : IAsyncLifetime
{
    private const int BufferCapacity = 100;
    private readonly FakeTimeProvider _fake = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<ObservedEvent> _received = new();
    private readonly ConcurrentDictionary<string, string> _latest = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CollectorMetrics _metrics = new();
    private readonly Channel<ObservedEvent> _buffer = Channel.CreateBounded<ObservedEvent>(BufferCapacity);
    private ObservedTimeProvider _time = null!;
    private KubernetesApiDouble _api = null!;
    private HealthState _health = null!;
    private Task? _running;
    private volatile TaskCompletionSource _consuming = CompletedGate();

    public async Task InitializeAsync()
    {
        _time = new ObservedTimeProvider(_fake);
        _api = await KubernetesApiDouble.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(60));
        }

        await _api.DisposeAsync();
        _stop.Dispose();
    }

    private void Start(CollectorSettings? settings = null, string? @namespace = null)
    {
        settings ??= new CollectorSettings();
        settings = settings with { WatchBackoffMax = TimeSpan.FromMilliseconds(100) };
        _health = new HealthState(_time, settings.HealthStallTimeout);
        _health.WatchStarted([@namespace]);
        var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _api.Host.ToString() });
        var watcher = new EventWatcher(
            new KubernetesEventApi(client),
            @namespace,
            new EventFilter(settings),
            new SeenVersions(settings.DedupCapacity),
            settings,
            _metrics,
            _health,
            _time,
            NullLogger.Instance);
        _running = Task.Run(async () =>
        {
            var watching = watcher.RunAsync(_buffer.Writer, () => { }, _stop.Token);
            try
            {
                await foreach (var item in _buffer.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                {
                    // A closed gate stands for a slow queue: the buffer fills and the watch is held back.
                    await _consuming.Task.WaitAsync(_stop.Token).ConfigureAwait(false);
                    _received.Enqueue(item);
                    _latest[item.Uid] = item.ResourceVersion;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }

            // The watcher returns normally when stopped; anything else is a failure of the test.
            await watching;
        });
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    /// <summary>Polls <paramref name="condition"/>; a reconnect backoff the watcher waits in meanwhile is skipped on the fake clock.</summary>
    private Task WaitUntil(Func<bool> condition, string what, TimeSpan? within = null) => Eventually.TrueAsync(
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
        () => $"{what}; received {_received.Count} events, requests: {string.Join(" | ", _api.Requests)}",
        within);

    /// <summary>uid → versions received, in order.</summary>
    private Dictionary<string, List<string>> Versions() =>
        _received.GroupBy(e => e.Uid).ToDictionary(g => g.Key, g => g.Select(e => e.ResourceVersion).ToList());

    /// <summary>True when every current event of the double has arrived at its current version.</summary>
    private bool AllCurrentArrived() => Arrived(_api.Events.Values);

    /// <summary>True when each of <paramref name="events"/> has arrived at that version (the last one received).</summary>
    private bool Arrived(IEnumerable<System.Text.Json.Nodes.JsonObject> events) => events.All(e =>
        _latest.TryGetValue(e["metadata"]!["uid"]!.GetValue<string>(), out var last)
        && last == e["metadata"]!["resourceVersion"]!.GetValue<string>());

    private Task WatchOpen() => WaitUntil(() => _api.OpenWatches > 0, "a watch to open");

    /// <summary>The stream reader's watchdog (armed by CancelAfter on each read), not the request's deadline.</summary>
    private bool StreamWatchdogArmed(TimeSpan idleTimeout) => _time.TimeoutsArmedByCancelAfter.Contains(idleTimeout);

    private double Restarts(string reason) => _metrics.WatchRestarts.WithLabels(reason).Value;

    private string RestartCounts() => string.Join(' ', new[] { "closed", "failed", "idle", "expired", "unreadable" }.Select(r => $"{r} {Restarts(r)}"));

    [Fact]
    public async Task RunAsync_ManyEvents_ListsInPagesThenWatchesFromTheListVersionWithBookmarks()
    {
        for (var i = 0; i < 25; i++)
        {
            _api.AddEvent("default");
        }

        var listVersion = _api.ResourceVersion;
        Start(new CollectorSettings { ListPageSize = 10 });
        await WatchOpen();
        await WaitUntil(() => _received.Count == 25, "25 listed events");

        var requests = _api.Requests;
        Assert.Equal([10, 10, 10], requests.Where(r => !r.Watch).Select(r => r.Limit));
        Assert.Equal(2, requests.Count(r => !r.Watch && !string.IsNullOrEmpty(r.Continue)));
        var watch = requests.First(r => r.Watch);
        Assert.Equal(listVersion, watch.ResourceVersion);
        Assert.True(watch.AllowWatchBookmarks);
        Assert.All(_received, e => Assert.DoesNotContain("managedFields", System.Text.Encoding.UTF8.GetString(e.Json.Span), StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_CutStream_AddsAndUpdatesArriveAtTheirLastVersion()
    {
        var first = _api.AddEvent("default");
        Start();
        await WatchOpen();
        _api.AddEvent("kube-system", reason: "BackOff", type: "Warning");
        _api.UpdateEvent("default", first["metadata"]!["name"]!.GetValue<string>());
        await WaitUntil(() => _received.Count == 3, "three notifications");
        var lastReceived = _received.Last().ResourceVersion;

        // Cut, and change things while the collector is reconnecting (it waits for its backoff on the fake clock).
        _api.EnqueueWatchFault(WatchFault.InternalError);
        Assert.Equal(1, _api.CutOpenWatches());
        var during = _api.AddEvent("default", reason: "Pulled");
        _api.UpdateEvent("default", first["metadata"]!["name"]!.GetValue<string>());
        _api.UpdateEvent("default", during["metadata"]!["name"]!.GetValue<string>());
        await WaitUntil(AllCurrentArrived, "every event at its last version");

        var versions = Versions();
        Assert.Equal(3, versions.Count);
        Assert.Equal(3, versions[first["metadata"]!["uid"]!.GetValue<string>()].Count);
        Assert.Equal(0, _metrics.Relists.Value);
        Assert.True(Restarts("failed") >= 2, RestartCounts());

        // Resumed from the last version the cut stream delivered, not from where that stream started.
        var resumed = _api.Requests.Where(r => r.Watch).Skip(1).Select(r => r.ResourceVersion).ToList();
        Assert.All(resumed, rv => Assert.Equal(lastReceived, rv));
    }

    [Fact]
    public async Task RunAsync_ExpiredAfterAGap_RelistsAndSendsOnlyWhatChanged()
    {
        var unchanged = _api.AddEvent("default");
        var changed = _api.AddEvent("default");
        Start();
        await WatchOpen();
        await WaitUntil(() => _received.Count == 2, "the listed events");

        // The collector is away long enough for its position to be compacted away (its reconnect waits on the
        // fake clock until the changes and the compaction are done), and events happen meanwhile.
        _api.EnqueueWatchFault(WatchFault.InternalError);
        _api.CutOpenWatches();
        var created = _api.AddEvent("default", reason: "Killing");
        _api.UpdateEvent("default", changed["metadata"]!["name"]!.GetValue<string>());
        _api.Compact();
        await WaitUntil(AllCurrentArrived, "every event at its last version");

        var versions = Versions();
        Assert.Single(versions[unchanged["metadata"]!["uid"]!.GetValue<string>()]);
        Assert.Equal(2, versions[changed["metadata"]!["uid"]!.GetValue<string>()].Count);
        Assert.Single(versions[created["metadata"]!["uid"]!.GetValue<string>()]);
        Assert.Equal(1, _metrics.Relists.Value);
        Assert.Equal(1, Restarts("expired"));
    }

    [Fact]
    public async Task RunAsync_HttpGoneOnWatch_RelistsAndResumes()
    {
        _api.AddEvent("default");
        _api.EnqueueWatchFault(WatchFault.GoneStatus);
        Start();
        await WatchOpen();
        var later = _api.AddEvent("default");
        await WaitUntil(AllCurrentArrived, "every event");

        Assert.Equal(1, _metrics.Relists.Value);
        Assert.Equal(2, _received.Count);
        Assert.Equal(2, _api.Requests.Count(r => !r.Watch));
        Assert.Contains(_received, e => e.Uid == later["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_UnreadableWatchLine_RestartsFromTheLastGoodVersionAndTheEventArrives()
    {
        var listed = _api.AddEvent("default");
        var listVersion = _api.ResourceVersion;
        _api.EnqueueWatchFault(WatchFault.UnreadableLine);
        Start();
        await WatchOpen();

        // Its line reaches the collector cut in half: skipping the line would lose this event until a relist.
        var mangled = _api.AddEvent("default", reason: "FailedMount", type: "Warning");
        var after = _api.AddEvent("default");
        await WaitUntil(AllCurrentArrived, "every event, the mangled one included");

        Assert.Equal(1, Restarts("unreadable"));
        Assert.Equal(0, _metrics.Relists.Value);
        Assert.Equal([listVersion, listVersion], _api.Requests.Where(r => r.Watch).Select(r => r.ResourceVersion));
        Assert.Equal(
            [listed["metadata"]!["uid"]!.GetValue<string>(), mangled["metadata"]!["uid"]!.GetValue<string>(), after["metadata"]!["uid"]!.GetValue<string>()],
            _received.Select(e => e.Uid));
    }

    [Fact]
    public async Task RunAsync_UnreadableWatchLineAndTheVersionExpiredMeanwhile_RelistsAndTheEventArrives()
    {
        _api.AddEvent("default");
        _api.EnqueueWatchFault(WatchFault.UnreadableLine);
        _api.EnqueueWatchFault(WatchFault.ExpiredEvent);
        Start();
        await WatchOpen();

        var mangled = _api.AddEvent("default", reason: "FailedMount", type: "Warning");
        await WaitUntil(AllCurrentArrived, "every event, the mangled one included");

        Assert.Equal(1, Restarts("unreadable"));
        Assert.Equal(1, Restarts("expired"));
        Assert.Equal(1, _metrics.Relists.Value);
        Assert.Contains(_received, e => e.Uid == mangled["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_ExpiredAfterALargeListWhileEventsKeepComing_NewEventsArriveWithoutWaitingForTheWatchdog()
    {
        // The end-to-end run's shape, scaled down: a large list, a 410 on the first watch, a relist that
        // re-sends everything (the de-duplication window is smaller than the list), a queue that stalls
        // during the relist for longer than the watchdog, so the next watch opens behind a backlog, and
        // events created all the while. Everything must stream on that one watch: the fake clock never
        // reaches the watchdog unless the test moves it, so the watchdog cannot be what brings the rest.
        var created = new List<System.Text.Json.Nodes.JsonObject>();
        for (var i = 0; i < 20_000; i++)
        {
            created.Add(_api.AddEvent("ns-" + (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        _api.EnqueueWatchFault(WatchFault.ExpiredEvent);
        var idleTimeout = TimeSpan.FromMinutes(1);
        Start(new CollectorSettings { ListPageSize = 500, DedupCapacity = 1_000, WatchIdleTimeout = idleTimeout });

        await WaitUntil(() => _api.Requests.Count(r => !r.Watch && string.IsNullOrEmpty(r.Continue)) == 2, "the relist");
        _consuming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < 2_000; i++)
        {
            created.Add(_api.AddEvent("default", message: new string('m', 4000)));
        }

        await WaitUntil(() => _buffer.Reader.Count == BufferCapacity, "the buffer to fill");
        _fake.Advance(2 * idleTimeout);
        _consuming.SetResult();
        var after = Enumerable.Range(0, 200).Select(_ => _api.AddEvent("default")).ToList();
        created.AddRange(after);

        // Generous: twenty thousand events listed twice and eight megabytes of backlog, on a machine that may be busy.
        await WaitUntil(() => Arrived(created), "every event, including those created after the relist", TimeSpan.FromMinutes(5));

        Assert.True(Restarts("idle") == 0, RestartCounts());
        Assert.Equal(2, _api.Requests.Count(r => r.Watch));
        Assert.All(after, e => Assert.Contains(_received, r => r.Uid == e["metadata"]!["uid"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RunAsync_BufferFullForLongerThanTheIdleTimeout_TheWatchIsNotRestarted()
    {
        var idleTimeout = TimeSpan.FromMinutes(3);
        Start(new CollectorSettings { WatchIdleTimeout = idleTimeout });
        await WatchOpen();

        // A stalled queue: the watch has more to read but waits for room in the buffer, for three idle timeouts.
        _consuming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var events = Enumerable.Range(0, BufferCapacity + 50).Select(_ => _api.AddEvent("default")).ToList();
        await WaitUntil(() => _buffer.Reader.Count == BufferCapacity, "the buffer to fill");
        _fake.Advance(3 * idleTimeout);
        _consuming.SetResult();
        await WaitUntil(AllCurrentArrived, "every event");

        Assert.True(Restarts("idle") == 0, RestartCounts());
        Assert.Single(_api.Requests, r => r.Watch);
        Assert.Equal(events.Count, _received.Count);
    }

    [Fact]
    public async Task RunAsync_SilentStream_WatchdogReconnectsAndEventsFromTheSilenceArrive()
    {
        var idleTimeout = TimeSpan.FromMinutes(3);
        _api.EnqueueWatchFault(WatchFault.Silent);
        Start(new CollectorSettings { WatchIdleTimeout = idleTimeout });
        await WaitUntil(() => _api.Requests.Count(r => r.Watch) == 1 && StreamWatchdogArmed(idleTimeout), "the silent watch");
        var during = _api.AddEvent("default");

        _fake.Advance(idleTimeout);
        await WaitUntil(AllCurrentArrived, "the event created while the stream was silent");

        Assert.Equal(1, Restarts("idle"));
        Assert.Equal(during["metadata"]!["uid"]!.GetValue<string>(), Assert.Single(_received).Uid);
        Assert.Equal(2, _api.Requests.Count(r => r.Watch));
    }

    [Fact]
    public async Task RunAsync_QuietClusterWithBookmarksForAnHour_IsNeitherRestartedNorUnhealthy()
    {
        // The API server's bookmarks (about one a minute) are the only traffic; the watchdog waits 3 minutes
        // and /healthz 5. An hour of fake time, a minute per bookmark.
        _api.BookmarkInterval = TimeSpan.FromMilliseconds(5);
        Start(new CollectorSettings { WatchIdleTimeout = TimeSpan.FromMinutes(3), HealthStallTimeout = TimeSpan.FromMinutes(5) });
        await WatchOpen();

        for (var minute = 0; minute < 60; minute++)
        {
            var bookmarks = _metrics.EventsObserved.WithLabels("BOOKMARK").Value;
            await WaitUntil(() => _metrics.EventsObserved.WithLabels("BOOKMARK").Value > bookmarks, "a bookmark");
            Assert.Null(_health.Problem());
            _fake.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.True(Restarts("idle") == 0, RestartCounts());
        Assert.Single(_api.Requests, r => r.Watch);
    }

    [Fact]
    public async Task RunAsync_WatchSilentAfterItsRestart_HealthNamesTheWatchAfterTheStallTimeout()
    {
        // The watchdog restarts a silent watch after 3 minutes. An accepted watch is not progress: when the next
        // one is silent too, /healthz fails once 5 minutes passed without anything from the API server.
        var idleTimeout = TimeSpan.FromMinutes(3);
        _api.EnqueueWatchFault(WatchFault.Silent);
        _api.EnqueueWatchFault(WatchFault.Silent);
        Start(new CollectorSettings { WatchIdleTimeout = idleTimeout, HealthStallTimeout = TimeSpan.FromMinutes(5) }, "team-a");
        await WaitUntil(() => _api.Requests.Count(r => r.Watch) == 1 && StreamWatchdogArmed(idleTimeout), "the first silent watch");

        _fake.Advance(idleTimeout);
        await WaitUntil(() => _api.Requests.Count(r => r.Watch) == 2 && StreamWatchdogArmed(idleTimeout), "the second silent watch");
        Assert.Null(_health.Problem());
        _fake.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        Assert.StartsWith("the watch of team-a has made no progress for 00:05:01", _health.Problem(), StringComparison.Ordinal);
        Assert.Equal(1, Restarts("idle"));
    }

    [Fact]
    public async Task RunAsync_ServerEndsWatchNormally_ResumesFromLastVersionWithoutRelisting()
    {
        _api.MaxWatchDuration = TimeSpan.FromMilliseconds(300);
        Start();
        await WatchOpen();
        _api.AddEvent("default");
        await WaitUntil(() => _api.Requests.Count(r => r.Watch) >= 3, "several watches");
        var later = _api.AddEvent("default");
        await WaitUntil(AllCurrentArrived, "every event");

        Assert.Single(_api.Requests, r => !r.Watch);
        Assert.Equal(2, _received.Count);
        Assert.True(Restarts("closed") >= 2, RestartCounts());
        Assert.Equal(later["metadata"]!["uid"]!.GetValue<string>(), _received.Last().Uid);
    }

    [Fact]
    public async Task RunAsync_NamespaceScoped_ListsAndWatchesOnlyThatNamespace()
    {
        _api.AddEvent("default");
        _api.AddEvent("team-a");
        Start(@namespace: "team-a");
        await WatchOpen();
        _api.AddEvent("default");

        // Created after the other namespace's event: once it is here, that one would have been too.
        var wanted = _api.AddEvent("team-a");
        await WaitUntil(() => _received.Any(e => e.Uid == wanted["metadata"]!["uid"]!.GetValue<string>()), "the later team-a event");

        Assert.Equal(2, _received.Count);
        Assert.All(_received, e => Assert.Equal("team-a", e.Namespace));
        Assert.All(_api.Requests, r => Assert.Equal("team-a", r.Namespace));
    }
}
