using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Benchmarks.Indexer;

/// <summary>Realistic core/v1 Events of about 600 bytes, packed like the Collector packs them.</summary>
public static class SampleEvents
{
    /// <summary>One compact kubelet event JSON of about 600 bytes (the workload the target is stated for).</summary>
    public static string Event(int n) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"kind":"Event","apiVersion":"v1","metadata":{"name":"web-{{n}}.17b2c3d4e5f6a7b8","namespace":"shop","uid":"{{Guid.NewGuid()}}","resourceVersion":"{{1_000_000 + n}}","creationTimestamp":"2024-06-01T08:00:00Z"},"involvedObject":{"kind":"Pod","namespace":"shop","name":"web-{{n}}-6d988b8d84-x7k2p","uid":"{{Guid.NewGuid()}}","apiVersion":"v1","resourceVersion":"4823"},"reason":"BackOff","message":"Back-off restarting failed container web in pod web-{{n}}-6d988b8d84-x7k2p","source":{"component":"kubelet","host":"ip-10-0-1-23.ec2.internal"},"firstTimestamp":"2024-06-01T08:00:00Z","lastTimestamp":"2024-06-01T08:05:00Z","count":7,"type":"Warning","eventTime":null,"reportingComponent":"kubelet","reportingInstance":""}""");

    /// <summary>
    /// The invocation payload of <see cref="Batch"/>, escaped the way the SQS events in Lambda's documentation
    /// are: a quote inside a body as <c>\"</c>. (The serializer's default encoder would write <c>\u0022</c>,
    /// three times the bytes per quote, which Lambda does not send.)
    /// </summary>
    public static byte[] Payload(int messages, int perMessage) =>
        JsonSerializer.SerializeToUtf8Bytes(Batch(messages, perMessage), new JsonSerializerOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });

    /// <summary>An SQS event of <paramref name="messages"/> envelopes of <paramref name="perMessage"/> events each.</summary>
    public static Functions.Runtime.Events.Sqs.SQSEvent Batch(int messages, int perMessage)
    {
        var n = 0;
        return new Functions.Runtime.Events.Sqs.SQSEvent
        {
            Records = Enumerable.Range(0, messages).Select(m => new Functions.Runtime.Events.Sqs.SQSEvent.SQSMessage
            {
                MessageId = $"m{m}",
                EventSource = "aws:sqs",
                Body = $$"""{"schema":"eks-events/v1","clusterName":"bench","events":[{{string.Join(',', Enumerable.Range(0, perMessage).Select(_ => Event(n++)))}}]}""",
            }).ToList(),
        };
    }
}
