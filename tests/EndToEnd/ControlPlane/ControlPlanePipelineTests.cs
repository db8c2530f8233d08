using System.Diagnostics;
using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Amazon.SQS.Model;
using EndToEnd.Tests.Pipeline;
using TestSupport.Lambda;
using TestSupport.Moto;
using TestSupport.OpenSearch;
using TestSupport.Processes;
using Xunit.Abstractions;

namespace EndToEnd.Tests.ControlPlane;

/// <summary>
/// The control-plane pipeline under fire: generated subscription deliveries (mixed log types, malformed
/// lines, undecodable payloads) invoked asynchronously, with Lambda's retries (2) and an on-failure
/// destination (an SQS queue on moto), into two published AOT bootstraps and an OpenSearch double that
/// goes through 30% item 429s, an outage longer than the retries last, and slowness.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ControlPlanePipelineTests(MotoFixture moto, ITestOutputHelper output)
{
    [Fact]
    public async Task Pipeline_DomainFaultsAndBadPayloads_EveryLineIsADocumentOrItsDeliveryIsInTheOnFailureQueue()
    {
        var size = ScenarioSize.FromEnvironment();
        await using var domain = await OpenSearchDouble.StartAsync();
        await using var runtime = await RuntimeApiDouble.StartAsync();
        using var sqs = moto.CreateSqsClient();
        var onFailure = (await sqs.CreateQueueAsync("e2e-control-plane-failed-" + Guid.NewGuid().ToString("N")[..8])).QueueUrl;
        var prefix = "/e2e/" + Guid.NewGuid().ToString("N")[..8] + "/opensearch";
        using (var ssm = moto.CreateSsmClient())
        {
            await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/host", Value = domain.Endpoint.ToString(), Type = ParameterType.String });
            await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/user", Value = domain.User, Type = ParameterType.SecureString });
            await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/password", Value = domain.Password, Type = ParameterType.SecureString });
        }

        var bootstrap = await PublishedFunction.EnsureAsync("ControlPlaneLogsFunction");
        var environment = new Dictionary<string, string>(moto.Server.Environment)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtime.HostAndPort,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "eks-history-control-plane-logs",
            ["SSM_PARAMETER_PREFIX"] = prefix,
        };
        var functions = Enumerable.Range(0, 2).Select(_ => FunctionProcess.Start(bootstrap, environment)).ToList();
        try
        {
            // Lambda waits about 1 and 2 minutes between attempts; scaled so that the outage phase outlasts
            // all three attempts of a delivery that arrives early in it.
            var invoker = new AsyncInvocationQueue(sqs, runtime, new AsyncInvocationOptions
            {
                OnFailureQueueUrl = onFailure,
                FirstRetryDelay = size.Phase / 6,
                FunctionTimeout = size.FunctionTimeout,
            });
            var generator = new SubscriptionPayloads();
            var deliveries = Enumerable.Range(0, size.Payloads).Select(generator.Next).ToList();
            var decodableData = deliveries.Where(d => d.Decodable).Select(d => d.Data).ToHashSet(StringComparer.Ordinal);
            var clock = Stopwatch.StartNew();
            var faults = RunFaultScheduleAsync(domain, size.Phase, () => invoker.Records.Any(r => decodableData.Contains(RequestData(r))));
            var invocations = new List<Task<bool>>();
            foreach (var delivery in deliveries)
            {
                var due = size.Phase * 4 * delivery.Number / deliveries.Count;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                invocations.Add(invoker.InvokeAsync(delivery.Event, CancellationToken.None));
            }

            var outcomes = await Task.WhenAll(invocations);
            await faults;
            var elapsed = clock.Elapsed;
            var failed = await DrainAsync(sqs, onFailure);
            var documents = domain.Documents("eks-control-plane-logs-*").GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var failedNumbers = failed.Select(data => deliveries.FindIndex(d => d.Data == data)).ToHashSet();
            var stdout = functions.SelectMany(f => f.StandardOutput).ToList();

            new FigureTable("control-plane")
                .Add("deliveries", deliveries.Count)
                .Add("lines", deliveries.Sum(d => d.LineIds.Count))
                .Add("malformed lines", deliveries.Sum(d => d.MalformedLines))
                .Add("undecodable deliveries", deliveries.Count(d => !d.Decodable))
                .Add("fault phase length (s)", size.Phase.TotalSeconds)
                .Add("attempts (first tries and retries)", invoker.Attempts)
                .Add("async retries", invoker.Retries)
                .Add("deliveries in the on-failure queue", failed.Count)
                .Add("documents", documents.Count)
                .Add("documents with parse_error", documents.Values.Count(d => d.Source.TryGetProperty("parse_error", out _)))
                .Add("documents retried inside invocations (EMF Retries)", EmfTotals.Sum(stdout, "Retries"))
                .Add("items refused with 429 by the domain", domain.ItemsRefusedWithTooManyRequests)
                .Add("requests refused as a whole by the domain", domain.RequestsFailed)
                .Add("lines/s end to end", deliveries.Sum(d => d.LineIds.Count) / elapsed.TotalSeconds, "N0")
                .Publish(output);

            Assert.DoesNotContain(-1, failedNumbers);
            Assert.Equal(failed.Count, failedNumbers.Count);
            foreach (var delivery in deliveries)
            {
                var inQueue = failedNumbers.Contains(delivery.Number);
                var missing = delivery.LineIds.Count(id => !documents.ContainsKey(id));
                Assert.True(inQueue == !outcomes[delivery.Number], $"delivery {delivery.Number}: on-failure queue {inQueue}, succeeded {outcomes[delivery.Number]}");
                Assert.True(inQueue || missing == 0, $"delivery {delivery.Number} succeeded but {missing} of its {delivery.LineIds.Count} lines are not documents");
                Assert.True(delivery.Decodable || inQueue, $"undecodable delivery {delivery.Number} is not in the on-failure queue");
            }

            Assert.Equal(deliveries.Where(d => !failedNumbers.Contains(d.Number)).Sum(d => d.LineIds.Count), deliveries.Where(d => !failedNumbers.Contains(d.Number)).SelectMany(d => d.LineIds).Count(documents.ContainsKey));
            Assert.All(documents.Keys, id => Assert.Contains(deliveries, d => d.LineIds.Contains(id)));
            Assert.Contains(deliveries, d => d.Decodable && failedNumbers.Contains(d.Number));
        }
        finally
        {
            foreach (var function in functions)
            {
                await function.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// 30% item 429s in [P, 2P), an outage (503) from 2P, a slow domain from the end of the outage to 4P. The outage
    /// lasts at least a phase and until a decodable delivery has failed all its attempts (an observable condition,
    /// not a count of seconds: how long an attempt takes depends on the machine), so the on-failure path is always
    /// taken by good deliveries as well as by the undecodable ones.
    /// </summary>
    private static async Task RunFaultScheduleAsync(OpenSearchDouble domain, TimeSpan phase, Func<bool> goodDeliveryExhausted)
    {
        var clock = Stopwatch.StartNew();
        async Task At(double phases)
        {
            var wait = (phase * phases) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
        }

        await At(1);
        domain.TooManyRequestsItemShare = 0.3;
        await At(2);
        domain.TooManyRequestsItemShare = 0;
        domain.Outage = BulkFault.ServiceUnavailable;
        await At(3);
        var bound = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!goodDeliveryExhausted() && DateTime.UtcNow < bound)
        {
            await Task.Delay(200);
        }

        domain.Outage = null;
        domain.Latency = TimeSpan.FromMilliseconds(Math.Min(1000, phase.TotalMilliseconds / 8));
        await At(4);
        domain.Latency = TimeSpan.Zero;
    }

    private static string RequestData(string record)
    {
        using var json = JsonDocument.Parse(record);
        return json.RootElement.GetProperty("requestPayload").GetProperty("awslogs").GetProperty("data").GetString()!;
    }

    /// <summary>The <c>awslogs.data</c> of the request payload of every invocation record in the on-failure queue.</summary>
    private static async Task<List<string>> DrainAsync(Amazon.SQS.IAmazonSQS sqs, string queueUrl)
    {
        var payloads = new List<string>();
        while (true)
        {
            var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
            if (response.Messages is not { Count: > 0 } messages)
            {
                return payloads;
            }

            foreach (var message in messages)
            {
                using var record = JsonDocument.Parse(message.Body);
                Assert.Equal("RetriesExhausted", record.RootElement.GetProperty("requestContext").GetProperty("condition").GetString());
                payloads.Add(record.RootElement.GetProperty("requestPayload").GetProperty("awslogs").GetProperty("data").GetString()!);
                await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
            }
        }
    }
}
