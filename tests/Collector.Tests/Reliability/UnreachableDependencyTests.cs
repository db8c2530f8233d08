using System.Net;
using Collector.Tests.Hosting;
using TestSupport.Kubernetes;
using TestSupport.Moto;
using TestSupport.Processes;

namespace Collector.Tests.Reliability;

/// <summary>
/// The collector process with a dependency that is not there: a queue URL naming no queue, a kubeconfig
/// whose server nobody listens on, a kubeconfig file that does not exist. Each must be visible to an
/// operator (exit code, health endpoints, metrics, a log line naming the cause), never a silent idle.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class UnreachableDependencyTests(MotoFixture moto) : IAsyncLifetime
{
    private KubernetesApiDouble _api = null!;

    public async Task InitializeAsync()
    {
        _api = await KubernetesApiDouble.StartAsync();

        // As a real API server does on a quiet watch (about once a minute there): the watch is alive, so only
        // the dependency under test can make the collector unhealthy.
        _api.BookmarkInterval = TimeSpan.FromMilliseconds(200);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static Dictionary<string, string> FastTimers(IReadOnlyDictionary<string, string> environment) => new(environment)
    {
        ["CLUSTER_NAME"] = "reliability",
        ["FLUSH_INTERVAL"] = "100ms",
        ["SEND_BACKOFF_MAX"] = "200ms",
        ["WATCH_BACKOFF_MAX"] = "200ms",
        ["WATCH_IDLE_TIMEOUT"] = "1s",
        ["HEALTH_STALL_TIMEOUT"] = "3s",
    };

    private static async Task<string> WaitForAsync(CollectorProcess collector, string path, Func<HttpStatusCode, string, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var response = await collector.Http.GetAsync(new Uri(path, UriKind.Relative));
                var body = await response.Content.ReadAsStringAsync();
                if (condition(response.StatusCode, body))
                {
                    return body;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline || collector.HasExited)
            {
                Assert.Fail($"Timed out waiting for {what}. stderr: {string.Join('\n', collector.StandardError.TakeLast(20))} stdout: {string.Join('\n', collector.StandardOutput.TakeLast(20))}");
            }

            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Main_QueueDoesNotExist_KeepsTheEventsCountsFailuresLogsTheCauseAndTurnsUnhealthy()
    {
        var environment = FastTimers(moto.Server.Environment);
        environment["QUEUE_URL"] = moto.Server.Endpoint + MotoServer.AccountId + "/no-such-queue-" + Guid.NewGuid().ToString("N")[..8];
        await using var collector = CollectorProcess.Start(_api, environment);
        _api.AddEvent("default");

        var metrics = await WaitForAsync(collector, "/metrics", (_, body) => body.Split('\n').Any(l => l.StartsWith("collector_send_failures_total ", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal)), "send failures to be counted");
        var health = await WaitForAsync(collector, "/healthz", (status, body) => status == HttpStatusCode.ServiceUnavailable && body.Contains("sender", StringComparison.Ordinal), "/healthz to fail naming the sender");

        Assert.StartsWith("the sender has made no progress for ", health, StringComparison.Ordinal);
        Assert.Contains("collector_events_sent_total 0", metrics, StringComparison.Ordinal);
        Assert.Contains(collector.StandardOutput.Concat(collector.StandardError), l => l.Contains("does not exist", StringComparison.OrdinalIgnoreCase) || l.Contains("NonExistentQueue", StringComparison.Ordinal));
        Assert.False(collector.HasExited);
    }

    [Fact]
    public async Task Main_KubeconfigServerNotListening_IsNeverReadyAndLogsTheAddress()
    {
        using var sqs = moto.CreateSqsClient();
        var queue = await QueueReader.CreateAsync(sqs);
        var environment = FastTimers(moto.Server.Environment);
        environment["QUEUE_URL"] = queue.Url.ToString();

        // No API double: the kubeconfig's server is 127.0.0.1:1, where nothing listens.
        await using var collector = CollectorProcess.Start((KubernetesApiDouble?)null, environment);
        await Eventually.TrueAsync(
            () => collector.StandardOutput.Concat(collector.StandardError).Any(l => l.Contains("127.0.0.1:1", StringComparison.Ordinal) || l.Contains("Connection refused", StringComparison.OrdinalIgnoreCase)),
            "a log line naming the address");

        // Retried several times by now (200 ms backoff), and still not ready.
        await WaitForAsync(collector, "/readyz", (status, _) => status == HttpStatusCode.ServiceUnavailable, "/readyz to answer 503");
        Assert.False(collector.HasExited);
        await queue.DrainAsync();
        Assert.Empty(queue.Envelopes);
    }

    [Fact]
    public async Task Main_KubeconfigFileMissing_ExitsWithCode2SayingThereIsNoConfiguration()
    {
        var environment = FastTimers(moto.Server.Environment);
        environment["QUEUE_URL"] = moto.Server.Endpoint + MotoServer.AccountId + "/any";
        environment["KUBECONFIG"] = Path.Combine(Path.GetTempPath(), "no-such-kubeconfig-" + Guid.NewGuid().ToString("N"));
        await using var collector = CollectorProcess.Start(_api, environment);

        var exit = await collector.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        Assert.Contains(collector.StandardError, l => l.Contains("No Kubernetes configuration", StringComparison.Ordinal));
    }
}
