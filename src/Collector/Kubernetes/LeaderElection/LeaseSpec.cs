namespace Collector.Kubernetes.LeaderElection;

/// <summary>
/// The fields of a coordination.k8s.io/v1 LeaseSpec that leader election reads and writes (the same record
/// client-go's LeaseLock keeps). Value equality is what "the record changed" means to a candidate.
/// </summary>
/// <param name="HolderIdentity">The current holder; empty when nobody holds the lease (never held, or released).</param>
/// <param name="LeaseDurationSeconds">How long the holder asks others to wait; informational for candidates here.</param>
/// <param name="AcquireTime">When the current holder acquired the lease.</param>
/// <param name="RenewTime">When the holder last renewed it, by the holder's clock.</param>
/// <param name="LeaseTransitions">How many times the lease changed holder.</param>
public sealed record LeaseSpec(
    string HolderIdentity,
    int? LeaseDurationSeconds,
    DateTimeOffset? AcquireTime,
    DateTimeOffset? RenewTime,
    int LeaseTransitions)
{
    /// <summary>True when someone holds the lease.</summary>
    public bool IsHeld => HolderIdentity.Length > 0;
}
