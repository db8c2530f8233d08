using System.Text.Json;

namespace Shared.OpenSearch;

/// <summary>
/// Reads the parts of a <c>_bulk</c> response that decide each item's fate (<c>items[].*.status</c> and
/// <c>error</c>), in one forward pass with <see cref="Utf8JsonReader"/>: responses for thousands of items
/// are read on every invocation, and nothing else in them is needed.
/// </summary>
public static class BulkResponseReader
{
    /// <summary>Parses the response body.</summary>
    /// <exception cref="JsonException">The body is not a bulk response.</exception>
    public static List<BulkResponseItem> Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var items = new List<BulkResponseItem>();
        var sawItems = false;
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("items"u8))
            {
                sawItems = true;
                Expect(ref reader, JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    // {"index": {...}}: one property, the operation, whose value is the result.
                    Expect(ref reader, JsonTokenType.PropertyName);
                    Expect(ref reader, JsonTokenType.StartObject);
                    items.Add(ReadItem(ref reader));
                    Expect(ref reader, JsonTokenType.EndObject);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return sawItems ? items : throw new JsonException("The _bulk response has no 'items'.");
    }

    /// <summary>
    /// Reads the <c>error</c> of a request OpenSearch refused as a whole,
    /// <c>{"error":{"root_cause":[...],"type":"...","reason":"..."},"status":400}</c>.
    /// </summary>
    /// <returns>The error's type and reason (with the caused_by reason appended), or null when the body has no such error.</returns>
    public static (string? Type, string? Reason)? ReadRequestError(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    return ReadError(ref reader);
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, a cut body): no error to read.
        }

        return null;
    }

    private static BulkResponseItem ReadItem(ref Utf8JsonReader reader)
    {
        var status = 0;
        string? type = null;
        string? reason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                status = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                (type, reason) = ReadError(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new BulkResponseItem(status, type, reason);
    }

    private static (string? Type, string? Reason) ReadError(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return (null, reader.GetString());
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (null, null);
        }

        string? type = null;
        string? reason = null;
        string? causedBy = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.GetString();
            }
            else if (reader.ValueTextEquals("reason"u8))
            {
                reader.Read();
                reason = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("caused_by"u8))
            {
                reader.Read();
                var (innerType, innerReason) = ReadError(ref reader);
                causedBy = innerType is null ? innerReason : $"{innerType}: {innerReason}";
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (type, causedBy is null ? reason : $"{reason} (caused by {causedBy})");
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new JsonException($"Unexpected _bulk response: expected {type} at byte {reader.BytesConsumed}.");
        }
    }
}
