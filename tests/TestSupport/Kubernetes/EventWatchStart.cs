namespace TestSupport.Kubernetes;

/// <summary>
/// How a watch begins: either <paramref name="Expired"/> (its version was compacted away, as of
/// <paramref name="CompactedVersion"/>), or the changes after <paramref name="From"/> still in the
/// history, to be written before the live ones.
/// </summary>
internal sealed record EventWatchStart(bool Expired, long From, IReadOnlyList<EventChange> Backlog, long CompactedVersion);
