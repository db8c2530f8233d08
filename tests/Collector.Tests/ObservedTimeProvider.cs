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
        // The fake timer exists before the wait is seen as pending (both under the gate, which the test's reads
        // take too): a test that sees the wait and advances the clock must fire it. Listed first and created
        // after, a wait seen by a test that advanced in between would be due a whole step later, and never fire.
        lock (_gate)
        {
            tracked.Inner = fake.CreateTimer(
                s =>
                {
                    lock (_gate)
                    {
                        tracked.Fired = true;
                        tracked.Arm(period);
                        if (period == Timeout.InfiniteTimeSpan)
                        {
                            _timers.Remove(tracked);
                        }
                    }

                    callback(s);
                },
                state,
                dueTime,
                period);
            // A timer due at once may have fired inside CreateTimer, on this thread (the gate lets it in).
            if (!tracked.Fired)
            {
                tracked.Arm(dueTime);
                _timers.Add(tracked);
            }
            else if (period != Timeout.InfiniteTimeSpan)
            {
                _timers.Add(tracked);
            }
        }

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

        /// <summary>True once the timer has fired.</summary>
        public bool Fired { get; set; }

        /// <summary>True once <see cref="Change"/> was called (CancelAfter on a token source).</summary>
        public bool Changed { get; private set; }

        /// <summary>The length of the wait while armed; null when disarmed, fired or disposed.</summary>
        public TimeSpan? Length => Interlocked.Read(ref _lengthTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

        public void Arm(TimeSpan dueTime) => Interlocked.Exchange(ref _lengthTicks, dueTime == Timeout.InfiniteTimeSpan ? -1 : dueTime.Ticks);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // As when created: the fake timer is moved before the new wait can be seen.
            lock (owner._gate)
            {
                var changed = Inner!.Change(dueTime, period);
                Changed = true;
                Arm(dueTime);
                return changed;
            }
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
