using Collector.Hosting;
using Collector.Sending;
using Collector.Settings;
using k8s;
using TestSupport.Kubernetes;

namespace Collector.Tests.Hosting;

/// <summary>A collector host in this process, wired to the Kubernetes API double and a sink.</summary>
internal sealed class RunningCollector : IAsyncDisposable
{
    private readonly CollectorApp _app;
    private bool _stopped;

    private RunningCollector(CollectorApp app, Uri http)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = http };
    }

    public HttpClient Http { get; }

    /// <summary>
    /// Settings tuned for tests on real time: short flush and backoffs, free port; the watchdog and /healthz keep
    /// wide margins (a loaded machine must not make a healthy collector look stuck).
    /// </summary>
    public static CollectorSettings TestSettings(Uri queueUrl) => new()
    {
        QueueUrl = queueUrl,
        ClusterName = "test-cluster",
        HttpPort = 0,
        FlushInterval = TimeSpan.FromMilliseconds(100),
        WatchBackoffMax = TimeSpan.FromMilliseconds(200),
        SendBackoffMax = TimeSpan.FromMilliseconds(200),
        WatchIdleTimeout = TimeSpan.FromSeconds(30),
        HealthStallTimeout = TimeSpan.FromSeconds(60),
        ShutdownTimeout = TimeSpan.FromSeconds(10),
    };

    public static async Task<RunningCollector> StartAsync(KubernetesApiDouble api, CollectorSettings settings, IEnvelopeSink sink)
    {
        var app = CollectorHost.Build(settings, new KubernetesClientConfiguration { Host = api.Host.ToString() }, sink);
        await app.StartAsync();
        return new RunningCollector(app, new Uri("http://127.0.0.1:" + app.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/"));
    }

    /// <summary>What SIGTERM does: the service flushes, then the host stops. Returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (_stopped)
        {
            return await _app.Completion;
        }

        _stopped = true;
        return await _app.StopAsync();
    }

    /// <summary>Completes with the exit code when the collector ended by itself (failure, leadership lost) or was stopped.</summary>
    public Task<int> Completion => _app.Completion;

    public async Task<string> MetricsAsync() => await Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    /// <summary>The value of an unlabelled metric, or of the first series that starts with <paramref name="series"/>.</summary>
    public async Task<double> MetricAsync(string series)
    {
        var line = (await MetricsAsync()).Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        Http.Dispose();
    }
}
