using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
/// This type hosts and composes the parts: <see cref="EventHistory"/> (the events and their history),
/// <see cref="EventListWatchEndpoint"/> (list and watch), <see cref="LeaseEndpoint"/> (leases), all
/// numbering their writes from one <see cref="ResourceVersionCounter"/>.
/// </summary>
public sealed class KubernetesApiDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ResourceVersionCounter _versions;
    private readonly EventHistory _events;
    private readonly EventListWatchEndpoint _eventEndpoint;
    private readonly LeaseEndpoint _leases;

    private KubernetesApiDouble(WebApplication app)
    {
        _app = app;
        _versions = new ResourceVersionCounter();
        _events = new EventHistory(_versions);
        _eventEndpoint = new EventListWatchEndpoint(_events, _versions);
        _leases = new LeaseEndpoint(_versions);
    }

    /// <summary>Base address, e.g. http://127.0.0.1:41234/ (use it as KubernetesClientConfiguration.Host).</summary>
    public Uri Host { get; private set; } = new("http://127.0.0.1/");

    /// <summary>How often BOOKMARK events are sent on watches that asked for them; null: never.</summary>
    public TimeSpan? BookmarkInterval
    {
        get => _eventEndpoint.BookmarkInterval;
        set => _eventEndpoint.BookmarkInterval = value;
    }

    /// <summary>The longest a watch stays open, whatever <c>timeoutSeconds</c> asks; null: as asked.</summary>
    public TimeSpan? MaxWatchDuration
    {
        get => _eventEndpoint.MaxWatchDuration;
        set => _eventEndpoint.MaxWatchDuration = value;
    }

    /// <summary>Oldest changes are compacted away automatically beyond this many (like etcd's compaction); null: never.</summary>
    public int? MaxHistory
    {
        get => _events.MaxHistory;
        set => _events.MaxHistory = value;
    }

    /// <summary>
    /// Consulted for every lease request before it is served: a status to answer instead (500 for an API
    /// server in trouble, 409 for a lost race), or null to serve it normally.
    /// </summary>
    public Func<LeaseRequest, int?>? LeaseFault
    {
        get => _leases.Fault;
        set => _leases.Fault = value;
    }

    /// <summary>How many lease writes were refused with 409 (stale resourceVersion, or the lease already exists).</summary>
    public int LeaseConflicts => _leases.Conflicts;

    /// <summary>The current resourceVersion.</summary>
    public string ResourceVersion => ResourceVersionCounter.Format(_versions.Current);

    /// <summary>Every list and watch request received, in order.</summary>
    public IReadOnlyList<WatchRequest> Requests => _eventEndpoint.Requests;

    /// <summary>Watch connections currently open.</summary>
    public int OpenWatches => _events.OpenWatchCount;

    /// <summary>Current events, keyed by namespace/name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Events => _events.Current;

    /// <summary>Starts the double on 127.0.0.1 and a free port.</summary>
    public static async Task<KubernetesApiDouble> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new KubernetesApiDouble(app);
        server._eventEndpoint.Map(app);
        server._leases.Map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Host = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Makes the next watch request (or the next several, called repeatedly) fail this way.</summary>
    public void EnqueueWatchFault(WatchFault fault) => _eventEndpoint.EnqueueWatchFault(fault);

    /// <summary>
    /// Resets every open watch connection without the terminating chunk (an API server restart, a dropped
    /// NAT entry). Returns how many were cut.
    /// </summary>
    public int CutOpenWatches() => _eventEndpoint.CutOpenWatches();

    /// <summary>Creates an event and returns its stored JSON (with the uid and resourceVersion it got).</summary>
    public JsonObject AddEvent(string @namespace, string reason = "Scheduled", string type = "Normal", string kind = "Pod", string? message = null, string? name = null) =>
        _events.Add(@namespace, reason, type, kind, message, name);

    /// <summary>Repeats an event the way the kubelet does: <c>count</c> + 1, a new message and lastTimestamp, a new resourceVersion.</summary>
    public JsonObject UpdateEvent(string @namespace, string name, string? message = null) => _events.Update(@namespace, name, message);

    /// <summary>Deletes an event (its TTL expired).</summary>
    public void DeleteEvent(string @namespace, string name) => _events.Delete(@namespace, name);

    /// <summary>
    /// Forgets the history up to the current version, like etcd compaction: watches and continue tokens from
    /// older versions now get 410 Expired.
    /// </summary>
    public void Compact() => _events.Compact();

    /// <summary>The stored lease, or null.</summary>
    public JsonObject? GetLease(string @namespace, string name) => _leases.Get(@namespace, name);

    /// <summary>
    /// Stores a lease the way another client might (kubectl apply, a client-go elector): created or
    /// overwritten whatever resourceVersion it carries, then given a new one. Returns what is stored.
    /// </summary>
    public JsonObject SetLease(string @namespace, JsonObject lease) => _leases.Set(@namespace, lease);

    /// <summary>Changes a stored lease in place, as another client's update would (it gets a new resourceVersion).</summary>
    public JsonObject UpdateLease(string @namespace, string name, Action<JsonObject> change) => _leases.Update(@namespace, name, change);

    /// <summary>Ends the open watches and stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _eventEndpoint.StopWatchesAsync();
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopTimeout.Token);
        await _app.DisposeAsync();
        _eventEndpoint.Dispose();
    }
}
