using System.Text;
using IndexerFunction.Messages;
using TestSupport;

namespace IndexerFunction.Tests.Messages;

public sealed class QueueMessageReaderTests
{
    private static readonly string WorkshopEvent = Encoding.UTF8.GetString(RepositoryRoot.Fixture("eks-workshop-v2_core-v1-event.json"));

    private static QueueMessage? Read(string body, string? attribute, string fallback, out string? problem) =>
        QueueMessageReader.TryRead(Encoding.UTF8.GetBytes(body), attribute, fallback, out problem);

    [Fact]
    public void TryRead_Envelope_ReturnsItsEventsAndItsClusterName()
    {
        using var message = Read($$"""{"schema":"eks-events/v1","clusterName":"prod-eu","events":[{{WorkshopEvent}},{{WorkshopEvent}}]}""", "ignored", "default", out var problem);

        Assert.Null(problem);
        Assert.Equal("prod-eu", message!.ClusterName);
        Assert.Equal(2, message.Events.Count);
        Assert.Equal("scenario-c.178fa09ddad7c5e3", message.Events[0].GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public void TryRead_SingleEvent_TakesClusterFromTheMessageAttribute()
    {
        using var message = Read(WorkshopEvent, "from-attribute", "from-setting", out _);

        Assert.Equal("from-attribute", message!.ClusterName);
        Assert.Single(message.Events);
    }

    [Fact]
    public void TryRead_SingleEventWithoutAttribute_TakesClusterFromTheSetting()
    {
        using var message = Read(WorkshopEvent, null, "from-setting", out _);

        Assert.Equal("from-setting", message!.ClusterName);
    }

    [Theory]
    [InlineData("EventList", false)]
    [InlineData("List", true)]
    public void TryRead_KubectlLists_ReturnsEveryItem(string kind, bool itemsHaveKind)
    {
        var item = itemsHaveKind ? WorkshopEvent : WorkshopEvent.Replace("\"kind\": \"Event\",", string.Empty, StringComparison.Ordinal);
        using var message = Read($$$"""{"apiVersion":"v1","kind":"{{{kind}}}","items":[{{{item}}},{{{item}}},{{{item}}}],"metadata":{"resourceVersion":""}}""", null, "c", out var problem);

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
}
