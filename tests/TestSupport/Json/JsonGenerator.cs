using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace TestSupport.Json;

/// <summary>
/// Generated JSON for property tests: a tree (nested objects and arrays, deep chains, long strings with
/// raw and escaped non-ASCII, U+2028/U+2029, control characters that must be escaped, numbers of every
/// shape) rendered in a chosen layout and, on purpose, damaged. Every choice comes from one seeded
/// Random, so a failing case repeats.
/// </summary>
public sealed class JsonGenerator(Random random)
{
    private static readonly string[] Pieces =
    [
        "a", "kube-apiserver", " ", "\"", "\\", "/", "\u00e9", "\u00fc", "\u6f22\u5b57", "\ud83d\ude80", "\u2028", "\u2029",
        "\t", "\n", "\r", "\u0001", "\u001f", "\u007f", "\u00a0", "{", "}", "[", "]", ",", ":", "<nil>", "\\u0041",
    ];

    /// <summary>A random object; at depth 0 it has at least one member and sometimes a chain 100 to 900 deep.</summary>
    public JsonObject Object(int depth = 0)
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

    /// <summary>The tree's text in <paramref name="layout"/>, then damaged; with the undamaged text as Expected (null when damaged).</summary>
    public (byte[] Input, string? Expected) Render(JsonNode tree, JsonLayout layout, JsonDamage damage)
    {
        var text = new StringBuilder();
        Write(tree, layout, 0, text);
        var expected = text.ToString();
        var input = Encoding.UTF8.GetBytes(expected);
        switch (damage)
        {
            case JsonDamage.Truncated:
                input = input[..random.Next(1, input.Length - 1)];
                break;
            case JsonDamage.InvalidUtf8:
                byte[][] bad = [[0xC3, 0x28], [0xFF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]];
                var at = input.AsSpan().IndexOf("\":\""u8) is var q and >= 0 ? q + 3 : 1;
                input = [.. input[..at], .. bad[random.Next(bad.Length)], .. input[at..]];
                break;
            case JsonDamage.RawControlInString:
                var quote = input.AsSpan().IndexOf("\":\""u8) is var p and >= 0 ? p + 3 : -1;
                input = quote < 0 ? [.. "{\"k\":\"raw\n\"}"u8] : [.. input[..quote], (byte)"\n\t\r\u0001"[random.Next(4)], .. input[quote..]];
                break;
            case JsonDamage.TrailingValue:
                input = [.. input, .. " {\"x\":1}"u8];
                break;
            case JsonDamage.NotAnObject:
                input = [(byte)'[', .. input, (byte)']'];
                break;
        }

        return (input, damage == JsonDamage.None ? expected : null);
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

    private void Write(JsonNode? node, JsonLayout layout, int level, StringBuilder text)
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
                    Break(layout, level + 1, text);
                    String(name, text);
                    Space(layout, text);
                    text.Append(':');
                    Space(layout, text);
                    Write(member, layout, level + 1, text);
                }

                if (!first)
                {
                    Break(layout, level, text);
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? string.Empty : ",");
                    Break(layout, level + 1, text);
                    Write(array[i], layout, level + 1, text);
                }

                if (array.Count > 0)
                {
                    Break(layout, level, text);
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

    private void Break(JsonLayout layout, int level, StringBuilder text)
    {
        switch (layout)
        {
            case JsonLayout.PrettyLf:
                text.Append('\n').Append(' ', 2 * Math.Min(level, 40));
                break;
            case JsonLayout.PrettyCrLfTabs:
                text.Append("\r\n").Append('\t', Math.Min(level, 40));
                break;
            case JsonLayout.RandomWhitespace:
                Space(layout, text);
                break;
        }
    }

    private void Space(JsonLayout layout, StringBuilder text)
    {
        if (layout == JsonLayout.RandomWhitespace)
        {
            for (var i = random.Next(0, 3); i > 0; i--)
            {
                text.Append(" \t\n\r"[random.Next(4)]);
            }
        }
        else if (layout != JsonLayout.Compact)
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
