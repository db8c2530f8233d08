using Microsoft.Extensions.Time.Testing;

namespace Collector.Tests;

/// <summary>
/// One component's view of a shared <see cref="FakeTimeProvider"/> that also knows which of its waits are
/// pending. Fake time moved while the code under test is between two waits shifts its next wait by the step
/// (a leader renews late, a watchdog is armed after the jump): the outcome would depend on thread scheduling,
/// which is how timing tests flake on a busy machine. Tests therefore advance the clock only once each
/// component is parked in a wait again (<see cref="PendingDelays"/>), so every step has one outcome.
/// <c>Task.Delay</c> waits and <c>CancellationTokenSource</c> timeouts (the watchdog, request deadlines) are told
/// apart by the timer's state, which is the delay's task or the token source itself; a timeout armed by
/// <c>CancelAfter</c> after it was created (as a stream's watchdog is, on every read) apart from one armed when
/// created (a request's deadline).
/// </summary>
internal sealed class ObservedTimeProvider(FakeTimeProvider fake) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TrackedTimer> _timers = [];

    public FakeTimeProvider Fake => fake;

    public override TimeZoneInfo LocalTimeZone => fake.LocalTimeZone;

    public override long TimestampFrequency => fake.TimestampFrequency;

    /// <summary>The lengths of the <c>Task.Delay</c> waits pending now.</summary>
    public IReadOnlyList<TimeSpan> PendingDelays => Armed(delays: true);

    /// <summary>The lengths of the <c>CancellationTokenSource</c> timeouts armed now.</summary>
    public IReadOnlyList<TimeSpan> ArmedTimeouts => Armed(delays: false);

    /// <summary>The lengths of the <c>CancellationTokenSource</c> timeouts armed now by <c>CancelAfter</c>, not when created.</summary>
    public IReadOnlyList<TimeSpan> TimeoutsArmedByCancelAfter => Armed(delays: false, changedOnly: true);

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

    public override long GetTimestamp() => fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this, state is Task);
        tracked.Arm(dueTime);
        lock (_gate)
        {
            _timers.Add(tracked);
        }

        tracked.Inner = fake.CreateTimer(
            s =>
            {
                tracked.Arm(period);
                if (period == Timeout.InfiniteTimeSpan)
                {
                    Forget(tracked);
                }

                callback(s);
            },
            state,
            dueTime,
            period);
        return tracked;
    }

    private List<TimeSpan> Armed(bool delays, bool changedOnly = false)
    {
        lock (_gate)
        {
            return _timers.Where(t => t.IsDelay == delays && (!changedOnly || t.Changed) && t.Length is not null).Select(t => t.Length!.Value).ToList();
        }
    }

    private void Forget(TrackedTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class TrackedTimer(ObservedTimeProvider owner, bool isDelay) : ITimer
    {
        private long _lengthTicks = -1;

        public ITimer? Inner { get; set; }

        public bool IsDelay { get; } = isDelay;

        /// <summary>True once <see cref="Change"/> was called (CancelAfter on a token source).</summary>
        public bool Changed { get; private set; }

        /// <summary>The length of the wait while armed; null when disarmed, fired or disposed.</summary>
        public TimeSpan? Length => Interlocked.Read(ref _lengthTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

        public void Arm(TimeSpan dueTime) => Interlocked.Exchange(ref _lengthTicks, dueTime == Timeout.InfiniteTimeSpan ? -1 : dueTime.Ticks);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Changed = true;
            Arm(dueTime);
            return Inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            Arm(Timeout.InfiniteTimeSpan);
            owner.Forget(this);
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
