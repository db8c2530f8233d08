using System.Text;
using System.Text.Json;
using IndexerFunction.Messages;

namespace IndexerFunction.Tests.Messages;

public sealed class JsonStringUnescaperTests
{
    private const string After = ",\"next\":\"z\"}";

    /// <summary>Unescapes the JSON string literal at the start of <paramref name="json"/>.</summary>
    private static (int Consumed, string Text, string? Problem) Unescape(byte[] json)
    {
        var destination = new byte[json.Length];
        var consumed = JsonStringUnescaper.Unescape(json.AsSpan(1), destination, out var written, out var problem);
        return (consumed, Encoding.UTF8.GetString(destination, 0, written), problem);
    }

    private static string ReaderValue(string literal)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(literal));
        reader.Read();
        return reader.GetString()!;
    }

    public static TheoryData<string> Escapes() =>
    [
        "\\\"", "\\\\", "\\/", "\\n", "\\r", "\\t", "\\b", "\\f",
        "\\u0022", "\\u003C", "\\u0000", "\\u001f", "\\u00e9", "\\u20AC", "\\uD83D\\uDE80", "\\\\\\\"",
    ];

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Unescape_EscapeAtEveryOffset_GivesWhatAJsonReaderGives(string escape)
    {
        // Offsets 0-40 put the escape before, across and after the 16-byte blocks, and at the very end.
        for (var offset = 0; offset <= 40; offset++)
        {
            foreach (var tail in new[] { 0, 1, 15, 16, 17, 40 })
            {
                var literal = "\"" + new string('a', offset) + escape + new string('b', tail) + "\"";

                var (consumed, text, problem) = Unescape(Encoding.UTF8.GetBytes(literal + After));

                Assert.Null(problem);
                Assert.Equal(ReaderValue(literal), text);
                Assert.Equal(literal.Length - 1, consumed);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(1000)]
    public void Unescape_StringEndingInAnEscapedQuoteOrBackslash_EndsAtTheRealQuote(int length)
    {
        foreach (var ending in new[] { "\\\"", "\\\\", "\\\\\\\"", "\\\\\\\\" })
        {
            var literal = "\"" + new string('x', length) + ending + "\"";

            var (consumed, text, problem) = Unescape(Encoding.UTF8.GetBytes(literal + After));

            Assert.Null(problem);
            Assert.Equal(ReaderValue(literal), text);
            Assert.Equal(literal.Length - 1, consumed);
        }
    }

    [Fact]
    public void Unescape_RealisticBody_IsTheBodyThatWasSent()
    {
        var body = "{\"schema\":\"eks-events/v1\",\"events\":[" + string.Join(',', Enumerable.Range(0, 50).Select(i =>
            $$"""{"metadata":{"uid":"u-{{i}}"},"message":"Pod „café“ 🚀 said \"no\" at C:\\temp\n\ttab <&> \u0001"}""")) + "]}";
        foreach (var encoder in new[] { System.Text.Encodings.Web.JavaScriptEncoder.Default, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(body, new JsonSerializerOptions { Encoder = encoder });

            var (consumed, text, problem) = Unescape(json);

            Assert.Null(problem);
            Assert.Equal(body, text);
            Assert.Equal(json.Length - 1, consumed);
        }
    }

    [Theory]
    [InlineData("\\x", "invalid escape \\x")]
    [InlineData("\\u12G4", "invalid \\u escape")]
    [InlineData("\\uD800", "invalid \\u escape")] // a high surrogate with no low one
    [InlineData("\\uD800\\u0041", "invalid \\u escape")]
    [InlineData("\\uDC00", "invalid \\u escape")] // a low surrogate alone
    [InlineData("\u0001", "unescaped control character 0x01")]
    [InlineData("\t", "unescaped control character 0x09")]
    public void Unescape_InvalidString_SaysWhatAndStillFindsTheEnd(string invalid, string expected)
    {
        foreach (var length in new[] { 0, 20, 100 })
        {
            var literal = "\"" + new string('a', length) + invalid + "b\\\"c\"";

            var (consumed, _, problem) = Unescape(Encoding.UTF8.GetBytes(literal + After));

            Assert.NotNull(problem);
            Assert.Contains(expected, problem, StringComparison.Ordinal);
            Assert.Equal(literal.Length - 1, consumed);
        }
    }

    [Theory]
    [InlineData("\"abc")]
    [InlineData("\"abc\\\"")]
    [InlineData("\"abc\\")]
    [InlineData("\"abc\\u00")]
    public void Unescape_NoClosingQuote_ReadsNothing(string start)
    {
        foreach (var length in new[] { 0, 20, 100 })
        {
            var json = Encoding.UTF8.GetBytes(start[..1] + new string('a', length) + start[1..]);

            var (consumed, _, _) = Unescape(json);

            Assert.Equal(0, consumed);
        }
    }
    public static TheoryData<int> Seeds() => TestSupport.PropertySeeds.First(40);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Unescape_DenseEscapesAndOneByteInserted_SameOutcomeAsTheReader(int seed)
    {
        // Strings thick with what a body escapes (quotes, above all), written by three encoders, each read
        // whole and then with one ASCII byte inserted anywhere: the unescaper must agree with Utf8JsonReader on
        // where the string ends, on its text, and on whether it is valid.
        var random = new Random(seed);
        string[] pieces = ["\"", "\\", "a", "key", "\":\"", "é", "🚀", "\n", "\u0001", "/", "<&>", "xxxxxxxxxxxxxxxxxx"];
        var encoders = new[] { System.Text.Encodings.Web.JavaScriptEncoder.Default, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        for (var round = 0; round < 60; round++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 80)).Select(_ => pieces[random.Next(pieces.Length)]));
            var literal = random.Next(3) == 2
                ? Encoding.UTF8.GetBytes("\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\u0001", "\\u0001", StringComparison.Ordinal) + "\"")
                : JsonSerializer.SerializeToUtf8Bytes(text, new JsonSerializerOptions { Encoder = encoders[random.Next(2)] });
            var json = Encoding.UTF8.GetBytes(new string(' ', random.Next(0, 16))).Concat(literal).Concat(Encoding.UTF8.GetBytes(After)).ToArray();
            var start = Array.IndexOf(json, (byte)'"');
            AssertAgrees(json, start, $"seed {seed}, round {round}, whole");

            // Not inside a multi-byte character: UTF-8 is checked where the body is read, not here.
            var at = random.Next(start + 1, json.Length);
            while (json[at] is >= 0x80 and < 0xC0)
            {
                at--;
            }

            byte[] inserted = [(byte)'"', (byte)'\\', (byte)'u', (byte)'\n', (byte)'x'];
            var mutated = json[..at].Append(inserted[random.Next(inserted.Length)]).Concat(json[at..]).ToArray();
            AssertAgrees(mutated, start, $"seed {seed}, round {round}, byte inserted at {at}");
        }
    }

    private static void AssertAgrees(byte[] json, int start, string because)
    {
        var destination = new byte[json.Length];
        var consumed = JsonStringUnescaper.Unescape(json.AsSpan(start + 1), destination, out var written, out var problem);
        var reader = new Utf8JsonReader(json.AsSpan(start));
        string? expected;
        try
        {
            reader.Read();
            expected = reader.GetString();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            expected = null;
        }

        if (expected is null)
        {
            Assert.True(problem is not null || consumed == 0, $"{because}: the reader refuses {Encoding.UTF8.GetString(json)} but the unescaper did not");
            return;
        }

        Assert.True(problem is null, $"{because}: {problem}");
        Assert.Equal((int)reader.BytesConsumed - 1, consumed);
        Assert.Equal(expected, Encoding.UTF8.GetString(destination, 0, written));
    }
}
