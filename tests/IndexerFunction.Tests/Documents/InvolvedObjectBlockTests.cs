using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using IndexerFunction.Documents;

namespace IndexerFunction.Tests.Documents;

/// <summary>The <c>object</c> block and <c>origin</c> of event documents, built through <see cref="EventDocumentBuilder"/>.</summary>
public sealed class InvolvedObjectBlockTests
{
    private readonly EventDocumentBuilder _builder = new("eks-kubernetes-events");
    private readonly ArrayBufferWriter<byte> _output = new();

    // What kubelet reports when a container's image cannot be pulled: the Pod with apiVersion, uid and fieldPath.
    private const string ImagePullFailed = """
        {"kind":"Event","apiVersion":"v1","metadata":{"name":"web-7d9f8c6b5-x2x9k.17c2b3a4d5e6f708","namespace":"shop","uid":"0d6a3c1e-4b2f-4e8a-9c7d-1f2e3a4b5c6d","resourceVersion":"884213","creationTimestamp":"2026-03-14T03:10:12Z"},
         "involvedObject":{"kind":"Pod","namespace":"shop","name":"web-7d9f8c6b5-x2x9k","uid":"5f0c1a52-7b1e-4a47-9d3c-2b8e9f1a0c11","apiVersion":"v1","resourceVersion":"884190","fieldPath":"spec.containers{web}"},
         "reason":"Failed","message":"Failed to pull image \"registry.example.com/shop/web:2.4.1\": not found","source":{"component":"kubelet","host":"ip-192-168-12-34.eu-west-1.compute.internal"},
         "firstTimestamp":"2026-03-14T03:10:12Z","lastTimestamp":"2026-03-14T03:10:12Z","count":1,"type":"Warning","eventTime":null,"reportingComponent":"kubelet","reportingInstance":"ip-192-168-12-34.eu-west-1.compute.internal"}
        """;

    private JsonObject Build(string eventJson)
    {
        using var evt = JsonDocument.Parse(eventJson);
        var item = _builder.TryBuild(JsonMarshal.GetRawUtf8Value(evt.RootElement), "shop-prod", _output, out var problem);
        Assert.True(item is not null, problem);
        using var strict = JsonDocument.Parse(item!.Source, new JsonDocumentOptions { AllowDuplicateProperties = false });
        Assert.DoesNotContain((byte)'\n', item.Source.ToArray());
        return JsonNode.Parse(item.Source.Span)!.AsObject();
    }

    private static void Equal(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual?.ToJsonString() ?? "null");

    [Fact]
    public void TryBuild_KubeletPodEvent_NamesThePodByKindResourceAndGroup()
    {
        var doc = Build(ImagePullFailed);

        Equal("""{"kind":"Pod","resource":"pods","apiGroup":"","namespace":"shop","name":"web-7d9f8c6b5-x2x9k","uid":"5f0c1a52-7b1e-4a47-9d3c-2b8e9f1a0c11"}""", doc["object"]);
        Assert.Equal("event", (string?)doc["origin"]);
        // The event's own fields are unchanged: source stays the reporting component.
        Assert.Equal("kubelet", (string?)doc["source"]!["component"]);
        Assert.Equal("spec.containers{web}", (string?)doc["involvedObject"]!["fieldPath"]);
    }

    [Fact]
    public void TryBuild_NodeControllerEventWithoutApiVersion_NamesTheClusterScopedNode()
    {
        const string nodeNotReady = """
            {"kind":"Event","apiVersion":"v1","metadata":{"name":"ip-192-168-12-34.eu-west-1.compute.internal.17c2b3a4d5e6f709","namespace":"default","uid":"7a1b2c3d-0000-4e8a-9c7d-1f2e3a4b5c6d","resourceVersion":"884300","creationTimestamp":"2026-03-14T03:12:00Z"},
             "involvedObject":{"kind":"Node","name":"ip-192-168-12-34.eu-west-1.compute.internal","uid":"b1e0d7c2-1111-4e8a-9c7d-1f2e3a4b5c6d"},
             "reason":"NodeNotReady","message":"Node ip-192-168-12-34.eu-west-1.compute.internal status is now: NodeNotReady","source":{"component":"node-controller"},
             "firstTimestamp":"2026-03-14T03:12:00Z","lastTimestamp":"2026-03-14T03:12:00Z","count":1,"type":"Normal","eventTime":null,"reportingComponent":"node-controller","reportingInstance":""}
            """;

        var doc = Build(nodeNotReady);

        Equal("""{"kind":"Node","resource":"nodes","apiGroup":"","name":"ip-192-168-12-34.eu-west-1.compute.internal","uid":"b1e0d7c2-1111-4e8a-9c7d-1f2e3a4b5c6d"}""", doc["object"]);
    }

    [Fact]
    public void TryBuild_CustomResourceEvent_KeepsWhatTheEventSays()
    {
        const string disrupted = """
            {"kind":"Event","apiVersion":"v1","metadata":{"name":"default-7x2kq.17c2","namespace":"default","uid":"u-crd","resourceVersion":"5","creationTimestamp":"2026-03-14T03:13:00Z"},
             "involvedObject":{"kind":"NodeClaim","name":"default-7x2kq","uid":"c0ffee00-0000-4e8a-9c7d-1f2e3a4b5c6d","apiVersion":"karpenter.sh/v1"},
             "reason":"DisruptionBlocked","message":"Cannot disrupt NodeClaim","type":"Normal","source":{"component":"karpenter"},"firstTimestamp":"2026-03-14T03:13:00Z","lastTimestamp":"2026-03-14T03:13:00Z","count":1}
            """;

        var doc = Build(disrupted);

        Equal("""{"kind":"NodeClaim","apiGroup":"karpenter.sh","name":"default-7x2kq","uid":"c0ffee00-0000-4e8a-9c7d-1f2e3a4b5c6d"}""", doc["object"]);
    }

    [Fact]
    public void TryBuild_ReFedDocumentCarryingObjectAndOrigin_HasOnlyOurs()
    {
        // A document exported from the index and fed back (a script, a replay) already has both.
        var exported = JsonNode.Parse(ImagePullFailed)!.AsObject();
        exported["object"] = new JsonObject { ["kind"] = "Stale" };
        exported["origin"] = "audit";

        var doc = Build(exported.ToJsonString());

        Assert.Equal("Pod", (string?)doc["object"]!["kind"]);
        Assert.Equal("event", (string?)doc["origin"]);
    }

    [Fact]
    public void TryBuild_PrettyPrintedEvent_HasTheSameBlock()
    {
        var pretty = JsonNode.Parse(ImagePullFailed)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

        Assert.True(JsonNode.DeepEquals(Build(ImagePullFailed)["object"], Build(pretty)["object"]));
    }

    [Fact]
    public void TryBuild_EventWithoutInvolvedObject_HasOnlyTheOrigin()
    {
        var doc = Build("""{"kind":"Event","metadata":{"uid":"u","creationTimestamp":"2026-03-14T03:10:12Z"},"reason":"Heartbeat"}""");

        Assert.False(doc.ContainsKey("object"));
        Assert.Equal("event", (string?)doc["origin"]);
    }
}
