using System.Net;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Collector.Sending;
using Shared.Contract.Settings;
using TestSupport.Kubernetes;
using TestSupport.Moto;

namespace Collector.Tests.Hosting;

/// <summary>The whole collector (host, watch, sender) against the Kubernetes API double and SQS on moto.</summary>
[Collection(MotoCollection.Name)]
public sealed class CollectorHostTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly AmazonSQSClient _sqs = moto.CreateSqsClient();
    private readonly List<RunningCollector> _collectors = [];
    private readonly List<SqsHttpSink> _sinks = [];
    private KubernetesApiDouble _api = null!;
    private QueueReader _queue = null!;

    public async Task InitializeAsync()
    {
        _api = await KubernetesApiDouble.StartAsync();
        _api.BookmarkInterval = TimeSpan.FromMilliseconds(200);
        _queue = await QueueReader.CreateAsync(_sqs);
    }

    public async Task DisposeAsync()
    {
        foreach (var collector in _collectors)
        {
            await collector.DisposeAsync();
        }

        foreach (var sink in _sinks)
        {
            sink.Dispose();
        }

        await _api.DisposeAsync();
        _sqs.Dispose();
    }

    private async Task<RunningCollector> StartAsync(Func<Collector.Settings.CollectorSettings, Collector.Settings.CollectorSettings>? tune = null)
    {
        var settings = RunningCollector.TestSettings(_queue.Url);
        settings = tune?.Invoke(settings) ?? settings;
        // The collector's own sink, pointed at moto the way the process is: AWS_ENDPOINT_URL and AWS_REGION.
        var sink = SqsHttpSink.Create(_queue.Url, new DictionaryEnvironmentVariables(moto.Server.Environment), MotoFixture.Credentials, TimeProvider.System);
        _sinks.Add(sink);
        var collector = await RunningCollector.StartAsync(_api, settings, sink);
        _collectors.Add(collector);
        if (!settings.LeaderElection)
        {
            // Ready means the first list is done, so that what the test does next arrives through the watch.
            await WaitUntilAsync(async () => (await collector.Http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK, "/readyz");
        }

        return collector;
    }

    private static string Name(JsonObject e) => e["metadata"]!["name"]!.GetValue<string>();

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for " + what);
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Collector_EventsAddedAndRepeated_ArriveInEnvelopesAtTheirLastVersion()
    {
        var before = _api.AddEvent("default");
        var collector = await StartAsync();
        var added = _api.AddEvent("kube-system", reason: "FailedScheduling", type: "Warning");
        _api.UpdateEvent("default", Name(before), "Back-off restarting failed container");
        _api.UpdateEvent("default", Name(before), "Back-off restarting failed container");

        await _queue.WaitForAsync(q => q.HasLatest(_api.Events.Values), "both events at their last version");

        Assert.All(_queue.Envelopes, e =>
        {
            Assert.Equal("eks-events/v1", e["schema"]!.GetValue<string>());
            Assert.Equal("test-cluster", e["clusterName"]!.GetValue<string>());
        });
        var repeated = _queue.Events.Last(e => e["metadata"]!["uid"]!.GetValue<string>() == before["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal(3, repeated["count"]!.GetValue<int>());
        Assert.Null(repeated["metadata"]!["managedFields"]);
        Assert.Contains(_queue.Events, e => e["metadata"]!["uid"]!.GetValue<string>() == added["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await collector.Http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await collector.Http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        await WaitUntilAsync(async () => await collector.MetricAsync("collector_events_sent_total") >= 4, "the sent counter");
        var metrics = await collector.MetricsAsync();
        Assert.Contains("collector_events_observed_total{type=\"MODIFIED\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("collector_buffer_depth", metrics, StringComparison.Ordinal);
        Assert.True(await collector.MetricAsync("collector_last_successful_send_timestamp_seconds") > 1_700_000_000);
    }

    [Fact]
    public async Task Collector_Restarted_EventsFromWhileItWasDownArriveAndNothingIsLost()
    {
        var first = await StartAsync();
        var early = _api.AddEvent("default");
        await _queue.WaitForAsync(q => q.HasLatest([early]), "the first event");
        await first.StopAsync();

        // While no collector runs: new events, repeats, and enough churn that the old position is compacted.
        var whileDown = _api.AddEvent("default", reason: "Unhealthy", type: "Warning");
        _api.UpdateEvent("default", Name(early));
        _api.Compact();
        await StartAsync();
        var after = _api.AddEvent("default");

        await _queue.WaitForAsync(q => q.HasLatest(_api.Events.Values), "every event at its last version");
        Assert.Contains(whileDown["metadata"]!["uid"]!.GetValue<string>(), _queue.Versions().Keys);
        Assert.Contains(after["metadata"]!["uid"]!.GetValue<string>(), _queue.Versions().Keys);
    }

    [Fact]
    public async Task Collector_QueueUnavailable_HoldsEventsReportsUnhealthyAndDeliversAfterRecovery()
    {
        // A short stall timeout, so that the outage shows on /healthz within the test (LongRunningCollectorTests
        // pins the timeout itself on fake time).
        var collector = await StartAsync(s => s with { WatchIdleTimeout = TimeSpan.FromSeconds(2), HealthStallTimeout = TimeSpan.FromSeconds(3) });
        var early = _api.AddEvent("default");
        await _queue.WaitForAsync(q => q.HasLatest([early]), "the first event");

        // Outage: the queue disappears (sends fail with QueueDoesNotExist), then comes back under the same URL.
        await _sqs.DeleteQueueAsync(_queue.Url.ToString());
        var duringOutage = Enumerable.Range(0, 20).Select(_ => _api.AddEvent("default")).ToList();
        await WaitUntilAsync(async () => await collector.MetricAsync("collector_send_failures_total") > 0, "failed sends");
        await WaitUntilAsync(
            async () =>
            {
                using var health = await collector.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
                return health.StatusCode == HttpStatusCode.ServiceUnavailable && (await health.Content.ReadAsStringAsync()).StartsWith("the sender has made no progress", StringComparison.Ordinal);
            },
            "/healthz to report the stalled sender");

        var recreated = await _sqs.CreateQueueAsync(_queue.Name);
        Assert.Equal(_queue.Url.ToString(), recreated.QueueUrl);
        await _queue.WaitForAsync(q => q.HasLatest(duringOutage), "the events from the outage");

        await WaitUntilAsync(async () => (await collector.Http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode == HttpStatusCode.OK, "/healthz to recover");
        Assert.True(await collector.MetricAsync("collector_send_retries_total") > 0);
    }

    [Fact]
    public async Task Collector_StoppedWithUnflushedEvents_SendsThemBeforeExiting()
    {
        var collector = await StartAsync(s => s with { FlushInterval = TimeSpan.FromMinutes(10) });
        var events = Enumerable.Range(0, 5).Select(_ => _api.AddEvent("default")).ToList();
        await WaitUntilAsync(async () => await collector.MetricAsync("collector_events_observed_total{type=\"ADDED\"}") >= 5, "the events to be observed");
        await _queue.DrainAsync();
        Assert.Empty(_queue.Events);

        await collector.StopAsync();

        await _queue.WaitForAsync(q => q.HasLatest(events), "the flushed events");
        Assert.Single(_queue.Envelopes);
    }
}
