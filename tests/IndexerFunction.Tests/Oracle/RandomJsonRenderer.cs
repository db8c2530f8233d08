using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace IndexerFunction.Tests.Oracle;

/// <summary>
/// Writes a JSON tree as text the way different producers might: members in any order, a member repeated
/// (an earlier copy with another value first), any character escaped as <c>\uXXXX</c> or with its short
/// escape, names escaped too, white space (spaces, tabs, line breaks) between any tokens.
/// </summary>
internal sealed class RandomJsonRenderer(Random random)
{
    /// <summary>How often (one in N) a member is repeated with another value first; 0 for never.</summary>
    public int RepeatEvery { get; init; } = 12;

    /// <summary>How often (one in N) a character of a string is escaped; 0 for never.</summary>
    public int EscapeEvery { get; init; } = 40;

    /// <summary>How often (one in N) white space goes between two tokens; 0 for never.</summary>
    public int SpaceEvery { get; init; } = 20;

    /// <summary>How often (one in N) an object's members are shuffled; 0 for never.</summary>
    public int ShuffleEvery { get; init; } = 3;

    public string Render(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node);
        return text.ToString();
    }

    private void Write(StringBuilder text, JsonNode? node)
    {
        Space(text);
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var members = obj.ToList();
                if (ShuffleEvery > 0 && random.Next(ShuffleEvery) == 0)
                {
                    members = [.. members.OrderBy(_ => random.Next())];
                }

                var first = true;
                foreach (var (name, value) in members)
                {
                    if (RepeatEvery > 0 && random.Next(RepeatEvery) == 0)
                    {
                        // An earlier copy the later one must win over.
                        Member(text, ref first, name, Decoy());
                    }

                    Member(text, ref first, name, value);
                }

                Space(text);
                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        Space(text);
                        text.Append(',');
                    }

                    Write(text, array[i]);
                }

                Space(text);
                text.Append(']');
                break;
            default:
                if (node.GetValueKind() == System.Text.Json.JsonValueKind.String)
                {
                    String(text, node.GetValue<string>());
                }
                else
                {
                    text.Append(node.ToJsonString());
                }

                break;
        }
    }

    private void Member(StringBuilder text, ref bool first, string name, JsonNode? value)
    {
        if (!first)
        {
            Space(text);
            text.Append(',');
        }

        first = false;
        Space(text);
        String(text, name);
        Space(text);
        text.Append(':');
        Write(text, value);
    }

    private JsonNode? Decoy() => random.Next(6) switch
    {
        0 => null,
        1 => JsonValue.Create(42),
        2 => JsonValue.Create("decoy"),
        3 => new JsonObject { ["uid"] = "decoy-uid", ["creationTimestamp"] = "2020-01-01T00:00:00Z", ["kind"] = "Decoy" },
        4 => new JsonArray(1, "two", new JsonObject { ["labels"] = new JsonObject { ["a.b"] = "c" } }),
        _ => JsonValue.Create("2019-05-05T05:05:05Z"),
    };

    private void String(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            var escape = EscapeEvery > 0 && random.Next(EscapeEvery) == 0;
            switch (c)
            {
                case '"': text.Append(escape ? "\\u0022" : "\\\""); break;
                case '\\': text.Append(escape ? "\\u005C" : "\\\\"); break;
                case '\n': text.Append(escape ? "\\u000a" : "\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case var _ when char.IsSurrogate(c): text.Append(c); break; // a pair is escaped whole or not at all
                case '/' when escape: text.Append("\\/"); break;
                case < ' ': text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"); break;
                default:
                    if (escape)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    private void Space(StringBuilder text)
    {
        if (SpaceEvery > 0 && random.Next(SpaceEvery) == 0)
        {
            text.Append(random.Next(4) switch { 0 => " ", 1 => "\t", 2 => "\n  ", _ => "\r\n" });
        }
    }
}
