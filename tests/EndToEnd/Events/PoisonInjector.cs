using System.Collections.Concurrent;
using System.Globalization;
using Amazon.SQS;

namespace EndToEnd.Tests.Events;

/// <summary>
/// Puts poison messages straight on the queue, cycling through kinds the indexer must refuse for good:
/// not JSON, an envelope whose events are not a list, an event without metadata.uid, a list whose item
/// is a number. Each body is unique, so the DLQ's content can be compared with what was sent.
/// </summary>
public sealed class PoisonInjector(IAmazonSQS sqs, string queueUrl)
{
    /// <summary>How many kinds of poison there are.</summary>
    public const int Kinds = 4;

    private readonly ConcurrentQueue<string> _bodies = new();

    /// <summary>Bodies sent so far.</summary>
    public IReadOnlyCollection<string> Bodies => _bodies;

    /// <summary>Sends the next poison message.</summary>
    public async Task SendAsync()
    {
        var n = _bodies.Count.ToString(CultureInfo.InvariantCulture);
        var body = (_bodies.Count % Kinds) switch
        {
            0 => "poison " + n + ": this is not JSON {",
            1 => "{\"schema\":\"eks-events/v1\",\"clusterName\":\"e2e\",\"events\":\"poison-" + n + "\"}",
            2 => "{\"kind\":\"Event\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"poison-" + n + "\"},\"reason\":\"NoUid\"}",
            _ => "{\"kind\":\"EventList\",\"apiVersion\":\"v1\",\"items\":[" + n + "]}",
        };
        await sqs.SendMessageAsync(queueUrl, body);
        _bodies.Enqueue(body);
    }
}
