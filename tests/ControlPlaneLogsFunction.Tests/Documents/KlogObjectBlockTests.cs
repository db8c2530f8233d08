using System.Text.Json.Nodes;
using ControlPlaneLogsFunction.Tests.Samples;

namespace ControlPlaneLogsFunction.Tests.Documents;

/// <summary>The <c>object</c> block of klog lines that name a pod or a node.</summary>
public sealed class KlogObjectBlockTests
{
    private static void Equal(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual?.ToJsonString() ?? "null");

    [Fact]
    public void Build_SchedulerCannotScheduleAPod_NamesThePodWithOriginLog()
    {
        const string line = "I0314 03:09:59.201133      11 schedule_one.go:1055] \"Unable to schedule pod; no fit; waiting\" pod=\"shop/web-7d9f8c6b5-x2x9k\" err=\"0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.\"";

        var doc = DocumentAssert.Build(ControlPlaneLines.SchedulerStream, line).Json;

        Equal("""{"kind":"Pod","resource":"pods","apiGroup":"","namespace":"shop","name":"web-7d9f8c6b5-x2x9k"}""", doc["object"]);
        Assert.Equal("log", (string?)doc["origin"]);
    }

    [Fact]
    public void Build_ControllerLineNamingANode_NamesTheClusterScopedNode()
    {
        const string line = "I0314 03:12:00.000100      12 node_lifecycle_controller.go:1232] \"Node is NotReady\" node=\"ip-192-168-12-34.eu-west-1.compute.internal\" status=\"Unknown\"";

        var doc = DocumentAssert.Build(ControlPlaneLines.ControllerManagerStream, line).Json;

        Equal("""{"kind":"Node","resource":"nodes","apiGroup":"","name":"ip-192-168-12-34.eu-west-1.compute.internal"}""", doc["object"]);
    }

    [Fact]
    public void Build_KlogLineNamingNoPodOrNode_HasNeitherObjectNorOrigin()
    {
        var doc = DocumentAssert.Build(ControlPlaneLines.ControllerManagerStream, ControlPlaneLines.ControllerManagerStructured).Json;

        Assert.False(doc.ContainsKey("object"));
        Assert.False(doc.ContainsKey("origin"));
    }
}
