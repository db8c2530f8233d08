using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Shared.Contract;

// The indexer's JsonDocument-based reading and building as they were before the streaming pass replaced them
// (issue 15), kept unchanged but for names as the oracle of the differential tests. Not product code.
namespace IndexerFunction.Tests.Oracle;

/// <summary>
/// Writes an event document's <c>object</c> block and <c>origin</c> (docs/contract.md, "The object block")
/// from the event's <c>involvedObject</c>, which names the object by kind and <c>apiVersion</c>; the
/// control-plane documents carry the same block built from an audit line's <c>objectRef</c>.
/// </summary>
public static class JsonDocumentInvolvedObjectBlock
{
    /// <summary>Writes the block (or only <c>origin</c> when the event names no object) into the open document.</summary>
    public static void Write(Utf8JsonWriter writer, JsonElement involvedObject)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (involvedObject.ValueKind != JsonValueKind.Object)
        {
            ObjectBlock.WriteOrigin(writer, ObjectBlock.EventOrigin);
            return;
        }

        ReadOnlySpan<byte> kind = default, apiVersion = default, @namespace = default, name = default, uid = default;
        foreach (var property in involvedObject.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            if (property.NameEquals("kind"u8))
            {
                kind = Text(property.Value);
            }
            else if (property.NameEquals("apiVersion"u8))
            {
                apiVersion = Text(property.Value);
            }
            else if (property.NameEquals("namespace"u8))
            {
                @namespace = Text(property.Value);
            }
            else if (property.NameEquals("name"u8))
            {
                name = Text(property.Value);
            }
            else if (property.NameEquals("uid"u8))
            {
                uid = Text(property.Value);
            }
        }

        ObjectBlock.Write(writer, ObjectReference.FromKind(kind, apiVersion, @namespace, name, uid), ObjectBlock.EventOrigin);
    }

    /// <summary>A string's UTF-8 text, read in place unless the input escaped it (legal JSON, never seen from the API server).</summary>
    private static ReadOnlySpan<byte> Text(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        return raw.Contains((byte)'\\') ? Encoding.UTF8.GetBytes(value.GetString()!) : raw[1..^1];
    }
}
