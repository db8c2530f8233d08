using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TestSupport.Kubernetes;

/// <summary>
/// A Kubernetes API server double for core/v1 Events and coordination.k8s.io/v1 Leases, on Kestrel at
/// 127.0.0.1 and a free port. It models the documented behaviour the collector depends on:
/// <list type="bullet">
/// <item>one global, increasing resourceVersion; a history of changes that can be compacted, after which
/// older versions and continue tokens answer 410 (Expired);</item>
/// <item>paged lists (<c>limit</c>/<c>continue</c>) that are consistent snapshots at the first page's
/// version; list items without <c>kind</c>/<c>apiVersion</c>, as the real server serves them;</item>
/// <item>chunked watch streams (newline-delimited watch events) from a resourceVersion, with BOOKMARK
/// events when <c>allowWatchBookmarks</c> is set, ending normally after <c>timeoutSeconds</c>;</item>
/// <item>injected faults (<see cref="WatchFault"/>): cut streams, silent streams, an unreadable line, ERROR 410, HTTP 410/500;</item>
/// <item>Leases with optimistic concurrency (a stale resourceVersion on update is 409 Conflict, creating an
/// existing one is 409 AlreadyExists, a missing one is 404), enough for a leader elector; other clients'
/// writes (<see cref="SetLease"/>, <see cref="UpdateLease"/>) and injected lease failures (<see cref="LeaseFault"/>).</item>
/// </list>
/// </summary>
public sealed class KubernetesApiDouble : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, JsonObject> _events = new(StringComparer.Ordinal);
    private readonly List<Change> _history = [];
    private readonly List<(Channel<Change> Channel, HttpContext Context)> _watchers = [];
    private readonly Queue<WatchFault> _faults = new();
    private readonly List<WatchRequest> _requests = [];
    private readonly Dictionary<string, JsonObject> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _compactedBase = new(StringComparer.Ordinal);
    private long _resourceVersion = 1000;
    private long _compactedVersion;
    private long _nameSequence;
    private int _leaseConflicts;
    private (long Version, List<KeyValuePair<string, string>> Items)? _listSnapshot;

    private KubernetesApiDouble(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Base address, e.g. http://127.0.0.1:41234/ (use it as KubernetesClientConfiguration.Host).</summary>
    public Uri Host { get; private set; } = new("http://127.0.0.1/");

    /// <summary>How often BOOKMARK events are sent on watches that asked for them; null: never.</summary>
    public TimeSpan? BookmarkInterval { get; set; }

    /// <summary>The longest a watch stays open, whatever <c>timeoutSeconds</c> asks; null: as asked.</summary>
    public TimeSpan? MaxWatchDuration { get; set; }

    /// <summary>Oldest changes are compacted away automatically beyond this many (like etcd's compaction); null: never.</summary>
    public int? MaxHistory { get; set; }

    /// <summary>
    /// Consulted for every lease request before it is served: a status to answer instead (500 for an API
    /// server in trouble, 409 for a lost race), or null to serve it normally.
    /// </summary>
    public Func<LeaseRequest, int?>? LeaseFault { get; set; }

    /// <summary>How many lease writes were refused with 409 (stale resourceVersion, or the lease already exists).</summary>
    public int LeaseConflicts => Volatile.Read(ref _leaseConflicts);

    /// <summary>The current resourceVersion.</summary>
    public string ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return Format(_resourceVersion);
            }
        }
    }

    /// <summary>Every list and watch request received, in order.</summary>
    public IReadOnlyList<WatchRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Watch connections currently open.</summary>
    public int OpenWatches
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>Starts the double on 127.0.0.1 and a free port.</summary>
    public static async Task<KubernetesApiDouble> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new KubernetesApiDouble(app);
        app.MapGet("/api/v1/events", (HttpContext c) => server.ServeEventsAsync(c, null));
        app.MapGet("/api/v1/namespaces/{ns}/events", (HttpContext c, string ns) => server.ServeEventsAsync(c, ns));
        app.MapGet("/apis/coordination.k8s.io/v1/namespaces/{ns}/leases/{name}", (HttpContext c, string ns, string name) => server.GetLeaseAsync(c, ns, name));
        app.MapPost("/apis/coordination.k8s.io/v1/namespaces/{ns}/leases", (HttpContext c, string ns) => server.CreateLeaseAsync(c, ns));
        app.MapPut("/apis/coordination.k8s.io/v1/namespaces/{ns}/leases/{name}", (HttpContext c, string ns, string name) => server.ReplaceLeaseAsync(c, ns, name));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Host = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Makes the next watch request (or the next several, called repeatedly) fail this way.</summary>
    public void EnqueueWatchFault(WatchFault fault)
    {
        lock (_gate)
        {
            _faults.Enqueue(fault);
        }
    }

    /// <summary>
    /// Resets every open watch connection without the terminating chunk (an API server restart, a dropped
    /// NAT entry). Returns how many were cut.
    /// </summary>
    public int CutOpenWatches()
    {
        List<HttpContext> open;
        lock (_gate)
        {
            open = _watchers.Select(w => w.Context).ToList();
        }

        foreach (var context in open)
        {
            context.Abort();
        }

        return open.Count;
    }

    /// <summary>Creates an event and returns its stored JSON (with the uid and resourceVersion it got).</summary>
    public JsonObject AddEvent(string @namespace, string reason = "Scheduled", string type = "Normal", string kind = "Pod", string? message = null, string? name = null)
    {
        lock (_gate)
        {
            var sequence = ++_nameSequence;
            var objectName = "object-" + sequence.ToString(CultureInfo.InvariantCulture);
            var eventName = name ?? objectName + "." + sequence.ToString("x16", CultureInfo.InvariantCulture);
            var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var rv = Format(++_resourceVersion);
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
            Record(new Change(_resourceVersion, "ADDED", @namespace, key, json.ToJsonString()));
            return (JsonObject)json.DeepClone();
        }
    }

    /// <summary>Repeats an event the way the kubelet does: <c>count</c> + 1, a new message and lastTimestamp, a new resourceVersion.</summary>
    public JsonObject UpdateEvent(string @namespace, string name, string? message = null)
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

            json["lastTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            json["metadata"]!["resourceVersion"] = Format(++_resourceVersion);
            Record(new Change(_resourceVersion, "MODIFIED", @namespace, key, json.ToJsonString()));
            return (JsonObject)json.DeepClone();
        }
    }

    /// <summary>Deletes an event (its TTL expired).</summary>
    public void DeleteEvent(string @namespace, string name)
    {
        lock (_gate)
        {
            var key = Key(@namespace, name);
            if (_events.Remove(key, out var json))
            {
                json["metadata"]!["resourceVersion"] = Format(++_resourceVersion);
                Record(new Change(_resourceVersion, "DELETED", @namespace, key, json.ToJsonString()));
            }
        }
    }

    /// <summary>Current events, keyed by namespace/name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToDictionary(e => e.Key, e => (JsonObject)e.Value.DeepClone());
            }
        }
    }

    /// <summary>
    /// Forgets the history up to the current version, like etcd compaction: watches and continue tokens from
    /// older versions now get 410 Expired.
    /// </summary>
    public void Compact()
    {
        lock (_gate)
        {
            CompactTo(_history.Count);
        }
    }

    /// <summary>The stored lease, or null.</summary>
    public JsonObject? GetLease(string @namespace, string name)
    {
        lock (_gate)
        {
            return _leases.TryGetValue(Key(@namespace, name), out var lease) ? (JsonObject)lease.DeepClone() : null;
        }
    }

    /// <summary>
    /// Stores a lease the way another client might (kubectl apply, a client-go elector): created or
    /// overwritten whatever resourceVersion it carries, then given a new one. Returns what is stored.
    /// </summary>
    public JsonObject SetLease(string @namespace, JsonObject lease)
    {
        lock (_gate)
        {
            var stored = (JsonObject)lease.DeepClone();
            var metadata = (JsonObject)stored["metadata"]!;
            var name = metadata["name"]!.GetValue<string>();
            metadata["namespace"] = @namespace;
            metadata["resourceVersion"] = Format(++_resourceVersion);
            _leases[Key(@namespace, name)] = stored;
            return (JsonObject)stored.DeepClone();
        }
    }

    /// <summary>Changes a stored lease in place, as another client's update would (it gets a new resourceVersion).</summary>
    public JsonObject UpdateLease(string @namespace, string name, Action<JsonObject> change)
    {
        lock (_gate)
        {
            var stored = _leases[Key(@namespace, name)];
            change(stored);
            stored["metadata"]!["resourceVersion"] = Format(++_resourceVersion);
            return (JsonObject)stored.DeepClone();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Channel.Writer.TryComplete();
            }
        }

        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopTimeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static string Key(string @namespace, string name) => @namespace + "/" + name;

    private static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    private void Record(Change change)
    {
        _history.Add(change);
        foreach (var watcher in _watchers)
        {
            // Unbounded per-watch queues: the double never blocks its writers, like the API server's
            // watch cache (which would instead drop a too-slow watcher; the client then resumes).
            watcher.Channel.Writer.TryWrite(change);
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

    /// <summary>The events as they were at <paramref name="version"/>; null when that is before the compacted version.</summary>
    private SortedDictionary<string, string>? SnapshotAt(long version)
    {
        if (version < _compactedVersion)
        {
            return null;
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

        return snapshot;
    }

    private async Task ServeEventsAsync(HttpContext context, string? @namespace)
    {
        var query = context.Request.Query;
        var watch = query["watch"] == "true" || query["watch"] == "1";
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 0;
        var request = new WatchRequest(watch, @namespace, query["resourceVersion"].ToString(), query["allowWatchBookmarks"] == "true", query["continue"].ToString(), limit);
        lock (_gate)
        {
            _requests.Add(request);
        }

        if (watch)
        {
            await ServeWatchAsync(context, request);
        }
        else
        {
            await ServeListAsync(context, request);
        }
    }

    /// <summary>
    /// The snapshot a paged list reads, built once per list version: every page of one list is served from
    /// it. Rebuilding it per page made a list of n events O(n²) under the lock that every create, update and
    /// watch fan-out also needs, so a large relist starved the event writers and the open watches.
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

        var items = SnapshotAt(version)!.ToList();
        _listSnapshot = (version, items);
        return items;
    }

    private async Task ServeListAsync(HttpContext context, WatchRequest request)
    {
        long version;
        int offset;
        List<KeyValuePair<string, string>> page;
        string nextContinue;
        lock (_gate)
        {
            if (string.IsNullOrEmpty(request.Continue))
            {
                version = _resourceVersion;
                offset = 0;
            }
            else if (!TryDecodeContinue(request.Continue, out version, out offset))
            {
                page = [];
                nextContinue = "";
                version = -1;
                offset = 0;
            }

            var snapshot = version < 0 ? null : ListSnapshotAt(version);
            if (snapshot is null)
            {
                page = [];
                nextContinue = "";
            }
            else
            {
                var items = snapshot.Where(e => request.Namespace is null || e.Key.StartsWith(request.Namespace + "/", StringComparison.Ordinal)).ToList();
                var take = request.Limit > 0 ? request.Limit : int.MaxValue;
                page = items.Skip(offset).Take(take).ToList();
                nextContinue = offset + page.Count < items.Count ? EncodeContinue(version, offset + page.Count) : "";
            }

            if (snapshot is null)
            {
                version = -1;
            }
        }

        if (version < 0)
        {
            await WriteStatusAsync(context, 410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            return;
        }

        var body = new StringBuilder();
        body.Append("{\"kind\":\"EventList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"").Append(Format(version)).Append('"');
        if (nextContinue.Length > 0)
        {
            body.Append(",\"continue\":\"").Append(nextContinue).Append('"');
        }

        body.Append("},\"items\":[");
        for (var i = 0; i < page.Count; i++)
        {
            if (i > 0)
            {
                body.Append(',');
            }

            body.Append(page[i].Value);
        }

        body.Append("]}");
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToString(), context.RequestAborted);
    }

    private async Task ServeWatchAsync(HttpContext context, WatchRequest request)
    {
        WatchFault fault;
        lock (_gate)
        {
            fault = _faults.Count > 0 ? _faults.Dequeue() : WatchFault.None;
        }

        switch (fault)
        {
            case WatchFault.GoneStatus:
                await WriteStatusAsync(context, 410, "Gone", "too old resource version");
                return;
            case WatchFault.InternalError:
                await WriteStatusAsync(context, 500, "InternalError", "etcdserver: request timed out");
                return;
        }

        var response = context.Response;
        response.ContentType = "application/json";
        await response.StartAsync(context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var timeout = int.TryParse(context.Request.Query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(30);
        if (MaxWatchDuration is { } max && max < timeout)
        {
            timeout = max;
        }

        if (fault == WatchFault.Silent)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancel.Token);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        var channel = Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
        List<Change> backlog;
        bool expired;
        long from = 0;
        lock (_gate)
        {
            expired = fault == WatchFault.ExpiredEvent
                || (long.TryParse(request.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out from) && from < _compactedVersion);
            if (string.IsNullOrEmpty(request.ResourceVersion) || request.ResourceVersion == "0")
            {
                from = _resourceVersion;
            }

            backlog = expired ? [] : _history.Where(c => c.Version > from).ToList();
            if (!expired)
            {
                _watchers.Add((channel, context));
            }
        }

        try
        {
            if (expired)
            {
                var status = $"{{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{{}},\"status\":\"Failure\",\"message\":\"too old resource version: {request.ResourceVersion} ({Format(_compactedVersion)})\",\"reason\":\"Expired\",\"code\":410}}";
                await WriteLineAsync(response, "{\"type\":\"ERROR\",\"object\":" + status + "}", cancel.Token);
                return;
            }

            var garble = fault == WatchFault.UnreadableLine;
            string Line(Change change)
            {
                var line = WatchLine(change);
                if (!garble)
                {
                    return line;
                }

                garble = false;
                return line[..(line.Length / 2)];
            }

            foreach (var change in backlog)
            {
                if (Matches(change, request.Namespace))
                {
                    await WriteLineAsync(response, Line(change), cancel.Token);
                }
            }

            if (fault == WatchFault.CutAfterBacklog)
            {
                // Half a line, then a reset: no terminating chunk reaches the client.
                await response.WriteAsync("{\"type\":\"MODIFIED\",\"object\":{\"kind\":", cancel.Token);
                await response.Body.FlushAsync(cancel.Token);
                context.Abort();
                return;
            }

            await StreamLiveAsync(response, channel, request, from, timeout, Line, cancel.Token);
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove((channel, context));
            }
        }
    }

    private async Task StreamLiveAsync(HttpResponse response, Channel<Change> channel, WatchRequest request, long from, TimeSpan timeout, Func<Change, string> line, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var lastBookmark = DateTime.UtcNow;
        while (!deadline.IsCancellationRequested)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            if (request.AllowWatchBookmarks && BookmarkInterval is { } interval)
            {
                var due = interval - (DateTime.UtcNow - lastBookmark);
                wait.CancelAfter(due > TimeSpan.Zero ? due : TimeSpan.Zero);
            }

            bool more;
            try
            {
                more = await channel.Reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
            {
                lastBookmark = DateTime.UtcNow;
                var bookmark = "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Event\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"" + ResourceVersion + "\"}}}";
                await WriteLineAsync(response, bookmark, cancellationToken);
                continue;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // timeoutSeconds elapsed: end the response normally, with its final chunk.
                return;
            }

            if (!more)
            {
                return;
            }

            while (channel.Reader.TryRead(out var change))
            {
                if (change.Version > from && Matches(change, request.Namespace))
                {
                    await WriteLineAsync(response, line(change), cancellationToken);
                }
            }
        }
    }

    private static bool Matches(Change change, string? @namespace) => @namespace is null || change.Namespace == @namespace;

    private static string WatchLine(Change change) =>
        "{\"type\":\"" + change.Type + "\",\"object\":{\"kind\":\"Event\",\"apiVersion\":\"v1\"," + change.Json[1..] + "}";

    private static async Task WriteLineAsync(HttpResponse response, string line, CancellationToken cancellationToken)
    {
        await response.WriteAsync(line + "\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteStatusAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        await context.Response.WriteAsync(status.ToJsonString(), context.RequestAborted);
    }

    private static string EncodeContinue(long version, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Format(version) + ":" + offset.ToString(CultureInfo.InvariantCulture)));

    private static bool TryDecodeContinue(string token, out long version, out int offset)
    {
        version = 0;
        offset = 0;
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':');
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out version)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Answers with the status <see cref="LeaseFault"/> asks for, if it asks for one.</summary>
    private async Task<bool> FaultedAsync(HttpContext context, LeaseRequest request)
    {
        if (LeaseFault?.Invoke(request) is not { } status)
        {
            return false;
        }

        var reason = status switch
        {
            409 => "Conflict",
            429 => "TooManyRequests",
            500 => "InternalError",
            503 => "ServiceUnavailable",
            _ => "Failure",
        };
        await WriteStatusAsync(context, status, reason, "injected lease fault");
        return true;
    }

    private static string? HolderOf(JsonObject lease) =>
        lease["spec"] is JsonObject spec && spec["holderIdentity"] is JsonValue holder && holder.TryGetValue<string>(out var identity) ? identity : null;

    private async Task GetLeaseAsync(HttpContext context, string @namespace, string name)
    {
        if (await FaultedAsync(context, new LeaseRequest("GET", @namespace, name, null)))
        {
            return;
        }

        string? json;
        lock (_gate)
        {
            json = _leases.TryGetValue(Key(@namespace, name), out var lease) ? lease.ToJsonString() : null;
        }

        if (json is null)
        {
            await WriteStatusAsync(context, 404, "NotFound", $"leases.coordination.k8s.io \"{name}\" not found");
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private async Task CreateLeaseAsync(HttpContext context, string @namespace)
    {
        var lease = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        var name = lease?["metadata"]?["name"]?.GetValue<string>();
        if (lease is null || name is null)
        {
            await WriteStatusAsync(context, 400, "BadRequest", "a lease needs metadata.name");
            return;
        }

        if (await FaultedAsync(context, new LeaseRequest("POST", @namespace, name, HolderOf(lease))))
        {
            return;
        }

        string json;
        lock (_gate)
        {
            var key = Key(@namespace, name);
            if (_leases.ContainsKey(key))
            {
                _leaseConflicts++;
                json = "";
            }
            else
            {
                lease["apiVersion"] = "coordination.k8s.io/v1";
                lease["kind"] = "Lease";
                var metadata = (JsonObject)lease["metadata"]!;
                metadata["namespace"] = @namespace;
                metadata["uid"] = Guid.NewGuid().ToString();
                metadata["resourceVersion"] = Format(++_resourceVersion);
                metadata["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                _leases[key] = lease;
                json = lease.ToJsonString();
            }
        }

        if (json.Length == 0)
        {
            await WriteStatusAsync(context, 409, "AlreadyExists", $"leases.coordination.k8s.io \"{name}\" already exists");
            return;
        }

        context.Response.StatusCode = 201;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private async Task ReplaceLeaseAsync(HttpContext context, string @namespace, string name)
    {
        var lease = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        if (lease?["metadata"] is not JsonObject metadata)
        {
            await WriteStatusAsync(context, 400, "BadRequest", "a lease needs metadata");
            return;
        }

        if (await FaultedAsync(context, new LeaseRequest("PUT", @namespace, name, HolderOf(lease))))
        {
            return;
        }

        int status;
        string json = "";
        lock (_gate)
        {
            var key = Key(@namespace, name);
            if (!_leases.TryGetValue(key, out var stored))
            {
                status = 404;
            }
            else if (metadata["resourceVersion"]?.GetValue<string>() != stored["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                // Optimistic concurrency: someone else renewed or took the lease since this client read it.
                _leaseConflicts++;
                status = 409;
            }
            else
            {
                metadata["resourceVersion"] = Format(++_resourceVersion);
                _leases[key] = lease;
                json = lease.ToJsonString();
                status = 200;
            }
        }

        switch (status)
        {
            case 404:
                await WriteStatusAsync(context, 404, "NotFound", $"leases.coordination.k8s.io \"{name}\" not found");
                return;
            case 409:
                await WriteStatusAsync(context, 409, "Conflict", $"Operation cannot be fulfilled on leases.coordination.k8s.io \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
                return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    private sealed record Change(long Version, string Type, string Namespace, string Key, string Json);
}
