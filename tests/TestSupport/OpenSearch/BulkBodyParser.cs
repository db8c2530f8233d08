using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TestSupport.OpenSearch;

/// <summary>
/// Reads a <c>_bulk</c> body by OpenSearch's rules (server/.../action/bulk/BulkRequestParser and
/// BulkRequest.validate), before anything is executed:
/// <list type="bullet">
/// <item>the body is split at every LF, and only there; every line must end with one ("The bulk request
/// must be terminated by a newline [\n]");</item>
/// <item>an action line is read token by token: a blank one is skipped; otherwise it must be an object
/// whose one field is create, delete, index or update, holding known parameters with simple values.
/// Anything else refuses the whole request, naming the line: <c>illegal_argument_exception</c>
/// "Malformed action/metadata line [n], expected START_OBJECT but found [VALUE_STRING]", or the JSON
/// parser's own <c>json_parse_exception</c> when the line does not even start as JSON;</item>
/// <item>the line after an action (but delete) is its source, taken as bytes and <b>not parsed here</b>
/// (a trailing CR is dropped): a complete line that is not valid JSON fails only its own item, later, at
/// the shard. An action whose source line is missing at the very end is dropped silently;</item>
/// <item>then every request is validated and all problems refuse the request as one
/// <c>action_request_validation_exception</c> ("Validation Failed: 1: ...;2: ...;"), e.g. an <c>_id</c>
/// over 512 bytes.</item>
/// </list>
/// So a document that spans several lines breaks the request: its second line is read as an action.
/// </summary>
public static class BulkBodyParser
{
    private static readonly HashSet<string> Actions = new(StringComparer.Ordinal) { "create", "delete", "index", "update" };

    private static readonly HashSet<string> Parameters = new(StringComparer.Ordinal)
    {
        "_index", "_id", "routing", "op_type", "version", "version_type", "if_seq_no", "if_primary_term",
        "retry_on_conflict", "pipeline", "_source", "require_alias",
    };

    /// <summary>Reads the body into its operations.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="allowExplicitIndex">The cluster's <c>rest.action.multi.allow_explicit_index</c>.</param>
    /// <exception cref="BulkRequestRefusedException">OpenSearch would refuse the request as a whole.</exception>
    public static IReadOnlyList<BulkOperation> Parse(ReadOnlyMemory<byte> body, bool allowExplicitIndex = true)
    {
        var data = body.Span;
        var operations = new List<BulkOperation>();
        var line = 0;
        var from = 0;
        while (true)
        {
            var next = NextMarker(data, from);
            if (next < 0)
            {
                break;
            }

            line++;
            var actionLine = data[from..next];
            from = next + 1;
            if (actionLine.Trim(" \t\r"u8).IsEmpty)
            {
                continue; // a blank line where an action would be is skipped (the parser finds no token)
            }

            var reader = new Utf8JsonReader(actionLine);
            var token = Next(ref reader, actionLine);

            if (token != JsonTokenType.StartObject)
            {
                throw Malformed(line, $"expected START_OBJECT but found [{Name(token)}]");
            }

            token = Next(ref reader, actionLine);
            if (token != JsonTokenType.PropertyName)
            {
                throw Malformed(line, $"expected FIELD_NAME but found [{Name(token)}]");
            }

            var action = reader.GetString()!;
            if (!Actions.Contains(action))
            {
                throw Malformed(line, $"expected one of [create, delete, index, update] but found [{action}]");
            }

            string? index = null, id = null, versionType = null;
            long? version = null;
            token = Next(ref reader, actionLine);
            if (token == JsonTokenType.StartObject)
            {
                string? field = null;
                while ((token = Next(ref reader, actionLine)) != JsonTokenType.EndObject)
                {
                    switch (token)
                    {
                        case JsonTokenType.PropertyName:
                            field = reader.GetString();
                            break;
                        case JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                            if (field is null || !Parameters.Contains(field))
                            {
                                throw new BulkRequestRefusedException("illegal_argument_exception", $"Action/metadata line [{line}] contains an unknown parameter [{field}]");
                            }

                            var text = token == JsonTokenType.String ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan);
                            switch (field)
                            {
                                case "_index" when !allowExplicitIndex:
                                    throw new BulkRequestRefusedException("illegal_argument_exception", "explicit index in bulk is not allowed");
                                case "_index":
                                    index = text;
                                    break;
                                case "_id":
                                    id = text;
                                    break;
                                case "version":
                                    version = long.Parse(text, CultureInfo.InvariantCulture);
                                    break;
                                case "version_type":
                                    versionType = text;
                                    break;
                            }

                            break;
                        case JsonTokenType.StartObject when field == "_source":
                            reader.Skip();
                            break;
                        case JsonTokenType.Null:
                            break;
                        default:
                            throw Malformed(line, $"expected a simple value for field [{field}] but found [{Name(token)}]");
                    }
                }
            }
            else if (token != JsonTokenType.EndObject)
            {
                throw Malformed(line, $"expected START_OBJECT or END_OBJECT but found [{Name(token)}]");
            }

            if (action == "delete")
            {
                operations.Add(new BulkOperation(action, index, id, version, versionType, ReadOnlyMemory<byte>.Empty, line));
                continue;
            }

            next = NextMarker(data, from);
            if (next < 0)
            {
                break; // an action without its source at the very end: dropped without a word
            }

            line++;
            var end = next > from && data[next - 1] == (byte)'\r' ? next - 1 : next;
            operations.Add(new BulkOperation(action, index, id, version, versionType, body[from..end], line));
            from = next + 1;
        }

        Validate(operations);
        return operations;
    }

    private static void Validate(List<BulkOperation> operations)
    {
        var problems = new List<string>();
        if (operations.Count == 0)
        {
            problems.Add("no requests added");
        }

        foreach (var operation in operations)
        {
            if (operation.Index is null)
            {
                problems.Add("index is missing");
            }

            if (operation.Id is { } id && Encoding.UTF8.GetByteCount(id) > 512)
            {
                problems.Add($"id [{id}] is too long, must be no longer than 512 bytes but was: {Encoding.UTF8.GetByteCount(id)}");
            }
        }

        if (problems.Count > 0)
        {
            var reason = new StringBuilder("Validation Failed: ");
            for (var i = 0; i < problems.Count; i++)
            {
                reason.Append(CultureInfo.InvariantCulture, $"{i + 1}: {problems[i]};");
            }

            throw new BulkRequestRefusedException("action_request_validation_exception", reason.ToString());
        }
    }

    /// <summary>The next LF from <paramref name="from"/>, or -1 at the end of a body that ends with one.</summary>
    private static int NextMarker(ReadOnlySpan<byte> data, int from)
    {
        var at = data[from..].IndexOf((byte)'\n');
        if (at >= 0)
        {
            return from + at;
        }

        return from == data.Length
            ? -1
            : throw new BulkRequestRefusedException("illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]");
    }

    /// <summary>The next token, or null at the end of the line; a line that is not JSON fails as OpenSearch's JSON parser does.</summary>
    private static JsonTokenType? Next(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        var consumed = (int)reader.BytesConsumed;
        try
        {
            return reader.Read() ? reader.TokenType : null;
        }
        catch (JsonException)
        {
            throw JsonParseError(line, consumed);
        }
    }

    /// <summary>A <c>json_parse_exception</c> with the message Jackson gives for the byte it stopped at.</summary>
    private static BulkRequestRefusedException JsonParseError(ReadOnlySpan<byte> line, int from)
    {
        var source = $"[Source: (byte[])\"{Encoding.UTF8.GetString(line)}\"; line: 1, column: {from + 1}]";
        var rest = line[from..];
        var start = rest.Length - rest.TrimStart(" \t\r"u8).Length;
        if (start == rest.Length)
        {
            return new BulkRequestRefusedException("json_parse_exception", $"Unexpected end-of-input: expected close marker for Object\n at {source}");
        }

        var c = (char)rest[start];
        if (c is '}' or ']')
        {
            var expected = c == '}' ? ']' : '}';
            return new BulkRequestRefusedException("json_parse_exception", $"Unexpected close marker '{c}': expected '{expected}' (for root starting at [Source: (byte[])\"{Encoding.UTF8.GetString(line)}\"; line: 1, column: 0])\n at {source}");
        }

        if (char.IsAsciiLetter(c))
        {
            var word = rest[start..];
            var length = word.IndexOfAny(" \t,:{}[]\""u8);
            return new BulkRequestRefusedException("json_parse_exception", $"Unrecognized token '{Encoding.UTF8.GetString(length < 0 ? word : word[..length])}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at {source}");
        }

        return new BulkRequestRefusedException("json_parse_exception", $"Unexpected character ('{c}' (code {(int)c})): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at {source}");
    }

    private static BulkRequestRefusedException Malformed(int line, string detail) =>
        new("illegal_argument_exception", $"Malformed action/metadata line [{line}], {detail}");

    /// <summary>OpenSearch's (XContentParser.Token) name for a token.</summary>
    private static string Name(JsonTokenType? token) => token switch
    {
        null => "null",
        JsonTokenType.StartObject => "START_OBJECT",
        JsonTokenType.EndObject => "END_OBJECT",
        JsonTokenType.StartArray => "START_ARRAY",
        JsonTokenType.EndArray => "END_ARRAY",
        JsonTokenType.PropertyName => "FIELD_NAME",
        JsonTokenType.String => "VALUE_STRING",
        JsonTokenType.Number => "VALUE_NUMBER",
        JsonTokenType.True or JsonTokenType.False => "VALUE_BOOLEAN",
        _ => "VALUE_NULL",
    };
}
