using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Collector.Kubernetes;
using Collector.Kubernetes.LeaderElection;
using k8s;
using Microsoft.Extensions.Time.Testing;
using TestSupport.Kubernetes;

namespace Collector.Tests.Kubernetes;

/// <summary>
/// Candidates competing for one Lease on the Kubernetes API double, on fake time with client-go's default
/// timing (15 s / 10 s / 2 s). Time moves in steps of <see cref="Step"/>, and only once every running
/// candidate is parked in its wait again: each candidate sees every step, whatever the machine's load, so
/// the renew deadline cannot be missed because a thread was slow, and durations are asserted exactly.
/// </summary>
public sealed partial class LeaseElectorTests : IAsyncLifetime
{
    private const string Namespace = "eks-history";
    private const string LeaseName = "eks-history-collector";
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<Candidate> _candidates = [];
    private readonly Lock _leadersGate = new();
    private int _leaders;
    private int _mostLeadersAtOnce;
    private KubernetesApiDouble _api = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _api = await KubernetesApiDouble.StartAsync();
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _api.Host.ToString() });
    }

    public async Task DisposeAsync()
    {
        foreach (var candidate in _candidates)
        {
            await candidate.StopAsync();
        }

        _client.Dispose();
        await _api.DisposeAsync();
    }

    private static LeaseElectorOptions Options(string identity) => new()
    {
        Namespace = Namespace,
        Name = LeaseName,
        Identity = identity,
    };

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public async Task Run_TwoCandidates_OneLeadsAndTheOtherFollowsIt()
    {
        var options = Options("collector-a");
        var a = Start(options);
        var b = Start(options with { Identity = "collector-b" });

        await StepUntilAsync(() => a.Leading.Task.IsCompleted || b.Leading.Task.IsCompleted, options.RetryPeriod, "a leader");
        var leader = a.Leading.Task.IsCompleted ? a : b;
        var standby = leader == a ? b : a;
        await StepUntilAsync(() => standby.NewLeaders.Contains(leader.Identity), 2 * options.RetryPeriod, "the standby to see the leader");

        // Five lease durations: the leader renews every RetryPeriod, so the standby never takes over.
        var until = Now + (5 * options.LeaseDuration);
        await StepUntilAsync(() => Now >= until, 6 * options.LeaseDuration, "five lease durations");

        Assert.True(leader.Elector.IsLeader, string.Join('\n', leader.Errors));
        Assert.False(standby.Elector.IsLeader);
        Assert.False(standby.Leading.Task.IsCompleted);
        Assert.False(leader.Running.IsCompleted);
        Assert.Equal(leader.Identity, standby.Elector.Leader);
        Assert.Equal(1, _mostLeadersAtOnce);
        var spec = Spec();
        Assert.Equal(leader.Identity, spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(0, spec["leaseTransitions"]!.GetValue<int>());
        Assert.Equal(15, spec["leaseDurationSeconds"]!.GetValue<int>());
        Assert.InRange(Now - DateTimeOffset.Parse(spec["renewTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero, options.RetryPeriod);
    }

    [Fact]
    public async Task Run_LeaderStopped_StandbyLeadsAtOnceBecauseTheLeaseIsReleased()
    {
        var options = Options("collector-a");
        var a = Start(options);
        await StepUntilAsync(() => a.Leading.Task.IsCompleted, options.RetryPeriod, "a to lead");
        var b = Start(options with { Identity = "collector-b" });
        await StepUntilAsync(() => b.NewLeaders.Contains("collector-a"), 2 * options.RetryPeriod, "b to see a");

        await a.StopAsync();
        Assert.Equal("", Spec()["holderIdentity"]!.GetValue<string>());
        var stopped = Now;
        await StepUntilAsync(() => b.Leading.Task.IsCompleted, options.LeaseDuration, "b to lead");

        // Without the release b would wait LeaseDuration (15 s); with it, its next try (RetryPeriod + jitter) wins.
        Assert.InRange(Now - stopped, TimeSpan.Zero, (1.2 * options.RetryPeriod) + Step);
        var spec = Spec();
        Assert.Equal("collector-b", spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, spec["leaseTransitions"]!.GetValue<int>());
    }

    [Fact]
    public async Task Run_LeaderKilledWithoutRelease_StandbyWaitsOutTheLeaseDuration()
    {
        var options = Options("collector-a");
        var a = Start(options with { ReleaseOnCancel = false });
        await StepUntilAsync(() => a.Leading.Task.IsCompleted, options.RetryPeriod, "a to lead");
        var b = Start(options with { Identity = "collector-b" });
        await StepUntilAsync(() => b.NewLeaders.Contains("collector-a"), 2 * options.RetryPeriod, "b to see a");

        await a.StopAsync();
        Assert.Equal("collector-a", Spec()["holderIdentity"]!.GetValue<string>());
        var killed = Now;
        await StepUntilAsync(() => b.Leading.Task.IsCompleted, 2 * options.LeaseDuration, "b to lead");

        // a renewed at most one RetryPeriod before the kill; b saw that within its own next try and waits
        // LeaseDuration from the moment it saw it, then takes over on the try after that.
        Assert.InRange(Now - killed, options.LeaseDuration - options.RetryPeriod - Step, options.LeaseDuration + (2.4 * options.RetryPeriod) + Step);
        var spec = Spec();
        Assert.Equal("collector-b", spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, spec["leaseTransitions"]!.GetValue<int>());
    }

    [Fact]
    public async Task Run_RenewalsRefused_LeaderGivesUpWithinRenewDeadlineBeforeTheStandbyLeads()
    {
        var options = Options("collector-a");
        var a = Start(options);
        await StepUntilAsync(() => a.Leading.Task.IsCompleted, options.RetryPeriod, "a to lead");
        var b = Start(options with { Identity = "collector-b" });
        await StepUntilAsync(() => b.NewLeaders.Contains("collector-a"), 2 * options.RetryPeriod, "b to see a");

        var refused = Now;
        _api.LeaseFault = request => request.Method == "PUT" && request.HolderIdentity == "collector-a" ? 500 : null;
        await StepUntilAsync(() => a.Running.IsCompleted, 2 * options.RenewDeadline, "a to give up");
        var lostAfter = Now - refused;
        await StepUntilAsync(() => b.Leading.Task.IsCompleted, 2 * options.LeaseDuration, "b to lead");

        // Timed from the start of a's last successful renewal, at most one RetryPeriod before the refusals began.
        Assert.InRange(lostAfter, options.RenewDeadline - options.RetryPeriod, options.RenewDeadline + Step);
        Assert.False(a.Elector.IsLeader);
        Assert.Contains(a.Errors, e => e is KubernetesApiException { StatusCode: 500 });
        Assert.True(a.StoppedLeadingAt < b.StartedLeadingAt, $"a stopped leading at {a.StoppedLeadingAt:O}, b started at {b.StartedLeadingAt:O}");
        Assert.Equal(1, _mostLeadersAtOnce);
        Assert.Equal("collector-b", Spec()["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_AnotherHolderWritesTheLease_LeaderStepsDownWithoutTakingItBack()
    {
        var options = Options("collector-a");
        var a = Start(options);
        await StepUntilAsync(() => a.Leading.Task.IsCompleted, options.RetryPeriod, "a to lead");

        // Someone else wrote itself in as the holder (a misconfigured second deployment, or an operator).
        _api.UpdateLease(Namespace, LeaseName, lease => lease["spec"]!["holderIdentity"] = "collector-x");
        await StepUntilAsync(() => a.Running.IsCompleted, 2 * options.RetryPeriod, "a to step down");
        var until = Now + options.LeaseDuration;
        await StepUntilAsync(() => Now >= until, 2 * options.LeaseDuration, "a lease duration");

        Assert.False(a.Elector.IsLeader);
        Assert.Contains("collector-x", a.NewLeaders);
        Assert.Equal("collector-x", Spec()["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_OtherClientUpdatesTheLease_LeaderRereadsAndKeepsLeading()
    {
        var options = Options("collector-a");
        var a = Start(options);
        await StepUntilAsync(() => a.Leading.Task.IsCompleted, options.RetryPeriod, "a to lead");

        // Another client annotates the lease between the leader's read and its write, on every other renewal
        // (three times): each of those renewals meets a real 409 from the stale resourceVersion.
        var puts = 0;
        _api.LeaseFault = request =>
        {
            if (request is { Method: "PUT", HolderIdentity: "collector-a" })
            {
                var put = Interlocked.Increment(ref puts);
                if (put <= 6 && put % 2 == 1)
                {
                    var touch = put.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    _api.UpdateLease(Namespace, LeaseName, lease => lease["metadata"]!["annotations"] = new JsonObject { ["example.com/touched"] = touch });
                }
            }

            return null;
        };

        await StepUntilAsync(() => Volatile.Read(ref puts) >= 8, 10 * options.RetryPeriod, "eight renewal writes");

        Assert.Equal(3, _api.LeaseConflicts);
        Assert.True(a.Elector.IsLeader);
        Assert.False(a.Running.IsCompleted);
        Assert.Empty(a.Errors);
        var lease = _api.GetLease(Namespace, LeaseName)!;
        Assert.Equal("collector-a", lease["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal("5", lease["metadata"]!["annotations"]!["example.com/touched"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_LeaseHeldByClientGoElector_ReadItWaitsLeaseDurationThenTakesItOver()
    {
        var seeded = JsonNode.Parse(LeaseJsonTests.ClientGoLease)!.AsObject();
        _api.SetLease(Namespace, seeded);
        var options = Options("collector-a");

        var started = Now;
        var a = Start(options);
        await StepUntilAsync(() => a.NewLeaders.Contains("ip-192-168-1-10.ec2.internal_2f6d1c0e-6a55-4a1b-8a59-0f3c9b8d7e21"), options.RetryPeriod, "a to read the holder");
        await StepUntilAsync(() => a.Leading.Task.IsCompleted, 2 * options.LeaseDuration, "a to lead");

        // Its renewTime is long past by this clock, but only the time the lease has not changed, as seen
        // here, counts: another node's clock could be wrong.
        Assert.InRange(Now - started, options.LeaseDuration, options.LeaseDuration + (1.2 * options.RetryPeriod) + Step);
        var lease = _api.GetLease(Namespace, LeaseName)!;
        var spec = lease["spec"]!;
        Assert.Equal("collector-a", spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(4, spec["leaseTransitions"]!.GetValue<int>());
        Assert.Matches(MicroTime(), spec["acquireTime"]!.GetValue<string>());
        Assert.Matches(MicroTime(), spec["renewTime"]!.GetValue<string>());
        Assert.Equal("eks-history", lease["metadata"]!["labels"]!["app.kubernetes.io/part-of"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_ApiUnreachableAtFirst_ErrorsAreReportedAndTheCandidateLeadsOnceItAnswers()
    {
        var options = Options("collector-a");
        _api.LeaseFault = _ => 503;
        var a = Start(options);
        await StepUntilAsync(() => a.Errors.Count >= 2, 3 * options.RetryPeriod, "two errors");
        Assert.False(a.Leading.Task.IsCompleted);

        _api.LeaseFault = null;
        await StepUntilAsync(() => a.Leading.Task.IsCompleted, 2 * options.RetryPeriod, "a to lead");

        Assert.Contains(a.Errors, e => e is KubernetesApiException { StatusCode: 503 });
        Assert.Equal("collector-a", Spec()["holderIdentity"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(2000, 2000, 200)]
    [InlineData(2000, 1000, 1000)]
    [InlineData(2000, 1000, 0)]
    public void Constructor_TimingsOutOfOrder_Throws(int leaseMs, int renewMs, int retryMs)
    {
        var options = Options("collector-a") with
        {
            LeaseDuration = TimeSpan.FromMilliseconds(leaseMs),
            RenewDeadline = TimeSpan.FromMilliseconds(renewMs),
            RetryPeriod = TimeSpan.FromMilliseconds(retryMs),
        };

        Assert.Throws<ArgumentException>(() => new LeaseElector(new KubernetesLeaseApi(_client), options, _time));
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")]
    private static partial Regex MicroTime();

    private JsonNode Spec() => _api.GetLease(Namespace, LeaseName)!["spec"]!;

    private Candidate Start(LeaseElectorOptions options)
    {
        var time = new ObservedTimeProvider(_time);
        var candidate = new Candidate(new LeaseElector(new KubernetesLeaseApi(_client), options, time), time, this);
        _candidates.Add(candidate);
        return candidate;
    }

    private void CountLeader(int change)
    {
        lock (_leadersGate)
        {
            _leaders += change;
            _mostLeadersAtOnce = Math.Max(_mostLeadersAtOnce, _leaders);
        }
    }

    /// <summary>Waits until every candidate still running is parked in a wait (its requests and callbacks done).</summary>
    private Task SettleAsync() => Eventually.TrueAsync(
        () => _candidates.All(c => c.Running.IsCompleted || c.Time.PendingDelays.Count > 0),
        () => "every candidate to wait again; errors: " + string.Join(" | ", _candidates.SelectMany(c => c.Errors).Select(e => e.Message)));

    /// <summary>Moves fake time a step at a time, each step seen by every candidate, until <paramref name="condition"/> holds.</summary>
    private async Task StepUntilAsync(Func<bool> condition, TimeSpan within, string what)
    {
        await SettleAsync();
        var start = Now;
        while (!condition())
        {
            Assert.True(Now - start <= within, $"{what}: not reached within {within} of fake time");
            _time.Advance(Step);
            await SettleAsync();
        }
    }

    /// <summary>One elector running as a replica would, with what its callbacks reported (times are fake time).</summary>
    private sealed class Candidate
    {
        private readonly CancellationTokenSource _stop = new();

        public Candidate(LeaseElector elector, ObservedTimeProvider time, LeaseElectorTests test)
        {
            Elector = elector;
            Time = time;
            elector.OnStartedLeading += () =>
            {
                StartedLeadingAt = time.GetUtcNow();
                test.CountLeader(+1);
                Leading.TrySetResult();
            };
            elector.OnNewLeader += NewLeaders.Enqueue;
            elector.OnError += Errors.Enqueue;
            Running = Task.Run(async () =>
            {
                await elector.RunUntilLeadershipLostAsync(_stop.Token);
                if (Leading.Task.IsCompleted)
                {
                    StoppedLeadingAt = time.GetUtcNow();
                    test.CountLeader(-1);
                }
            });
        }

        public LeaseElector Elector { get; }

        public ObservedTimeProvider Time { get; }

        public string Identity => Elector.Identity;

        public Task Running { get; }

        public TaskCompletionSource Leading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> NewLeaders { get; } = new();

        public ConcurrentQueue<Exception> Errors { get; } = new();

        public DateTimeOffset StartedLeadingAt { get; private set; }

        public DateTimeOffset StoppedLeadingAt { get; private set; }

        /// <summary>Cancels the run (SIGTERM) and waits for it to end (the release is a real request).</summary>
        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Running.WaitAsync(TimeSpan.FromSeconds(60));
        }
    }
}
