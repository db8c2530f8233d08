using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Collector.Kubernetes;
using TestSupport.Kubernetes;

namespace Collector.Tests.Kubernetes;

public sealed class EventJsonTests
{
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
        var withManaged = WithManagedFields(KubectlEvent.BackOff, position);
        var line = "{\"type\":\"MODIFIED\",\"object\":" + withManaged + "}";

        var notification = EventJson.ParseWatchLine(Encoding.UTF8.GetBytes(line));

        var json = Encoding.UTF8.GetString(notification.Event!.Json.Span);
        Assert.DoesNotContain("managedFields", json, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Compact(KubectlEvent.BackOff)), JsonNode.Parse(json)), json);
    }

    [Fact]
    public void ParseWatchLine_KubectlEvent_ExposesRoutingFields()
    {
        var line = "{\"type\":\"ADDED\",\"object\":" + Compact(KubectlEvent.BackOff) + "}";

        var notification = EventJson.ParseWatchLine(Encoding.UTF8.GetBytes(line));

        Assert.Equal("ADDED", notification.Type);
        var observed = notification.Event!;
        Assert.Equal("9b6e1d52-3c47-4a8f-b0e2-5f7a9c1d3e64", observed.Uid);
        Assert.Equal("20934512", observed.ResourceVersion);
        Assert.Equal("20934512", notification.ResourceVersion);
        Assert.Equal("shop", observed.Namespace);
        Assert.Equal("Warning", observed.Type);
        Assert.Equal("BackOff", observed.Reason);
        Assert.Equal("Pod", observed.InvolvedKind);
        Assert.Equal(Compact(KubectlEvent.BackOff), Encoding.UTF8.GetString(observed.Json.Span));
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
        var item = JsonNode.Parse(KubectlEvent.BackOff)!.AsObject();
        item.Remove("kind");
        item.Remove("apiVersion");
        var body = "{\"kind\":\"EventList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"777\",\"continue\":\"abc\"},\"items\":[" + item.ToJsonString() + "]}";

        var page = EventJson.ParseListPage(Encoding.UTF8.GetBytes(body));

        Assert.Equal("777", page.ResourceVersion);
        Assert.Equal("abc", page.Continue);
        var json = JsonNode.Parse(Assert.Single(page.Items).Json.Span)!;
        Assert.Equal("Event", json["kind"]!.GetValue<string>());
        Assert.Equal("v1", json["apiVersion"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(KubectlEvent.BackOff), json));
    }

    [Fact]
    public void ParseListPage_LastPage_HasNoContinue()
    {
        var page = EventJson.ParseListPage("""{"kind":"EventList","apiVersion":"v1","metadata":{"resourceVersion":"9"},"items":[]}"""u8);

        Assert.Empty(page.Items);
        Assert.Equal("", page.Continue);
    }
}
