using System.Text;
using System.Text.Json.Nodes;
using Collector.Kubernetes;

namespace Conformance.Tests.EksWorkshop;

/// <summary>The collector's watch-line parsing on the real core/v1 Event the EKS workshop shows.</summary>
public sealed class EventJsonTests
{
    [Fact]
    public void ParseWatchLine_WorkshopEvent_ExposesRoutingFields()
    {
        var compact = JsonNode.Parse(PublicSamples.ReadText("eks-workshop-v2_core-v1-event.json"))!.ToJsonString();
        var line = "{\"type\":\"ADDED\",\"object\":" + compact + "}";

        var notification = EventJson.ParseWatchLine(Encoding.UTF8.GetBytes(line));

        Assert.Equal("ADDED", notification.Type);
        var observed = notification.Event!;
        Assert.Equal("e56aa6b2-9808-45a8-8863-ec9112f23822", observed.Uid);
        Assert.Equal("1485955", observed.ResourceVersion);
        Assert.Equal("1485955", notification.ResourceVersion);
        Assert.Equal("test", observed.Namespace);
        Assert.Equal("Normal", observed.Type);
        Assert.Equal("ScalingReplicaSet", observed.Reason);
        Assert.Equal("Deployment", observed.InvolvedKind);
        Assert.Equal(compact, Encoding.UTF8.GetString(observed.Json.Span));
    }
}
