using System.Globalization;
using System.Text.Json.Nodes;

namespace TestSupport.Kubernetes;

/// <summary>
/// The double's core/v1 Events and their change history, the part of etcd and the watch cache a list and
/// a watch read: the current events, every change since the last compaction, and the events as they were
/// at the compacted version, so a list can be served at any version still in the history and a watch can
/// replay from one. Open watches are registered here so that every change reaches them in version order.
/// </summary>
internal sealed class EventHistory(ResourceVersionCounter versions)
{
    // One lock for the events, the history and the open watches: a change is numbered, recorded and fanned
    // out as one step, so the history and every watch see versions in increasing order.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _events = new(StringComparer.Ordinal);
    private readonly List<EventChange> _history = [];
    private readonly Dictionary<string, string> _compactedBase = new(StringComparer.Ordinal);
    private readonly List<EventWatch> _watches = [];
    private long _compactedVersion;
    private long _nameSequence;
    private (long Version, List<KeyValuePair<string, string>> Items)? _listSnapshot;

    /// <summary>Oldest changes are compacted away automatically beyond this many (like etcd's compaction); null: never.</summary>
    public int? MaxHistory { get; set; }

    /// <summary>Watch connections currently open.</summary>
    public int OpenWatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>Current events, keyed by namespace/name (copies).</summary>
    public IReadOnlyDictionary<string, JsonObject> Current
    {
        get
        {
            lock (_gate)
            {
                return _events.ToDictionary(e => e.Key, e => (JsonObject)e.Value.DeepClone());
            }
        }
    }

    /// <summary>Creates an event shaped like a scheduler's and returns a copy of what is stored.</summary>
    public JsonObject Add(string @namespace, string reason, string type, string kind, string? message, string? name)
    {
        lock (_gate)
        {
            var sequence = ++_nameSequence;
            var objectName = "object-" + sequence.ToString(CultureInfo.InvariantCulture);
            var eventName = name ?? objectName + "." + sequence.ToString("x16", CultureInfo.InvariantCulture);
            var now = Timestamp();
            var version = versions.Next();
            var rv = ResourceVersionCounter.Format(version);
            var json = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = eventName,
                    ["namespace"] = @namespace,
                    ["uid"] = Guid.NewGuid().ToString(),
                    ["resourceVersion"] = rv,
                    ["creationTimestamp"] = now,
                    ["managedFields"] = new JsonArray(new JsonObject
                    {
                        ["manager"] = "kubelet",
                        ["operation"] = "Update",
                        ["apiVersion"] = "v1",
                        ["time"] = now,
                        ["fieldsType"] = "FieldsV1",
                        ["fieldsV1"] = new JsonObject { ["f:count"] = new JsonObject(), ["f:message"] = new JsonObject() },
                    }),
                },
                ["involvedObject"] = new JsonObject
                {
                    ["kind"] = kind,
                    ["namespace"] = @namespace,
                    ["name"] = objectName,
                    ["uid"] = Guid.NewGuid().ToString(),
                    ["apiVersion"] = kind == "Pod" ? "v1" : "apps/v1",
                    ["resourceVersion"] = rv,
                },
                ["reason"] = reason,
                ["message"] = message ?? $"Successfully assigned {@namespace}/{objectName} to ip-192-168-1-10.ec2.internal",
                ["source"] = new JsonObject { ["component"] = "default-scheduler" },
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["count"] = 1,
                ["type"] = type,
                ["eventTime"] = null,
                ["reportingComponent"] = "default-scheduler",
                ["reportingInstance"] = "",
            };
            var key = Key(@namespace, eventName);
            _events[key] = json;
            Record(new EventChange(version, "ADDED", @namespace, key, json.ToJsonString()));
            return (JsonObject)json.DeepClone();
        }
    }

    /// <summary>Repeats an event the way the kubelet does: <c>count</c> + 1, a new message and lastTimestamp, a new resourceVersion.</summary>
    public JsonObject Update(string @namespace, string name, string? message)
    {
        lock (_gate)
        {
            var key = Key(@namespace, name);
            var json = _events[key];
            json["count"] = json["count"]!.GetValue<int>() + 1;
            if (message is not null)
            {
                json["message"] = message;
            }

            json["lastTimestamp"] = Timestamp();
            var version = versions.Next();
            json["metadata"]!["resourceVersion"] = ResourceVersionCounter.Format(version);
            Record(new EventChange(version, "MODIFIED", @namespace, key, json.ToJsonString()));
            return (JsonObject)json.DeepClone();
        }
    }

    /// <summary>Deletes an event (its TTL expired); nothing happens when there is none by that name.</summary>
    public void Delete(string @namespace, string name)
    {
        lock (_gate)
        {
            var key = Key(@namespace, name);
            if (_events.Remove(key, out var json))
            {
                var version = versions.Next();
                json["metadata"]!["resourceVersion"] = ResourceVersionCounter.Format(version);
                Record(new EventChange(version, "DELETED", @namespace, key, json.ToJsonString()));
            }
        }
    }

    /// <summary>Forgets the whole history, like etcd compaction at the current version.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            CompactTo(_history.Count);
        }
    }

    /// <summary>
    /// Reads one page of a list: the first page (no <paramref name="continueToken"/>) at the current version,
    /// the next ones at the version their token carries. Null when the token is not one of ours or its
    /// version was compacted away (the server answers 410 Expired).
    /// </summary>
    public EventListPage? ReadPage(string? continueToken, string? @namespace, int limit)
    {
        lock (_gate)
        {
            long version;
            int offset;
            if (string.IsNullOrEmpty(continueToken))
            {
                version = versions.Current;
                offset = 0;
            }
            else if (!ListContinueToken.TryDecode(continueToken, out version, out offset))
            {
                return null;
            }

            if (ListSnapshotAt(version) is not { } snapshot)
            {
                return null;
            }

            var items = snapshot.Where(e => @namespace is null || e.Key.StartsWith(@namespace + "/", StringComparison.Ordinal)).ToList();
            var take = limit > 0 ? limit : int.MaxValue;
            var page = items.Skip(offset).Take(take).Select(e => e.Value).ToList();
            var next = offset + page.Count < items.Count ? ListContinueToken.Encode(version, offset + page.Count) : "";
            return new EventListPage(version, page, next);
        }
    }

    /// <summary>
    /// Registers a watch from <paramref name="resourceVersion"/> ("" or "0": from now), unless that version
    /// was compacted away or <paramref name="expire"/> asks to answer as if it were; then nothing is registered.
    /// </summary>
    public EventWatchStart OpenWatch(EventWatch watch, string resourceVersion, bool expire)
    {
        lock (_gate)
        {
            long from = 0;
            var expired = expire
                || (long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out from) && from < _compactedVersion);
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                from = versions.Current;
            }

            if (expired)
            {
                return new EventWatchStart(true, from, [], _compactedVersion);
            }

            _watches.Add(watch);
            return new EventWatchStart(false, from, _history.Where(c => c.Version > from).ToList(), _compactedVersion);
        }
    }

    /// <summary>Unregisters a watch whose connection ended.</summary>
    public void CloseWatch(EventWatch watch)
    {
        lock (_gate)
        {
            _watches.Remove(watch);
        }
    }

    /// <summary>The watches open now.</summary>
    public IReadOnlyList<EventWatch> OpenWatches()
    {
        lock (_gate)
        {
            return [.. _watches];
        }
    }

    private static string Key(string @namespace, string name) => @namespace + "/" + name;

    private static string Timestamp() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private void Record(EventChange change)
    {
        _history.Add(change);
        foreach (var watch in _watches)
        {
            watch.Changes.Writer.TryWrite(change);
        }

        if (MaxHistory is { } max && _history.Count > max)
        {
            CompactTo(_history.Count - (max / 2));
        }
    }

    private void CompactTo(int count)
    {
        if (count <= 0)
        {
            return;
        }

        foreach (var change in _history.Take(count))
        {
            if (change.Type == "DELETED")
            {
                _compactedBase.Remove(change.Key);
            }
            else
            {
                _compactedBase[change.Key] = change.Json;
            }
        }

        _compactedVersion = _history[count - 1].Version;
        _history.RemoveRange(0, count);
    }

    /// <summary>
    /// The snapshot a paged list reads, built once per list version: every page of one list is served from
    /// it. Rebuilding it per page made a list of n events O(n²) under the lock that every create, update and
    /// watch fan-out also needs, so a large relist starved the event writers and the open watches.
    /// Null when <paramref name="version"/> is before the compacted version.
    /// </summary>
    private List<KeyValuePair<string, string>>? ListSnapshotAt(long version)
    {
        if (version < _compactedVersion)
        {
            return null;
        }

        if (_listSnapshot is { } cached && cached.Version == version)
        {
            return cached.Items;
        }

        var snapshot = new SortedDictionary<string, string>(_compactedBase, StringComparer.Ordinal);
        foreach (var change in _history)
        {
            if (change.Version > version)
            {
                break;
            }

            if (change.Type == "DELETED")
            {
                snapshot.Remove(change.Key);
            }
            else
            {
                snapshot[change.Key] = change.Json;
            }
        }

        var items = snapshot.ToList();
        _listSnapshot = (version, items);
        return items;
    }
}
