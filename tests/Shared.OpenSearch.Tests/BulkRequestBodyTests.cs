using System.Text;
using System.Text.Json;
using TestSupport.OpenSearch;

namespace Shared.OpenSearch.Tests;

public sealed class BulkRequestBodyTests
{
    private static BulkItem Item(string id, int size = 10, long? version = null) =>
        new("idx-2024.01.01", id, Encoding.UTF8.GetBytes($"{{\"v\":\"{new string('x', size)}\"}}")) { ExternalVersion = version };

    private static BulkItem Item(string id, string source) => new("idx-2024.01.01", id, Encoding.UTF8.GetBytes(source));

    private static string[] Lines(BulkRequestBody body) => Encoding.UTF8.GetString(body.Memory.Span).Split('\n');

    [Fact]
    public void Append_Items_WritesActionAndSourceLinesEachEndingInNewline()
    {
        var body = new BulkRequestBody(1024);

        body.Append(Item("a"), out _);
        body.Append(Item("b", version: 42), out _);

        var lines = Lines(body);
        Assert.Equal(5, lines.Length);
        Assert.Equal(string.Empty, lines[4]);
        Assert.Equal("{\"index\":{\"_index\":\"idx-2024.01.01\",\"_id\":\"a\"}}", lines[0]);
        Assert.Equal("{\"v\":\"xxxxxxxxxx\"}", lines[1]);
        Assert.Equal("{\"index\":{\"_index\":\"idx-2024.01.01\",\"_id\":\"b\",\"version\":42,\"version_type\":\"external\"}}", lines[2]);
        Assert.Equal(2, body.Count);
    }

    [Fact]
    public void Append_BodyFull_SaysFullAndKeepsWithinTheLimit()
    {
        var body = new BulkRequestBody(200);
        var appended = 0;
        while (body.Append(Item("id" + appended, size: 40), out _) == BulkAppendResult.Appended)
        {
            appended++;
        }

        Assert.True(appended >= 1);
        Assert.True(body.Length <= 200, $"body is {body.Length} bytes");
        Assert.Equal(appended, body.Count);
    }

    [Fact]
    public void Append_SingleItemLargerThanLimit_IsStillAcceptedAlone()
    {
        var body = new BulkRequestBody(100);

        Assert.Equal(BulkAppendResult.Appended, body.Append(Item("big", size: 500), out _));
        Assert.Equal(BulkAppendResult.Full, body.Append(Item("next"), out _));
        Assert.Equal(1, body.Count);
    }

    [Fact]
    public void Append_IdWithQuotes_IsEscapedInTheActionLine()
    {
        var body = new BulkRequestBody(1024);

        body.Append(Item("we\"ird\nid"), out _);

        var action = Lines(body)[0];
        using var json = JsonDocument.Parse(action);
        Assert.Equal("we\"ird\nid", json.RootElement.GetProperty("index").GetProperty("_id").GetString());
    }

    /// <summary>
    /// Index names and ids of any characters, most of them the plain ones real names and ids use, some with a
    /// character JSON or the writer's encoder escapes, or one that is not ASCII; versions at their edges. Each action
    /// line must read back, by a JSON parser, as exactly the item's index, id and version, and be the bytes
    /// <see cref="Utf8JsonWriter"/> writes for them.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Append_IndexAndIdOfAnyCharacters_ActionLineReadsBackAsTheItemAndIsWhatTheWriterWrites(int seed)
    {
        var random = new Random(seed);
        const string plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:";
        string[] odd = ["\"", "\\", "/", "<", ">", "&", "'", "+", "`", " ", "\n", "\u0001", "\u007f", "\u00e9", "\u2028", "\ud83d\ude80", "%", "#"];
        string Text() => string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => random.Next(12) == 0 ? odd[random.Next(odd.Length)] : plain[random.Next(plain.Length)].ToString()));
        long?[] versions = [null, 0, 1, 9, 10, long.MaxValue, long.MinValue, -1];
        var body = new BulkRequestBody(64 * 1024 * 1024);
        for (var n = 0; n < 100; n++)
        {
            var index = Text();
            var id = Text();
            var version = random.Next(3) == 0 ? versions[random.Next(versions.Length)] : random.NextInt64();
            body.Clear();

            Assert.Equal(BulkAppendResult.Appended, body.Append(new BulkItem(index, id, "{}"u8.ToArray()) { ExternalVersion = version }, out _));

            var line = body.Memory.Span[..body.Memory.Span.IndexOf((byte)'\n')];
            using (var json = JsonDocument.Parse(line.ToArray()))
            {
                var action = json.RootElement.GetProperty("index");
                Assert.Equal(index, action.GetProperty("_index").GetString());
                Assert.Equal(id, action.GetProperty("_id").GetString());
                Assert.Equal(version, action.TryGetProperty("version", out var v) ? v.GetInt64() : null);
                Assert.Equal(version is null ? null : "external", action.TryGetProperty("version_type", out var t) ? t.GetString() : null);
            }

            var expected = new MemoryStream();
            using (var writer = new Utf8JsonWriter(expected))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("index");
                writer.WriteString("_index", index);
                writer.WriteString("_id", id);
                if (version is { } given)
                {
                    writer.WriteNumber("version", given);
                    writer.WriteString("version_type", "external");
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            Assert.Equal(Encoding.UTF8.GetString(expected.ToArray()), Encoding.UTF8.GetString(line));
        }
    }

    public static TheoryData<int> Seeds() => TestSupport.PropertySeeds.First(20);

    [Theory]
    [InlineData("{\n  \"kind\": \"Event\",\n  \"verb\": \"get\"\n}")]
    [InlineData("{\r\n\t\"kind\": \"Event\",\r\n\t\"verb\": \"get\"\r\n}\r\n")]
    [InlineData("   {\"kind\":\"Event\",\"verb\":\"get\"}   ")]
    public void Append_DocumentSpreadOverLines_IsWrittenCompactOnOneLine(string source)
    {
        var body = new BulkRequestBody(1024);

        var result = body.Append(Item("a", source), out var refusal);

        Assert.Equal(BulkAppendResult.Appended, result);
        Assert.Null(refusal);
        Assert.Equal(["{\"index\":{\"_index\":\"idx-2024.01.01\",\"_id\":\"a\"}}", "{\"kind\":\"Event\",\"verb\":\"get\"}", string.Empty], Lines(body));
    }

    [Fact]
    public void Append_EscapesAndNonAsciiInAPrettyDocument_KeepsThemByteForByte()
    {
        var body = new BulkRequestBody(1024);
        const string source = "{\n  \"msg\": \"line\\nbreak \\u2028 \u2028 caf\u00e9 \\\"q\\\" \\t\",\n  \"n\": [1, 2.5e3, true, null]\n}";

        body.Append(Item("a", source), out _);

        Assert.Equal("{\"msg\":\"line\\nbreak \\u2028 \u2028 caf\u00e9 \\\"q\\\" \\t\",\"n\":[1,2.5e3,true,null]}", Lines(body)[1]);
    }

    [Theory]
    [InlineData("", "not one JSON object: ")]
    [InlineData("   ", "not one JSON object: ")]
    [InlineData("{\"kind\":\"Event\",", "not one JSON object: ")]
    [InlineData("{\"a\":1}\n{\"b\":2}", "not one JSON object: ")]
    [InlineData("{\"a\":\"raw\nbreak\"}", "not one JSON object: ")]
    [InlineData("[{\"a\":1}]", "a JSON array, not an object")]
    [InlineData("\"text\"", "a JSON string, not an object")]
    [InlineData("42", "a JSON number, not an object")]
    public void Append_SourceThatIsNotOneJsonObject_IsRefusedWithTheReasonAndLeavesTheBodyAsItWas(string source, string reason)
    {
        var body = new BulkRequestBody(1024);
        body.Append(Item("good"), out _);
        var before = body.Memory.ToArray();

        var result = body.Append(Item("bad", source), out var refusal);

        Assert.Equal(BulkAppendResult.Refused, result);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
        Assert.Equal(before, body.Memory.ToArray());
        Assert.Equal(1, body.Count);
    }

    [Fact]
    public void Append_OneLineThatIsNotValidJson_GoesInAsItIsAndStaysOneLine()
    {
        // Fully validating every document would cost more than building the whole body (docs/performance.md).
        // Checked instead: one line, valid UTF-8, {...}. Such a line can only fail its own item at
        // OpenSearch (mapper_parsing_exception), never the request: see OpenSearchDoubleBulkParsingTests.
        var body = new BulkRequestBody(1024);

        var result = body.Append(Item("odd", "{\"a\":1} {\"b\":2}"), out _);

        Assert.Equal(BulkAppendResult.Appended, result);
        var operation = Assert.Single(BulkBodyParser.Parse(body.Memory));
        Assert.Equal("{\"a\":1} {\"b\":2}", Encoding.UTF8.GetString(operation.Source.Span));
    }

    [Fact]
    public void Append_InvalidUtf8_IsRefusedNamingTheOffset()
    {
        var body = new BulkRequestBody(1024);
        byte[] source = [.. "{\"a\":\"x"u8, 0xC3, 0x28, .. "\"}"u8];

        var result = body.Append(new BulkItem("idx", "bad", source), out var refusal);

        Assert.Equal(BulkAppendResult.Refused, result);
        Assert.Equal("the document is not one JSON object: not valid UTF-8 (first invalid byte at offset 7)", refusal);
    }

    [Fact]
    public void Append_PrettyDocumentsAmongCompactOnes_BodyIsReadByOpenSearchRulesAsOneOperationPerItem()
    {
        var body = new BulkRequestBody(1 << 20);
        string[] sources = ["{\"a\":1}", "{\n\"b\": 2\n}", "{\r\n\"c\": [\r\n3\r\n]\r\n}", "{\"d\":\"\u2029\"}"];
        for (var i = 0; i < sources.Length; i++)
        {
            Assert.Equal(BulkAppendResult.Appended, body.Append(Item($"id{i}", sources[i]), out _));
        }

        var operations = BulkBodyParser.Parse(body.Memory);

        Assert.Equal(["id0", "id1", "id2", "id3"], operations.Select(o => o.Id));
        Assert.Equal(["{\"a\":1}", "{\"b\":2}", "{\"c\":[3]}", "{\"d\":\"\u2029\"}"], operations.Select(o => Encoding.UTF8.GetString(o.Source.Span)));
    }
}
