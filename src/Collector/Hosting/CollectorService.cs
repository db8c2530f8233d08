using Collector.Observability;
using Collector.Settings;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Collector.Hosting;

/// <summary>
/// Runs the pipeline for the life of the process, or, with leader election, only while this replica holds
/// the Lease (so several replicas ship each event once). Any failure it cannot recover from stops the
/// host with a non-zero exit code: a restarted pod beats one that idles while looking alive.
/// </summary>
public sealed class CollectorService(
    CollectorPipeline pipeline,
    IKubernetes kubernetes,
    CollectorSettings settings,
    CollectorMetrics metrics,
    HealthState health,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<CollectorService> logger) : BackgroundService
{
    private readonly CancellationTokenSource _abort = new(Timeout.InfiniteTimeSpan, time);

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // SIGTERM: the pipeline flushes until this deadline, which is kept inside the pod's grace period.
        _abort.CancelAfter(settings.ShutdownTimeout);
        return base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (settings.LeaderElection)
            {
                await RunAsLeaderAsync(stoppingToken).ConfigureAwait(false);
            }
            else
            {
                metrics.IsLeader.Set(1);
                await pipeline.RunAsync(stoppingToken, _abort.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.Failed(logger, ex);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private async Task RunAsLeaderAsync(CancellationToken stoppingToken)
    {
        var identity = settings.PodName;
        health.EnterStandby();
        var lease = new LeaseLock(kubernetes, settings.PodNamespace, settings.LeaseName, identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(lease)
        {
            LeaseDuration = settings.LeaseDuration,
            RenewDeadline = settings.LeaseRenewDeadline,
            RetryPeriod = settings.LeaseRetryPeriod,
        });
        using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task? shipping = null;
        elector.OnStartedLeading += () =>
        {
            Log.LeadershipAcquired(logger, identity);
            metrics.IsLeader.Set(1);
            shipping = Task.Run(() => pipeline.RunAsync(term.Token, _abort.Token), CancellationToken.None);
        };
        elector.OnNewLeader += leader =>
        {
            if (leader != identity)
            {
                Log.NewLeader(logger, leader);
            }
        };
        elector.OnError += ex => Log.LeaderElectionError(logger, ex);

        var electing = elector.RunUntilLeadershipLostAsync(stoppingToken);
        while (shipping is null && !electing.IsCompleted)
        {
            // Standby: wait for the term to start (or the process to stop).
            await Task.WhenAny(electing, Task.Delay(settings.LeaseRetryPeriod, time, stoppingToken)).ConfigureAwait(false);
        }

        if (shipping is not null)
        {
            var first = await Task.WhenAny(electing, shipping).ConfigureAwait(false);
            if (first == shipping)
            {
                // The pipeline only ends by itself when it failed: surface that.
                await shipping.ConfigureAwait(false);
            }
        }

        await term.CancelAsync().ConfigureAwait(false);
        metrics.IsLeader.Set(0);
        if (shipping is not null)
        {
            await shipping.ConfigureAwait(false);
        }

        await SwallowCancellation(electing).ConfigureAwait(false);
        if (!stoppingToken.IsCancellationRequested)
        {
            // Another replica may already be shipping; starting over as a candidate is the safe way back.
            Log.LeadershipLost(logger, identity);
            lifetime.StopApplication();
        }
    }

    private static async Task SwallowCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
