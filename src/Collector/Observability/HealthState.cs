namespace Collector.Observability;

/// <summary>
/// What /healthz and /readyz report. Progress is a timestamp: the watch moves it whenever the API server
/// sends anything (an event, a bookmark, a list page, a new watch accepted); the sender moves it whenever a
/// send is accepted or it has nothing left to send. A collector whose watch or sender has not moved for the
/// stall timeout is unhealthy, so the kubelet restarts it instead of letting it idle while reporting OK.
/// </summary>
public sealed class HealthState(TimeProvider time, TimeSpan stallTimeout)
{
    private long _watchProgressTicks = time.GetUtcNow().UtcTicks;
    private long _senderProgressTicks = time.GetUtcNow().UtcTicks;
    private int _watching;
    private int _listed;
    private int _standby;

    /// <summary>True while this replica runs the watch (always, without leader election).</summary>
    public bool Watching => Volatile.Read(ref _watching) == 1;

    /// <summary>True once the first complete list has been handed to the sender, or while the replica is a standby.</summary>
    public bool Ready => Volatile.Read(ref _listed) == 1 || Volatile.Read(ref _standby) == 1;

    /// <summary>Leader election: waiting for the Lease is a healthy, ready state.</summary>
    public void EnterStandby() => Volatile.Write(ref _standby, 1);

    public void WatchStarted()
    {
        WatchProgressed();
        Volatile.Write(ref _standby, 0);
        Volatile.Write(ref _watching, 1);
    }

    public void WatchStopped() => Volatile.Write(ref _watching, 0);

    public void WatchProgressed() => Interlocked.Exchange(ref _watchProgressTicks, time.GetUtcNow().UtcTicks);

    public void InitialListCompleted() => Volatile.Write(ref _listed, 1);

    public void SenderProgressed() => Interlocked.Exchange(ref _senderProgressTicks, time.GetUtcNow().UtcTicks);

    /// <summary>Null when healthy, else why not.</summary>
    public string? Problem()
    {
        var now = time.GetUtcNow().UtcTicks;
        var watchIdle = TimeSpan.FromTicks(now - Interlocked.Read(ref _watchProgressTicks));
        if (Watching && watchIdle > stallTimeout)
        {
            return $"the watch has made no progress for {watchIdle:g}";
        }

        var senderIdle = TimeSpan.FromTicks(now - Interlocked.Read(ref _senderProgressTicks));
        return senderIdle > stallTimeout ? $"the sender has made no progress for {senderIdle:g}" : null;
    }
}
