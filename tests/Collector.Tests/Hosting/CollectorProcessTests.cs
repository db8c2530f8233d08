using System.Text.Json.Nodes;
using Amazon.SQS;
using TestSupport.Kubernetes;
using TestSupport.Moto;
using TestSupport.Processes;

namespace Collector.Tests.Hosting;

/// <summary>The published entry point: settings from the environment, kubeconfig outside a cluster, SIGTERM.</summary>
[Collection(MotoCollection.Name)]
public sealed class CollectorProcessTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly AmazonSQSClient _sqs = moto.CreateSqsClient();
    private KubernetesApiDouble _api = null!;

    public async Task InitializeAsync() => _api = await KubernetesApiDouble.StartAsync();

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _sqs.Dispose();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, CollectorProcess process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                Assert.Fail($"Timed out waiting for {what}. stderr: {string.Join('\n', process.StandardError.TakeLast(30))}");
            }

            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Main_Sigterm_FlushesEventsStillWaitingForTheFlushIntervalAndExitsZero()
    {
        var queue = await QueueReader.CreateAsync(_sqs);
        var environment = new Dictionary<string, string>(moto.Server.Environment)
        {
            ["QUEUE_URL"] = queue.Url.ToString(),
            ["CLUSTER_NAME"] = "sigterm-test",
            ["FLUSH_INTERVAL"] = "10m",
        };
        await using var collector = CollectorProcess.Start(_api, environment);
        await WaitUntilAsync(collector.IsReadyAsync, "/readyz", collector);
        var events = Enumerable.Range(0, 7).Select(_ => _api.AddEvent("default")).ToList();
        await WaitUntilAsync(async () => (await collector.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Contains("collector_events_observed_total{type=\"ADDED\"} 7", StringComparison.Ordinal), "the events to be observed", collector);
        await queue.DrainAsync();
        Assert.Empty(queue.Events);

        collector.Terminate();
        var exitCode = await collector.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, exitCode);
        await queue.DrainAsync();
        Assert.True(queue.HasLatest(events), $"queue held {queue.Events.Count} events");
        Assert.Equal("sigterm-test", Assert.Single(queue.Envelopes)["clusterName"]!.GetValue<string>());
    }

    /// <summary>A projected service-account token as IRSA mounts it (moto's STS does not verify it).</summary>
    private static async Task<string> WriteWebIdentityTokenAsync()
    {
        var token = Path.Combine(Path.GetTempPath(), "collector-token-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZWtzLWhpc3Rvcnk6Y29sbGVjdG9yIn0.c2ln");
        return token;
    }

    /// <summary>IRSA's environment: a role and a token file, no keys, and no profile files to fall back on.</summary>
    private Dictionary<string, string> WebIdentityEnvironment(QueueReader queue, string clusterName, string flushInterval, string token)
    {
        var environment = new Dictionary<string, string>(moto.Server.Environment)
        {
            ["QUEUE_URL"] = queue.Url.ToString(),
            ["CLUSTER_NAME"] = clusterName,
            ["FLUSH_INTERVAL"] = flushInterval,
            ["AWS_ROLE_ARN"] = "arn:aws:iam::" + MotoServer.AccountId + ":role/eks-history-collector",
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = token,
            ["AWS_SHARED_CREDENTIALS_FILE"] = token + ".none",
            ["AWS_CONFIG_FILE"] = token + ".none",
        };
        environment.Remove("AWS_ACCESS_KEY_ID");
        environment.Remove("AWS_SECRET_ACCESS_KEY");
        return environment;
    }

    [Fact]
    public async Task Main_WebIdentityTokenOnly_AssumesTheRoleThroughStsAndSends()
    {
        // IRSA: no keys in the environment, only a projected token and a role. The SDK exchanges the token with
        // STS (moto here); under Native AOT this needs the STS client registered by Program.cs.
        var queue = await QueueReader.CreateAsync(_sqs);
        var token = await WriteWebIdentityTokenAsync();
        try
        {
            var environment = WebIdentityEnvironment(queue, "irsa-test", "100ms", token);
            await using var collector = CollectorProcess.Start(_api, environment);
            var added = _api.AddEvent("default");

            await WaitUntilAsync(
                async () =>
                {
                    await queue.DrainAsync();
                    return queue.HasLatest([added]);
                },
                "the event to arrive with credentials from the web identity",
                collector);
            Assert.Equal("irsa-test", queue.Envelopes[0]["clusterName"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(token);
        }
    }

    [Fact]
    public async Task PublishedAot_WithWebIdentity_ServesProbesSendsAndFlushesOnSigterm()
    {
        // The executable the image ships (Native AOT): what reflection-free code must get right is exercised
        // here, not in the JIT build — STS for IRSA, the SQS JSON, the HTTP endpoint, signals.
        var queue = await QueueReader.CreateAsync(_sqs);
        var token = await WriteWebIdentityTokenAsync();
        try
        {
            var environment = WebIdentityEnvironment(queue, "aot-test", "10m", token);
            await using var collector = await CollectorProcess.StartPublishedAsync(_api, environment);
            await WaitUntilAsync(collector.IsReadyAsync, "/readyz", collector);
            var events = Enumerable.Range(0, 12).Select(_ => _api.AddEvent("default")).ToList();
            _api.UpdateEvent("default", events[0]["metadata"]!["name"]!.GetValue<string>(), "Back-off pulling image");
            await WaitUntilAsync(async () => (await collector.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Contains("collector_events_observed_total{type=\"MODIFIED\"} 1", StringComparison.Ordinal), "the events to be observed", collector);
            using var health = await collector.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);

            // Everything is still waiting for the 10-minute flush: SIGTERM must send it before exiting.
            collector.Terminate();
            var exitCode = await collector.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(0, exitCode);
            await queue.DrainAsync();
            Assert.True(queue.HasLatest(_api.Events.Values), $"queue held {queue.Events.Count} events");
            Assert.All(queue.Envelopes, e => Assert.Equal("aot-test", e["clusterName"]!.GetValue<string>()));
            Assert.Contains(collector.StandardOutput, l => l.Contains("\"eventId\":1", StringComparison.Ordinal) && l.Contains("aot-test", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(token);
        }
    }

    [Fact]
    public async Task Main_InvalidSettings_ExitsNonZeroNamingEachBadSetting()
    {
        await using var collector = CollectorProcess.Start(_api, new Dictionary<string, string>
        {
            ["MAX_MESSAGE_BYTES"] = "lots",
            ["FLUSH_INTERVAL"] = "whenever",
        });

        var exitCode = await collector.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        var stderr = string.Join('\n', collector.StandardError);
        Assert.Contains("QUEUE_URL", stderr, StringComparison.Ordinal);
        Assert.Contains("MAX_MESSAGE_BYTES", stderr, StringComparison.Ordinal);
        Assert.Contains("'lots'", stderr, StringComparison.Ordinal);
        Assert.Contains("FLUSH_INTERVAL", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_DryRun_PrintsEachEnvelopeOnStdoutInsteadOfSending()
    {
        var existing = _api.AddEvent("default", reason: "Pulling");
        await using var collector = CollectorProcess.Start(_api, new Dictionary<string, string> { ["CLUSTER_NAME"] = "local", ["FLUSH_INTERVAL"] = "100ms" }, "--dry-run");

        await WaitUntilAsync(() => Task.FromResult(collector.StandardOutput.Any(l => l.StartsWith('{'))), "an envelope on stdout", collector);

        var envelope = JsonNode.Parse(collector.StandardOutput.First(l => l.StartsWith('{')))!;
        Assert.Equal("eks-events/v1", envelope["schema"]!.GetValue<string>());
        Assert.Equal("local", envelope["clusterName"]!.GetValue<string>());
        Assert.Equal(existing["metadata"]!["uid"]!.GetValue<string>(), envelope["events"]![0]!["metadata"]!["uid"]!.GetValue<string>());
        Assert.All(collector.StandardOutput, line => Assert.StartsWith("{\"schema\"", line, StringComparison.Ordinal));
    }
}
