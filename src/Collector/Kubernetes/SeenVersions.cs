namespace Collector.Kubernetes;

/// <summary>
/// Remembers, per event uid, the last resourceVersion handed to the sender, so that a relist (after a 410
/// or a restarted watch) does not ship again what this process already shipped. Bounded: two generations
/// of at most capacity/2 entries each; when the young one fills, the old one is dropped. Forgetting only
/// costs a duplicate send, which the indexer absorbs (it keys documents by uid and keeps the newest
/// resourceVersion), so the bound trades a little traffic for a hard memory limit.
/// Resource versions are opaque strings (Kubernetes API conventions): only equality is used.
/// Thread-safe: each namespace watch calls it from its own task.
/// </summary>
public sealed class SeenVersions
{
    private readonly int _generationSize;
    private readonly Lock _gate = new();
    private Dictionary<string, string> _young = new(StringComparer.Ordinal);
    private Dictionary<string, string> _old = new(StringComparer.Ordinal);

    /// <param name="capacity">The most uids remembered; 0 turns de-duplication off.</param>
    public SeenVersions(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _generationSize = capacity / 2;
    }

    /// <summary>Entries currently remembered.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _young.Count + _old.Count;
            }
        }
    }

    /// <summary>
    /// Records <paramref name="resourceVersion"/> for <paramref name="uid"/> and returns true, or returns false
    /// when exactly that version was recorded before (the event is a repeat and must not be sent again).
    /// </summary>
    public bool TryRecord(string uid, string resourceVersion)
    {
        ArgumentNullException.ThrowIfNull(uid);
        ArgumentNullException.ThrowIfNull(resourceVersion);
        if (_generationSize == 0 || uid.Length == 0 || resourceVersion.Length == 0)
        {
            return true;
        }

        lock (_gate)
        {
            if (_young.TryGetValue(uid, out var seen))
            {
                if (seen == resourceVersion)
                {
                    return false;
                }

                _young[uid] = resourceVersion;
                return true;
            }

            if (_old.Remove(uid, out seen) && seen == resourceVersion)
            {
                Add(uid, resourceVersion);
                return false;
            }

            Add(uid, resourceVersion);
            return true;
        }
    }

    /// <summary>Forgets a deleted event.</summary>
    public void Forget(string uid)
    {
        lock (_gate)
        {
            _young.Remove(uid);
            _old.Remove(uid);
        }
    }

    private void Add(string uid, string resourceVersion)
    {
        if (_young.Count >= _generationSize)
        {
            _old = _young;
            _young = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        _young[uid] = resourceVersion;
    }
}
