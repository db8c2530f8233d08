using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TestSupport.Dashboards;

/// <summary>
/// The part of Dashboards Query Language (KQL) our saved objects use, evaluated against a document's
/// <c>_source</c> as OpenSearch would for keyword and number fields: <c>field:value</c>,
/// <c>field:(a or b)</c>, <c>and</c>, <c>or</c>, <c>not</c> (which also matches documents without the
/// field, like a bool query's <c>must_not</c>) and parentheses; <c>and</c> binds tighter than <c>or</c>.
/// A value matches exactly, as a keyword term does; <c>x.keyword</c> reads <c>x</c>'s value. Text fields
/// (analyzed) are not modelled: the tests that use this check that our queries name none.
/// </summary>
public sealed class KqlQuery
{
    private readonly Func<JsonElement, bool> _matches;

    private KqlQuery(Func<JsonElement, bool> matches, IReadOnlyList<string> fields)
    {
        _matches = matches;
        Fields = fields;
    }

    /// <summary>The fields the query names.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>Parses a query; an empty one matches every document.</summary>
    public static KqlQuery Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(Tokenize(text));
        if (parser.AtEnd)
        {
            return new KqlQuery(_ => true, []);
        }

        var matches = parser.Or();
        if (!parser.AtEnd)
        {
            throw new FormatException($"Unexpected '{parser.Peek}' in KQL query: {text}");
        }

        return new KqlQuery(matches, parser.Fields);
    }

    /// <summary>Whether the document matches.</summary>
    public bool Matches(JsonElement source) => _matches(source);

    /// <summary>The values a document holds at a field path (dots are object steps; keys may hold dots themselves).</summary>
    public static IEnumerable<JsonElement> ValuesAt(JsonElement node, string path)
    {
        if (path.Length == 0)
        {
            if (node.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in node.EnumerateArray())
                {
                    yield return item;
                }
            }
            else
            {
                yield return node;
            }

            yield break;
        }

        if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in node.EnumerateArray().SelectMany(i => ValuesAt(i, path)))
            {
                yield return item;
            }

            yield break;
        }

        if (node.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var property in node.EnumerateObject())
        {
            if (path == property.Name)
            {
                foreach (var value in ValuesAt(property.Value, string.Empty))
                {
                    yield return value;
                }
            }
            else if (path.StartsWith(property.Name + ".", StringComparison.Ordinal))
            {
                foreach (var value in ValuesAt(property.Value, path[(property.Name.Length + 1)..]))
                {
                    yield return value;
                }
            }
        }
    }

    private static bool FieldEquals(JsonElement source, string field, string expected)
    {
        var path = field.EndsWith(".keyword", StringComparison.Ordinal) ? field[..^".keyword".Length] : field;
        return ValuesAt(source, path).Any(v => v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() == expected,
            JsonValueKind.Number => decimal.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && v.GetDecimal() == n,
            JsonValueKind.True => expected == "true",
            JsonValueKind.False => expected == "false",
            _ => false,
        });
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or ':')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c == '"')
            {
                var value = new StringBuilder("\"");
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    value.Append(text[i] == '\\' && i + 1 < text.Length ? text[++i] : text[i]);
                    i++;
                }

                tokens.Add(value.ToString());
                i++;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or ':' or '"'))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
        }

        return tokens;
    }

    private sealed class Parser(List<string> tokens)
    {
        private int _at;

        public List<string> Fields { get; } = [];

        public bool AtEnd => _at >= tokens.Count;

        public string Peek => tokens[_at];

        public Func<JsonElement, bool> Or()
        {
            var left = And();
            while (Accept("or"))
            {
                var l = left;
                var r = And();
                left = d => l(d) || r(d);
            }

            return left;
        }

        private Func<JsonElement, bool> And()
        {
            var left = Not();
            while (Accept("and"))
            {
                var l = left;
                var r = Not();
                left = d => l(d) && r(d);
            }

            return left;
        }

        private Func<JsonElement, bool> Not()
        {
            if (Accept("not"))
            {
                var inner = Not();
                return d => !inner(d);
            }

            return Primary();
        }

        private Func<JsonElement, bool> Primary()
        {
            if (Accept("("))
            {
                var inner = Or();
                Expect(")");
                return inner;
            }

            var field = Next();
            Fields.Add(field);
            Expect(":");
            var values = new List<string>();
            if (Accept("("))
            {
                values.Add(Value(Next()));
                while (Accept("or"))
                {
                    values.Add(Value(Next()));
                }

                Expect(")");
            }
            else
            {
                values.Add(Value(Next()));
            }

            return d => values.Any(v => FieldEquals(d, field, v));
        }

        private static string Value(string token) => token.StartsWith('"') ? token[1..] : token;

        private string Next() => !AtEnd ? tokens[_at++] : throw new FormatException("KQL query ends too early.");

        private bool Accept(string token)
        {
            if (!AtEnd && string.Equals(tokens[_at], token, token is "and" or "or" or "not" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                _at++;
                return true;
            }

            return false;
        }

        private void Expect(string token)
        {
            if (!Accept(token))
            {
                throw new FormatException($"Expected '{token}' in KQL query at token {_at}.");
            }
        }
    }
}
