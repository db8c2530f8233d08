using System.Net;
using System.Text;
using Collector.Tests.Sending;
using TestSupport.Kubernetes;

namespace Collector.Tests.Hosting;

/// <summary>
/// Collectors as deployed, over hours of fake time (<see cref="CollectorReplicas"/>): what the kubelet's probes
/// and the queue see from a standby, from a leader in a quiet cluster, from a leader whose queue refuses
/// messages, and across a fail-over.
/// </summary>
public sealed class LongRunningCollectorTests : IAsyncLifetime
{
    // Leader election timing with the production ratios, stretched so an hour is a few hundred steps.
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(10);
    private KubernetesApiDouble _api = null!;
    private CollectorReplicas _replicas = null!;

    public async Task InitializeAsync()
    {
        _api = await KubernetesApiDouble.StartAsync();
        _api.BookmarkInterval = TimeSpan.FromMilliseconds(10);
        _replicas = new CollectorReplicas(_api);
    }

    public async Task DisposeAsync()
    {
        await _replicas.DisposeAsync();
        await _api.DisposeAsync();
    }

    private static Collector.Settings.CollectorSettings Replica(string pod) => CollectorReplicas.Settings(pod, leaderElection: true) with
    {
        LeaseDuration = TimeSpan.FromSeconds(60),
        LeaseRenewDeadline = TimeSpan.FromSeconds(40),
        LeaseRetryPeriod = RetryPeriod,
    };

    [Fact]
    public async Task Collector_TwoReplicasInAQuietClusterForAnHour_BothStayHealthyAndOnlyTheLeaderSendsHeartbeats()
    {
        _api.AddEvent("default");
        var a = await _replicas.StartAsync(Replica("collector-a"));
        var b = await _replicas.StartAsync(Replica("collector-b"));
        await _replicas.SettleAsync();
        var (leader, standby) = a.Ships ? (a, b) : (b, a);
        var heartbeat = leader.Settings.HeartbeatInterval;

        // An hour in which the API server sends only bookmarks: the standby has nothing to do, the leader
        // nothing to send but its heartbeats. Neither may fail its liveness probe.
        var start = _replicas.Now;
        while (_replicas.Now - start < TimeSpan.FromHours(1))
        {
            await _replicas.StepAsync(RetryPeriod);
            foreach (var replica in new[] { leader, standby })
            {
                var (status, body) = await replica.GetAsync("/healthz");
                Assert.True(status == HttpStatusCode.OK, $"{replica.Settings.PodName} after {_replicas.Now - start}: {body}");
            }
        }

        Assert.True(leader.Ships && leader.Running && standby.Running);
        Assert.Equal(0, _api.GetLease(CollectorReplicas.PodNamespace, leader.Settings.LeaseName)!["spec"]!["leaseTransitions"]!.GetValue<int>());
        Assert.Empty(standby.Sink.Accepted);
        Assert.Equal(0, await standby.MetricAsync("collector_leader"));
        Assert.Equal(HttpStatusCode.OK, (await standby.GetAsync("/readyz")).Status);

        // The listed event, then a heartbeat whenever nothing was sent for the interval: the queue hears from
        // the leader at least every interval (+ one step here), so the CollectorSilent alarm stays quiet.
        var sent = leader.Sink.Accepted;
        Assert.Equal(1, sent[0].EventCount);
        Assert.All(sent.Skip(1), beat => Assert.Equal("{\"schema\":\"eks-events/v1\",\"clusterName\":\"test-cluster\",\"events\":[]}", Encoding.UTF8.GetString(beat.Body.Span)));
        Assert.InRange(sent.Count - 1, 11, 12);
        var times = leader.Sink.AcceptedAt.Append(_replicas.Now).ToList();
        Assert.All(times.Zip(times.Skip(1), (earlier, later) => later - earlier), gap => Assert.InRange(gap, TimeSpan.Zero, heartbeat + RetryPeriod));
        Assert.Equal(sent.Count - 1, await leader.MetricAsync("collector_heartbeats_sent_total"));
    }

    [Fact]
    public async Task Collector_QueueRefusesPendingMessages_UnhealthyAfterTheStallTimeoutAndHealthyOnceDelivered()
    {
        var collector = await _replicas.StartAsync(CollectorReplicas.Settings("collector-0", leaderElection: false));
        await _replicas.SettleAsync();
        var stall = collector.Settings.HealthStallTimeout;

        // Quiet for ten minutes first: time without anything to send is not a stall.
        for (var i = 0; i < 60; i++)
        {
            await _replicas.StepAsync(RetryPeriod);
        }

        var heartbeats = collector.Sink.Accepted.Count;
        Assert.Equal(2, heartbeats);
        collector.Sink.Down = true;
        var added = _api.AddEvent("default", reason: "BackOff", type: "Warning");
        await Eventually.TrueAsync(() => collector.Time.PendingDelays is [var wait] && wait == collector.Settings.FlushInterval, "the event to wait for its flush");
        await _replicas.StepAsync(collector.Settings.FlushInterval);
        Assert.Equal(heartbeats + 1, collector.Sink.Calls);
        var pendingSince = _replicas.Now;

        while (_replicas.Now - pendingSince <= stall + RetryPeriod)
        {
            await _replicas.StepAsync(RetryPeriod);
            var (status, body) = await collector.GetAsync("/healthz");
            var stalled = _replicas.Now - pendingSince > stall;
            Assert.True(status == (stalled ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK), $"{_replicas.Now - pendingSince} after the first refusal: {status} {body}");
            if (stalled)
            {
                Assert.StartsWith("the sender has made no progress for ", body, StringComparison.Ordinal);
            }
        }

        collector.Sink.Down = false;
        await _replicas.StepUntilAsync(() => Task.FromResult(collector.Sink.Accepted.Count > heartbeats), RetryPeriod, collector.Settings.SendBackoffMax + RetryPeriod, "the delivery");

        Assert.Equal(HttpStatusCode.OK, (await collector.GetAsync("/healthz")).Status);
        Assert.Equal(added["metadata"]!["uid"]!.GetValue<string>(), Assert.Single(collector.Sink.Events)["metadata"]!["uid"]!.GetValue<string>());
        Assert.True(await collector.MetricAsync("collector_send_retries_total") > 0);
    }

    [Fact]
    public async Task Collector_TwoReplicasWithLeaderElection_ShipEachEventOnceAndFailOver()
    {
        var queue = new RecordingSink { Clock = _replicas.Fake };
        var a = await _replicas.StartAsync(Replica("collector-a"), queue);
        var b = await _replicas.StartAsync(Replica("collector-b"), queue);
        await _replicas.SettleAsync();
        var (leader, standby) = a.Ships ? (a, b) : (b, a);
        Assert.False(standby.Ships);

        var events = Enumerable.Range(0, 30).Select(_ => _api.AddEvent("default")).ToList();
        await _replicas.StepUntilAsync(() => Task.FromResult(events.All(e => queue.Events.Any(q => Uid(q) == Uid(e)))), RetryPeriod, TimeSpan.FromMinutes(2), "the events");
        for (var i = 0; i < 12; i++)
        {
            await _replicas.StepAsync(RetryPeriod);
        }

        // Two minutes on, two lease durations: still one leader, each event shipped once.
        Assert.All(queue.Events.GroupBy(Uid), copies => Assert.Single(copies));
        Assert.Equal(1, await leader.MetricAsync("collector_leader"));
        Assert.Equal(0, await standby.MetricAsync("collector_leader"));

        // The leader goes away (SIGTERM releases the Lease); the standby takes over and ships what happens next.
        Assert.Equal(0, await leader.StopAsync());
        var later = _api.AddEvent("default");
        await _replicas.StepUntilAsync(() => Task.FromResult(queue.Events.Any(q => Uid(q) == Uid(later))), RetryPeriod, TimeSpan.FromMinutes(2), "an event after the fail-over");

        Assert.True(standby.Ships);
        Assert.Equal(1, await standby.MetricAsync("collector_leader"));
    }

    private static string Uid(System.Text.Json.Nodes.JsonNode e) => e["metadata"]!["uid"]!.GetValue<string>();
}
