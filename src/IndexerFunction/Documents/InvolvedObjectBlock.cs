using System.Text.Json;
using Shared.Contract;

namespace IndexerFunction.Documents;

/// <summary>
/// Writes an event document's <c>object</c> block and <c>origin</c> (docs/contract.md, "The object block")
/// from the event's <c>involvedObject</c>, which names the object by kind and <c>apiVersion</c>; the
/// control-plane documents carry the same block built from an audit line's <c>objectRef</c>.
/// </summary>
public static class InvolvedObjectBlock
{
    /// <summary>Writes the block into the open document from the string members of an <c>involvedObject</c> object (empty when absent).</summary>
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> kind, ReadOnlySpan<byte> apiVersion, ReadOnlySpan<byte> @namespace, ReadOnlySpan<byte> name, ReadOnlySpan<byte> uid)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ObjectBlock.Write(writer, ObjectReference.FromKind(kind, apiVersion, @namespace, name, uid), ObjectBlock.EventOrigin);
    }
}
