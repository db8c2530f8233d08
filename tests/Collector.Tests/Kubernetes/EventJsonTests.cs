using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Collector.Kubernetes;
using TestSupport;

namespace Collector.Tests.Kubernetes;

public sealed class EventJsonTests
{
    private static readonly string WorkshopEvent = Encoding.UTF8.GetString(RepositoryRoot.Fixture("eks-workshop-v2_core-v1-event.json"));

    private static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString();

    private static string WithManagedFields(string eventJson, string position)
    {
        var node = JsonNode.Parse(eventJson)!.AsObject();
        var metadata = node["metadata"]!.AsObject();
        var managed = new JsonArray(new JsonObject { ["manager"] = "kube-controller-manager", ["operation"] = "Update", ["fieldsV1"] = new JsonObject { ["f:count"] = new JsonObject() } });
        var members = metadata.ToList();
        metadata.Clear();
        var index = position switch { "first" => 0, "last" => members.Count, _ => 2 };
        for (var i = 0; i <= members.Count; i++)
        {
            if (i == index)
            {
                metadata["managedFields"] = managed.DeepClone();
            }

            if (i < members.Count)
            {
                metadata[members[i].Key] = members[i].Value?.DeepClone();
            }
        }

        return node.ToJsonString();
    }

    [Theory]
    [InlineData("first")]
    [InlineData("middle")]
    [InlineData("last")]
    public void ParseWatchLine_EventWithManagedFields_KeepsEverythingElseByteForByte(string position)
    {
        var withManaged = WithManagedFields(WorkshopEvent, position);
        var line = "{\"type\":\"MODIFIED\",\"object\":" + withManaged + "}";

        var notification = EventJson.ParseWatchLine(Encoding.UTF8.GetBytes(line));

        var json = Encoding.UTF8.GetString(notification.Event!.Json.Span);
        Assert.DoesNotContain("managedFields", json, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Compact(WorkshopEvent)), JsonNode.Parse(json)), json);
    }

    [Fact]
    public void ParseWatchLine_WorkshopEvent_ExposesRoutingFields()
    {
        var line = "{\"type\":\"ADDED\",\"object\":" + Compact(WorkshopEvent) + "}";

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
        Assert.Equal(Compact(WorkshopEvent), Encoding.UTF8.GetString(observed.Json.Span));
    }

    [Fact]
    public void ParseWatchLine_ErrorWithExpiredStatus_ReportsCode410()
    {
        const string line = """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 5 (10)","reason":"Expired","code":410}}""";

        var notification = EventJson.ParseWatchLine(Encoding.UTF8.GetBytes(line));

        Assert.Equal("ERROR", notification.Type);
        Assert.Null(notification.Event);
        Assert.Equal(410, notification.StatusCode);
        Assert.Equal("Expired", notification.StatusReason);
    }

    [Fact]
    public void ParseWatchLine_Bookmark_CarriesItsResourceVersion()
    {
        const string line = """{"type":"BOOKMARK","object":{"kind":"Event","apiVersion":"v1","metadata":{"resourceVersion":"12345"}}}""";

        var notification = EventJson.ParseWatchLine(Encoding.UTF8.GetBytes(line));

        Assert.Equal("BOOKMARK", notification.Type);
        Assert.Equal("12345", notification.ResourceVersion);
    }

    [Fact]
    public void ParseWatchLine_NotAWatchEvent_Throws()
    {
        Assert.ThrowsAny<JsonException>(() => EventJson.ParseWatchLine("{\"kind\":\"Status\"}"u8));
        Assert.ThrowsAny<JsonException>(() => EventJson.ParseWatchLine("{\"type\":\"ADDED\",\"object\":{"u8));
    }

    [Fact]
    public void ParseListPage_ItemsWithoutKind_GetKindAndApiVersionLikeWatchedEvents()
    {
        var item = JsonNode.Parse(WorkshopEvent)!.AsObject();
        item.Remove("kind");
        item.Remove("apiVersion");
        var body = "{\"kind\":\"EventList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"777\",\"continue\":\"abc\"},\"items\":[" + item.ToJsonString() + "]}";

        var page = EventJson.ParseListPage(Encoding.UTF8.GetBytes(body));

        Assert.Equal("777", page.ResourceVersion);
        Assert.Equal("abc", page.Continue);
        var json = JsonNode.Parse(Assert.Single(page.Items).Json.Span)!;
        Assert.Equal("Event", json["kind"]!.GetValue<string>());
        Assert.Equal("v1", json["apiVersion"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(WorkshopEvent), json));
    }

    [Fact]
    public void ParseListPage_LastPage_HasNoContinue()
    {
        var page = EventJson.ParseListPage("""{"kind":"EventList","apiVersion":"v1","metadata":{"resourceVersion":"9"},"items":[]}"""u8);

        Assert.Empty(page.Items);
        Assert.Equal("", page.Continue);
    }
}
