using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Functions.Core.OpenSearch;
using TestSupport.OpenSearch;

namespace Functions.Core.Tests.OpenSearch;

/// <summary>
/// Property: whatever a document holds, a bulk body keeps one line per document and reads, by
/// OpenSearch's rules, as exactly one index operation per appended item. Documents are generated JSON
/// (fixed seeds, so a failure repeats): nested objects and arrays, deep chains, long strings, raw and
/// escaped non-ASCII, U+2028/U+2029, escaped control characters, written compact, pretty with LF, with
/// CRLF and tabs, or with random whitespace; and broken on purpose: cut short, invalid UTF-8, raw control
/// characters inside strings, trailing values, JSON that is not an object.
/// </summary>
public sealed class BulkRequestBodyPropertyTests
{
    private enum Style
    {
        Compact,
        PrettyLf,
        PrettyCrLfTabs,
        RandomWhitespace,
    }

    private enum Damage
    {
        None,
        Truncated,
        InvalidUtf8,
        RawControlInString,
        TrailingValue,
        NotAnObject,
    }

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 40; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Append_GeneratedDocuments_EveryDocumentIsOneLineAndTheBodyReadsAsOneOperationPerItem(int seed)
    {
        var random = new Random(seed);
        var body = new BulkRequestBody(64 * 1024 * 1024);
        var appended = new List<(string Id, byte[] Input, string? Expected, bool Valid)>();
        for (var n = 0; n < 25; n++)
        {
            var generator = new Generator(random);
            var tree = generator.Object(depth: 0);
            var style = (Style)random.Next(4);
            var damage = random.Next(3) == 0 ? (Damage)random.Next(1, 6) : Damage.None;
            var (input, expected) = generator.Render(tree, style, damage);
            var id = $"{seed}-{n}-{style}-{damage}";

            var result = body.Append(new BulkItem("idx", id, input), out var refusal);

            if (damage == Damage.None)
            {
                Assert.True(result == BulkAppendResult.Appended, $"{id} refused: {refusal}");
            }
            else if (damage is Damage.InvalidUtf8 or Damage.RawControlInString or Damage.NotAnObject)
            {
                // Never one valid JSON object whatever the style: caught by the copy's check or the parse.
                Assert.True(result == BulkAppendResult.Refused, $"{id} was appended");
            }
            else if (result == BulkAppendResult.Appended)
            {
                // Cut short or followed by another value, and still taken: only possible on the fast path,
                // as one line written {...} in valid UTF-8; OpenSearch then fails that item alone.
                Assert.True(input.AsSpan().IndexOfAnyInRange((byte)0, (byte)0x1F) < 0 && input[0] == (byte)'{' && input[^1] == (byte)'}', $"{id} was taken as it is");
            }

            if (result == BulkAppendResult.Refused)
            {
                Assert.StartsWith("the document is ", refusal, StringComparison.Ordinal);
                continue;
            }

            appended.Add((id, input, expected, damage == Damage.None));
        }

        // One action line and one document line per item, and nothing else.
        var bytes = body.Memory.Span;
        Assert.Equal(2 * appended.Count, bytes.Count((byte)'\n'));
        Assert.Equal(appended.Count, body.Count);
        var operations = BulkBodyParser.Parse(body.Memory);
        Assert.Equal(appended.Select(a => a.Id), operations.Select(o => o.Id));
        for (var i = 0; i < appended.Count; i++)
        {
            var line = operations[i].Source.Span;
            Assert.True(line.IndexOfAnyInRange((byte)0, (byte)0x1F) < 0, $"{appended[i].Id} holds a control byte");
            Assert.True(Utf8.IsValid(line), $"{appended[i].Id} is not UTF-8");
            if (appended[i].Valid)
            {
                var options = new JsonDocumentOptions { MaxDepth = JsonCompactor.MaxDepth };
                var actual = JsonNode.Parse(line, documentOptions: options);
                var expected = JsonNode.Parse(appended[i].Expected!, documentOptions: options);
                Assert.True(JsonNode.DeepEquals(expected, actual), $"{appended[i].Id} changed");
            }
            else
            {
                Assert.Equal(appended[i].Input, line.ToArray()); // the fast path copies byte for byte
            }
        }
    }

    [Fact]
    public void Append_NestingDeeperThanOpenSearchParses_IsRefused()
    {
        var deep = new string('[', 1200) + new string(']', 1200);
        var body = new BulkRequestBody(1 << 20);

        var result = body.Append(new BulkItem("idx", "deep", Encoding.UTF8.GetBytes("{\n\"a\":" + deep + "}")), out var refusal);

        Assert.Equal(BulkAppendResult.Refused, result);
        Assert.Contains("depth", refusal, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A JSON tree and its renderings; every choice comes from one seeded Random.</summary>
    private sealed class Generator(Random random)
    {
        private static readonly string[] Pieces =
        [
            "a", "kube-apiserver", " ", "\"", "\\", "/", "\u00e9", "\u00fc", "\u6f22\u5b57", "\ud83d\ude80", "\u2028", "\u2029",
            "\t", "\n", "\r", "\u0001", "\u001f", "\u007f", "\u00a0", "{", "}", "[", "]", ",", ":", "<nil>", "\\u0041",
        ];

        public JsonNode Object(int depth)
        {
            var obj = new JsonObject();
            var members = random.Next(depth == 0 ? 1 : 0, depth > 4 ? 3 : 7);
            for (var i = 0; i < members; i++)
            {
                obj[$"k{i}_{Text(0, 6)}"] = Value(depth + 1);
            }

            if (depth == 0 && random.Next(8) == 0)
            {
                // A deep chain, as deep as a Kubernetes object never is but an audit requestObject could be.
                JsonNode chain = JsonValue.Create("bottom");
                for (var i = 0; i < random.Next(100, 900); i++)
                {
                    chain = random.Next(2) == 0 ? new JsonArray(chain) : new JsonObject { ["d"] = chain };
                }

                obj["deep"] = chain;
            }

            return obj;
        }

        public (byte[] Input, string? Expected) Render(JsonNode tree, Style style, Damage damage)
        {
            var text = new StringBuilder();
            Write(tree, style, 0, text);
            var expected = text.ToString();
            var input = Encoding.UTF8.GetBytes(expected);
            switch (damage)
            {
                case Damage.Truncated:
                    input = input[..random.Next(1, input.Length - 1)];
                    break;
                case Damage.InvalidUtf8:
                    byte[][] bad = [[0xC3, 0x28], [0xFF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]];
                    var at = input.AsSpan().IndexOf("\":\""u8) is var q and >= 0 ? q + 3 : 1;
                    input = [.. input[..at], .. bad[random.Next(bad.Length)], .. input[at..]];
                    break;
                case Damage.RawControlInString:
                    var quote = input.AsSpan().IndexOf("\":\""u8) is var p and >= 0 ? p + 3 : -1;
                    input = quote < 0 ? [.. "{\"k\":\"raw\n\"}"u8] : [.. input[..quote], (byte)"\n\t\r\u0001"[random.Next(4)], .. input[quote..]];
                    break;
                case Damage.TrailingValue:
                    input = [.. input, .. " {\"x\":1}"u8];
                    break;
                case Damage.NotAnObject:
                    input = [(byte)'[', .. input, (byte)']'];
                    break;
            }

            return (input, damage == Damage.None ? expected : null);
        }

        private JsonNode? Value(int depth)
        {
            var kind = random.Next(depth > 6 ? 4 : 6);
            return kind switch
            {
                0 => JsonValue.Create(Text(0, random.Next(20) == 0 ? 100_000 : 40)),
                1 => JsonValue.Create(random.Next(4) switch
                {
                    0 => (double)random.Next(int.MinValue, int.MaxValue),
                    1 => random.NextDouble() * Math.Pow(10, random.Next(-20, 20)),
                    2 => 0,
                    _ => long.MaxValue,
                }),
                2 => JsonValue.Create(random.Next(2) == 0),
                3 => null,
                4 => Object(depth),
                _ => Array(depth),
            };
        }

        private JsonArray Array(int depth)
        {
            var array = new JsonArray();
            for (var i = random.Next(0, 5); i > 0; i--)
            {
                array.Add(Value(depth + 1));
            }

            return array;
        }

        private string Text(int min, int max)
        {
            var length = random.Next(min, max);
            var text = new StringBuilder();
            while (text.Length < length)
            {
                text.Append(random.Next(3) == 0 ? Pieces[random.Next(Pieces.Length)] : ((char)random.Next('a', 'z' + 1)).ToString());
            }

            return text.ToString();
        }

        private void Write(JsonNode? node, Style style, int level, StringBuilder text)
        {
            switch (node)
            {
                case JsonObject obj:
                    text.Append('{');
                    var first = true;
                    foreach (var (name, member) in obj)
                    {
                        text.Append(first ? string.Empty : ",");
                        first = false;
                        Break(style, level + 1, text);
                        String(name, text);
                        Space(style, text);
                        text.Append(':');
                        Space(style, text);
                        Write(member, style, level + 1, text);
                    }

                    if (!first)
                    {
                        Break(style, level, text);
                    }

                    text.Append('}');
                    break;
                case JsonArray array:
                    text.Append('[');
                    for (var i = 0; i < array.Count; i++)
                    {
                        text.Append(i == 0 ? string.Empty : ",");
                        Break(style, level + 1, text);
                        Write(array[i], style, level + 1, text);
                    }

                    if (array.Count > 0)
                    {
                        Break(style, level, text);
                    }

                    text.Append(']');
                    break;
                case null:
                    text.Append("null");
                    break;
                default:
                    var value = node.AsValue();
                    if (value.TryGetValue<string>(out var s))
                    {
                        String(s, text);
                    }
                    else
                    {
                        text.Append(node.ToJsonString());
                    }

                    break;
            }
        }

        private void Break(Style style, int level, StringBuilder text)
        {
            switch (style)
            {
                case Style.PrettyLf:
                    text.Append('\n').Append(' ', 2 * Math.Min(level, 40));
                    break;
                case Style.PrettyCrLfTabs:
                    text.Append("\r\n").Append('\t', Math.Min(level, 40));
                    break;
                case Style.RandomWhitespace:
                    Space(style, text);
                    break;
            }
        }

        private void Space(Style style, StringBuilder text)
        {
            if (style == Style.RandomWhitespace)
            {
                for (var i = random.Next(0, 3); i > 0; i--)
                {
                    text.Append(" \t\n\r"[random.Next(4)]);
                }
            }
            else if (style != Style.Compact)
            {
                text.Append(' ');
            }
        }

        /// <summary>A JSON string, escaping what must be escaped and, at random, what need not be (non-ASCII as \uXXXX, '/').</summary>
        private void String(string value, StringBuilder text)
        {
            var escapeNonAscii = random.Next(2) == 0;
            text.Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': text.Append("\\\""); break;
                    case '\\': text.Append("\\\\"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    case '/' when escapeNonAscii: text.Append("\\/"); break;
                    case < ' ': text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                    case > '\u007e' when escapeNonAscii: text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"); break;
                    default: text.Append(c); break;
                }
            }

            text.Append('"');
        }
    }
}
