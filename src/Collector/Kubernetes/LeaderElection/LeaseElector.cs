using System.Text.Json;

namespace Collector.Kubernetes.LeaderElection;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, with client-go's semantics (tools/leaderelection) and
/// its release on cancel, over <see cref="ILeaseApi"/> instead of KubernetesClient's typed client, so that it
/// also runs under Native AOT. The invariants it keeps:
/// <list type="bullet">
/// <item>A candidate takes a lease held by another identity only when it has not seen the lease change for
/// <see cref="LeaseElectorOptions.LeaseDuration"/>, timed on its own monotonic clock from the moment it saw
/// the change. The holder's renewTime is never compared with the local clock, so clock skew between nodes
/// cannot make a candidate take over early.</item>
/// <item>The leader times <see cref="LeaseElectorOptions.RenewDeadline"/> from the start of its last
/// successful renewal. That write was applied after that moment, so every candidate saw it later still:
/// the leader gives up before any candidate may take over. Like client-go this is not fencing; a process
/// paused for longer than the difference can still act late.</item>
/// <item>Every write carries the resourceVersion it was based on, so of two writers exactly one wins and the
/// other gets 409; a 409 only means "read again", never an error.</item>
/// </list>
/// Callbacks run on the election loop, one at a time; they should only log or start work elsewhere.
/// </summary>
public sealed class LeaseElector
{
    /// <summary>Candidates wait RetryPeriod plus up to this fraction of it, so replicas started together do not poll in step.</summary>
    private const double JitterFactor = 0.2;

    private readonly ILeaseApi _api;
    private readonly LeaseElectorOptions _options;
    private readonly TimeProvider _time;
    private readonly int _leaseDurationSeconds;
    private Lease? _observed;
    private long _observedAt;
    private volatile string _leader = "";
    private volatile bool _leading;
    private int _started;

    public LeaseElector(ILeaseApi api, LeaseElectorOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrEmpty(options.Identity, nameof(options));
        if (options.RetryPeriod <= TimeSpan.Zero || options.RenewDeadline <= options.RetryPeriod || options.LeaseDuration <= options.RenewDeadline)
        {
            throw new ArgumentException($"Leader election needs LeaseDuration ({options.LeaseDuration}) > RenewDeadline ({options.RenewDeadline}) > RetryPeriod ({options.RetryPeriod}) > 0.", nameof(options));
        }

        _api = api;
        _options = options;
        _time = time;

        // Written for other clients to read; this elector times takeovers with its own LeaseDuration, as client-go does.
        _leaseDurationSeconds = Math.Max(1, (int)Math.Ceiling(options.LeaseDuration.TotalSeconds));
    }

    private enum Outcome
    {
        /// <summary>This candidate holds the lease: created, taken over or renewed.</summary>
        Holding,

        /// <summary>Another identity holds it (and, for a candidate, has renewed within LeaseDuration).</summary>
        HeldByOther,

        /// <summary>No answer, an error, or another writer was first (409): try again.</summary>
        Failed,

        Cancelled,
    }

    /// <summary>This candidate just became the leader.</summary>
    public event Action? OnStartedLeading;

    /// <summary>A holder other than the last one reported was seen (this candidate included; never an empty holder).</summary>
    public event Action<string>? OnNewLeader;

    /// <summary>A request for the lease failed or timed out; the election goes on (a 409 is not reported).</summary>
    public event Action<Exception>? OnError;

    public string Identity => _options.Identity;

    /// <summary>True from <see cref="OnStartedLeading"/> until leadership is lost or given up.</summary>
    public bool IsLeader => _leading;

    /// <summary>The last holder seen; empty until one is.</summary>
    public string Leader => _leader;

    /// <summary>
    /// Competes for the lease until this candidate leads, then renews it. Completes (without throwing) when
    /// leadership is lost — renewals failed for RenewDeadline, or another identity took the lease — or when
    /// <paramref name="cancellationToken"/> is cancelled; if it was leading then, it first releases the lease
    /// (<see cref="LeaseElectorOptions.ReleaseOnCancel"/>). An elector runs once: a candidate that lost starts
    /// over with a new one.
    /// </summary>
    public async Task RunUntilLeadershipLostAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A LeaseElector runs once; use a new one to stand again.");
        }

        if (await AcquireAsync(cancellationToken) is not { } acquiredAt)
        {
            return;
        }

        bool cancelled;
        _leading = true;
        try
        {
            OnStartedLeading?.Invoke();
            cancelled = await RenewAsync(acquiredAt, cancellationToken);
        }
        finally
        {
            _leading = false;
        }

        if (cancelled && _options.ReleaseOnCancel)
        {
            await ReleaseAsync();
        }
    }

    /// <summary>Tries every RetryPeriod (with jitter) until this candidate holds the lease; the start of the winning attempt, or null when cancelled.</summary>
    private async Task<long?> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (outcome, startedAt) = await AttemptAsync(_options.RenewDeadline, cancellationToken);
            if (outcome == Outcome.Holding)
            {
                return startedAt;
            }

            if (outcome == Outcome.Cancelled || !await DelayAsync(Jittered(_options.RetryPeriod), cancellationToken))
            {
                return null;
            }
        }
    }

    /// <summary>Renews every RetryPeriod. Returns true when cancelled, false when leadership is lost.</summary>
    private async Task<bool> RenewAsync(long renewedAt, CancellationToken cancellationToken)
    {
        var wait = _options.RetryPeriod;
        while (true)
        {
            if (!await DelayAsync(wait, cancellationToken))
            {
                return true;
            }

            var left = _options.RenewDeadline - _time.GetElapsedTime(renewedAt);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            // No attempt may outlive the deadline: an answer that comes later cannot keep the lease safely.
            var (outcome, startedAt) = await AttemptAsync(left, cancellationToken);
            switch (outcome)
            {
                case Outcome.Holding:
                    renewedAt = startedAt;
                    wait = _options.RetryPeriod;
                    break;
                case Outcome.Cancelled:
                    return true;
                case Outcome.HeldByOther:
                    // Someone took it (we were presumed dead): stop now, not at the deadline.
                    return false;
                default:
                    left = _options.RenewDeadline - _time.GetElapsedTime(renewedAt);
                    if (left <= TimeSpan.Zero)
                    {
                        return false;
                    }

                    wait = left < _options.RetryPeriod ? left : _options.RetryPeriod;
                    break;
            }
        }
    }

    /// <summary>One bounded try, with its expected failures reported and absorbed.</summary>
    private async Task<(Outcome Outcome, long StartedAt)> AttemptAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        Outcome outcome;
        try
        {
            outcome = await TryAcquireOrRenewAsync(linked.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (Outcome.Cancelled, startedAt);
        }
        catch (OperationCanceledException ex)
        {
            // Our deadline or HttpClient's timeout: the API server did not answer in time.
            OnError?.Invoke(new TimeoutException($"The Lease {_options.Namespace}/{_options.Name} did not answer within {timeout}.", ex));
            outcome = Outcome.Failed;
        }
        catch (Exception ex) when (IsApiFailure(ex))
        {
            OnError?.Invoke(ex);
            outcome = Outcome.Failed;
        }

        ReportLeader();
        return (outcome, startedAt);
    }

    private async Task<Outcome> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_leading && _observed is { } mine && mine.Spec.HolderIdentity == Identity)
        {
            // The leader renews on top of what it last wrote, which saves a read on every renewal; a 409
            // means someone else wrote since, so read below and judge from there.
            try
            {
                Observe(await _api.ReplaceAsync(_options.Namespace, _options.Name, mine, mine.Spec with { RenewTime = now, LeaseDurationSeconds = _leaseDurationSeconds }, cancellationToken));
                return Outcome.Holding;
            }
            catch (KubernetesApiException e) when (e.StatusCode == 409)
            {
            }
        }

        var current = await _api.GetAsync(_options.Namespace, _options.Name, cancellationToken);
        if (current is null)
        {
            try
            {
                Observe(await _api.CreateAsync(_options.Namespace, _options.Name, new LeaseSpec(Identity, _leaseDurationSeconds, now, now, 0), cancellationToken));
                return Outcome.Holding;
            }
            catch (KubernetesApiException e) when (e.StatusCode == 409)
            {
                // Another candidate created it first; the next try reads it.
                return Outcome.Failed;
            }
        }

        Observe(current);
        var holder = current.Spec.HolderIdentity;
        if (current.Spec.IsHeld && holder != Identity
            && (_leading || _time.GetElapsedTime(_observedAt) < _options.LeaseDuration))
        {
            return Outcome.HeldByOther;
        }

        // Ours already (renewal, or this identity restarted): keep acquireTime and the count. Free or expired:
        // take it, one more transition.
        var spec = holder == Identity
            ? current.Spec with { RenewTime = now, LeaseDurationSeconds = _leaseDurationSeconds, AcquireTime = current.Spec.AcquireTime ?? now }
            : new LeaseSpec(Identity, _leaseDurationSeconds, now, now, current.Spec.LeaseTransitions + 1);
        try
        {
            Observe(await _api.ReplaceAsync(_options.Namespace, _options.Name, current, spec, cancellationToken));
            return Outcome.Holding;
        }
        catch (KubernetesApiException e) when (e.StatusCode == 409)
        {
            // Someone wrote between our read and our write (another candidate took it, or the holder renewed).
            return Outcome.Failed;
        }
    }

    /// <summary>
    /// Gives the lease up the way client-go's ReleaseOnCancel does: no holder, a one-second duration and
    /// fresh times, so any candidate (client-go's included) takes it on its next try.
    /// </summary>
    private async Task ReleaseAsync()
    {
        if (_observed is not { } mine || mine.Spec.HolderIdentity != Identity)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var released = new LeaseSpec("", 1, now, now, mine.Spec.LeaseTransitions);
        using var deadline = new CancellationTokenSource(_options.RenewDeadline, _time);
        try
        {
            try
            {
                Observe(await _api.ReplaceAsync(_options.Namespace, _options.Name, mine, released, deadline.Token));
            }
            catch (KubernetesApiException e) when (e.StatusCode == 409)
            {
                // The renewal that the cancellation interrupted may have been applied after all: release
                // that version, if the lease is still ours.
                var current = await _api.GetAsync(_options.Namespace, _options.Name, deadline.Token);
                if (current is not null && current.Spec.HolderIdentity == Identity)
                {
                    Observe(await _api.ReplaceAsync(_options.Namespace, _options.Name, current, released, deadline.Token));
                }
            }
        }
        catch (Exception ex) when (IsApiFailure(ex) || ex is OperationCanceledException)
        {
            // Not released: a candidate takes over after LeaseDuration instead.
            OnError?.Invoke(ex);
        }
    }

    /// <summary>Remembers the lease; restarts the LeaseDuration clock only when its spec changed since last seen.</summary>
    private void Observe(Lease lease)
    {
        if (_observed is null || _observed.Spec != lease.Spec)
        {
            _observedAt = _time.GetTimestamp();
        }

        _observed = lease;
    }

    private void ReportLeader()
    {
        var holder = _observed?.Spec.HolderIdentity ?? "";
        if (holder.Length == 0 || holder == _leader)
        {
            return;
        }

        _leader = holder;
        OnNewLeader?.Invoke(holder);
    }

    /// <summary>Waits; false when cancelled (without an exception: stopping is the normal way out).</summary>
    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return !cancellationToken.IsCancellationRequested;
    }

    private static TimeSpan Jittered(TimeSpan period) =>
        period + TimeSpan.FromTicks((long)(period.Ticks * JitterFactor * Random.Shared.NextDouble()));

    /// <summary>The failures of a request that the next try may not have: network, API status, a malformed answer.</summary>
    private static bool IsApiFailure(Exception ex) =>
        ex is HttpRequestException or KubernetesApiException or JsonException or IOException;
}
