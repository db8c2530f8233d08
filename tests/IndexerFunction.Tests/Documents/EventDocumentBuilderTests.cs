using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using IndexerFunction.Documents;
using TestSupport.Kubernetes;

namespace IndexerFunction.Tests.Documents;

public sealed class EventDocumentBuilderTests
{
    private readonly EventDocumentBuilder _builder = new("eks-kubernetes-events");
    private readonly ArrayBufferWriter<byte> _output = new();

    private (Shared.OpenSearch.BulkItem Item, JsonElement Doc) Build(string eventJson, string cluster = "eks-workshop")
    {
        using var evt = JsonDocument.Parse(eventJson);
        var item = _builder.TryBuild(JsonMarshal.GetRawUtf8Value(evt.RootElement), cluster, _output, out var problem);
        Assert.True(item is not null, problem);
        return (item!, JsonDocument.Parse(item!.Source).RootElement);
    }

    [Fact]
    public void TryBuild_KubectlEvent_IndexesByCreationDayWithUidAndResourceVersion()
    {
        var (item, doc) = Build(KubectlEvent.BackOff);

        Assert.Equal("eks-kubernetes-events-2024.06.03", item.Index); // created before midnight, last seen after it
        Assert.Equal("9b6e1d52-3c47-4a8f-b0e2-5f7a9c1d3e64", item.Id);
        Assert.Equal(20934512, item.ExternalVersion);
        Assert.Equal("eks-workshop", doc.GetProperty("clusterName").GetString());
        Assert.Equal("2024-06-04T00:06:55Z", doc.GetProperty("@timestamp").GetString());
        Assert.Equal("BackOff", doc.GetProperty("reason").GetString());
        Assert.Equal("Back-off restarting failed container checkout in pod checkout-5d8f7c9b6d-qx7kp_shop(3f0c2a9e-6b1d-4e55-9a0f-8c2d7e41b6a3)", doc.GetProperty("message").GetString());
        Assert.Equal("Pod", doc.GetProperty("involvedObject").GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, doc.GetProperty("eventTime").ValueKind);
        Assert.DoesNotContain('\n', Encoding.UTF8.GetString(item.Source.Span));
    }

    [Fact]
    public void TryBuild_SchedulerEventWithOnlyEventTime_FillsFirstAndLastTimestamp()
    {
        const string scheduler = """
            {"kind":"Event","apiVersion":"v1","metadata":{"name":"p.1","namespace":"default","uid":"u-1","resourceVersion":"77","creationTimestamp":"2024-12-31T23:59:59Z"},
             "involvedObject":{"kind":"Pod","name":"p"},"reason":"FailedScheduling","message":"0/3 nodes are available","type":"Warning",
             "eventTime":"2024-12-31T23:59:58.123456Z","firstTimestamp":null,"lastTimestamp":null,"reportingComponent":"default-scheduler"}
            """;

        var (item, doc) = Build(scheduler);

        Assert.Equal("2024-12-31T23:59:58.123456Z", doc.GetProperty("firstTimestamp").GetString());
        Assert.Equal("2024-12-31T23:59:58.123456Z", doc.GetProperty("lastTimestamp").GetString());
        Assert.Equal("2024-12-31T23:59:58.123456Z", doc.GetProperty("@timestamp").GetString());
        Assert.Equal("eks-kubernetes-events-2024.12.31", item.Index);
    }

    [Fact]
    public void TryBuild_SeriesEvent_LastSeenIsTheLastObservation()
    {
        const string series = """
            {"kind":"Event","metadata":{"uid":"u-2","resourceVersion":"9","creationTimestamp":"2024-05-01T10:00:00Z"},
             "eventTime":"2024-05-01T10:00:00.000001Z","series":{"count":12,"lastObservedTime":"2024-05-01T10:30:00.000002Z"}}
            """;

        var (_, doc) = Build(series);

        Assert.Equal("2024-05-01T10:00:00.000001Z", doc.GetProperty("firstTimestamp").GetString());
        Assert.Equal("2024-05-01T10:30:00.000002Z", doc.GetProperty("lastTimestamp").GetString());
        Assert.Equal("2024-05-01T10:30:00.000002Z", doc.GetProperty("@timestamp").GetString());
    }

    [Fact]
    public void TryBuild_OnlyCreationTimestamp_FillsBothFromIt()
    {
        var (_, doc) = Build("""{"metadata":{"uid":"u","creationTimestamp":"2024-02-29T12:00:00Z"}}""");

        Assert.Equal("2024-02-29T12:00:00Z", doc.GetProperty("firstTimestamp").GetString());
        Assert.Equal("2024-02-29T12:00:00Z", doc.GetProperty("lastTimestamp").GetString());
    }

    [Fact]
    public void TryBuild_LabelsAndAnnotations_KeysAreDeDottedEverywhereButValuesKept()
    {
        const string evt = """
            {"metadata":{"uid":"u","creationTimestamp":"2024-01-01T00:00:00Z",
              "labels":{"app.kubernetes.io/name":"web","app":"web"},
              "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"a.b\":1}","a_b":"x","a.b":"y"},
              "managedFields":[{"manager":"kube-controller-manager","operation":"Update"}]},
             "involvedObject":{"kind":"Pod","labels":{"pod-template.hash":"abc"}}}
            """;

        var (_, doc) = Build(evt);

        var metadata = doc.GetProperty("metadata");
        Assert.Equal("web", metadata.GetProperty("labels").GetProperty("app_kubernetes_io/name").GetString());
        Assert.Equal("web", metadata.GetProperty("labels").GetProperty("app").GetString());
        var annotations = metadata.GetProperty("annotations");
        Assert.Equal("{\"a.b\":1}", annotations.GetProperty("kubectl_kubernetes_io/last-applied-configuration").GetString());
        Assert.Equal("x", annotations.GetProperty("a_b").GetString());
        Assert.Equal("y", annotations.GetProperty("a_b_").GetString()); // a collision keeps both values
        Assert.False(metadata.TryGetProperty("managedFields", out _));
        Assert.Equal("abc", doc.GetProperty("involvedObject").GetProperty("labels").GetProperty("pod-template_hash").GetString());
    }

    [Fact]
    public void TryBuild_EventAlreadyCarryingClusterAndTimestamp_HasOneOfEachOurs()
    {
        var (_, doc) = Build("""{"clusterName":"old","@timestamp":"1999-01-01T00:00:00Z","metadata":{"uid":"u","creationTimestamp":"2024-01-01T00:00:00Z"}}""", cluster: "new");

        Assert.Single(doc.EnumerateObject(), p => p.Name == "clusterName");
        Assert.Equal("new", doc.GetProperty("clusterName").GetString());
        Assert.Equal("2024-01-01T00:00:00Z", doc.GetProperty("@timestamp").GetString());
    }

    [Fact]
    public void TryBuild_NullTimestampsAndOursAmongCopiedMembers_KeepsTheEventsOrderAndFillsInPlace()
    {
        const string evt = """{"kind":"Event","lastTimestamp":null,"metadata":{"uid":"u","creationTimestamp":"2024-03-01T00:00:00Z"},"clusterName":"old","reason":"X","firstTimestamp":null,"@timestamp":"1999-01-01T00:00:00Z","eventTime":"2024-03-01T00:00:01.5Z","count":2}""";

        var (_, doc) = Build(evt, cluster: "new");

        Assert.Equal(
            ["kind", "lastTimestamp", "metadata", "reason", "firstTimestamp", "eventTime", "count", "clusterName", "@timestamp", "origin"],
            doc.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2024-03-01T00:00:01.5Z", doc.GetProperty("firstTimestamp").GetString());
        Assert.Equal("2024-03-01T00:00:01.5Z", doc.GetProperty("lastTimestamp").GetString());
        Assert.Equal("2024-03-01T00:00:01.5Z", doc.GetProperty("@timestamp").GetString());
        Assert.Equal("new", doc.GetProperty("clusterName").GetString());
        Assert.Equal("u", doc.GetProperty("metadata").GetProperty("uid").GetString());
    }

    [Fact]
    public void TryBuild_MemberNamesWrittenWithEscapes_AreRecognised()
    {
        const string evt = """{"metad\u0061ta":{"\u0075id":"u","creationTimestamp":"2024-03-01T00:00:00Z"},"lastTimest\u0061mp":null,"eventTime":"2024-03-02T00:00:00Z"}""";

        var (item, doc) = Build(evt);

        Assert.Equal("u", item.Id);
        Assert.Equal("2024-03-02T00:00:00Z", doc.GetProperty("lastTimestamp").GetString());
        Assert.Single(doc.EnumerateObject(), p => p.Name == "lastTimestamp");
    }

    [Fact]
    public void TryBuild_PrettyPrintedEvent_IsOneLineWithTheSameContent()
    {
        using var compact = JsonDocument.Parse(KubectlEvent.BackOff);
        var pretty = JsonSerializer.Serialize(compact.RootElement, new JsonSerializerOptions { WriteIndented = true });

        var (item, doc) = Build(pretty);

        Assert.DoesNotContain((byte)'\n', item.Source.ToArray());
        Assert.Equal("checkout-5d8f7c9b6d-qx7kp.17d5a3c2b9e04f11", doc.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("Pod", doc.GetProperty("involvedObject").GetProperty("kind").GetString());
    }

    [Fact]
    public void TryBuild_NonNumericResourceVersion_IndexesWithoutExternalVersion()
    {
        var (item, _) = Build("""{"metadata":{"uid":"u","resourceVersion":"abc-1","creationTimestamp":"2024-01-01T00:00:00Z"}}""");

        Assert.Null(item.ExternalVersion);
    }

    [Fact]
    public void TryBuild_NonAsciiMessage_IsKeptAsUtf8()
    {
        var (item, doc) = Build("""{"message":"Pod „café“ 🚀","metadata":{"uid":"u","creationTimestamp":"2024-01-01T00:00:00Z"}}""");

        Assert.Equal("Pod „café“ 🚀", doc.GetProperty("message").GetString());
        Assert.Contains("café", Encoding.UTF8.GetString(item.Source.Span), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind":"Event"}""", "no metadata object")]
    [InlineData("""{"metadata":{"name":"x","creationTimestamp":"2024-01-01T00:00:00Z"}}""", "no metadata.uid")]
    [InlineData("""{"metadata":{"uid":42}}""", "no metadata.uid")]
    [InlineData("""{"metadata":{"uid":"u","creationTimestamp":"yesterday"},"lastTimestamp":"soon"}""", "no usable time")]
    public void TryBuild_UnusableEvent_SaysWhichFieldIsAtFault(string evt, string expected)
    {
        using var json = JsonDocument.Parse(evt);

        var item = _builder.TryBuild(JsonMarshal.GetRawUtf8Value(json.RootElement), "c", _output, out var problem);

        Assert.Null(item);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
