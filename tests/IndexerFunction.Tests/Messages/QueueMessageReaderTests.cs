using System.Buffers;
using System.Text;
using System.Text.Json;
using IndexerFunction.Documents;
using IndexerFunction.Messages;
using IndexerFunction.Metrics;
using TestSupport.Kubernetes;

namespace IndexerFunction.Tests.Messages;

public sealed class QueueMessageReaderTests
{
    private static QueueMessageReader? Read(string body, string? attribute, string fallback, out string? problem)
    {
        var reader = new QueueMessageReader(new EventDocumentBuilder("eks-kubernetes-events"));
        return reader.TryRead(Encoding.UTF8.GetBytes(body), attribute, fallback, WarningReasons.Default, new ArrayBufferWriter<byte>(), out problem) ? reader : null;
    }

    [Fact]
    public void TryRead_Envelope_ReturnsItsEventsAndItsClusterName()
    {
        var message = Read($$"""{"schema":"eks-events/v1","clusterName":"prod-eu","events":[{{KubectlEvent.BackOff}},{{KubectlEvent.BackOff}}]}""", "ignored", "default", out var problem);

        Assert.Null(problem);
        Assert.Equal("prod-eu", message!.ClusterName);
        Assert.Equal(2, message.Events.Count);
        Assert.Equal("checkout-5d8f7c9b6d-qx7kp.17d5a3c2b9e04f11", JsonDocument.Parse(message.Events[0].Item!.Source).RootElement.GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public void TryRead_SingleEvent_TakesClusterFromTheMessageAttribute()
    {
        var message = Read(KubectlEvent.BackOff, "from-attribute", "from-setting", out _);

        Assert.Equal("from-attribute", message!.ClusterName);
        Assert.Single(message.Events);
    }

    [Fact]
    public void TryRead_SingleEventWithoutAttribute_TakesClusterFromTheSetting()
    {
        var message = Read(KubectlEvent.BackOff, null, "from-setting", out _);

        Assert.Equal("from-setting", message!.ClusterName);
    }

    [Theory]
    [InlineData("EventList", false)]
    [InlineData("List", true)]
    public void TryRead_KubectlLists_ReturnsEveryItem(string kind, bool itemsHaveKind)
    {
        var item = itemsHaveKind ? KubectlEvent.BackOff : KubectlEvent.BackOff.Replace("\"kind\": \"Event\",", string.Empty, StringComparison.Ordinal);
        var message = Read($$$"""{"apiVersion":"v1","kind":"{{{kind}}}","items":[{{{item}}},{{{item}}},{{{item}}}],"metadata":{"resourceVersion":""}}""", null, "c", out var problem);

        Assert.Null(problem);
        Assert.Equal(3, message!.Events.Count);
    }

    [Theory]
    [InlineData("Message Body", "not JSON")]
    [InlineData("[1,2]", "array, not an object")]
    [InlineData("\"text\"", "string, not an object")]
    [InlineData("{}", "no 'schema'")]
    [InlineData("{\"schema\":\"eks-events/v2\",\"events\":[]}", "unsupported envelope schema \"eks-events/v2\"")]
    [InlineData("{\"schema\":\"eks-events/v1\",\"clusterName\":\"c\"}", "no 'events' array")]
    [InlineData("{\"kind\":\"Pod\",\"metadata\":{}}", "Kubernetes Pod, not an Event")]
    [InlineData("{\"kind\":\"List\",\"items\":[{\"kind\":\"Pod\"}]}", "item 0 is a Pod, not an Event")]
    [InlineData("{\"kind\":\"EventList\"}", "no 'items' array")]
    [InlineData("{\"schema\":\"eks-events/v1\",\"events\":[42]}", "item 0 is a JSON number")]
    public void TryRead_Malformed_SaysWhatIsWrong(string body, string expected)
    {
        var message = Read(body, null, "c", out var problem);

        Assert.Null(message);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    /// <summary>JSON text is UTF-8: a body with a bad sequence anywhere, envelope or not, is refused as that, saying where.</summary>
    [Theory]
    [InlineData("{\"schema\":\"eks-events/v1\",\"events\":[{\"message\":\"caf\u00c3\"}]}", 51, "0xC3")]
    [InlineData("{\"kind\":\"Event\",\"message\":\"\u00ed\u00a0\u0080\"}", 27, "0xED")]
    [InlineData("{\"kind\":\"Event\",\u0080\"message\":\"\"}", 16, "0x80")]
    public void TryRead_BodyNotUtf8_SaysWhereItIsNot(string latin1, int at, string what)
    {
        var reader = new QueueMessageReader(new EventDocumentBuilder("eks-kubernetes-events"));

        var read = reader.TryRead(Encoding.Latin1.GetBytes(latin1), null, "c", WarningReasons.Default, new ArrayBufferWriter<byte>(), out var problem);

        Assert.False(read);
        Assert.Equal($"the body is not UTF-8: an invalid sequence at byte {at} ({what})", problem);
    }
}
