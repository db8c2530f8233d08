namespace Collector.Kubernetes.LeaderElection;

/// <summary>
/// The three calls leader election makes on one coordination.k8s.io/v1 Lease. Failures are
/// <see cref="KubernetesApiException"/>s; 409 means another writer was first (a stale resourceVersion on
/// replace, or an existing lease on create).
/// </summary>
public interface ILeaseApi
{
    /// <summary>The lease, or null when it does not exist (404).</summary>
    Task<Lease?> GetAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Creates the lease; 409 AlreadyExists when another candidate created it first.</summary>
    Task<Lease> CreateAsync(string @namespace, string name, LeaseSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces <paramref name="current"/>'s spec fields with <paramref name="spec"/>, everything else kept;
    /// 409 Conflict when the lease changed since <paramref name="current"/> was read.
    /// </summary>
    Task<Lease> ReplaceAsync(string @namespace, string name, Lease current, LeaseSpec spec, CancellationToken cancellationToken);
}
