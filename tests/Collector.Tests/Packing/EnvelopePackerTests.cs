using System.Text;
using System.Text.Json.Nodes;
using Collector.Kubernetes;
using Collector.Packing;

namespace Collector.Tests.Packing;

public sealed class EnvelopePackerTests
{
    internal static ObservedEvent Event(int i, string message = "Started container app")
    {
        var json = new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["name"] = "pod-" + i, ["namespace"] = "default", ["uid"] = "uid-" + i, ["resourceVersion"] = (100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["reason"] = "Started",
            ["message"] = message,
            ["type"] = "Normal",
        };
        return new ObservedEvent
        {
            Uid = "uid-" + i,
            ResourceVersion = (100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Namespace = "default",
            Type = "Normal",
            Reason = "Started",
            InvolvedKind = "Pod",
            Json = Encoding.UTF8.GetBytes(json.ToJsonString()),
        };
    }

    internal static JsonObject Parse(Envelope envelope) => JsonNode.Parse(envelope.Body.Span)!.AsObject();

    [Fact]
    public void Add_ManyEvents_EveryMessageWithinLimitAndEveryEventOnceInOrder()
    {
        const int limit = 4096;
        var packer = new EnvelopePacker("prod", limit);
        var messages = new List<Envelope>();

        for (var i = 0; i < 500; i++)
        {
            packer.Add(Event(i, new string('x', i % 300)), messages);
        }

        packer.Flush(messages);

        Assert.True(messages.Count > 10);
        Assert.All(messages, m => Assert.True(m.Body.Length <= limit, $"{m.Body.Length} bytes"));
        var uids = messages.SelectMany(m => Parse(m)["events"]!.AsArray()).Select(e => e!["metadata"]!["uid"]!.GetValue<string>()).ToList();
        Assert.Equal(Enumerable.Range(0, 500).Select(i => "uid-" + i), uids);
        Assert.Equal(500, messages.Sum(m => m.EventCount));
    }

    [Fact]
    public void Flush_Envelope_HasSchemaClusterNameAndEventsAsSent()
    {
        var packer = new EnvelopePacker("prod-eu", 65536);
        var messages = new List<Envelope>();
        var observed = Event(1);

        packer.Add(observed, messages);
        packer.Flush(messages);

        var envelope = Parse(Assert.Single(messages));
        Assert.Equal("eks-events/v1", envelope["schema"]!.GetValue<string>());
        Assert.Equal("prod-eu", envelope["clusterName"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(observed.Json.Span), envelope["events"]![0]));
    }

    [Fact]
    public void Add_MessagesFilledCloseToTheLimit_NotWastefullySmall()
    {
        const int limit = 65536;
        var packer = new EnvelopePacker("c", limit);
        var messages = new List<Envelope>();
        for (var i = 0; i < 2000; i++)
        {
            packer.Add(Event(i), messages);
        }

        // Every closed message (not the open tail) is within one event of the limit.
        var eventSize = Event(0).Json.Length + 1;
        Assert.All(messages, m => Assert.InRange(m.Body.Length, limit - (2 * eventSize), limit));
    }

    [Fact]
    public void Add_EventLargerThanAMessage_IsSentAloneTruncatedAndMarked()
    {
        const int limit = 4096;
        var packer = new EnvelopePacker("prod", limit);
        var messages = new List<Envelope>();
        packer.Add(Event(1), messages);

        packer.Add(Event(2, "é" + new string('y', 20_000)), messages);
        packer.Flush(messages);

        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.True(m.Body.Length <= limit));
        var truncated = Assert.Single(Parse(messages[1])["events"]!.AsArray())!;
        Assert.True(truncated["truncated"]!.GetValue<bool>());
        Assert.StartsWith("éyyy", truncated["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("uid-2", truncated["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal(1, packer.TruncatedCount);
    }

    [Fact]
    public void Add_EventThatFitsExactly_IsNotTruncated()
    {
        var probe = new EnvelopePacker("prod", 4096);
        var observed = Event(1, new string('z', 100));
        var limit = 4096 - probe.MaxEventBytes + observed.Json.Length;
        var packer = new EnvelopePacker("prod", limit);
        var messages = new List<Envelope>();

        packer.Add(observed, messages);
        packer.Flush(messages);

        var message = Assert.Single(messages);
        Assert.Equal(limit, message.Body.Length);
        Assert.Null(Parse(message)["events"]![0]!["truncated"]);
    }
}
