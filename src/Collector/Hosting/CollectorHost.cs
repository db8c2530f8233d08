using Collector.Kubernetes;
using Collector.Kubernetes.LeaderElection;
using Collector.Observability;
using Collector.Sending;
using Collector.Settings;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Collector.Hosting;

/// <summary>
/// Composes a collector: the pipeline (under leader election when asked) and one HTTP port with /healthz,
/// /readyz and /metrics. Program.cs builds it with the real Kubernetes configuration and sink; tests build it
/// with the Kubernetes API double and moto.
/// </summary>
public static class CollectorHost
{
    public static CollectorApp Build(
        CollectorSettings settings,
        KubernetesClientConfiguration kubernetesConfiguration,
        IEnvelopeSink sink,
        ILoggerFactory? loggers = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(kubernetesConfiguration);
        ArgumentNullException.ThrowIfNull(sink);
        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;

        var kubernetes = new k8s.Kubernetes(kubernetesConfiguration);
        var metrics = new CollectorMetrics();
        var health = new HealthState(time, settings.HealthStallTimeout);
        var pipeline = new CollectorPipeline(new KubernetesEventApi(kubernetes), sink, settings, metrics, health, time, loggers);
        var service = new CollectorService(pipeline, new KubernetesLeaseApi(kubernetes), settings, metrics, health, time, loggers.CreateLogger<CollectorService>());
        return new CollectorApp(settings, service, kubernetes, metrics, health, time, loggers.CreateLogger<CollectorApp>());
    }
}

/// <summary>
/// A running (or runnable) collector. <see cref="RunAsync"/> is the process's life: start, wait for SIGTERM or
/// for the service to end, stop in order (the pipeline flushes within <see cref="CollectorSettings.ShutdownTimeout"/>).
/// </summary>
public sealed class CollectorApp : IAsyncDisposable
{
    private readonly CollectorSettings _settings;
    private readonly CollectorService _service;
    private readonly IDisposable _kubernetes;
    private readonly CollectorMetrics _metrics;
    private readonly HealthState _health;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort;
    private HttpEndpoint? _http;
    private Task<int>? _running;

    internal CollectorApp(CollectorSettings settings, CollectorService service, IDisposable kubernetes, CollectorMetrics metrics, HealthState health, TimeProvider time, ILogger logger)
    {
        _settings = settings;
        _service = service;
        _kubernetes = kubernetes;
        _metrics = metrics;
        _health = health;
        _logger = logger;
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    /// <summary>The HTTP port, once started (the configured one, or the one chosen for port 0).</summary>
    public int HttpPort => _http?.Port ?? throw new InvalidOperationException("The collector has not been started.");

    /// <summary>Completes with the exit code when the service has ended (stopped, failed, or leadership lost).</summary>
    public Task<int> Completion => _running ?? throw new InvalidOperationException("The collector has not been started.");

    /// <summary>Opens the HTTP port and starts the service.</summary>
    public Task StartAsync()
    {
        if (_running is not null)
        {
            throw new InvalidOperationException("The collector has already been started.");
        }

        _http = HttpEndpoint.Start(_settings.HttpPort, Route);
        _running = Task.Run(() => _service.RunAsync(_stopping.Token, _abort.Token));
        Log.Started(
            _logger,
            _settings.ClusterName,
            _settings.Namespaces.Count == 0 ? "(all)" : string.Join(',', _settings.Namespaces),
            _settings.DryRun,
            _settings.LeaderElection);
        return Task.CompletedTask;
    }

    /// <summary>
    /// What SIGTERM does: the watches stop, the buffer is flushed until the shutdown deadline, then the HTTP port
    /// closes. Returns the exit code.
    /// </summary>
    public async Task<int> StopAsync()
    {
        var running = Completion;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _abort.CancelAfter(_settings.ShutdownTimeout);
        int exitCode;
        try
        {
            // The pipeline gives up at the deadline; the margin lets it report what it could not send.
            exitCode = await running.WaitAsync(_settings.ShutdownTimeout + TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            exitCode = 1;
        }

        if (_http is { } http)
        {
            _http = null;
            await http.DisposeAsync().ConfigureAwait(false);
        }

        return exitCode;
    }

    /// <summary>Starts, runs until <paramref name="shutdown"/> is cancelled (SIGTERM) or the service ends, stops; returns the exit code.</summary>
    public async Task<int> RunAsync(CancellationToken shutdown)
    {
        await StartAsync().ConfigureAwait(false);
        try
        {
            await Completion.WaitAsync(shutdown).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
        }

        return await StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_running is not null && _http is not null)
        {
            await StopAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
        _abort.Dispose();
        _kubernetes.Dispose();
    }

    private HttpAnswer? Route(string path) => path switch
    {
        "/healthz" => _health.Problem() is { } problem ? HttpAnswer.Text(problem, 503) : HttpAnswer.Text("ok"),
        "/readyz" => _health.Ready ? HttpAnswer.Text("ready") : HttpAnswer.Text("the first list has not completed", 503),
        "/metrics" => new HttpAnswer(200, "text/plain; version=0.0.4; charset=utf-8", _metrics.Registry.Export()),
        _ => null,
    };
}
