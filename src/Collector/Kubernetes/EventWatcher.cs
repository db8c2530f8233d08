using System.Text.Json;
using System.Threading.Channels;
using Collector.Filtering;
using Collector.Observability;
using Collector.Settings;
using Microsoft.Extensions.Logging;

namespace Collector.Kubernetes;

/// <summary>
/// Keeps one namespace (or the whole cluster) of core/v1 Events flowing into the buffer, following the
/// API's list-then-watch rules in one place:
/// list in pages (limit/continue), then watch from the list's resourceVersion with bookmarks; a watch the
/// server ends normally resumes at once from the last version seen; a failed or cut one, or one that sent a
/// line that is not a watch event, resumes from there after a capped backoff; a silent one is abandoned by
/// the watchdog and resumed; a 410 (Expired/Gone) on the watch or on a list page means that position is
/// gone, so the whole list starts over. Events already handed on at the same resourceVersion are skipped
/// (<see cref="SeenVersions"/>), so a relist does not ship the cluster again. Writing into a full buffer
/// waits: a slow queue holds the watch back, nothing is dropped. Health hears of every list page and every
/// notification handled (bookmarks included), per namespace.
/// </summary>
public sealed class EventWatcher(
    IEventApi api,
    string? watchedNamespace,
    EventFilter filter,
    SeenVersions seen,
    CollectorSettings settings,
    CollectorMetrics metrics,
    HealthState health,
    TimeProvider time,
    ILogger logger)
{
    private readonly IEventApi _api = api;
    private readonly string? _watchedNamespace = watchedNamespace;
    private readonly SeenVersions _seen = seen;
    private readonly CollectorSettings _settings = settings;
    private readonly CollectorMetrics _metrics = metrics;
    private readonly HealthState _health = health;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;
    private readonly string _name = watchedNamespace ?? "all namespaces";

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; then returns normally.</summary>
    public async Task RunAsync(ChannelWriter<ObservedEvent> output, Action onInitialList, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(onInitialList);
        string? resourceVersion = null;
        var listed = false;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            WatchRun? watch = null;
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await ListAsync(output, cancellationToken).ConfigureAwait(false);
                    if (listed)
                    {
                        _metrics.Relists.Inc();
                    }
                    else
                    {
                        listed = true;
                        onInitialList();
                    }

                    failures = 0;
                }

                watch = new WatchRun(this, output, resourceVersion);
                var end = await watch.RunAsync(cancellationToken).ConfigureAwait(false);
                resourceVersion = watch.ResourceVersion;
                if (watch.ReceivedAny)
                {
                    failures = 0;
                }

                switch (end)
                {
                    case WatchStreamEnd.Closed:
                        Log.WatchClosed(_logger, _name, resourceVersion);
                        _metrics.WatchRestarts.WithLabels("closed").Inc();
                        break;
                    case WatchStreamEnd.Idle:
                        Log.WatchIdle(_logger, _name, _settings.WatchIdleTimeout, resourceVersion);
                        _metrics.WatchRestarts.WithLabels("idle").Inc();
                        break;
                    case WatchStreamEnd.Stopped when watch.Error is { } error && (error.StatusCode == 410 || error.StatusReason is "Expired" or "Gone"):
                        Log.WatchExpired(_logger, _name, resourceVersion, error.StatusReason, error.StatusMessage);
                        _metrics.WatchRestarts.WithLabels("expired").Inc();
                        resourceVersion = null;
                        break;
                    case WatchStreamEnd.Stopped:
                        var other = watch.Error!;
                        Log.WatchError(_logger, _name, other.StatusCode, other.StatusReason, other.StatusMessage);
                        _metrics.WatchRestarts.WithLabels("failed").Inc();
                        await DelayAsync(failures++, cancellationToken).ConfigureAwait(false);
                        break;
                    case WatchStreamEnd.Unreadable:
                        // Logged with the line by the reader's callback. Asked again from the last version
                        // handled, the server sends that event again (or a 410, and the list has it).
                        _metrics.WatchRestarts.WithLabels("unreadable").Inc();
                        await DelayAsync(failures++, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException ex) when (ex.IsExpired)
            {
                Log.WatchExpired(_logger, _name, resourceVersion ?? "", ex.Status?.Reason ?? "Gone", ex.Status?.Message ?? ex.Message);
                _metrics.WatchRestarts.WithLabels("expired").Inc();
                resourceVersion = null;
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                // A cut stream resumes after the last notification it delivered, not where it started: nothing
                // is skipped, and what was already handed on is not asked for again.
                if (watch is not null)
                {
                    resourceVersion = watch.ResourceVersion;
                    if (watch.ReceivedAny)
                    {
                        failures = 0;
                    }
                }

                var delay = _settings.WatchBackoff.Delay(failures++);
                Log.WatchFailed(_logger, ex, _name, resourceVersion ?? "(list)", delay);
                _metrics.WatchRestarts.WithLabels("failed").Inc();
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>What a network, server or parse failure looks like; anything else is a bug and stops the host.</summary>
    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        HttpRequestException or IOException or KubernetesApiException or JsonException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // HttpClient's timeout
        _ => false,
    };

    private async Task DelayAsync(int attempt, CancellationToken cancellationToken) =>
        await Task.Delay(_settings.WatchBackoff.Delay(attempt), _time, cancellationToken).ConfigureAwait(false);

    private async Task<string> ListAsync(ChannelWriter<ObservedEvent> output, CancellationToken cancellationToken)
    {
        string? continueToken = null;
        var pages = 0;
        var count = 0;
        string? resourceVersion = null;
        do
        {
            var page = await _api.ListAsync(_watchedNamespace, _settings.ListPageSize, continueToken, cancellationToken).ConfigureAwait(false);
            _health.WatchProgressed(_watchedNamespace);
            pages++;

            // Every page of one list is a snapshot at the first page's version; the watch starts there.
            resourceVersion ??= page.ResourceVersion;
            foreach (var item in page.Items)
            {
                count++;
                await OfferAsync("LISTED", item, output, cancellationToken).ConfigureAwait(false);
            }

            continueToken = page.Continue;
        }
        while (!string.IsNullOrEmpty(continueToken));

        Log.Listed(_logger, count, _name, pages, resourceVersion ?? "");
        return resourceVersion ?? "";
    }

    private ValueTask OfferAsync(string watchType, ObservedEvent observed, ChannelWriter<ObservedEvent> output, CancellationToken cancellationToken)
    {
        _metrics.EventsObserved.WithLabels(watchType).Inc();
        if (!filter.Accepts(observed))
        {
            _metrics.EventsFiltered.Inc();
            return ValueTask.CompletedTask;
        }

        if (!_seen.TryRecord(observed.Uid, observed.ResourceVersion))
        {
            _metrics.EventsDuplicate.Inc();
            return ValueTask.CompletedTask;
        }

        // Waits while the buffer is full: this is the back-pressure that keeps a slow queue from losing events.
        return output.WriteAsync(observed, cancellationToken);
    }

    /// <summary>One watch request and the position it reached.</summary>
    private sealed class WatchRun(EventWatcher owner, ChannelWriter<ObservedEvent> output, string resourceVersion)
    {
        public string ResourceVersion { get; private set; } = resourceVersion;

        /// <summary>True once a notification (bookmarks included) was read and handled.</summary>
        public bool ReceivedAny { get; private set; }

        public WatchNotification? Error { get; private set; }

        public async Task<WatchStreamEnd> RunAsync(CancellationToken cancellationToken)
        {
            Log.Watching(owner._logger, owner._name, ResourceVersion);

            // A random server-side timeout (5-10 min, as client-go does) spreads the reconnects of many replicas.
            var timeout = TimeSpan.FromSeconds(300 + Random.Shared.Next(300));
            Stream stream;

            // The watchdog also covers the wait for response headers: a server that accepts the connection
            // and never answers is as dead as one that stops sending. The token given to SendAsync stays tied
            // to the response body, so it lives as long as the stream and is only disarmed, never fired, once
            // the headers are in.
            using var connect = new CancellationTokenSource(owner._settings.WatchIdleTimeout, owner._time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connect.Token);
            try
            {
                stream = await owner._api.WatchAsync(owner._watchedNamespace, ResourceVersion, timeout, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (connect.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return WatchStreamEnd.Idle;
            }

            // An accepted watch is not progress yet: only what the server sends on it is (health counts a
            // bookmark, never an open connection that stays silent).
            connect.CancelAfter(Timeout.InfiniteTimeSpan);
            await using var _ = stream.ConfigureAwait(false);
            return await WatchStreamReader.ReadAsync(
                stream,
                HandleAsync,
                (line, ex) => Log.UnreadableWatchLine(owner._logger, ex, owner._name, EventJson.Preview(line.Span), ResourceVersion),
                owner._settings.WatchIdleTimeout,
                owner._time,
                cancellationToken).ConfigureAwait(false);
        }

        private async ValueTask<bool> HandleAsync(WatchNotification notification, CancellationToken cancellationToken)
        {
            ReceivedAny = true;
            owner._health.WatchProgressed(owner._watchedNamespace);
            switch (notification.Type)
            {
                case "ADDED" or "MODIFIED":
                    await owner.OfferAsync(notification.Type, notification.Event!, output, cancellationToken).ConfigureAwait(false);
                    break;
                case "DELETED":
                    // Deletions are not shipped (the indexed history keeps the event); only forget the version.
                    owner._metrics.EventsObserved.WithLabels(notification.Type).Inc();
                    owner._seen.Forget(notification.Event!.Uid);
                    break;
                case "BOOKMARK":
                    owner._metrics.EventsObserved.WithLabels(notification.Type).Inc();
                    break;
                case "ERROR":
                    owner._metrics.EventsObserved.WithLabels(notification.Type).Inc();
                    Error = notification;
                    return false;
                default:
                    return true;
            }

            // Resume point: only versions the server actually sent, so a restart never skips anything.
            if (notification.ResourceVersion.Length > 0)
            {
                ResourceVersion = notification.ResourceVersion;
            }

            return true;
        }
    }
}
