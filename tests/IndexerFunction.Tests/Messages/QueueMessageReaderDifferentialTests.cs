using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IndexerFunction.Documents;
using IndexerFunction.Messages;
using IndexerFunction.Metrics;
using IndexerFunction.Tests.Documents;
using IndexerFunction.Tests.Oracle;
using Shared.OpenSearch;
using TestSupport;

namespace IndexerFunction.Tests.Messages;

/// <summary>
/// Differential property: the streaming message reader (one reader pass over the body, events built while
/// passing) accepts and refuses the same bodies as the JsonDocument-based reader it replaced (kept as the oracle
/// in <see cref="JsonDocumentQueueMessageReader"/>), with the same problem text, the same cluster and, per event,
/// the same document bytes, problem and Warning reason. Bodies are generated from fixed seeds in all three forms
/// the contract allows and their odd variants: members in any order or repeated, the cluster named after the
/// events, empty or not a string, items that are not Events or not objects, wrong schemas, roots that are not
/// objects, and bodies cut short or with bytes added (not JSON at all, wherever it breaks).
/// </summary>
public sealed class QueueMessageReaderDifferentialTests
{
    private static readonly WarningReasons Reasons = WarningReasons.Default;

    public static TheoryData<int> Seeds() => PropertySeeds.First(40);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TryRead_GeneratedBodies_SameOutcomeAsTheJsonDocumentReader(int seed)
    {
        var random = new Random(seed);
        var reader = new QueueMessageReader(new EventDocumentBuilder("eks-kubernetes-events"));
        var oracle = new JsonDocumentEventDocumentBuilder("eks-kubernetes-events");
        for (var n = 0; n < 25; n++)
        {
            var body = Body(random, $"{seed}-{n}");
            var attribute = random.Next(3) switch { 0 => null, 1 => string.Empty, _ => "from-attribute" };
            AssertSame(reader, oracle, Encoding.UTF8.GetBytes(body), attribute, $"seed {seed}, body {n}");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{\"schema\":\"eks-events/v1\",\"events\":[]} x")]
    [InlineData("{\"schema\":\"eks-events/v1\",\"events\":[{\"metadata\":{\"uid\":\"u\",\"creationTimestamp\":\"2024-06-01T00:00:00Z\"}}],\"clusterName\":\"late\"}")]
    [InlineData("{\"events\":[{\"metadata\":{\"uid\":\"u\",\"creationTimestamp\":\"2024-06-01T00:00:00Z\"}}],\"schema\":\"eks-events/v1\"}")]
    [InlineData("{\"schema\":\"eks-events/v1\",\"clusterName\":\"c\",\"events\":[{\"metadata\":{\"uid\":\"a\",\"creationTimestamp\":\"2024-06-01T00:00:00Z\"}}],\"events\":[{\"metadata\":{\"uid\":\"b\",\"creationTimestamp\":\"2024-06-01T00:00:00Z\"}}]}")]
    [InlineData("{\"schema\":\"eks-events/v1\",\"events\":[{\"metadata\":{\"uid\":\"a\",\"creationTimestamp\":\"2024-06-01T00:00:00Z\"}}],\"schema\":\"eks-events/v2\"}")]
    [InlineData("{\"schema\":\"eks-events/v1\",\"events\":[{\"kind\":\"Pod\"},{\"metadata\":{]}")]
    [InlineData("{\"schema\":\"eks-\\u0065vents/v1\",\"clusterName\":\"\\u0063\",\"events\":[{\"kind\":\"\\u0045vent\",\"metadata\":{\"uid\":\"u\",\"creationTimestamp\":\"2024-06-01T00:00:00Z\"},\"type\":\"W\\u0061rning\",\"reason\":\"BackOff\"}]}")]
    [InlineData("{\"kind\":\"Event\",\"metadata\":{\"uid\":\"u\",\"creationTimestamp\":\"2024-06-01T00:00:00Z\"},\"type\":\"Warning\",\"reason\":\"FailedMount\",\"events\":[1]}")]
    [InlineData("{\"kind\":\"List\",\"items\":[{\"kind\":\"Event\",\"metadata\":{\"uid\":\"u\",\"creationTimestamp\":\"2024-06-01T00:00:00Z\"}},[]]}")]
    [InlineData("{\"schema\":\"eks-events/v1\",\"clusterName\":\"c\",\"events\":[{\"metadata\":{\"uid\":\"u\",\"creationTimestamp\":\"2024-06-01T00:00:00Z\"},\"message\":\"\\u003cnone\\u003e \\u0026 \\u2028\",\"reason\":\"\\u0042ackOff\",\"type\":\"Warning\"}]}")]
    [InlineData("{\"schema\":\"eks-events/v1\",\"clusterName\":\"c\",\"events\":[{\"metadata\":{\"uid\":\"u\",\"creationTimestamp\":\"2024-06-01T00:00:00Z\"},\"message\":\"lone \\ud800 surrogate\"}]}")]
    [InlineData("{\"schema\":\"eks-events/v1\",\"clusterName\":\"c\",\"events\":[{\"metadata\":{\"uid\":\"u\\ud83d\\ude80\",\"creationTimestamp\":\"2024-06-01T00:00:00Z\"},\"message\":\"\\u00zz\"}]}")]
    [InlineData("{\"schema\":\"eks-events/v1\",\"clusterName\":\"c\",\"events\":[{\"metadata\":{\"uid\":\"u\",\"creationTimestamp\":\"20/4-06-01T00:00:00Z\"},\"lastTimestamp\":\"2024-06-01T00:00:00Z\"}]}")]
    [InlineData("{\"schema\":null}")]
    [InlineData("{\"schema\":{\"v\":1},\"events\":[]}")]
    [InlineData("[{\"schema\":\"eks-events/v1\"}")]
    [InlineData("{\"schema\":\"eks-events/v1\",\"events\":[" + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" + "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]" + "]}")]
    public void TryRead_HandWrittenOddBodies_SameOutcomeAsTheJsonDocumentReader(string body)
    {
        AssertSame(new QueueMessageReader(new EventDocumentBuilder("eks-kubernetes-events")), new JsonDocumentEventDocumentBuilder("eks-kubernetes-events"), Encoding.UTF8.GetBytes(body), null, body);
    }

    /// <summary>
    /// The reader's fast path takes the envelope exactly as the Collector writes it (compact, schema, clusterName,
    /// events) and leaves anything it does not handle to the reader. Here such envelopes, with realistic events
    /// (short escapes, <c>\u</c> escapes as Go's encoder writes them or of everything, text that is not ASCII, labels,
    /// managedFields, numbers of every form), are sent whole or with
    /// one change where it breaks or bends the JSON: a byte replaced, deleted or inserted (a quote, a backslash, a
    /// digit, a bracket, a control byte, a byte that is not UTF-8...), or the body cut short. Whatever the fast path
    /// makes of each, the outcome must be the one a parse of the whole body gives.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void TryRead_CollectorEnvelopesWithOneByteChanged_SameOutcomeAsTheJsonDocumentReader(int seed)
    {
        var random = new Random(seed);
        var reader = new QueueMessageReader(new EventDocumentBuilder("eks-kubernetes-events"));
        var oracle = new JsonDocumentEventDocumentBuilder("eks-kubernetes-events");
        for (var n = 0; n < 60; n++)
        {
            var body = new List<byte>(CollectorEnvelope(random, $"{seed}-{n}"));
            var at = random.Next(body.Count);
            string change;
            switch (random.Next(6))
            {
                case 0: change = "as written"; break;
                case 1: body[at] = Odd(random); change = $"byte {at} replaced"; break;
                case 2: body.RemoveAt(at); change = $"byte {at} deleted"; break;
                case 3: body.Insert(at, Odd(random)); change = $"a byte inserted at {at}"; break;
                case 4: body.RemoveRange(at, body.Count - at); change = $"cut at {at}"; break;
                default: body.InsertRange(at, NotUtf8[random.Next(NotUtf8.Length)]); change = $"bytes that are not UTF-8 inserted at {at}"; break;
            }

            AssertSame(reader, oracle, [.. body], random.Next(2) == 0 ? null : "from-attribute", $"seed {seed}, body {n}, {change}");
        }
    }

    /// <summary>
    /// Times in the API server's shape (<c>2024-06-01T08:00:00Z</c>), which the fast path reads without the reader,
    /// with the edges of every field (year 0000, month 13, February 29th in years that have it and years that do not,
    /// hour 24, second 60) and now and then a digit that is not one. Each event's three times are drawn apart, so a
    /// time the fast path took where the reader refuses it changes which one fills the others, or the day's index.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void TryRead_TimesInTheApiServersShape_SameOutcomeAsTheJsonDocumentReader(int seed)
    {
        var random = new Random(seed);
        var reader = new QueueMessageReader(new EventDocumentBuilder("eks-kubernetes-events"));
        var oracle = new JsonDocumentEventDocumentBuilder("eks-kubernetes-events");
        for (var n = 0; n < 30; n++)
        {
            var events = new JsonArray();
            for (var i = 0; i < 4; i++)
            {
                var evt = EventDocumentBuilderPropertyTests.Event(random, $"{seed}-{n}-{i}");
                evt["message"] = "Back-off restarting failed container"; // nothing the fast path leaves to the reader
                evt["metadata"]!["creationTimestamp"] = ApiServerShapedTime(random);
                evt["firstTimestamp"] = ApiServerShapedTime(random);
                evt["lastTimestamp"] = ApiServerShapedTime(random);
                events.Add(evt);
            }

            var body = new JsonObject { ["schema"] = "eks-events/v1", ["clusterName"] = "prod-eu", ["events"] = events }.ToJsonString(Relaxed);
            AssertSame(reader, oracle, Encoding.UTF8.GetBytes(body), null, $"seed {seed}, body {n}: {body}");
        }
    }

    private static string ApiServerShapedTime(Random random)
    {
        string Pick(params string[] values) => values[random.Next(values.Length)];
        var year = Pick("0000", "0001", "1900", "2000", "2023", "2024", "2100", "9999", $"{random.Next(10000):D4}");
        var month = Pick("00", "01", "02", "12", "13", "99", $"{random.Next(100):D2}");
        var day = Pick("00", "01", "28", "29", "30", "31", "32", $"{random.Next(100):D2}");
        var time = $"{Pick("00", "23", "24", $"{random.Next(100):D2}")}:{Pick("00", "59", "60")}:{Pick("00", "59", "60", $"{random.Next(100):D2}")}";
        var text = new StringBuilder($"{year}-{month}-{day}T{time}Z");
        if (random.Next(3) == 0)
        {
            // One digit that is not one: a byte just outside '0'..'9', a letter, a space.
            var digits = new[] { 0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18 };
            text[digits[random.Next(digits.Length)]] = Pick("/", ":", "a", " ", "O")[0];
        }

        return text.ToString();
    }

    private static byte Odd(Random random) => OddBytes[random.Next(OddBytes.Length)];

    // Bytes that end, open, bend or break a JSON token.
    private static readonly byte[] OddBytes = "\"\\{}[],:01-+.eEtfnu/ \n\t"u8.ToArray().Concat(new byte[] { 0x01, 0x1F, 0x7F, 0x80, 0xC3, 0xE2, 0xFF }).ToArray();

    // Lone continuation byte, cut two-byte sequence, overlong '/', an encoded surrogate, a byte never in UTF-8.
    private static readonly byte[][] NotUtf8 = [[0x80], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF]];

    /// <summary>An envelope as the Collector writes it: compact, its members in its order, text that is not ASCII left as UTF-8.</summary>
    private static byte[] CollectorEnvelope(Random random, string id)
    {
        var events = new JsonArray();
        for (var i = random.Next(1, 6); i > 0; i--)
        {
            var evt = EventDocumentBuilderPropertyTests.Event(random, $"{id}-{i}");
            if (random.Next(4) != 0)
            {
                // Most messages without the control characters the serializer writes as \u escapes (the fast path leaves those to the reader).
                evt["message"] = string.Concat(Enumerable.Range(0, random.Next(60)).Select(_ => CleanPieces[random.Next(CleanPieces.Length)]));
            }

            if (random.Next(3) == 0)
            {
                evt["weights"] = new JsonArray(0, -1, 2.5, 1e300, -0.0001, long.MaxValue, new JsonObject { ["ok"] = true, ["none"] = null });
            }

            if (random.Next(10) == 0)
            {
                evt["kind"] = "Pod";
            }

            events.Add(evt);
        }

        var envelope = new JsonObject
        {
            ["schema"] = "eks-events/v1",
            ["clusterName"] = random.Next(8) == 0 ? string.Empty : "prod-eu",
            ["events"] = events,
        };
        if (random.Next(8) == 0)
        {
            envelope.Remove("clusterName");
        }

        switch (random.Next(3))
        {
            case 0:
                // As the Collector passes events on when the API server wrote only short escapes.
                return Encoding.UTF8.GetBytes(envelope.ToJsonString(Relaxed));
            case 1:
                // As Go's encoder (the API server's) writes text: <, > and & and U+2028/U+2029 as \u escapes.
                var text = new StringBuilder(envelope.ToJsonString(Relaxed));
                text.Replace("<", "\\u003c").Replace(">", "\\u003e").Replace("&", "\\u0026").Replace("\u2028", "\\u2028").Replace("\u2029", "\\u2029");
                return Encoding.UTF8.GetBytes(text.ToString());
            default:
                // Everything but ASCII letters and digits escaped, surrogate pairs too.
                return Encoding.UTF8.GetBytes(envelope.ToJsonString());
        }
    }

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] CleanPieces = ["a", "b", "z", " ", "0", "\u00e9", "\u6f22", "\ud83d\ude80", "\n", "\t", "\"", "\\", "/", "<", "&", "MountVolume.SetUp failed for volume \"secret\""];

    private static void AssertSame(QueueMessageReader reader, JsonDocumentEventDocumentBuilder oracle, byte[] body, string? attribute, string what)
    {
        var output = new ArrayBufferWriter<byte>();
        var read = reader.TryRead(body, attribute, "from-setting", Reasons, output, out var problem);
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            // The old reader threw (failing the whole batch) when it came to read a string with a bad sequence, or
            // said "not JSON" for one outside a string: the new one refuses the message as not UTF-8, wherever it is.
            Assert.False(read, what);
            Assert.StartsWith("the body is not UTF-8: an invalid sequence at byte ", problem, StringComparison.Ordinal);
            return;
        }

        using var expected = JsonDocumentQueueMessageReader.TryRead(body, attribute, "from-setting", out var expectedProblem);

        Assert.True(expectedProblem == problem, $"{what}: problem '{problem}', expected '{expectedProblem}'\n{Encoding.UTF8.GetString(body)}");
        Assert.Equal(expected is not null, read);
        if (expected is null)
        {
            return;
        }

        Assert.Equal(expected.ClusterName, reader.ClusterName);
        Assert.Equal(expected.Events.Count, reader.Events.Count);
        var expectedOutput = new ArrayBufferWriter<byte>();
        for (var i = 0; i < expected.Events.Count; i++)
        {
            var evt = expected.Events[i];
            var actual = reader.Events[i];
            BulkItem? item;
            string? eventProblem;
            try
            {
                item = oracle.TryBuild(evt, expected.ClusterName, expectedOutput, out eventProblem);
            }
            catch (InvalidOperationException)
            {
                // The old builder threw (failing the whole batch) on an earlier copy of a repeated metadata that was
                // not an object but held a labels key (EventDocumentBuilderDifferentialTests): the new one indexes the event.
                Assert.True(actual.Item is not null, $"{what}, event {i}: {actual.Problem}");
                continue;
            }

            Assert.True(eventProblem == actual.Problem, $"{what}, event {i}: problem '{actual.Problem}', expected '{eventProblem}'");
            Assert.Equal(item is null, actual.Item is null);
            if (item is not null)
            {
                Assert.Equal((item.Index, item.Id, item.ExternalVersion), (actual.Item!.Index, actual.Item.Id, actual.Item.ExternalVersion));
                Assert.True(item.Source.Span.SequenceEqual(actual.Item.Source.Span), $"{what}, event {i}:\nactual   {Encoding.UTF8.GetString(actual.Item.Source.Span)}\nexpected {Encoding.UTF8.GetString(item.Source.Span)}");
                Assert.Equal(WarningReason(evt), actual.WarningReason);
            }
        }
    }

    /// <summary>The Warning reason as the handler read it from a parsed event before the streaming reader.</summary>
    private static string? WarningReason(JsonElement evt) =>
        evt.TryGetProperty("type"u8, out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("Warning"u8)
            ? evt.TryGetProperty("reason"u8, out var reason) ? Reasons.NameOf(JsonMarshal.GetRawUtf8Value(reason)) : Shared.Contract.WarningMetric.Other
            : null;

    private static string Body(Random random, string id)
    {
        JsonObject Event(int i)
        {
            var evt = EventDocumentBuilderPropertyTests.Event(random, $"{id}-{i}");
            switch (random.Next(10))
            {
                case 0: evt.Remove("kind"); break;
                case 1: evt["kind"] = "Pod"; break;
                case 2: ((JsonObject)evt["metadata"]!).Remove("uid"); break;
                case 3: evt["reason"] = random.Next(2) == 0 ? 7 : "WidgetFailed"; break;
                case 4: evt.Remove("reason"); break;
            }

            return evt;
        }

        JsonArray Events()
        {
            var events = new JsonArray();
            for (var i = random.Next(5); i > 0; i--)
            {
                events.Add(random.Next(25) == 0 ? JsonValue.Create(i) : Event(i));
            }

            return events;
        }

        JsonNode root = random.Next(8) switch
        {
            0 => Event(0),
            1 => new JsonObject { ["apiVersion"] = "v1", ["kind"] = random.Next(2) == 0 ? "EventList" : "List", ["items"] = Events(), ["metadata"] = new JsonObject { ["resourceVersion"] = "" } },
            2 => new JsonArray(1, 2),
            3 => new JsonObject { ["kind"] = random.Next(2) == 0 ? "Pod" : "EventList", ["metadata"] = new JsonObject() },
            _ => new JsonObject
            {
                ["schema"] = random.Next(12) == 0 ? "eks-events/v2" : "eks-events/v1",
                ["clusterName"] = random.Next(6) switch { 0 => string.Empty, 1 => 5, 2 => null, _ => "from-envelope" },
                ["events"] = random.Next(15) == 0 ? new JsonObject() : Events(),
            },
        };
        var body = new RandomJsonRenderer(random) { RepeatEvery = random.Next(2) == 0 ? 0 : 10, EscapeEvery = random.Next(2) == 0 ? 0 : 40, SpaceEvery = random.Next(2) == 0 ? 0 : 20 }.Render(root);
        return random.Next(8) switch
        {
            0 => body[..random.Next(body.Length)], // cut short
            1 => body.Insert(random.Next(body.Length), random.Next(2) == 0 ? "}" : "\"x\""), // a stray token
            _ => body,
        };
    }
}
