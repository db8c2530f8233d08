namespace Collector.Kubernetes.LeaderElection;

/// <summary>
/// A Lease as the API server returned it: its <paramref name="ResourceVersion"/> (the precondition of the
/// next replace, so that two writers cannot both win), the parsed <paramref name="Spec"/>, and the whole
/// object's JSON, so that a replace keeps what other clients put on it (labels, annotations, spec fields
/// this code does not know).
/// </summary>
public sealed record Lease(string ResourceVersion, LeaseSpec Spec, ReadOnlyMemory<byte> Json);
