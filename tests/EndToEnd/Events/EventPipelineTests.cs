using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using EndToEnd.Tests.Pipeline;
using TestSupport.Kubernetes;
using TestSupport.Lambda;
using TestSupport.Moto;
using TestSupport.OpenSearch;
using TestSupport.Processes;
using Xunit.Abstractions;

namespace EndToEnd.Tests.Events;

/// <summary>
/// The event pipeline under fire, every part real except the three services that cannot run here:
/// the collector process (killed without warning three times) against the Kubernetes API double (two
/// 410s), SQS with a DLQ on moto (maxReceiveCount 5, as deployed), the event source mapping emulator,
/// two published AOT indexer bootstraps (maximum concurrency 2) behind the Runtime API double, and the
/// OpenSearch double going through 30% item 429s, an outage and slowness, one phase each. Poison
/// messages (1% of the messages) are put straight on the queue.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class EventPipelineTests(MotoFixture moto, ITestOutputHelper output)
{
    private const int MaxReceiveCount = ScenarioResources.MaxReceiveCount;
    private const string MessagesSentMetric = "collector_messages_sent_total";
    private readonly object _collectorGate = new();
    private CollectorProcess? _collector;

    [Fact]
    public async Task Pipeline_KillsGoneWatchesDomainFaultsAndPoison_EveryEventStoredOnceAtItsLastVersionAndOnlyThePoisonInTheDlq()
    {
        var size = ScenarioSize.FromEnvironment();
        await using var api = await KubernetesApiDouble.StartAsync();
        await using var domain = await OpenSearchDouble.StartAsync();
        await using var runtime = await RuntimeApiDouble.StartAsync();
        using var sqs = moto.CreateSqsClient();
        var queues = await ScenarioResources.CreateQueueWithDlqAsync(sqs, "e2e-events", size.VisibilityTimeout);
        var prefix = await ScenarioResources.PutOpenSearchParametersAsync(moto, domain);
        var bootstrap = await PublishedFunction.EnsureAsync("IndexerFunction");
        var functionEnvironment = new Dictionary<string, string>(moto.Server.Environment)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtime.HostAndPort,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "eks-history-indexer",
            ["SSM_PARAMETER_PREFIX"] = prefix,
            ["CLUSTER_NAME"] = "e2e",
            ["SOURCE_QUEUE_URL"] = queues.Url,
            // Held messages come back after 1 s, doubling to a quarter phase: the deployed 30 s to 15 minutes, scaled.
            ["REQUEUE_DELAY_SECONDS"] = "1",
            ["REQUEUE_MAX_DELAY_SECONDS"] = Math.Max(2, (int)(size.Phase.TotalSeconds / 4)).ToString(CultureInfo.InvariantCulture),
        };
        var mappingOptions = new SqsEventSourceMappingOptions
        {
            QueueUrl = queues.Url,
            QueueArn = queues.Arn,
            MaximumBatchingWindow = size.BatchingWindow,
            FunctionTimeout = size.FunctionTimeout,
        };

        // One execution environment per unit of the mapping's maximum concurrency.
        var functions = Enumerable.Range(0, mappingOptions.MaxConcurrency).Select(_ => FunctionProcess.Start(bootstrap, functionEnvironment)).ToList();
        try
        {
            await using var mapping = new SqsEventSourceMapping(sqs, runtime, mappingOptions);
            mapping.Start();
            var collectorEnvironment = new Dictionary<string, string>(moto.Server.Environment)
            {
                ["QUEUE_URL"] = queues.Url,
                ["CLUSTER_NAME"] = "e2e",
                // Backoffs shortened with the phases, so a restart or a 410 costs seconds, not half a minute.
                ["WATCH_BACKOFF_MAX"] = "1s",
                ["SEND_BACKOFF_MAX"] = "1s",
            };
            StartCollector(api, collectorEnvironment);
            await _collector!.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));

            using var stop = new CancellationTokenSource();
            var generator = new ChangeGenerator(api, size.Events);
            var clock = Stopwatch.StartNew();
            var generating = Task.Run(() => generator.RunAsync(size.Phase * 4, stop.Token));
            var timeline = new Timeline(
                "docs bulk items429 failedRequests invocations received redelivered itemFailures",
                () => string.Join(' ', domain.Documents("eks-kubernetes-events-*").Count, domain.BulkRequests, domain.ItemsRefusedWithTooManyRequests, domain.RequestsFailed, mapping.Invocations, mapping.MessagesReceived, mapping.Redeliveries, mapping.BatchItemFailures));
            var sampling = Task.Run(() => timeline.RunAsync(size.Phase / 4, stop.Token));
            var poison = new PoisonInjector(sqs, queues.Url);
            var injecting = Task.Run(() => InjectPoisonAsync(poison, stop.Token));
            await RunFaultScheduleAsync(api, domain, collectorEnvironment, size.Phase);
            await generating;

            // Waits while documents keep arriving: a loaded machine is slower, not wrong. It gives up when nothing new
            // was stored for two visibility timeouts and a minute (every failed or held message is back by then).
            var stored = await WaitUntilStoredAsync(domain, generator, functions, TimeSpan.FromSeconds(60) + (2 * size.VisibilityTimeout));
            await stop.CancelAsync();
            await injecting;
            await sampling;
            foreach (var row in timeline.Rows)
            {
                output.WriteLine(row);
            }

            // The DLQ is compared once the queue is empty (nothing visible, in flight or delayed): every message is
            // then either deleted or dead-lettered, so the comparison does not depend on how long poison took.
            var drained = await WaitUntilDrainedAsync(sqs, queues, poison.Bodies.Count, TimeSpan.FromMinutes(2) + ((MaxReceiveCount + 2) * size.VisibilityTimeout));
            var deadLetters = await ScenarioResources.DrainAsync(sqs, queues.DlqUrl);
            var firstChange = generator.Started;

            Publish(size, generator, stored, poison, mapping, domain, functions, api, clock.Elapsed, firstChange);

            var missing = generator.Latest.Where(e => !stored.TryGetValue(e.Key, out var doc) || doc.Version != e.Value.Version).Select(e => e.Key).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {generator.Latest.Count} events are not stored at their last version, e.g. {string.Join(", ", missing.Take(5))}");
            Assert.Equal(generator.Latest.Count, domain.Documents("eks-kubernetes-events-*").Count);
            Assert.True(drained.Empty, $"the queue still held {drained.Left} messages (the DLQ {drained.DeadLettered}) when the wait ended");
            var missingPoison = poison.Bodies.Except(deadLetters, StringComparer.Ordinal).ToList();
            var notPoison = deadLetters.Except(poison.Bodies, StringComparer.Ordinal).ToList();
            Assert.True(missingPoison.Count == 0 && notPoison.Count == 0 && deadLetters.Count == poison.Bodies.Count,
                $"DLQ: {deadLetters.Count} messages for {poison.Bodies.Count} poison; poison not there: {string.Join(" | ", missingPoison.Take(5))}; good messages there: {string.Join(" | ", notPoison.Select(b => b[..Math.Min(120, b.Length)]).Take(5))}");
            AssertEveryStartAndEveryGoneWatchListedAgain(api.Requests);
        }
        finally
        {
            await StopCollectorAsync();
            foreach (var function in functions)
            {
                await function.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Both 410s reached a watch, the first request was a full list, every watch resumed from a resource version,
    /// and after each 410 a full list came before the next watch. Judged on the order of the requests, not their
    /// count: when a kill falls between a 410 and its relist, the next process's first list is the relist.
    /// </summary>
    private static void AssertEveryStartAndEveryGoneWatchListedAgain(IReadOnlyList<WatchRequest> requests)
    {
        Assert.True(requests.Count > 0 && requests[0].IsFullList, "the collector's first request should be a full list");
        Assert.All(requests.Where(r => r.Watch), r => Assert.False(string.IsNullOrEmpty(r.ResourceVersion), "a watch without a resourceVersion starts at 'now' and misses what happened before it"));
        var gone = Enumerable.Range(0, requests.Count).Where(i => requests[i].WasGone).ToList();
        Assert.True(gone.Count == 2, $"both 410s should have reached a watch; {gone.Count} did");
        foreach (var at in gone)
        {
            var next = requests.Skip(at + 1).TakeWhile(r => !r.Watch).ToList();
            var nextWatch = at + 1 + next.Count;
            Assert.True(nextWatch == requests.Count || next.Any(r => r.IsFullList), $"request {nextWatch} watched again after the 410 of request {at} without a full list in between");
        }
    }

    private void StartCollector(KubernetesApiDouble api, Dictionary<string, string> environment)
    {
        lock (_collectorGate)
        {
            _collector = CollectorProcess.Start(api.Host, environment);
        }
    }

    private async Task StopCollectorAsync()
    {
        CollectorProcess? collector;
        lock (_collectorGate)
        {
            collector = _collector;
            _collector = null;
        }

        if (collector is not null)
        {
            await collector.DisposeAsync();
        }
    }

    /// <summary>
    /// The faults, each at a fixed point of the phases (P = one phase): item 429s for 30% of the items in
    /// [P, 2P), an outage (503) in [2P, 3P), a slow domain in [3P, 4P); a kill of the collector at 0.75P,
    /// 1.75P and 2.75P, restarted a second later; a 410 on the next watch at 1.25P and 2.25P (the open
    /// watch is cut so that the collector asks for one).
    /// </summary>
    private async Task RunFaultScheduleAsync(KubernetesApiDouble api, OpenSearchDouble domain, Dictionary<string, string> collectorEnvironment, TimeSpan phase)
    {
        var started = Stopwatch.StartNew();
        var slow = TimeSpan.FromMilliseconds(Math.Min(1000, phase.TotalMilliseconds / 8));
        var steps = new List<(double At, Func<Task> Act)>
        {
            (0.75, KillAndRestartAsync),
            (1.00, () => { domain.TooManyRequestsItemShare = 0.3; return Task.CompletedTask; }),
            (1.25, () => { api.EnqueueWatchFault(WatchFault.GoneStatus); api.CutOpenWatches(); return Task.CompletedTask; }),
            (1.75, KillAndRestartAsync),
            (2.00, () => { domain.TooManyRequestsItemShare = 0; domain.Outage = BulkFault.ServiceUnavailable; return Task.CompletedTask; }),
            (2.25, () => { api.EnqueueWatchFault(WatchFault.ExpiredEvent); api.CutOpenWatches(); return Task.CompletedTask; }),
            (2.75, KillAndRestartAsync),
            (3.00, () => { domain.Outage = null; domain.Latency = slow; return Task.CompletedTask; }),
            (4.00, () => { domain.Latency = TimeSpan.Zero; return Task.CompletedTask; }),
        };
        foreach (var (at, act) in steps)
        {
            var wait = (phase * at) - started.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            await act();
        }

        async Task KillAndRestartAsync()
        {
            await StopCollectorAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
            StartCollector(api, collectorEnvironment);
        }
    }

    /// <summary>Puts one poison message of each kind on the queue at the start, then one for every 99 the collector sent (1% of all).</summary>
    private async Task InjectPoisonAsync(PoisonInjector poison, CancellationToken cancellationToken)
    {
        CollectorProcess? seen = null;
        double earlier = 0;
        double current = 0;
        // One of each kind at the start, then 1% of the messages.
        for (var kind = 0; kind < PoisonInjector.Kinds; kind++)
        {
            await poison.SendAsync();
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            CollectorProcess? collector;
            lock (_collectorGate)
            {
                collector = _collector;
            }

            if (collector is not null && await collector.MetricAsync(MessagesSentMetric) is { } sent)
            {
                if (!ReferenceEquals(collector, seen))
                {
                    // A new process counts from zero; what the killed one had sent still counts.
                    earlier += current;
                    seen = collector;
                }

                current = sent;
                while (poison.Bodies.Count < PoisonInjector.Kinds + (int)((earlier + current) / 99))
                {
                    await poison.SendAsync();
                }
            }

            try
            {
                await Task.Delay(250, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<Dictionary<string, StoredDocument>> WaitUntilStoredAsync(OpenSearchDouble domain, ChangeGenerator generator, List<FunctionProcess> functions, TimeSpan stall)
    {
        var cap = DateTime.UtcNow + TimeSpan.FromHours(1);
        var lastProgress = DateTime.UtcNow;
        var atLastVersion = -1;
        while (true)
        {
            var stored = domain.Documents("eks-kubernetes-events-*").GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var done = generator.Latest.Count(e => stored.TryGetValue(e.Key, out var doc) && doc.Version == e.Value.Version);
            if (done > atLastVersion)
            {
                atLastVersion = done;
                lastProgress = DateTime.UtcNow;
            }

            if (done == generator.Latest.Count || DateTime.UtcNow - lastProgress > stall || DateTime.UtcNow > cap)
            {
                return stored;
            }

            if (functions.FirstOrDefault(f => f.HasExited) is { } crashed)
            {
                Assert.Fail("An indexer process exited: " + string.Join('\n', crashed.StandardError.TakeLast(20)) + string.Join('\n', crashed.StandardOutput.TakeLast(20)));
            }

            await Task.Delay(500);
        }
    }

    /// <summary>Polls until the queue is empty and the DLQ holds at least <paramref name="poison"/> messages, up to a generous bound.</summary>
    private static async Task<(bool Empty, int Left, int DeadLettered)> WaitUntilDrainedAsync(AmazonSQSClient sqs, (string Url, string Arn, string DlqUrl) queues, int poison, TimeSpan bound)
    {
        var until = DateTime.UtcNow + bound;
        while (true)
        {
            var left = await ScenarioResources.CountAsync(sqs, queues.Url);
            var deadLettered = await ScenarioResources.CountAsync(sqs, queues.DlqUrl);
            if ((left == 0 && deadLettered >= poison) || DateTime.UtcNow > until)
            {
                return (left == 0, left, deadLettered);
            }

            await Task.Delay(1000);
        }
    }

    private void Publish(ScenarioSize size, ChangeGenerator generator, Dictionary<string, StoredDocument> stored, PoisonInjector poison, SqsEventSourceMapping mapping, OpenSearchDouble domain, List<FunctionProcess> functions, KubernetesApiDouble api, TimeSpan total, DateTimeOffset firstChange)
    {
        var lags = generator.Latest
            .Where(e => stored.TryGetValue(e.Key, out var doc) && doc.Version == e.Value.Version)
            .Select(e => (stored[e.Key].StoredAt - e.Value.ChangedAt).TotalSeconds)
            .Order()
            .ToList();
        var lastStored = stored.Values.Count > 0 ? stored.Values.Max(d => d.StoredAt) : firstChange;
        var span = (lastStored - firstChange).TotalSeconds;
        var stdout = functions.SelectMany(f => f.StandardOutput).ToList();
        new FigureTable("events")
            .Add("event changes made (20% updates)", generator.Changes)
            .Add("distinct events", generator.Latest.Count)
            .Add("fault phase length (s)", size.Phase.TotalSeconds)
            .Add("function timeout / visibility timeout (s)", $"{size.FunctionTimeout.TotalSeconds} / {size.VisibilityTimeout.TotalSeconds}")
            .Add("collector kills (SIGKILL)", 3)
            .Add("410 Gone on the watch", api.Requests.Count(r => r.WasGone))
            .Add("full lists by the collector (starts and relists)", api.Requests.Count(r => r.IsFullList))
            .Add("poison messages put on the queue", poison.Bodies.Count)
            .Add("end to end: first change to last document (s)", span, "N1")
            .Add("events/s end to end", generator.Changes / span, "N0")
            .Add("lag change → document, median (s)", Percentile(lags, 0.5), "N2")
            .Add("lag change → document, p99 (s)", Percentile(lags, 0.99), "N2")
            .Add("lag change → document, worst (s)", lags.Count > 0 ? lags[^1] : 0, "N2")
            .Add("invocations", mapping.Invocations)
            .Add("messages received (incl. redeliveries)", mapping.MessagesReceived)
            .Add("redeliveries (receive count > 1)", mapping.Redeliveries)
            .Add("batch item failures", mapping.BatchItemFailures)
            .Add("failed invocations", mapping.InvocationErrors)
            .Add("documents retried inside invocations (EMF Retries)", EmfTotals.Sum(stdout, "Retries"))
            .Add("messages held through the outage (EMF MessagesRequeued)", EmfTotals.Sum(stdout, "MessagesRequeued"))
            .Add("held copies SQS did not take (log event 602, by code; such messages take the normal path)", NotRequeued(functions))
            .Add("documents not confirmed in an invocation (EMF DocumentsFailed)", EmfTotals.Sum(stdout, "DocumentsFailed"))
            .Add("items refused with 429 by the domain", domain.ItemsRefusedWithTooManyRequests)
            .Add("requests refused as a whole by the domain", domain.RequestsFailed)
            .Add("bulk requests", domain.BulkRequests)
            .Add("test wall clock (s)", total.TotalSeconds, "N1")
            .Publish(output);
    }

    /// <summary>How many copies SQS did not take, by the code the indexer logged (event 602).</summary>
    private static string NotRequeued(List<FunctionProcess> functions)
    {
        var codes = functions.SelectMany(f => f.StandardOutput.Concat(f.StandardError))
            .Where(l => l.Contains("\"eventId\":602", StringComparison.Ordinal))
            .Select(l =>
            {
                using var line = JsonDocument.Parse(l);
                return line.RootElement.TryGetProperty("Code", out var code) ? code.GetString() ?? "?" : "?";
            })
            .GroupBy(c => c, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count()}")
            .ToList();
        return codes.Count == 0 ? "0" : string.Join(", ", codes);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
