using System.Net;
using Collector.Kubernetes;
using Collector.Observability;
using Collector.Sending;
using Collector.Settings;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Collector.Hosting;

/// <summary>
/// Composes a collector: the pipeline as a hosted service and one HTTP port with /healthz, /readyz and
/// /metrics. Program.cs calls it with the real Kubernetes configuration and sink; tests call it with the
/// Kubernetes API double and moto.
/// </summary>
public static class CollectorHost
{
    public static WebApplication Build(
        CollectorSettings settings,
        KubernetesClientConfiguration kubernetesConfiguration,
        IEnvelopeSink sink,
        TimeProvider? time = null,
        Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(kubernetesConfiguration);
        ArgumentNullException.ThrowIfNull(sink);
        time ??= TimeProvider.System;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Any, settings.HttpPort));
        builder.Services.Configure<HostOptions>(options =>
        {
            // The service flushes until ShutdownTimeout; give it a moment beyond to report and exit.
            options.ShutdownTimeout = settings.ShutdownTimeout + TimeSpan.FromSeconds(2);
        });
        builder.Logging.ClearProviders();
        if (configureLogging is null)
        {
            builder.Logging.AddJsonConsole(json => json.UseUtcTimestamp = true);
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        }
        else
        {
            configureLogging(builder.Logging);
        }

        var kubernetes = new k8s.Kubernetes(kubernetesConfiguration);
        var metrics = new CollectorMetrics();
        var health = new HealthState(time, settings.HealthStallTimeout);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(health);
        builder.Services.AddSingleton(sink);
        builder.Services.AddSingleton<IKubernetes>(kubernetes);
        builder.Services.AddSingleton<IEventApi>(new KubernetesEventApi(kubernetes));
        builder.Services.AddSingleton<CollectorPipeline>();
        builder.Services.AddHostedService<CollectorService>();

        var app = builder.Build();
        app.MapGet("/healthz", (HealthState state) => state.Problem() is { } problem
            ? Results.Text(problem, statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ok"));
        app.MapGet("/readyz", (HealthState state) => state.Ready
            ? Results.Text("ready")
            : Results.Text("the first list has not completed", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/metrics", async (HttpContext context, CollectorMetrics m) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await m.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        app.Lifetime.ApplicationStarted.Register(() => Log.Started(
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CollectorHost).FullName!),
            settings.ClusterName,
            settings.Namespaces.Count == 0 ? "(all)" : string.Join(',', settings.Namespaces),
            settings.DryRun,
            settings.LeaderElection));
        return app;
    }
}
