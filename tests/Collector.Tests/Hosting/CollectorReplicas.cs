using System.Globalization;
using System.Net;
using Collector.Hosting;
using Collector.Settings;
using Collector.Tests.Sending;
using k8s;
using Microsoft.Extensions.Time.Testing;
using TestSupport.Kubernetes;

namespace Collector.Tests.Hosting;

/// <summary>
/// Whole collectors (<see cref="CollectorHost"/>) on one fake clock, each with its own view of it, against the
/// Kubernetes API double and in-memory sinks: replicas of the deployment living through hours in seconds.
/// Time moves in steps, and only when every running replica is parked: its elector in its wait (leader
/// election), its sender in its flush, retry or heartbeat wait (heartbeats must be on), and each shipping
/// replica has read a bookmark since the last step. So a leader renews in every step, its watch hears from
/// the API server in every step, and nothing depends on how fast this machine runs the threads.
/// </summary>
internal sealed class CollectorReplicas(KubernetesApiDouble api) : IAsyncDisposable
{
    public const string PodNamespace = "observability";
    private readonly List<Replica> _replicas = [];

    public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public DateTimeOffset Now => Fake.GetUtcNow();

    /// <summary>A replica's settings: free HTTP port, a queue URL for the record, production timers unless tuned.</summary>
    public static CollectorSettings Settings(string pod, bool leaderElection) => new()
    {
        QueueUrl = new Uri("https://sqs.eu-west-1.amazonaws.com/123456789012/events"),
        ClusterName = "test-cluster",
        HttpPort = 0,
        LeaderElection = leaderElection,
        PodName = pod,
        PodNamespace = PodNamespace,
    };

    public async Task<Replica> StartAsync(CollectorSettings settings, RecordingSink? sink = null)
    {
        if (settings.HeartbeatInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("A parked sender is told by its heartbeat wait: keep heartbeats on.", nameof(settings));
        }

        var time = new ObservedTimeProvider(Fake);
        sink ??= new RecordingSink { Clock = Fake };
        var app = CollectorHost.Build(settings, new KubernetesClientConfiguration { Host = api.Host.ToString() }, sink, time: time);
        await app.StartAsync();
        var replica = new Replica(app, settings, sink, time, api);
        _replicas.Add(replica);
        return replica;
    }

    /// <summary>Waits until every running replica is parked and every shipping one has read a bookmark.</summary>
    public async Task SettleAsync(IReadOnlyDictionary<Replica, double>? bookmarksBefore = null)
    {
        await Eventually.TrueAsync(
            () => _replicas.All(r => r.Parked),
            () => "every replica to wait again: " + string.Join(", ", _replicas.Select(r => $"{r.Settings.PodName} running {r.Running} ships {r.Ships} waits {string.Join('/', r.Time.PendingDelays)}")));
        foreach (var replica in _replicas.Where(r => r.Running && r.Ships))
        {
            var before = bookmarksBefore?.GetValueOrDefault(replica) ?? 0;
            await Eventually.TrueAsync(async () => await replica.BookmarksAsync() > before, $"{replica.Settings.PodName} to read a bookmark");
        }
    }

    /// <summary>Moves fake time by <paramref name="step"/> once everything has reacted to the last step.</summary>
    public async Task StepAsync(TimeSpan step)
    {
        var bookmarks = new Dictionary<Replica, double>();
        foreach (var replica in _replicas.Where(r => r.Running && r.Ships))
        {
            bookmarks[replica] = await replica.BookmarksAsync();
        }

        Fake.Advance(step);
        await SettleAsync(bookmarks);
    }

    /// <summary>Steps until <paramref name="condition"/> holds, within <paramref name="within"/> of fake time.</summary>
    public async Task StepUntilAsync(Func<Task<bool>> condition, TimeSpan step, TimeSpan within, string what)
    {
        await SettleAsync();
        var start = Now;
        while (!await condition())
        {
            Assert.True(Now - start <= within, $"{what}: not reached within {within} of fake time");
            await StepAsync(step);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }

    /// <summary>One collector process, as the kubelet and Prometheus see it.</summary>
    internal sealed class Replica(CollectorApp app, CollectorSettings settings, RecordingSink sink, ObservedTimeProvider time, KubernetesApiDouble api) : IAsyncDisposable
    {
        private readonly HttpClient _http = new() { BaseAddress = new Uri("http://127.0.0.1:" + app.HttpPort.ToString(CultureInfo.InvariantCulture) + "/") };
        private bool _stopped;

        public CollectorSettings Settings { get; } = settings;

        public RecordingSink Sink { get; } = sink;

        public ObservedTimeProvider Time { get; } = time;

        public bool Running => !app.Completion.IsCompleted;

        /// <summary>Runs the pipeline: always without leader election, else while it holds the Lease.</summary>
        public bool Ships => !Settings.LeaderElection
            || api.GetLease(PodNamespace, Settings.LeaseName)?["spec"]?["holderIdentity"]?.GetValue<string>() == Settings.PodName;

        /// <summary>Parked: the elector in its wait (with leader election) and, while shipping, the sender in its wait.</summary>
        public bool Parked => !Running || Time.PendingDelays.Count == (Settings.LeaderElection ? 1 : 0) + (Ships ? 1 : 0);

        public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
        {
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        /// <summary>The value of an unlabelled metric, or of the first series that starts with <paramref name="series"/>.</summary>
        public async Task<double> MetricAsync(string series)
        {
            var (_, metrics) = await GetAsync("/metrics");
            var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }

        public Task<double> BookmarksAsync() => MetricAsync("collector_events_observed_total{type=\"BOOKMARK\"}");

        /// <summary>What SIGTERM does: the service flushes, then the host stops. Returns the exit code.</summary>
        public async Task<int> StopAsync()
        {
            if (_stopped)
            {
                return await app.Completion;
            }

            _stopped = true;
            return await app.StopAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            await app.DisposeAsync();
            _http.Dispose();
        }
    }
}
