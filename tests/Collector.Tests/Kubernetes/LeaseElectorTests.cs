using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Collector.Kubernetes;
using Collector.Kubernetes.LeaderElection;
using k8s;
using TestSupport.Kubernetes;

namespace Collector.Tests.Kubernetes;

/// <summary>
/// Candidates competing for one Lease on the Kubernetes API double, with real time. Durations are short but
/// the assertions leave wide margins: an upper bound is checked only against a much larger alternative
/// (release vs LeaseDuration), and lower bounds are safety properties that slowness cannot break.
/// </summary>
public sealed partial class LeaseElectorTests : IAsyncLifetime
{
    private const string Namespace = "eks-history";
    private const string LeaseName = "eks-history-collector";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

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

        // The first request of a process (connection, JIT) can take longer than the short RenewDeadline here.
        await new KubernetesLeaseApi(_client).GetAsync(Namespace, LeaseName, CancellationToken.None);
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

    /// <summary>Timing for most cases: 2 s / 1 s / 0.2 s.</summary>
    private static LeaseElectorOptions Options(string identity) => new()
    {
        Namespace = Namespace,
        Name = LeaseName,
        Identity = identity,
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public async Task Run_TwoCandidates_OneLeadsAndTheOtherFollowsIt()
    {
        var a = Start(Options("collector-a"));
        var b = Start(Options("collector-b"));

        var leader = await Task.WhenAny(a.Leading.Task, b.Leading.Task).WaitAsync(Patience) == a.Leading.Task ? a : b;
        var standby = leader == a ? b : a;
        await WaitUntilAsync(() => standby.NewLeaders.Contains(leader.Identity));

        // Well past LeaseDuration: the leader keeps renewing, so the standby never takes over.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.True(leader.Elector.IsLeader, string.Join('\n', leader.Errors));
        Assert.False(standby.Elector.IsLeader);
        Assert.False(standby.Leading.Task.IsCompleted);
        Assert.False(leader.Running.IsCompleted);
        Assert.Equal(leader.Identity, standby.Elector.Leader);
        Assert.Equal(1, _mostLeadersAtOnce);
        var spec = Spec();
        Assert.Equal(leader.Identity, spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(0, spec["leaseTransitions"]!.GetValue<int>());
        Assert.Equal(2, spec["leaseDurationSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task Run_LeaderStopped_StandbyLeadsAtOnceBecauseTheLeaseIsReleased()
    {
        // A long LeaseDuration: without the release the standby could not lead for 8 s.
        var options = Options("collector-a") with { LeaseDuration = TimeSpan.FromSeconds(8) };
        var a = Start(options);
        await a.Leading.Task.WaitAsync(Patience);
        var b = Start(options with { Identity = "collector-b" });
        await WaitUntilAsync(() => b.NewLeaders.Contains("collector-a"));

        var stopped = Stopwatch.GetTimestamp();
        await a.StopAsync();
        Assert.Equal("", Spec()["holderIdentity"]!.GetValue<string>());
        await b.Leading.Task.WaitAsync(Patience);

        Assert.True(Stopwatch.GetElapsedTime(stopped) < TimeSpan.FromSeconds(4), $"took over after {Stopwatch.GetElapsedTime(stopped)}");
        var spec = Spec();
        Assert.Equal("collector-b", spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, spec["leaseTransitions"]!.GetValue<int>());
    }

    [Fact]
    public async Task Run_LeaderKilledWithoutRelease_StandbyWaitsOutTheLeaseDuration()
    {
        var options = Options("collector-a");
        var a = Start(options with { ReleaseOnCancel = false });
        await a.Leading.Task.WaitAsync(Patience);
        var b = Start(options with { Identity = "collector-b" });
        await WaitUntilAsync(() => b.NewLeaders.Contains("collector-a"));

        var killed = Stopwatch.GetTimestamp();
        await a.StopAsync();
        Assert.Equal("collector-a", Spec()["holderIdentity"]!.GetValue<string>());
        await b.Leading.Task.WaitAsync(Patience);

        // b last saw a renewal at most about one RetryPeriod before the kill; it waits LeaseDuration from then.
        var waited = Stopwatch.GetElapsedTime(killed);
        Assert.True(waited >= options.LeaseDuration - (2 * options.RetryPeriod), $"took over after {waited}");
        var spec = Spec();
        Assert.Equal("collector-b", spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, spec["leaseTransitions"]!.GetValue<int>());
    }

    [Fact]
    public async Task Run_RenewalsRefused_LeaderGivesUpWithinRenewDeadlineBeforeTheStandbyLeads()
    {
        var options = Options("collector-a");
        var a = Start(options);
        await a.Leading.Task.WaitAsync(Patience);
        var b = Start(options with { Identity = "collector-b" });
        await WaitUntilAsync(() => b.NewLeaders.Contains("collector-a"));

        var refused = Stopwatch.GetTimestamp();
        _api.LeaseFault = request => request.Method == "PUT" && request.HolderIdentity == "collector-a" ? 500 : null;
        await a.Running.WaitAsync(Patience);
        var lostAfter = Stopwatch.GetElapsedTime(refused);
        await b.Leading.Task.WaitAsync(Patience);

        Assert.True(lostAfter < options.RenewDeadline + TimeSpan.FromSeconds(2.5), $"gave up after {lostAfter}");
        Assert.False(a.Elector.IsLeader);
        Assert.Contains(a.Errors, e => e is KubernetesApiException { StatusCode: 500 });
        Assert.True(a.StoppedLeadingAt < b.StartedLeadingAt, "the standby led while the old leader still did");
        Assert.Equal(1, _mostLeadersAtOnce);
        Assert.Equal("collector-b", Spec()["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_AnotherHolderWritesTheLease_LeaderStepsDownWithoutTakingItBack()
    {
        var a = Start(Options("collector-a"));
        await a.Leading.Task.WaitAsync(Patience);

        // Someone else wrote itself in as the holder (a misconfigured second deployment, or an operator).
        _api.UpdateLease(Namespace, LeaseName, lease => lease["spec"]!["holderIdentity"] = "collector-x");
        await a.Running.WaitAsync(Patience);

        Assert.False(a.Elector.IsLeader);
        Assert.Contains("collector-x", a.NewLeaders);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("collector-x", Spec()["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_OtherClientUpdatesTheLease_LeaderRereadsAndKeepsLeading()
    {
        var a = Start(Options("collector-a"));
        await a.Leading.Task.WaitAsync(Patience);

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

        await WaitUntilAsync(() => Volatile.Read(ref puts) >= 8);

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

        var started = Stopwatch.GetTimestamp();
        var a = Start(options);
        await WaitUntilAsync(() => a.NewLeaders.Contains("ip-192-168-1-10.ec2.internal_2f6d1c0e-6a55-4a1b-8a59-0f3c9b8d7e21"));
        await a.Leading.Task.WaitAsync(Patience);

        // Its renewTime is long past by this clock, but only the time the lease has not changed, as seen
        // here, counts: another node's clock could be wrong.
        Assert.True(Stopwatch.GetElapsedTime(started) >= options.LeaseDuration, $"took over after {Stopwatch.GetElapsedTime(started)}");
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
        _api.LeaseFault = _ => 503;
        var a = Start(Options("collector-a"));
        await WaitUntilAsync(() => a.Errors.Count >= 2);
        Assert.False(a.Leading.Task.IsCompleted);

        _api.LeaseFault = null;
        await a.Leading.Task.WaitAsync(Patience);

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

        Assert.Throws<ArgumentException>(() => new LeaseElector(new KubernetesLeaseApi(_client), options, TimeProvider.System));
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")]
    private static partial Regex MicroTime();

    private JsonNode Spec() => _api.GetLease(Namespace, LeaseName)!["spec"]!;

    private Candidate Start(LeaseElectorOptions options)
    {
        var candidate = new Candidate(new LeaseElector(new KubernetesLeaseApi(_client), options, TimeProvider.System), this);
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

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (!condition())
        {
            Assert.True(Stopwatch.GetElapsedTime(deadline) < Patience, "condition not reached in time");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>One elector running as a replica would, with what its callbacks reported.</summary>
    private sealed class Candidate
    {
        private readonly CancellationTokenSource _stop = new();

        public Candidate(LeaseElector elector, LeaseElectorTests test)
        {
            Elector = elector;
            elector.OnStartedLeading += () =>
            {
                StartedLeadingAt = Stopwatch.GetTimestamp();
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
                    StoppedLeadingAt = Stopwatch.GetTimestamp();
                    test.CountLeader(-1);
                }
            });
        }

        public LeaseElector Elector { get; }

        public string Identity => Elector.Identity;

        public Task Running { get; }

        public TaskCompletionSource Leading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> NewLeaders { get; } = new();

        public ConcurrentQueue<Exception> Errors { get; } = new();

        public long StartedLeadingAt { get; private set; }

        public long StoppedLeadingAt { get; private set; }

        /// <summary>Cancels the run (SIGTERM) and waits for it to end.</summary>
        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Running.WaitAsync(Patience);
        }
    }
}
