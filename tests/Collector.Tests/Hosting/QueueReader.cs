using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Collector.Tests.Hosting;

/// <summary>A test SQS queue on moto and everything read from it so far, as the indexer would see it.</summary>
internal sealed class QueueReader(IAmazonSQS sqs, string name, string url)
{
    private readonly List<JsonObject> _envelopes = [];

    public string Name { get; } = name;

    public Uri Url { get; } = new(url);

    public IReadOnlyList<JsonObject> Envelopes => _envelopes;

    /// <summary>Every event read, in arrival order.</summary>
    public IReadOnlyList<JsonNode> Events => _envelopes.SelectMany(e => e["events"]!.AsArray()).Select(e => e!).ToList();

    public static async Task<QueueReader> CreateAsync(IAmazonSQS sqs)
    {
        var name = "events-" + Guid.NewGuid().ToString("N");
        var created = await sqs.CreateQueueAsync(name);
        return new QueueReader(sqs, name, created.QueueUrl);
    }

    /// <summary>Reads (and deletes) whatever is in the queue now.</summary>
    public async Task DrainAsync()
    {
        while (true)
        {
            var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = Url.ToString(), MaxNumberOfMessages = 10, WaitTimeSeconds = 0 });
            if (response.Messages is not { Count: > 0 } messages)
            {
                return;
            }

            foreach (var message in messages)
            {
                _envelopes.Add(JsonNode.Parse(message.Body)!.AsObject());
                await sqs.DeleteMessageAsync(Url.ToString(), message.ReceiptHandle);
            }
        }
    }

    /// <summary>Drains until <paramref name="condition"/> holds or the time is up.</summary>
    public async Task WaitForAsync(Func<QueueReader, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            await DrainAsync();
            if (condition(this))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}; the queue held {_envelopes.Count} envelopes with {Events.Count} events.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>uid → versions read, in order.</summary>
    public Dictionary<string, List<string>> Versions() =>
        Events.GroupBy(e => e["metadata"]!["uid"]!.GetValue<string>())
            .ToDictionary(g => g.Key, g => g.Select(e => e["metadata"]!["resourceVersion"]!.GetValue<string>()).ToList());

    /// <summary>True when every given event has been read at its current version.</summary>
    public bool HasLatest(IEnumerable<JsonObject> events)
    {
        var versions = Versions();
        return events.All(e => versions.TryGetValue(e["metadata"]!["uid"]!.GetValue<string>(), out var seen)
            && seen.Contains(e["metadata"]!["resourceVersion"]!.GetValue<string>()));
    }
}
