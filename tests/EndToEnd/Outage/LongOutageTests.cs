using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EndToEnd.Tests.ControlPlane;
using EndToEnd.Tests.Events;
using EndToEnd.Tests.Pipeline;
using TestSupport.Kubernetes;
using TestSupport.Lambda;
using TestSupport.Moto;
using TestSupport.OpenSearch;
using TestSupport.Processes;
using Xunit.Abstractions;

namespace EndToEnd.Tests.Outage;

/// <summary>
/// The outage promise, end to end, for both paths at once (they share the domain, as deployed): the OpenSearch
/// double is down (503) for longer than maxReceiveCount × the visibility timeout of the events queue and of the
/// control-plane failure queue, and longer than Lambda's asynchronous retries. Events keep arriving on the queue
/// and deliveries keep coming from CloudWatch Logs all along; poison is mixed in on both paths. Afterwards every
/// event is stored at its last version and every line of every decodable delivery is a document, both dead-letter
/// queues hold exactly the poison, both source queues are empty, and nothing was redriven by hand.
/// </summary>
/// <remarks>
/// The outage is not a fixed number of seconds: it lasts until it has provably outlasted every retry window
/// (a good message received more than maxReceiveCount times, a decodable delivery handed to the on-failure queue,
/// a good on-failure record received more than maxReceiveCount times, and at least (maxReceiveCount + 1) visibility
/// timeouts), so a slow machine makes it longer, never meaningless. The visibility timeouts are twice the function
/// timeout plus the batching window rather than the deployed six times: the factor six guards against throttled
/// invocations, which the emulator does not make, and holding does not depend on it; what this scenario proves is
/// an outage longer than maxReceiveCount × the visibility timeout in force.
/// </remarks>
[Collection(MotoCollection.Name)]
public sealed class LongOutageTests(MotoFixture moto, ITestOutputHelper output)
{
    private const int MaxReceiveCount = ScenarioResources.MaxReceiveCount;

    [Fact]
    public async Task Pipelines_DomainDownLongerThanEveryRetryWindow_EverythingStoredAfterwardsAndOnlyThePoisonDeadLettered()
    {
        var size = ScenarioSize.FromEnvironment();
        var eventsVisibility = (2 * size.FunctionTimeout) + size.BatchingWindow;
        var failureVisibility = 2 * size.FunctionTimeout;
        var firstRetry = TimeSpan.FromSeconds(1);
        await using var domain = await OpenSearchDouble.StartAsync();
        await using var api = await KubernetesApiDouble.StartAsync();
        await using var indexerRuntime = await RuntimeApiDouble.StartAsync();
        await using var asyncRuntime = await RuntimeApiDouble.StartAsync();
        await using var failureRuntime = await RuntimeApiDouble.StartAsync();
        using var sqs = moto.CreateSqsClient();
        var events = await ScenarioResources.CreateQueueWithDlqAsync(sqs, "e2e-outage-events", eventsVisibility);
        var failures = await ScenarioResources.CreateQueueWithDlqAsync(sqs, "e2e-outage-cp-failed", failureVisibility);
        var prefix = await ScenarioResources.PutOpenSearchParametersAsync(moto, domain);

        // Re-queued copies come back after 1 s, doubling to at most a visibility timeout: the deployed 30 s to 15
        // minutes, scaled like the rest.
        var common = new Dictionary<string, string>(moto.Server.Environment)
        {
            ["SSM_PARAMETER_PREFIX"] = prefix,
            ["CLUSTER_NAME"] = "e2e",
            ["REQUEUE_DELAY_SECONDS"] = "1",
            ["REQUEUE_MAX_DELAY_SECONDS"] = ((int)Math.Max(2, eventsVisibility.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
        };
        var indexer = await PublishedFunction.EnsureAsync("IndexerFunction");
        var controlPlane = await PublishedFunction.EnsureAsync("ControlPlaneLogsFunction");
        var processes = new List<FunctionProcess>();
        try
        {
            // One execution environment per unit of each mapping's maximum concurrency (2, as deployed), and two for
            // CloudWatch Logs' asynchronous invocations.
            processes.AddRange(Start(indexer, common, indexerRuntime, "eks-history-indexer", events.Url, 2));
            processes.AddRange(Start(controlPlane, common, asyncRuntime, "eks-history-control-plane-logs", failures.Url, 2));
            processes.AddRange(Start(controlPlane, common, failureRuntime, "eks-history-control-plane-logs", failures.Url, 2));

            await using var eventsMapping = new SqsEventSourceMapping(sqs, indexerRuntime, new SqsEventSourceMappingOptions
            {
                QueueUrl = events.Url,
                QueueArn = events.Arn,
                MaximumBatchingWindow = size.BatchingWindow,
                FunctionTimeout = size.FunctionTimeout,
            });
            await using var failureMapping = new SqsEventSourceMapping(sqs, failureRuntime, new SqsEventSourceMappingOptions
            {
                QueueUrl = failures.Url,
                QueueArn = failures.Arn,
                BatchSize = 5,
                MaximumBatchingWindow = TimeSpan.Zero,
                FunctionTimeout = size.FunctionTimeout,
            });
            eventsMapping.Start();
            failureMapping.Start();
            var invoker = new AsyncInvocationQueue(sqs, asyncRuntime, new AsyncInvocationOptions
            {
                OnFailureQueueUrl = failures.Url,
                FirstRetryDelay = firstRetry,
                FunctionTimeout = size.FunctionTimeout,
            });

            var producer = new EnvelopeProducer(api, sqs, events.Url);
            var poison = new PoisonInjector(sqs, events.Url);
            var generator = new SubscriptionPayloads();
            var deliveries = Enumerable.Range(0, size.Payloads).Select(generator.Next).ToList();
            var decodable = deliveries.Where(d => d.Decodable).ToList();
            var undecodable = deliveries.Where(d => !d.Decodable).ToList();
            var undecodableData = undecodable.Select(d => d.Data).ToHashSet(StringComparer.Ordinal);
            var invocations = new List<Task<bool>>();
            using var stopSending = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            var sending = Task.Run(async () =>
            {
                // Events and log deliveries keep coming before, during and after the outage, twice a second, until
                // the scenario has had every delivery.
                for (var tick = 0; !stopSending.IsCancellationRequested || tick < deliveries.Count; tick++)
                {
                    await producer.SendAsync(15, CancellationToken.None);
                    if (tick < deliveries.Count)
                    {
                        invocations.Add(invoker.InvokeAsync(deliveries[tick].Event, CancellationToken.None));
                    }

                    await Task.Delay(500, CancellationToken.None);
                }
            });

            await Task.Delay(size.Phase);
            domain.Outage = BulkFault.ServiceUnavailable;
            var outageStarted = clock.Elapsed;
            for (var kind = 0; kind < 2 * PoisonInjector.Kinds; kind++)
            {
                await poison.SendAsync();
            }

            var outlasted = await WaitUntilAsync(
                () =>
                    clock.Elapsed - outageStarted >= (MaxReceiveCount + 1) * TimeSpan.FromTicks(Math.Max(eventsVisibility.Ticks, failureVisibility.Ticks))
                    && MostReceives(eventsMapping, Md5s(poison.Bodies)) > MaxReceiveCount
                    && invoker.Records.Any(r => !undecodableData.Contains(RequestData(r)))
                    && MostReceives(failureMapping, Md5s(invoker.Records.Where(r => undecodableData.Contains(RequestData(r))))) > MaxReceiveCount,
                TimeSpan.FromMinutes(15));
            var outage = clock.Elapsed - outageStarted;
            domain.Outage = null;
            Assert.True(outlasted, $"after {outage.TotalSeconds:N0} s of outage no good message had come back more than {MaxReceiveCount} times on both queues: the scenario proves nothing");

            await Task.Delay(size.Phase);
            await stopSending.CancelAsync();
            await sending;
            var outcomes = await Task.WhenAll(invocations);

            // Drained: every event and line stored, both source queues empty (nothing visible, in flight or
            // delayed), both dead-letter queues as full as the poison. Then their contents must be exactly the poison.
            var drained = await WaitUntilAsync(
                async () =>
                    AllEventsStored(domain, producer) && AllLinesStored(domain, decodable)
                    && await ScenarioResources.CountAsync(sqs, events.Url) == 0 && await ScenarioResources.CountAsync(sqs, failures.Url) == 0
                    && await ScenarioResources.CountAsync(sqs, events.DlqUrl) >= poison.Bodies.Count && await ScenarioResources.CountAsync(sqs, failures.DlqUrl) >= undecodable.Count,
                TimeSpan.FromMinutes(5) + (10 * eventsVisibility));
            var drainedAfter = clock.Elapsed - outageStarted - outage;
            var eventsDeadLetters = await ScenarioResources.DrainAsync(sqs, events.DlqUrl);
            var failureDeadLetters = await ScenarioResources.DrainAsync(sqs, failures.DlqUrl);
            var stdout = processes.SelectMany(p => p.StandardOutput).ToList();

            new FigureTable("outage")
                .Add("outage (s)", outage.TotalSeconds, "N1")
                .Add("events queue: visibility timeout × maxReceiveCount (s)", (MaxReceiveCount * eventsVisibility).TotalSeconds, "N0")
                .Add("failure queue: visibility timeout × maxReceiveCount (s)", (MaxReceiveCount * failureVisibility).TotalSeconds, "N0")
                .Add("asynchronous retry waits (s)", (firstRetry * 3).TotalSeconds, "N0")
                .Add("event changes / queue messages sent", $"{producer.Changes} / {producer.Messages}")
                .Add("deliveries (undecodable)", $"{deliveries.Count} ({undecodable.Count})")
                .Add("deliveries handed to the on-failure queue", invoker.SentToOnFailureDestination)
                .Add("indexer invocations / messages received", $"{eventsMapping.Invocations} / {eventsMapping.MessagesReceived}")
                .Add("failure-queue invocations / records received", $"{failureMapping.Invocations} / {failureMapping.MessagesReceived}")
                .Add("most receives of one good message, copies included (events / failure queue)", $"{MostReceives(eventsMapping, Md5s(poison.Bodies))} / {MostReceives(failureMapping, Md5s(invoker.Records.Where(r => undecodableData.Contains(RequestData(r)))))}")
                .Add("messages held (re-queued copies), indexer", EmfTotals.Sum(processes.Take(2).SelectMany(p => p.StandardOutput), "MessagesRequeued"))
                .Add("records held (re-queued copies), control plane", EmfTotals.Sum(processes.Skip(4).SelectMany(p => p.StandardOutput), "MessagesRequeued"))
                .Add("bulk requests refused as a whole", domain.RequestsFailed)
                .Add("drained after the domain returned (s)", drainedAfter.TotalSeconds, "N1")
                .Add("events DLQ / control-plane DLQ", $"{eventsDeadLetters.Count} / {failureDeadLetters.Count}")
                .Publish(output);

            Assert.True(drained, $"not drained {drainedAfter.TotalSeconds:N0} s after the outage: events stored {AllEventsStored(domain, producer)}, lines stored {AllLinesStored(domain, decodable)}, events queue {await ScenarioResources.CountAsync(sqs, events.Url)}, failure queue {await ScenarioResources.CountAsync(sqs, failures.Url)}");
            var stored = domain.Documents("eks-kubernetes-events-*").ToDictionary(d => d.Id, StringComparer.Ordinal);
            Assert.All(producer.Latest, e => Assert.Equal(e.Value, stored[e.Key].Version));
            Assert.Equal(producer.Latest.Count, stored.Count);
            var lines = domain.Documents("eks-control-plane-logs-*").Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(decodable.Sum(d => d.LineIds.Count), lines.Count);
            Assert.All(decodable.SelectMany(d => d.LineIds), id => Assert.Contains(id, lines));
            Assert.Equal(poison.Bodies.Order(StringComparer.Ordinal), eventsDeadLetters.Order(StringComparer.Ordinal));
            Assert.Equal(undecodable.Select(d => d.Data).Order(StringComparer.Ordinal), failureDeadLetters.Select(RequestData).Order(StringComparer.Ordinal));
            Assert.All(failureDeadLetters, record => Assert.Equal("RetriesExhausted", Condition(record)));
            Assert.True(EmfTotals.Sum(stdout, "MessagesRequeued") > 0, "nothing was held: the outage did not reach the functions");
            Assert.Contains(decodable, d => !outcomes[d.Number]); // some good deliveries did outlast Lambda's retries
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    private static IEnumerable<FunctionProcess> Start(string bootstrap, Dictionary<string, string> common, RuntimeApiDouble runtime, string name, string sourceQueueUrl, int count)
    {
        var environment = new Dictionary<string, string>(common)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtime.HostAndPort,
            ["AWS_LAMBDA_FUNCTION_NAME"] = name,
            ["SOURCE_QUEUE_URL"] = sourceQueueUrl,
        };
        return Enumerable.Range(0, count).Select(_ => FunctionProcess.Start(bootstrap, environment)).ToList();
    }

    /// <summary>The most receives of one body that is not in <paramref name="excluded"/>.</summary>
    private static int MostReceives(SqsEventSourceMapping mapping, IReadOnlySet<string> excluded) =>
        mapping.ReceivesByBodyMd5.Where(pair => !excluded.Contains(pair.Key)).Select(pair => pair.Value).DefaultIfEmpty(0).Max();

    private static HashSet<string> Md5s(IEnumerable<string> bodies) => bodies.Select(Md5).ToHashSet(StringComparer.Ordinal);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "SQS names a body by its MD5.")]
    private static string Md5(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));

    private static bool AllEventsStored(OpenSearchDouble domain, EnvelopeProducer producer)
    {
        var stored = domain.Documents("eks-kubernetes-events-*").GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.First().Version, StringComparer.Ordinal);
        return producer.Latest.All(e => stored.TryGetValue(e.Key, out var version) && version == e.Value);
    }

    private static bool AllLinesStored(OpenSearchDouble domain, List<SubscriptionPayloads.Delivery> decodable)
    {
        var ids = domain.Documents("eks-control-plane-logs-*").Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        return decodable.All(d => d.LineIds.All(ids.Contains));
    }

    private static string RequestData(string record)
    {
        using var json = JsonDocument.Parse(record);
        return json.RootElement.GetProperty("requestPayload").GetProperty("awslogs").GetProperty("data").GetString()!;
    }

    private static string Condition(string record)
    {
        using var json = JsonDocument.Parse(record);
        return json.RootElement.GetProperty("requestContext").GetProperty("condition").GetString()!;
    }

    private static Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan bound) => WaitUntilAsync(() => Task.FromResult(condition()), bound);

    /// <summary>Polls an observable condition every half second, up to a generous bound.</summary>
    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan bound)
    {
        var until = DateTime.UtcNow + bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(500);
        }

        return true;
    }
}
