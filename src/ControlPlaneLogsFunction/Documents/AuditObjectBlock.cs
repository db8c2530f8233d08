using System.Text;
using System.Text.Json;
using Shared.Contract;

namespace ControlPlaneLogsFunction.Documents;

/// <summary>
/// Writes an audit document's <c>object</c> block and <c>origin</c> (docs/contract.md, "The object block")
/// from the audit event's <c>objectRef</c>, which names the object by resource; event documents carry the
/// same block built from <c>involvedObject</c>. A request on a subresource (<c>pods/binding</c>,
/// <c>deployments/scale</c>) is about its parent object, with <c>object.subresource</c> kept.
/// </summary>
public static class AuditObjectBlock
{
    /// <summary>Writes the block (only <c>origin</c> for a request on no object, e.g. <c>/healthz</c>).</summary>
    /// <param name="writer">The open document.</param>
    /// <param name="objectRef">The raw JSON of <c>objectRef</c>, or empty.</param>
    /// <param name="responseObject">
    /// The raw JSON of <c>responseObject</c>, or empty. At level RequestResponse it is the object itself, the
    /// only place a create names an object whose name the server generated (<c>generateName</c>) and its uid.
    /// </param>
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> objectRef, ReadOnlySpan<byte> responseObject)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (objectRef.IsEmpty || objectRef[0] != (byte)'{')
        {
            ObjectBlock.WriteOrigin(writer, ObjectBlock.AuditOrigin);
            return;
        }

        ReadOnlySpan<byte> resource = default, subresource = default, apiGroup = default, @namespace = default, name = default, uid = default;
        var reader = new Utf8JsonReader(objectRef);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueSpan;
            var escaped = reader.ValueIsEscaped;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String || escaped)
            {
                reader.Skip(); // the API server never escapes these names; an odd one is not ours
                continue;
            }

            var value = Text(objectRef, ref reader);
            if (property.SequenceEqual("resource"u8))
            {
                resource = value;
            }
            else if (property.SequenceEqual("subresource"u8))
            {
                subresource = value;
            }
            else if (property.SequenceEqual("apiGroup"u8))
            {
                apiGroup = value;
            }
            else if (property.SequenceEqual("namespace"u8))
            {
                @namespace = value;
            }
            else if (property.SequenceEqual("name"u8))
            {
                name = value;
            }
            else if (property.SequenceEqual("uid"u8))
            {
                uid = value;
            }
        }

        if ((name.IsEmpty || uid.IsEmpty) && !responseObject.IsEmpty && (subresource.IsEmpty || subresource.SequenceEqual("status"u8)))
        {
            FromResponse(responseObject, resource, apiGroup, ref name, ref uid);
        }

        ObjectBlock.Write(writer, ObjectReference.FromResource(resource, subresource, apiGroup, @namespace, name, uid), ObjectBlock.AuditOrigin);
    }

    /// <summary>
    /// Name and uid from the response's <c>metadata</c>, if the response is the object (its kind is the
    /// resource's kind; a <c>Status</c> or another kind says nothing about it).
    /// </summary>
    private static void FromResponse(ReadOnlySpan<byte> json, ReadOnlySpan<byte> resource, ReadOnlySpan<byte> apiGroup, ref ReadOnlySpan<byte> name, ref ReadOnlySpan<byte> uid)
    {
        if (json[0] != (byte)'{'
            || !KubernetesResources.TryGetKind(Encoding.UTF8.GetString(apiGroup), Encoding.UTF8.GetString(resource), out var expectedKind))
        {
            return;
        }

        bool? isTheObject = null;
        ReadOnlySpan<byte> metadataName = default, metadataUid = default;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 128 });
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isKind = reader.ValueTextEquals("kind"u8);
            var isMetadata = reader.ValueTextEquals("metadata"u8);
            reader.Read();
            if (isKind && reader.TokenType == JsonTokenType.String)
            {
                // The API server writes kind first: a list or a Status is left at once, unread.
                isTheObject = reader.ValueTextEquals(expectedKind);
                if (isTheObject == false)
                {
                    return;
                }
            }
            else if (isMetadata && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isName = reader.ValueTextEquals("name"u8);
                    var isUid = reader.ValueTextEquals("uid"u8);
                    reader.Read();
                    if (isName && reader.TokenType == JsonTokenType.String)
                    {
                        metadataName = Text(json, ref reader);
                    }
                    else if (isUid && reader.TokenType == JsonTokenType.String)
                    {
                        metadataUid = Text(json, ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (isTheObject != true)
        {
            return;
        }

        name = name.IsEmpty ? metadataName : name;
        uid = uid.IsEmpty ? metadataUid : uid;
    }

    /// <summary>A string token's text: a slice of the input itself unless it was written with escapes.</summary>
    private static ReadOnlySpan<byte> Text(ReadOnlySpan<byte> json, scoped ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            // The reader runs over this one span: the value sits right after the token's opening quote.
            return json.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        }

        var target = new byte[reader.ValueSpan.Length];
        return target.AsSpan(0, reader.CopyString(target));
    }
}
