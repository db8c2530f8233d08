using Collector.Observability;
using Microsoft.Extensions.Time.Testing;

namespace Collector.Tests.Observability;

/// <summary>The /healthz rule on fake time: unhealthy only for work that is not moving.</summary>
public sealed class HealthStateTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly HealthState _health;

    public HealthStateTests() => _health = new HealthState(_time, Stall);

    [Fact]
    public void Problem_StandbyForAnHour_IsNull()
    {
        _health.EnterStandby();

        for (var minute = 0; minute < 60; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            Assert.Null(_health.Problem());
        }

        Assert.True(_health.Ready);
        Assert.False(_health.Watching);
    }

    [Fact]
    public void Problem_QuietLeaderWithABookmarkAMinuteForAnHour_IsNull()
    {
        _health.WatchStarted([null]);
        _health.SendIdle();

        for (var minute = 0; minute < 60; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            _health.WatchProgressed(null);
            Assert.Null(_health.Problem());
        }
    }

    [Fact]
    public void Problem_MessagesPendingAndNoneAcceptedForTheStallTimeout_NamesTheSender()
    {
        _health.SendPending();
        _time.Advance(Stall);
        Assert.Null(_health.Problem());

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("the sender has made no progress for 00:05:01: it has messages to send and the queue accepted none", _health.Problem());
    }

    [Fact]
    public void Problem_SenderIdleForAnHourThenRefused_CountsFromWhenTheMessagesBecamePending()
    {
        _health.SendIdle();
        _time.Advance(TimeSpan.FromHours(1));
        _health.SendPending();
        Assert.Null(_health.Problem());

        _time.Advance(Stall - TimeSpan.FromSeconds(1));
        _health.SendPending();
        Assert.Null(_health.Problem());
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.NotNull(_health.Problem());
    }

    [Fact]
    public void Problem_AcceptedAfterAStall_IsNullAgain()
    {
        _health.SendPending();
        _time.Advance(Stall + TimeSpan.FromMinutes(1));
        Assert.NotNull(_health.Problem());

        _health.SendAccepted();
        Assert.Null(_health.Problem());
        _time.Advance(Stall - TimeSpan.FromSeconds(1));
        Assert.Null(_health.Problem());
        _health.SendIdle();
        _time.Advance(TimeSpan.FromHours(1));

        Assert.Null(_health.Problem());
    }

    [Fact]
    public void Problem_OneOfSeveralWatchesSilentPastTheStallTimeout_NamesIt()
    {
        _health.WatchStarted(["team-a", "team-b"]);

        for (var minute = 0; minute < 6; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            _health.WatchProgressed("team-a");
        }

        Assert.Equal("the watch of team-b has made no progress for 00:06:00: nothing from the API server, not even a bookmark", _health.Problem());
    }

    [Fact]
    public void Problem_WatchSilentPastTheStallTimeoutAfterTheTermEnded_IsNull()
    {
        _health.WatchStarted([null]);
        _health.WatchStopped();

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Null(_health.Problem());
    }
}
