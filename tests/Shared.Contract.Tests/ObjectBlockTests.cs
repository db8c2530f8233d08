using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shared.Contract.Tests;

public sealed class ObjectBlockTests
{
    private static byte[] U(string text) => Encoding.UTF8.GetBytes(text);

    private static JsonObject Written(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        using var strict = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { AllowDuplicateProperties = false });
        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    private static JsonObject FromKind(string kind, string apiVersion, string ns = "", string name = "", string uid = "") =>
        Written(w => ObjectBlock.Write(w, ObjectReference.FromKind(U(kind), U(apiVersion), U(ns), U(name), U(uid)), ObjectBlock.EventOrigin));

    private static JsonObject FromResource(string resource, string subresource, string apiGroup, string ns = "", string name = "", string uid = "") =>
        Written(w => ObjectBlock.Write(w, ObjectReference.FromResource(U(resource), U(subresource), U(apiGroup), U(ns), U(name), U(uid)), ObjectBlock.AuditOrigin));

    private static void Equal(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual.ToJsonString());

    [Fact]
    public void Write_CorePodOfAnEvent_AddsResourceAndTheEmptyCoreGroup()
    {
        var doc = FromKind("Pod", "v1", "shop", "web-7d9f8c6b5-x2x9k", "5f0c1a52-7b1e-4a47-9d3c-2b8e9f1a0c11");

        Equal("""{"object":{"kind":"Pod","resource":"pods","apiGroup":"","namespace":"shop","name":"web-7d9f8c6b5-x2x9k","uid":"5f0c1a52-7b1e-4a47-9d3c-2b8e9f1a0c11"},"origin":"event"}""", doc);
    }

    [Fact]
    public void Write_DeploymentOfAnEvent_TakesTheGroupFromApiVersion()
    {
        var doc = FromKind("Deployment", "apps/v1", "shop", "web");

        Equal("""{"object":{"kind":"Deployment","resource":"deployments","apiGroup":"apps","namespace":"shop","name":"web"},"origin":"event"}""", doc);
    }

    [Fact]
    public void Write_NodeWithoutApiVersion_FindsTheGroupOfTheOnlyBuiltInNodeKind()
    {
        // kubelet's node events name the Node without apiVersion.
        var doc = FromKind("Node", "", name: "ip-192-168-12-34.eu-west-1.compute.internal", uid: "ip-192-168-12-34.eu-west-1.compute.internal");

        Equal("""{"object":{"kind":"Node","resource":"nodes","apiGroup":"","name":"ip-192-168-12-34.eu-west-1.compute.internal","uid":"ip-192-168-12-34.eu-west-1.compute.internal"},"origin":"event"}""", doc);
    }

    [Fact]
    public void Write_AmbiguousKindWithoutApiVersion_LeavesGroupAndResourceOut()
    {
        var doc = FromKind("Event", "", "shop", "web.17c2");

        Equal("""{"object":{"kind":"Event","namespace":"shop","name":"web.17c2"},"origin":"event"}""", doc);
    }

    [Fact]
    public void Write_CustomResourceOfAnEvent_KeepsKindAndGroupWithoutGuessingItsPlural()
    {
        var doc = FromKind("NodeClaim", "karpenter.sh/v1", name: "default-7x2kq");

        Equal("""{"object":{"kind":"NodeClaim","apiGroup":"karpenter.sh","name":"default-7x2kq"},"origin":"event"}""", doc);
    }

    [Fact]
    public void Write_SubresourceOfAnAuditLine_IsAboutTheParentWithTheSubresourceKept()
    {
        var doc = FromResource("deployments", "scale", "apps", "shop", "web");

        Equal("""{"object":{"kind":"Deployment","resource":"deployments","apiGroup":"apps","subresource":"scale","namespace":"shop","name":"web"},"origin":"audit"}""", doc);
    }

    [Fact]
    public void Write_CoreResourceWithoutApiGroup_IsInTheCoreGroup()
    {
        // The API server leaves objectRef.apiGroup out for the core group.
        var doc = FromResource("pods", "binding", "", "shop", "web-7d9f8c6b5-x2x9k");

        Equal("""{"object":{"kind":"Pod","resource":"pods","apiGroup":"","subresource":"binding","namespace":"shop","name":"web-7d9f8c6b5-x2x9k"},"origin":"audit"}""", doc);
    }

    [Fact]
    public void Write_CustomResourceOfAnAuditLine_KeepsResourceAndGroupWithoutAKind()
    {
        var doc = FromResource("nodepools", "", "karpenter.sh", name: "default");

        Equal("""{"object":{"resource":"nodepools","apiGroup":"karpenter.sh","name":"default"},"origin":"audit"}""", doc);
    }

    [Fact]
    public void Write_GroupThatIsNotAscii_IsNotTakenForTheCoreGroup()
    {
        // "аpps" with a Cyrillic а: not a group of the table, and not the core group either.
        var doc = FromResource("pods", "", "\u0430pps", "shop", "x");

        Equal("""{"object":{"resource":"pods","apiGroup":"\u0430pps","namespace":"shop","name":"x"},"origin":"audit"}""", doc);
    }

    [Fact]
    public void Write_NameWithQuotesAndControlCharacters_StaysValidJsonOnOneLine()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            ObjectBlock.Write(writer, ObjectReference.FromKind(U("Pod"), U("v1"), U("a\"b"), U("line\nbreak"), default), ObjectBlock.EventOrigin);
            writer.WriteEndObject();
        }

        Assert.DoesNotContain((byte)'\n', buffer.WrittenSpan.ToArray());
        var doc = JsonNode.Parse(buffer.WrittenSpan)!;
        Assert.Equal("line\nbreak", (string?)doc["object"]!["name"]);
        Assert.Equal("a\"b", (string?)doc["object"]!["namespace"]);
    }

    [Fact]
    public void WriteOrigin_NoObject_WritesOnlyTheOrigin()
    {
        var doc = Written(w => ObjectBlock.WriteOrigin(w, ObjectBlock.AuditOrigin));

        Equal("""{"origin":"audit"}""", doc);
    }

    /// <summary>
    /// What the table completes is kept for the last few kinds, resources and groups seen on a thread. Objects of
    /// more of them than are kept, interleaved, each by kind and by resource, with and without a group: every
    /// block is the one a thread that has seen nothing before writes for the same object.
    /// </summary>
    [Fact]
    public void Write_ManyKindsInterleaved_EachBlockAsWrittenAlone()
    {
        string[][] objects =
        [
            ["Pod", "v1"], ["Pod", ""], ["Deployment", "apps/v1"], ["Deployment", ""], ["Node", ""], ["Node", "v1"],
            ["Event", ""], ["Event", "v1"], ["Event", "events.k8s.io/v1"], ["NodeClaim", "karpenter.sh/v1"], ["ReplicaSet", "apps/v1"],
            ["Service", "v1"], ["Job", "batch/v1"], ["Lease", "coordination.k8s.io/v1"], ["Pod", "apps/v1"],
        ];
        string[][] resources = [["pods", "", ""], ["pods", "status", ""], ["deployments", "scale", "apps"], ["nodeclaims", "", "karpenter.sh"], ["leases", "", "coordination.k8s.io"]];
        var random = new Random(7);
        for (var i = 0; i < 400; i++)
        {
            var byKind = random.Next(3) != 0;
            var o = byKind ? objects[random.Next(objects.Length)] : resources[random.Next(resources.Length)];
            var name = $"n{i}";
            JsonObject Write() => byKind ? FromKind(o[0], o[1], "ns", name) : FromResource(o[0], o[1], o[2], "ns", name);

            var alone = default(JsonObject);
            var fresh = new Thread(() => alone = Write());
            fresh.Start();
            fresh.Join();

            Assert.True(JsonNode.DeepEquals(alone, Write()), $"{string.Join(',', o)} after {i} others: expected {alone!.ToJsonString()}");
        }
    }
}
