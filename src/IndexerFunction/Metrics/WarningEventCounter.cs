using System.Buffers;
using Functions.Runtime.Metrics;
using Shared.Contract;
using Shared.OpenSearch;

namespace IndexerFunction.Metrics;

/// <summary>
/// Counts a batch's Warning events for the metric <c>WarningEvents</c> (dimensions <c>ClusterName</c> and
/// <c>Reason</c>): once per new occurrence, not once per delivery. An event counts when its write created
/// the document or advanced its version (<see cref="BulkItemStatus.Indexed"/>). Events are written with
/// <c>version_type=external</c>, so a redelivered or repeated copy of a stored version is refused
/// (<see cref="BulkItemStatus.VersionConflict"/>) and counts nothing, and copies of one event within a batch
/// are one document already. Not thread-safe: one counter per handler, one batch at a time.
/// </summary>
public sealed class WarningEventCounter
{
    private readonly List<int> _tags = []; // per document of the batch: its (cluster, reason), or -1
    private readonly List<(string Cluster, string Reason)> _keys = [];
    private readonly Dictionary<(string Cluster, string Reason), int> _keyIndex = [];
    private readonly List<int> _counts = [];

    // The last tag given, for the same strings: a burst of one reason from one message is tagged without hashing them.
    private string? _lastClusterName;
    private string? _lastReason;
    private int _lastTag;

    /// <summary>Starts a new batch.</summary>
    public void Clear()
    {
        _tags.Clear();
        _keys.Clear();
        _keyIndex.Clear();
        _counts.Clear();
        _lastClusterName = _lastReason = null;
    }

    /// <summary>The tag of an event: which (cluster, reason) it counts under, or -1 when it is not a Warning.</summary>
    /// <param name="warningReason">The name the event's reason counts under (<see cref="WarningReasons.NameOf"/>), or null when
    /// the event's <c>type</c> is not <c>Warning</c>.</param>
    /// <param name="clusterName">The cluster the event comes from; may be empty.</param>
    public int Tag(string? warningReason, string clusterName)
    {
        ArgumentNullException.ThrowIfNull(clusterName);
        if (warningReason is null)
        {
            return -1;
        }

        if (ReferenceEquals(clusterName, _lastClusterName) && ReferenceEquals(warningReason, _lastReason))
        {
            return _lastTag;
        }

        // CloudWatch refuses an empty dimension value; an event without a cluster is counted under "unknown".
        var cluster = clusterName.Length == 0 ? "unknown" : clusterName.Length > 255 ? clusterName[..255] : clusterName;
        var key = (cluster, warningReason);
        if (!_keyIndex.TryGetValue(key, out var index))
        {
            index = _keys.Count;
            _keyIndex[key] = index;
            _keys.Add(key);
            _counts.Add(0);
        }

        _lastClusterName = clusterName;
        _lastReason = warningReason;
        _lastTag = index;
        return index;
    }

    /// <summary>Records that document <paramref name="item"/> of the batch carries the event tagged <paramref name="tag"/> (its newest copy).</summary>
    public void Keep(int item, int tag)
    {
        while (_tags.Count <= item)
        {
            _tags.Add(-1);
        }

        _tags[item] = tag;
    }

    /// <summary>Counts the documents whose write was new and appends one EMF record per (cluster, reason) seen, each
    /// followed by a newline, to <paramref name="lines"/> (the handler writes them with its own record).</summary>
    /// <returns>The Warning events counted.</returns>
    public int Report(IReadOnlyList<BulkItemOutcome> outcomes, TimeProvider time, ArrayBufferWriter<byte> lines)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var total = 0;
        for (var i = 0; i < _tags.Count && i < outcomes.Count; i++)
        {
            if (_tags[i] >= 0 && outcomes[i].Status == BulkItemStatus.Indexed)
            {
                _counts[_tags[i]]++;
                total++;
            }
        }

        for (var k = 0; k < _keys.Count; k++)
        {
            if (_counts[k] > 0)
            {
                EmfMetrics.ForDimensions(time, (WarningMetric.ClusterDimension, _keys[k].Cluster), (WarningMetric.ReasonDimension, _keys[k].Reason))
                    .Count(WarningMetric.MetricName, _counts[k])
                    .WriteTo(lines);
                lines.Write("\n"u8);
            }
        }

        return total;
    }
}
