using System.Buffers;
using System.Text.Json;
using Shared.OpenSearch;

namespace ControlPlaneLogsFunction.Documents;

/// <summary>
/// Copies an audit.k8s.io/v1 Event's fields to the top level of the document, mostly as raw JSON (the
/// fastest copy there is). Three places get care, each for a reason kept in the template as well:
/// <list type="bullet">
/// <item><c>requestObject</c>/<c>responseObject</c> are copied whole but mapped <c>enabled: false</c>: they
/// hold arbitrary Kubernetes objects whose fields would otherwise grow the mapping without bound.</item>
/// <item><c>annotations</c> and <c>user.extra</c> keep their keys as written (<c>authorization.k8s.io/reason</c>),
/// because the workshop dashboard shows <c>annotations.authorization.k8s.io/reason</c>; OpenSearch reads
/// the dots as object paths. A key that cannot be a path (empty segment, leading or trailing dot) has its
/// dots replaced with <c>_</c>, and at most <see cref="MaxMapKeys"/> keys are kept per map.</item>
/// <item>a field named like one of ours (<c>@timestamp</c>, <c>log_type</c> ...) is written as <c>audit_&lt;name&gt;</c>.</item>
/// </list>
/// The <c>object</c> block and <c>origin</c> both indices share follow, from <c>objectRef</c> (<see cref="AuditObjectBlock"/>).
/// Raw copies carry the line's whitespace with them, so an event written over several lines (pretty-printed,
/// as some exporters and older clusters write it) is made compact first: a line break copied into the
/// document would break the <c>_bulk</c> body for every other line of the delivery.
/// </summary>
public static class AuditEventWriter
{
    /// <summary>Most keys copied from one annotations or extra map; the rest stay in <c>@message</c>.</summary>
    public const int MaxMapKeys = 64;

    private const int MaxKeyBytes = 256;

    /// <summary>Writes the event's fields into the open document object.</summary>
    /// <returns>Null, or why the line, though one JSON object, is not an audit event (the caller starts the document again).</returns>
    /// <exception cref="JsonException">The line is not one JSON object.</exception>
    public static string? Write(ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (json.IndexOfAnyInRange((byte)0, (byte)0x1F) < 0)
        {
            return WriteCompact(json, writer);
        }

        // Whitespace other than spaces: CR, LF or tabs between tokens (or a raw control character in a
        // string, which the compactor refuses as invalid JSON).
        var compact = ArrayPool<byte>.Shared.Rent(json.Length);
        try
        {
            if (!JsonCompactor.TryCompact(json, compact, out var length, out var problem))
            {
                throw new JsonException(problem);
            }

            return WriteCompact(compact.AsSpan(0, length), writer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compact);
        }
    }

    private static string? WriteCompact(ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 128 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException(reader.TokenType switch
            {
                JsonTokenType.StartArray => "the line is a JSON array, not an object",
                JsonTokenType.String => "the line is a JSON string, not an object",
                JsonTokenType.Number => "the line is a JSON number, not an object",
                JsonTokenType.True or JsonTokenType.False => "the line is a JSON boolean, not an object",
                _ => "the line is JSON null, not an object",
            });
        }

        // kube-apiserver writes kind "Event" and an auditID in every event; a JSON object with neither is
        // something else that reached the audit stream (a webhook batch, an exporter's own record).
        var isAuditEvent = false;
        ReadOnlySpan<byte> objectRef = default, responseObject = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            isAuditEvent |= (name.SequenceEqual("kind"u8) && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("Event"u8))
                || name.SequenceEqual("auditID"u8);
            if (FieldNames.IsOwnField(name))
            {
                var prefixed = new byte[name.Length + 6]; // rare: an audit event never has these keys
                "audit_"u8.CopyTo(prefixed);
                name.CopyTo(prefixed.AsSpan(6));
                writer.WritePropertyName(prefixed);
                CopyValue(ref reader, json, writer);
            }
            else if (reader.TokenType == JsonTokenType.StartObject && name.SequenceEqual("annotations"u8))
            {
                writer.WritePropertyName(name);
                CopyMap(ref reader, json, writer);
            }
            else if (reader.TokenType == JsonTokenType.StartObject && (name.SequenceEqual("user"u8) || name.SequenceEqual("impersonatedUser"u8)))
            {
                writer.WritePropertyName(name);
                CopyUser(ref reader, json, writer);
            }
            else
            {
                writer.WritePropertyName(name);
                var start = (int)reader.TokenStartIndex;
                CopyValue(ref reader, json, writer);
                if (name.SequenceEqual("objectRef"u8))
                {
                    objectRef = json[start..(int)reader.BytesConsumed];
                }
                else if (name.SequenceEqual("responseObject"u8))
                {
                    responseObject = json[start..(int)reader.BytesConsumed];
                }
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("The line holds more than one JSON value.");
        }

        if (!isAuditEvent)
        {
            return "a JSON object without \"kind\":\"Event\" or \"auditID\"";
        }

        AuditObjectBlock.Write(writer, objectRef, responseObject);
        return null;
    }

    private static void CopyUser(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            writer.WritePropertyName(name);
            if (reader.TokenType == JsonTokenType.StartObject && name.SequenceEqual("extra"u8))
            {
                CopyMap(ref reader, json, writer);
            }
            else
            {
                CopyValue(ref reader, json, writer);
            }
        }

        writer.WriteEndObject();
    }

    private static void CopyMap(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            if (count++ >= MaxMapKeys || name.Length > MaxKeyBytes)
            {
                reader.Skip();
                continue;
            }

            if (!IsUsablePath(name))
            {
                // OpenSearch refuses such a key as a path ("a..b", ".a", "a."), so it becomes a plain name.
                var plain = name.ToArray();
                plain.AsSpan().Replace((byte)'.', (byte)'_');
                name = plain;
            }

            writer.WritePropertyName(name);
            CopyValue(ref reader, json, writer);
        }

        writer.WriteEndObject();
    }

    private static void CopyValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        writer.WriteRawValue(json[start..(int)reader.BytesConsumed], skipInputValidation: true);
    }

    private static ReadOnlySpan<byte> Name(ref Utf8JsonReader reader)
    {
        // The reader runs over one contiguous span, so an unescaped name is a slice of the line itself.
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        var target = new byte[reader.ValueSpan.Length];
        return target.AsSpan(0, reader.CopyString(target));
    }

    private static bool IsUsablePath(ReadOnlySpan<byte> name) =>
        name.Length > 0 && name[0] != (byte)'.' && name[^1] != (byte)'.' && name.IndexOf(".."u8) < 0
        && !name.Trim((byte)' ').IsEmpty;
}
