namespace Collector.Kubernetes.LeaderElection;

/// <summary>Which Lease to compete for, as whom, and the timing (client-go's meaning and defaults).</summary>
public sealed record LeaseElectorOptions
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>This candidate's holderIdentity; unique among the candidates (the pod name).</summary>
    public required string Identity { get; init; }

    /// <summary>
    /// How long a candidate waits, after it last saw the lease change, before it takes the lease from a
    /// holder that stopped renewing.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long the leader keeps trying to renew, counted from the start of its last successful renewal,
    /// before it gives up. Shorter than <see cref="LeaseDuration"/>, so that it stops before a candidate
    /// can take over.
    /// </summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often candidates try to acquire, and the leader renews.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// On cancellation while leading, write the lease with no holder so that a candidate takes over on its
    /// next try instead of after <see cref="LeaseDuration"/>.
    /// </summary>
    public bool ReleaseOnCancel { get; init; } = true;
}
