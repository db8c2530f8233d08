using Collector.Kubernetes.LeaderElection;
using Collector.Observability;
using Collector.Settings;
using Microsoft.Extensions.Logging;

namespace Collector.Hosting;

/// <summary>
/// Runs the pipeline for the life of the process, or, with leader election, only while this replica holds
/// the Lease (so several replicas ship each event once). Any failure it cannot recover from ends it with a
/// non-zero exit code: a restarted pod beats one that idles while looking alive.
/// </summary>
public sealed class CollectorService(
    CollectorPipeline pipeline,
    ILeaseApi leases,
    CollectorSettings settings,
    CollectorMetrics metrics,
    HealthState health,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>
    /// Runs until <paramref name="stoppingToken"/> (SIGTERM: flush, then return) or until it cannot go on.
    /// <paramref name="abortToken"/> is the flush deadline. Returns the process exit code: 0 when stopped or
    /// when leadership was lost (the pod restarts as a candidate), 1 on a failure.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken stoppingToken, CancellationToken abortToken)
    {
        try
        {
            if (settings.LeaderElection)
            {
                await RunAsLeaderAsync(stoppingToken, abortToken).ConfigureAwait(false);
            }
            else
            {
                metrics.IsLeader.Set(1);
                await pipeline.RunAsync(stoppingToken, abortToken).ConfigureAwait(false);
            }

            return 0;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception ex)
        {
            Log.Failed(logger, ex);
            return 1;
        }
    }

    private async Task RunAsLeaderAsync(CancellationToken stoppingToken, CancellationToken abortToken)
    {
        var identity = settings.PodName;
        health.EnterStandby();
        var elector = new LeaseElector(
            leases,
            new LeaseElectorOptions
            {
                Namespace = settings.PodNamespace,
                Name = settings.LeaseName,
                Identity = identity,
                LeaseDuration = settings.LeaseDuration,
                RenewDeadline = settings.LeaseRenewDeadline,
                RetryPeriod = settings.LeaseRetryPeriod,
            },
            time);
        using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task? shipping = null;
        var termStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        elector.OnStartedLeading += () =>
        {
            Log.LeadershipAcquired(logger, identity);
            metrics.IsLeader.Set(1);
            shipping = Task.Run(() => pipeline.RunAsync(term.Token, abortToken), CancellationToken.None);
            termStarted.TrySetResult();
        };
        elector.OnNewLeader += leader =>
        {
            if (leader != identity)
            {
                Log.NewLeader(logger, leader);
            }
        };
        elector.OnError += ex => Log.LeaderElectionError(logger, ex);

        // Standby: wait for the term to start, or for the election to end (stopped); no timer, so a standby
        // does nothing between the elector's own tries.
        var electing = elector.RunUntilLeadershipLostAsync(stoppingToken);
        await Task.WhenAny(electing, termStarted.Task).ConfigureAwait(false);
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
