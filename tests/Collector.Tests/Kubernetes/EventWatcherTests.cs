using System.Collections.Concurrent;
using System.Threading.Channels;
using Collector.Filtering;
using Collector.Kubernetes;
using Collector.Observability;
using Collector.Settings;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using TestSupport.Kubernetes;

namespace Collector.Tests.Kubernetes;

public sealed class EventWatcherTests : IAsyncLifetime
{
    private KubernetesApiDouble _api = null!;
    private readonly ConcurrentQueue<ObservedEvent> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CollectorMetrics _metrics = new();
    private Task? _running;
    private volatile TaskCompletionSource _consuming = CompletedGate();

    public async Task InitializeAsync() => _api = await KubernetesApiDouble.StartAsync();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await _api.DisposeAsync();
        _stop.Dispose();
    }

    private void Start(CollectorSettings? settings = null, string? @namespace = null)
    {
        settings ??= new CollectorSettings();
        settings = settings with { WatchBackoffMax = TimeSpan.FromMilliseconds(100), ListPageSize = settings.ListPageSize };
        var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _api.Host.ToString() });
        var watcher = new EventWatcher(
            new KubernetesEventApi(client),
            @namespace,
            new EventFilter(settings),
            new SeenVersions(settings.DedupCapacity),
            settings,
            _metrics,
            new HealthState(TimeProvider.System, settings.HealthStallTimeout),
            TimeProvider.System,
            NullLogger.Instance);
        var buffer = Channel.CreateBounded<ObservedEvent>(100);
        _running = Task.Run(async () =>
        {
            var watching = watcher.RunAsync(buffer.Writer, () => { }, _stop.Token);
            try
            {
                await foreach (var item in buffer.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                {
                    // A closed gate stands for a slow queue: the buffer fills and the watch is held back.
                    await _consuming.Task.WaitAsync(_stop.Token).ConfigureAwait(false);
                    _received.Enqueue(item);
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

    private async Task WaitUntil(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out waiting for {what}; received {_received.Count} events, requests: {string.Join(" | ", _api.Requests)}");
            }
        }
    }

    /// <summary>uid → versions received, in order.</summary>
    private Dictionary<string, List<string>> Versions() =>
        _received.GroupBy(e => e.Uid).ToDictionary(g => g.Key, g => g.Select(e => e.ResourceVersion).ToList());

    /// <summary>True when every current event of the double has arrived at its current version.</summary>
    private bool AllCurrentArrived()
    {
        var versions = Versions();
        return _api.Events.Values.All(e =>
            versions.TryGetValue(e["metadata"]!["uid"]!.GetValue<string>(), out var seen)
            && seen[^1] == e["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    private Task WatchOpen() => WaitUntil(() => _api.OpenWatches > 0, "a watch to open");

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

        // Cut, and change things while the collector is reconnecting.
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
        Assert.True(_metrics.WatchRestarts.WithLabels("failed").Value >= 2);
        var resumed = _api.Requests.Where(r => r.Watch).Skip(1).Select(r => r.ResourceVersion).ToList();
        Assert.All(resumed, rv => Assert.NotEqual("", rv));
    }

    [Fact]
    public async Task RunAsync_ExpiredAfterAGap_RelistsAndSendsOnlyWhatChanged()
    {
        var unchanged = _api.AddEvent("default");
        var changed = _api.AddEvent("default");
        Start();
        await WatchOpen();
        await WaitUntil(() => _received.Count == 2, "the listed events");

        // The collector is away long enough for its position to be compacted away, and events happen meanwhile.
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
        Assert.Equal(1, _metrics.WatchRestarts.WithLabels("expired").Value);
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
    public async Task RunAsync_ExpiredAfterALargeListWhileEventsKeepComing_NewEventsArriveWithoutWaitingForTheWatchdog()
    {
        // The end-to-end run's shape, scaled down: a large list, a 410 on the first watch, a relist that
        // re-sends everything (the de-duplication window is smaller than the list), a queue that stalls
        // during the relist so the next watch opens behind a full buffer with a backlog, and events created
        // all the while. Everything must stream on that one watch; the watchdog (a minute here) must not be
        // what brings the rest.
        for (var i = 0; i < 20_000; i++)
        {
            _api.AddEvent("ns-" + (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        _api.EnqueueWatchFault(WatchFault.ExpiredEvent);
        using var generating = new CancellationTokenSource();
        var generator = Task.Run(async () =>
        {
            while (!generating.IsCancellationRequested)
            {
                _api.AddEvent("default", message: new string('m', 4000));
                await Task.Delay(1);
            }
        });
        Start(new CollectorSettings { ListPageSize = 500, DedupCapacity = 1_000, WatchIdleTimeout = TimeSpan.FromMinutes(1) });

        // The queue stalls during the relist, so the watch after it opens behind a full buffer with a backlog.
        await WaitUntil(() => _api.Requests.Count(r => !r.Watch && string.IsNullOrEmpty(r.Continue)) == 2, "the relist");
        _consuming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await generating.CancelAsync();
        await generator;
        await Task.Delay(TimeSpan.FromSeconds(15));
        _consuming.SetResult();
        var after = Enumerable.Range(0, 200).Select(_ => _api.AddEvent("default")).ToList();
        await WaitUntil(AllCurrentArrived, "every event, including those created after the relist");

        Assert.True(_metrics.WatchRestarts.WithLabels("idle").Value == 0, $"idle {_metrics.WatchRestarts.WithLabels("idle").Value} failed {_metrics.WatchRestarts.WithLabels("failed").Value} closed {_metrics.WatchRestarts.WithLabels("closed").Value} expired {_metrics.WatchRestarts.WithLabels("expired").Value}");
        Assert.Equal(2, _api.Requests.Count(r => r.Watch));
        Assert.All(after, e => Assert.Contains(_received, r => r.Uid == e["metadata"]!["uid"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RunAsync_SilentStream_WatchdogReconnectsAndEventsFromTheSilenceArrive()
    {
        _api.EnqueueWatchFault(WatchFault.Silent);
        Start(new CollectorSettings { WatchIdleTimeout = TimeSpan.FromMilliseconds(500) });
        await WaitUntil(() => _api.Requests.Any(r => r.Watch), "the silent watch");
        var during = _api.AddEvent("default");
        await WaitUntil(AllCurrentArrived, "the event created while the stream was silent");

        // At least the silent stream was restarted; the next watch, quiet too once the event is through and
        // without bookmarks here, may be restarted again before the assertion on a loaded machine.
        Assert.True(_metrics.WatchRestarts.WithLabels("idle").Value >= 1);
        Assert.Equal(during["metadata"]!["uid"]!.GetValue<string>(), Assert.Single(_received).Uid);
    }

    [Fact]
    public async Task RunAsync_QuietStreamWithBookmarks_IsNotRestartedByTheWatchdog()
    {
        _api.BookmarkInterval = TimeSpan.FromMilliseconds(100);
        Start(new CollectorSettings { WatchIdleTimeout = TimeSpan.FromMilliseconds(600) });
        await WatchOpen();
        await WaitUntil(() => _metrics.EventsObserved.WithLabels("BOOKMARK").Value >= 15, "bookmarks for longer than the idle timeout");

        Assert.True(_metrics.WatchRestarts.WithLabels("idle").Value == 0, $"idle {_metrics.WatchRestarts.WithLabels("idle").Value} closed {_metrics.WatchRestarts.WithLabels("closed").Value} failed {_metrics.WatchRestarts.WithLabels("failed").Value} bookmarks {_metrics.EventsObserved.WithLabels("BOOKMARK").Value}");
        Assert.Single(_api.Requests, r => r.Watch);
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
        Assert.True(_metrics.WatchRestarts.WithLabels("closed").Value >= 2);
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
        var wanted = _api.AddEvent("team-a");
        await WaitUntil(() => _received.Count == 2, "the team-a events");
        await Task.Delay(200);

        Assert.All(_received, e => Assert.Equal("team-a", e.Namespace));
        Assert.All(_api.Requests, r => Assert.Equal("team-a", r.Namespace));
        Assert.Contains(_received, e => e.Uid == wanted["metadata"]!["uid"]!.GetValue<string>());
    }
}
