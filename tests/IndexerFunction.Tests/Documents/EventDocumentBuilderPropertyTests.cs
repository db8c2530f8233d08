using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using IndexerFunction.Documents;
using TestSupport;

namespace IndexerFunction.Tests.Documents;

/// <summary>
/// Property: an event's document is one line of JSON, and the same document whether the event came
/// compact, pretty-printed (LF, CRLF with tabs) or on one line with tabs between tokens; non-ASCII raw
/// or escaped as \uXXXX. Events are
/// generated from fixed seeds with labels, annotations, managedFields, null and filled timestamps,
/// series, U+2028/U+2029 and escapes in messages, and members the builder does not know.
/// </summary>
public sealed class EventDocumentBuilderPropertyTests
{
    private static readonly string[] Pieces = ["\u00e9", "\u6f22", "\ud83d\ude80", "\u2028", "\u2029", "\n", "\t", "\"", "\\", "/", "\u0001", "<", ">", "&"];

    public static TheoryData<int> Seeds() => PropertySeeds.First(30);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TryBuild_GeneratedEventCompactOrPretty_SameDocumentOnOneLine(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 20; n++)
        {
            var evt = Event(random, $"{seed}-{n}");
            var compact = Render(evt, indented: false, crlfTabs: false, escapeNonAscii: random.Next(2) == 0);
            var pretty = random.Next(3) == 0
                ? TabsBetweenTokens(Render(evt, indented: false, crlfTabs: false, escapeNonAscii: random.Next(2) == 0))
                : Render(evt, indented: true, crlfTabs: random.Next(2) == 0, escapeNonAscii: random.Next(2) == 0);

            var (compactItem, compactDoc) = Build(compact);
            var (prettyItem, prettyDoc) = Build(pretty);

            Assert.True(prettyItem.Source.Span.IndexOfAnyInRange((byte)0, (byte)0x1F) < 0, $"{seed}-{n}: the document holds layout");
            Assert.True(compactItem.Source.Span.IndexOfAnyInRange((byte)0, (byte)0x1F) < 0, $"{seed}-{n}: the document holds layout");
            Assert.Equal((compactItem.Index, compactItem.Id, compactItem.ExternalVersion), (prettyItem.Index, prettyItem.Id, prettyItem.ExternalVersion));
            Assert.True(JsonNode.DeepEquals(compactDoc, prettyDoc), $"{seed}-{n}:\n{compactDoc.ToJsonString()}\n{prettyDoc.ToJsonString()}");
        }
    }

    private static (Shared.OpenSearch.BulkItem Item, JsonNode Doc) Build(byte[] json)
    {
        using var evt = JsonDocument.Parse(json);
        var output = new ArrayBufferWriter<byte>();
        var item = new EventDocumentBuilder("eks-kubernetes-events").TryBuild(JsonMarshal.GetRawUtf8Value(evt.RootElement), "prop-cluster", output, out var problem);
        Assert.True(item is not null, problem);
        return (item, JsonNode.Parse(item.Source.Span)!);
    }

    private static byte[] Render(JsonNode evt, bool indented, bool crlfTabs, bool escapeNonAscii)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions
        {
            Indented = indented,
            NewLine = crlfTabs ? "\r\n" : "\n",
            IndentCharacter = crlfTabs ? '\t' : ' ',
            IndentSize = crlfTabs ? 1 : 2,
            Encoder = escapeNonAscii ? JavaScriptEncoder.Default : JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            evt.WriteTo(writer);
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>The same JSON on one line with a tab before every token: layout without a line break.</summary>
    private static byte[] TabsBetweenTokens(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        var output = new List<byte>();
        var needsComma = false;
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (needsComma && token is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
            {
                output.Add((byte)',');
            }

            output.Add((byte)'\t');
            var start = (int)reader.TokenStartIndex;
            var end = token is JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.EndObject or JsonTokenType.EndArray
                ? start + 1
                : (int)reader.BytesConsumed;
            output.AddRange(json.AsSpan(start, end - start));
            if (token == JsonTokenType.PropertyName)
            {
                output.RemoveAt(output.Count - 1); // the reader consumed the ':' with the name
                output.AddRange("\t:"u8.ToArray());
            }

            needsComma = token is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName);
        }

        return [.. output];
    }

    internal static JsonObject Event(Random random, string uid)
    {
        string Text(int max)
        {
            var text = new System.Text.StringBuilder();
            for (var i = random.Next(max); i > 0; i--)
            {
                text.Append(random.Next(4) == 0 ? Pieces[random.Next(Pieces.Length)] : ((char)random.Next('a', 'z' + 1)).ToString());
            }

            return text.ToString();
        }

        JsonObject Map()
        {
            var map = new JsonObject();
            for (var i = random.Next(4); i > 0; i--)
            {
                map[$"app.kubernetes.io/k{i}"] = Text(12);
            }

            return map;
        }

        var created = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(random.Next(86_400 * 30));
        string Time() => created.AddSeconds(random.Next(600)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var metadata = new JsonObject
        {
            ["name"] = $"web-{uid}.17d8a1b2c3d4e5f6",
            ["namespace"] = "default",
            ["uid"] = uid,
            ["resourceVersion"] = random.Next(1, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["creationTimestamp"] = created.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (random.Next(3) == 0)
        {
            metadata["labels"] = Map();
        }

        if (random.Next(3) == 0)
        {
            metadata["annotations"] = Map();
        }

        if (random.Next(3) == 0)
        {
            metadata["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "kubelet", ["operation"] = "Update", ["fieldsV1"] = new JsonObject { ["f:count"] = new JsonObject() } });
        }

        var evt = new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata,
            ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = "default", ["name"] = "web-0", ["fieldPath"] = "spec.containers{web}", ["labels"] = random.Next(4) == 0 ? Map() : null },
            ["reason"] = random.Next(2) == 0 ? "Pulled" : "BackOff",
            ["message"] = Text(80),
            ["source"] = new JsonObject { ["component"] = "kubelet", ["host"] = "ip-192-168-1-2.ec2.internal" },
            ["firstTimestamp"] = random.Next(3) == 0 ? null : Time(),
            ["lastTimestamp"] = random.Next(3) == 0 ? null : Time(),
            ["count"] = random.Next(1, 50),
            ["type"] = random.Next(2) == 0 ? "Normal" : "Warning",
            ["eventTime"] = random.Next(3) == 0 ? Time() : null,
            ["reportingComponent"] = "kubelet",
            ["reportingInstance"] = "",
            ["related"] = random.Next(4) == 0 ? new JsonArray(1, 2.5, true, null, new JsonArray(), new JsonObject()) : null,
        };
        if (random.Next(4) == 0)
        {
            evt["series"] = new JsonObject { ["count"] = 3, ["lastObservedTime"] = Time() };
        }

        return evt;
    }
}
