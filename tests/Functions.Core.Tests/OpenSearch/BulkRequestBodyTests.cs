using System.Text;
using System.Text.Json;
using Functions.Core.OpenSearch;

namespace Functions.Core.Tests.OpenSearch;

public sealed class BulkRequestBodyTests
{
    private static BulkItem Item(string id, int size = 10, long? version = null) =>
        new("idx-2024.01.01", id, Encoding.UTF8.GetBytes($"{{\"v\":\"{new string('x', size)}\"}}")) { ExternalVersion = version };

    [Fact]
    public void TryAppend_Items_WritesActionAndSourceLinesEachEndingInNewline()
    {
        var body = new BulkRequestBody(1024);

        body.TryAppend(Item("a"));
        body.TryAppend(Item("b", version: 42));

        var lines = Encoding.UTF8.GetString(body.Memory.Span).Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.Equal(string.Empty, lines[4]);
        Assert.Equal("{\"index\":{\"_index\":\"idx-2024.01.01\",\"_id\":\"a\"}}", lines[0]);
        Assert.Equal("{\"v\":\"xxxxxxxxxx\"}", lines[1]);
        Assert.Equal("{\"index\":{\"_index\":\"idx-2024.01.01\",\"_id\":\"b\",\"version\":42,\"version_type\":\"external\"}}", lines[2]);
        Assert.Equal(2, body.Count);
    }

    [Fact]
    public void TryAppend_BodyFull_RefusesAndKeepsWithinTheLimit()
    {
        var body = new BulkRequestBody(200);
        var appended = 0;
        while (body.TryAppend(Item("id" + appended, size: 40)))
        {
            appended++;
        }

        Assert.True(appended >= 1);
        Assert.True(body.Length <= 200, $"body is {body.Length} bytes");
        Assert.Equal(appended, body.Count);
    }

    [Fact]
    public void TryAppend_SingleItemLargerThanLimit_IsStillAcceptedAlone()
    {
        var body = new BulkRequestBody(100);

        Assert.True(body.TryAppend(Item("big", size: 500)));
        Assert.False(body.TryAppend(Item("next")));
        Assert.Equal(1, body.Count);
    }

    [Fact]
    public void TryAppend_IdWithQuotes_IsEscapedInTheActionLine()
    {
        var body = new BulkRequestBody(1024);

        body.TryAppend(Item("we\"ird\nid"));

        var action = Encoding.UTF8.GetString(body.Memory.Span).Split('\n')[0];
        using var json = JsonDocument.Parse(action);
        Assert.Equal("we\"ird\nid", json.RootElement.GetProperty("index").GetProperty("_id").GetString());
    }
}
