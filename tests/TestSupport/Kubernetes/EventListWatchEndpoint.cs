using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace TestSupport.Kubernetes;

/// <summary>
/// GET /api/v1/events and /api/v1/namespaces/{ns}/events: paged lists (<c>limit</c>/<c>continue</c>)
/// and chunked watch streams over an <see cref="EventHistory"/>, with BOOKMARKs, <c>timeoutSeconds</c>
/// and the injected <see cref="WatchFault"/>s. Records every request for assertions on how the client
/// listed and resumed.
/// </summary>
internal sealed class EventListWatchEndpoint(EventHistory history, ResourceVersionCounter versions) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<WatchFault> _faults = new();
    private readonly List<WatchRequest> _requests = [];
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>How often BOOKMARK events are sent on watches that asked for them; null: never.</summary>
    public TimeSpan? BookmarkInterval { get; set; }

    /// <summary>The longest a watch stays open, whatever <c>timeoutSeconds</c> asks; null: as asked.</summary>
    public TimeSpan? MaxWatchDuration { get; set; }

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

    /// <summary>Routes the cluster-wide and the namespaced event paths here.</summary>
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/events", (HttpContext c) => ServeAsync(c, null));
        routes.MapGet("/api/v1/namespaces/{ns}/events", (HttpContext c, string ns) => ServeAsync(c, ns));
    }

    /// <summary>Makes the next watch request fail this way (queued: one fault per request).</summary>
    public void EnqueueWatchFault(WatchFault fault)
    {
        lock (_gate)
        {
            _faults.Enqueue(fault);
        }
    }

    /// <summary>Resets every open watch connection without the terminating chunk; returns how many were cut.</summary>
    public int CutOpenWatches()
    {
        var open = history.OpenWatches();
        foreach (var watch in open)
        {
            watch.Context.Abort();
        }

        return open.Count;
    }

    /// <summary>Ends every open watch, so that the server can stop without waiting for their timeouts.</summary>
    public async Task StopWatchesAsync()
    {
        await _stopping.CancelAsync();
        foreach (var watch in history.OpenWatches())
        {
            watch.Changes.Writer.TryComplete();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private static bool Matches(EventChange change, string? @namespace) => @namespace is null || change.Namespace == @namespace;

    // List items carry no kind/apiVersion; a watch event's object does, as the real server writes them.
    private static string WatchLine(EventChange change) =>
        "{\"type\":\"" + change.Type + "\",\"object\":{\"kind\":\"Event\",\"apiVersion\":\"v1\"," + change.Json[1..] + "}";

    private static async Task WriteLineAsync(HttpResponse response, string line, CancellationToken cancellationToken)
    {
        await response.WriteAsync(line + "\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private async Task ServeAsync(HttpContext context, string? @namespace)
    {
        var query = context.Request.Query;
        var watch = query["watch"] == "true" || query["watch"] == "1";
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 0;
        var request = new WatchRequest(watch, @namespace, query["resourceVersion"].ToString(), query["allowWatchBookmarks"] == "true", query["continue"].ToString(), limit);
        lock (_gate)
        {
            // The fault is taken with the request, so the record says in arrival order which watch got it.
            if (watch && _faults.Count > 0)
            {
                request = request with { Fault = _faults.Dequeue() };
            }

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

    private async Task ServeListAsync(HttpContext context, WatchRequest request)
    {
        if (history.ReadPage(request.Continue, request.Namespace, request.Limit) is not { } page)
        {
            await KubernetesStatus.WriteFailureAsync(context, 410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            return;
        }

        var body = new StringBuilder();
        body.Append("{\"kind\":\"EventList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"").Append(ResourceVersionCounter.Format(page.Version)).Append('"');
        if (page.Continue.Length > 0)
        {
            body.Append(",\"continue\":\"").Append(page.Continue).Append('"');
        }

        body.Append("},\"items\":[");
        for (var i = 0; i < page.Items.Count; i++)
        {
            if (i > 0)
            {
                body.Append(',');
            }

            body.Append(page.Items[i]);
        }

        body.Append("]}");
        await KubernetesStatus.WriteObjectAsync(context, body.ToString());
    }

    private async Task ServeWatchAsync(HttpContext context, WatchRequest request)
    {
        var fault = request.Fault;
        switch (fault)
        {
            case WatchFault.GoneStatus:
                await KubernetesStatus.WriteFailureAsync(context, 410, "Gone", "too old resource version");
                return;
            case WatchFault.InternalError:
                await KubernetesStatus.WriteFailureAsync(context, 500, "InternalError", "etcdserver: request timed out");
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

        var watch = new EventWatch(context);
        var start = history.OpenWatch(watch, request.ResourceVersion, fault == WatchFault.ExpiredEvent);
        try
        {
            if (start.Expired)
            {
                // A watch reports a compacted version in-band: 200, then an ERROR event whose object is a 410 Status.
                var status = KubernetesStatus.Failure(410, "Expired", $"too old resource version: {request.ResourceVersion} ({ResourceVersionCounter.Format(start.CompactedVersion)})");
                await WriteLineAsync(response, "{\"type\":\"ERROR\",\"object\":" + status.ToJsonString() + "}", cancel.Token);
                return;
            }

            var garble = fault == WatchFault.UnreadableLine;
            string Line(EventChange change)
            {
                var line = WatchLine(change);
                if (!garble)
                {
                    return line;
                }

                garble = false;
                return line[..(line.Length / 2)];
            }

            foreach (var change in start.Backlog)
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

            await StreamLiveAsync(response, watch, request, start.From, timeout, Line, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            // The client went away or the double is stopping: nothing left to write to.
        }
        catch (IOException)
        {
            // The connection was reset (CutOpenWatches, or the client closed it mid-write).
        }
        finally
        {
            history.CloseWatch(watch);
        }
    }

    private async Task StreamLiveAsync(HttpResponse response, EventWatch watch, WatchRequest request, long from, TimeSpan timeout, Func<EventChange, string> line, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var lastBookmark = DateTime.UtcNow;
        var changes = watch.Changes.Reader;
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
                more = await changes.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
            {
                lastBookmark = DateTime.UtcNow;
                var bookmark = "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Event\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"" + ResourceVersionCounter.Format(versions.Current) + "\"}}}";
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

            // A watch from a version ahead of the history gets only the changes after that version.
            while (changes.TryRead(out var change))
            {
                if (change.Version > from && Matches(change, request.Namespace))
                {
                    await WriteLineAsync(response, line(change), cancellationToken);
                }
            }
        }
    }
}
