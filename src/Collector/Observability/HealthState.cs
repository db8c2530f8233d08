using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Collector.Observability;

/// <summary>
/// What /healthz and /readyz report. /healthz fails only for work that is not moving, never because there is
/// nothing to do, so that the kubelet restarts a stuck collector and leaves a quiet one alone (each restart of
/// a leader is a full relist and re-send):
/// <list type="bullet">
/// <item>The sender fails the check when it has had messages to send (a batch being sent or retried) and
/// SQS has accepted none of them for the stall timeout. A sender with nothing to send is healthy however long
/// it waits: a standby replica, which runs no sender, and a leader in a quiet cluster stay healthy for good.</item>
/// <item>A watch fails the check, while this replica watches, when it has received nothing from the API
/// server (no event, no list page, not even a bookmark) for the stall timeout. The API server sends a
/// bookmark about once a minute on a quiet watch, and the watchdog restarts a watch that is silent for
/// WATCH_IDLE_TIMEOUT, which is shorter: only a watch that stays silent after its restart fails. Each
/// namespace's watch is judged on its own, so one stuck watch is not hidden by another that is fine.</item>
/// </list>
/// </summary>
public sealed class HealthState(TimeProvider time, TimeSpan stallTimeout)
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _watches = new(StringComparer.Ordinal);
    private long _senderProgressTicks;
    private int _sendPending;
    private int _watching;
    private int _listed;
    private int _standby;

    /// <summary>True while this replica runs the watch (always, without leader election).</summary>
    public bool Watching => Volatile.Read(ref _watching) == 1;

    /// <summary>True once the first complete list has been handed to the sender, or while the replica is a standby.</summary>
    public bool Ready => Volatile.Read(ref _listed) == 1 || Volatile.Read(ref _standby) == 1;

    /// <summary>Leader election: waiting for the Lease is a healthy, ready state.</summary>
    public void EnterStandby() => Volatile.Write(ref _standby, 1);

    /// <summary>The watches of these namespaces (null: all namespaces) start now; each has that long to hear from the API server.</summary>
    public void WatchStarted(IEnumerable<string?> namespaces)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        var now = Now();
        _watches.Clear();
        foreach (var watched in namespaces)
        {
            _watches[Key(watched)] = new StrongBox<long>(now);
        }

        Volatile.Write(ref _standby, 0);
        Volatile.Write(ref _watching, 1);
    }

    public void WatchStopped() => Volatile.Write(ref _watching, 0);

    /// <summary>The watch of <paramref name="watchedNamespace"/> (null: all namespaces) received something from the API server.</summary>
    public void WatchProgressed(string? watchedNamespace) =>
        Interlocked.Exchange(ref _watches.GetOrAdd(Key(watchedNamespace), static _ => new StrongBox<long>()).Value, Now());

    public void InitialListCompleted() => Volatile.Write(ref _listed, 1);

    /// <summary>The sender has messages to send. The stall clock starts now, unless it already runs for earlier ones.</summary>
    public void SendPending()
    {
        // Only the sender writes these: stamping before raising the flag means Problem() never pairs the
        // flag with a stamp from an earlier idle hour.
        if (Volatile.Read(ref _sendPending) == 0)
        {
            Interlocked.Exchange(ref _senderProgressTicks, Now());
            Volatile.Write(ref _sendPending, 1);
        }
    }

    /// <summary>SQS accepted at least one message: the sender moved.</summary>
    public void SendAccepted() => Interlocked.Exchange(ref _senderProgressTicks, Now());

    /// <summary>The sender has nothing left to send; waiting is not a stall.</summary>
    public void SendIdle() => Volatile.Write(ref _sendPending, 0);

    /// <summary>Null when healthy, else why not.</summary>
    public string? Problem()
    {
        var now = Now();
        if (Volatile.Read(ref _sendPending) == 1)
        {
            var senderIdle = TimeSpan.FromTicks(now - Interlocked.Read(ref _senderProgressTicks));
            if (senderIdle > stallTimeout)
            {
                return $"the sender has made no progress for {Seconds(senderIdle)}: it has messages to send and the queue accepted none";
            }
        }

        if (!Watching)
        {
            return null;
        }

        foreach (var (watched, progress) in _watches)
        {
            var watchIdle = TimeSpan.FromTicks(now - Interlocked.Read(ref progress.Value));
            if (watchIdle > stallTimeout)
            {
                return $"the watch of {(watched.Length == 0 ? "all namespaces" : watched)} has made no progress for {Seconds(watchIdle)}: nothing from the API server, not even a bookmark";
            }
        }

        return null;
    }

    private static string Key(string? watchedNamespace) => watchedNamespace ?? "";

    private static string Seconds(TimeSpan span) => TimeSpan.FromSeconds(Math.Floor(span.TotalSeconds)).ToString("c", CultureInfo.InvariantCulture);

    private long Now() => time.GetUtcNow().UtcTicks;
}
