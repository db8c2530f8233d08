using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using IndexerFunction.Documents;

namespace Conformance.Tests.EksWorkshop;

/// <summary>The indexer's documents for the real core/v1 Event the EKS workshop shows (an EKS cluster's `kubectl get events -o json`).</summary>
public sealed class EventDocumentBuilderTests
{
    private static string Workshop => PublicSamples.ReadText("eks-workshop-v2_core-v1-event.json");

    [Fact]
    public void TryBuild_WorkshopEvent_IndexesByCreationDayWithUidAndResourceVersion()
    {
        var output = new ArrayBufferWriter<byte>();
        using var evt = JsonDocument.Parse(Workshop);

        var item = new EventDocumentBuilder("eks-kubernetes-events").TryBuild(JsonMarshal.GetRawUtf8Value(evt.RootElement), "eks-workshop", output, out var problem);

        Assert.True(item is not null, problem);
        var doc = JsonDocument.Parse(item!.Source).RootElement;
        Assert.Equal("eks-kubernetes-events-2023.10.19", item.Index);
        Assert.Equal("e56aa6b2-9808-45a8-8863-ec9112f23822", item.Id);
        Assert.Equal(1485955, item.ExternalVersion);
        Assert.Equal("eks-workshop", doc.GetProperty("clusterName").GetString());
        Assert.Equal("2023-10-19T21:49:44Z", doc.GetProperty("@timestamp").GetString());
        Assert.Equal("ScalingReplicaSet", doc.GetProperty("reason").GetString());
        Assert.Equal("Scaled down replica set scenario-c-6d988b8d84 to 0 from 1", doc.GetProperty("message").GetString());
        Assert.Equal("Deployment", doc.GetProperty("involvedObject").GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, doc.GetProperty("eventTime").ValueKind);
        Assert.DoesNotContain('\n', Encoding.UTF8.GetString(item.Source.Span));
    }

    [Fact]
    public void TryBuild_WorkshopEvent_NamesTheDeploymentInTheAppsGroup()
    {
        var output = new ArrayBufferWriter<byte>();
        using var evt = JsonDocument.Parse(Workshop);

        var item = new EventDocumentBuilder("eks-kubernetes-events").TryBuild(JsonMarshal.GetRawUtf8Value(evt.RootElement), "eks-workshop", output, out var problem);

        Assert.True(item is not null, problem);
        var doc = JsonDocument.Parse(item!.Source).RootElement;
        var block = doc.GetProperty("object");
        var involved = doc.GetProperty("involvedObject");
        Assert.Equal("Deployment", block.GetProperty("kind").GetString());
        Assert.Equal("deployments", block.GetProperty("resource").GetString());
        Assert.Equal("apps", block.GetProperty("apiGroup").GetString());
        Assert.Equal(involved.GetProperty("namespace").GetString(), block.GetProperty("namespace").GetString());
        Assert.Equal(involved.GetProperty("name").GetString(), block.GetProperty("name").GetString());
        Assert.Equal(involved.GetProperty("uid").GetString(), block.GetProperty("uid").GetString());
        Assert.Equal("event", doc.GetProperty("origin").GetString());
    }
}
