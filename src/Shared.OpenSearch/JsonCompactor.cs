using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Shared.OpenSearch;

/// <summary>
/// Rewrites one JSON value without the whitespace between its tokens, validating it on the way. A
/// <c>_bulk</c> body is NDJSON: a line break between two tokens of a document (a pretty-printed audit
/// event, <c>kubectl -o json</c> output) would make the rest of the document the next "action" line, and
/// OpenSearch would refuse the whole request. Inside a valid JSON string a line break can only be the
/// escape <c>\n</c> (a raw one is invalid JSON), so the compact form of a valid value is always one line.
/// </summary>
public static class JsonCompactor
{
    /// <summary>
    /// Deepest nesting accepted, as OpenSearch's JSON parser (Jackson) accepts by default; the reader
    /// keeps its depth in a bit stack, so a deep value costs no recursion here.
    /// </summary>
    public const int MaxDepth = 1000;

    /// <summary>
    /// Writes <paramref name="json"/> compactly into <paramref name="destination"/> (at least as long as the
    /// input: the compact form is never longer). Token bytes are copied as they are, escapes included.
    /// </summary>
    /// <param name="json">The value.</param>
    /// <param name="destination">Where the compact value goes.</param>
    /// <param name="written">Bytes written.</param>
    /// <param name="problem">Why the input is not one valid JSON value in UTF-8, or null.</param>
    /// <returns>False, with <paramref name="problem"/>, when the input is not one valid UTF-8 JSON value.</returns>
    public static bool TryCompact(ReadOnlySpan<byte> json, Span<byte> destination, out int written, out string? problem)
    {
        if (destination.Length < json.Length)
        {
            throw new ArgumentException("The destination must be at least as long as the input.", nameof(destination));
        }

        written = 0;
        if (!Utf8.IsValid(json))
        {
            // Utf8JsonReader does not check the bytes inside strings; OpenSearch's parser does.
            problem = $"not valid UTF-8 (first invalid byte at offset {FirstInvalidUtf8(json)})";
            return false;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var w = 0;
        var needsComma = false;
        try
        {
            if (!reader.Read())
            {
                problem = "empty: no JSON value";
                return false;
            }

            do
            {
                var token = reader.TokenType;
                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    destination[w++] = token == JsonTokenType.EndObject ? (byte)'}' : (byte)']';
                    needsComma = true;
                    continue;
                }

                if (needsComma)
                {
                    destination[w++] = (byte)',';
                }

                switch (token)
                {
                    case JsonTokenType.StartObject:
                        destination[w++] = (byte)'{';
                        needsComma = false;
                        break;
                    case JsonTokenType.StartArray:
                        destination[w++] = (byte)'[';
                        needsComma = false;
                        break;
                    case JsonTokenType.PropertyName:
                        w += Quoted(reader.ValueSpan, destination[w..]);
                        destination[w++] = (byte)':';
                        needsComma = false;
                        break;
                    case JsonTokenType.String:
                        w += Quoted(reader.ValueSpan, destination[w..]);
                        needsComma = true;
                        break;
                    default: // number, true, false, null: their bytes as written
                        reader.ValueSpan.CopyTo(destination[w..]);
                        w += reader.ValueSpan.Length;
                        needsComma = true;
                        break;
                }
            }
            while (reader.Read());
        }
        catch (JsonException ex)
        {
            problem = ex.Message;
            return false;
        }

        written = w;
        problem = null;
        return true;
    }

    /// <summary>A string token as written: its escaped bytes between quotes.</summary>
    private static int Quoted(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        raw.CopyTo(destination[1..]);
        destination[raw.Length + 1] = (byte)'"';
        return raw.Length + 2;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> json)
    {
        var offset = 0;
        while (offset < json.Length && Rune.DecodeFromUtf8(json[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }
}
