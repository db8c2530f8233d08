using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shared.Contract.Queue;

namespace Collector.Packing;

/// <summary>
/// Makes an event that cannot fit one message on its own fit anyway, because an event is never dropped:
/// first its <c>message</c> is shortened, then (only if that is not enough) its labels and annotations go.
/// The result carries <c>"truncated": true</c> so that a reader of the document knows it is not whole.
/// This is the rare path, so it may parse and re-serialize.
/// </summary>
public static class EventTruncator
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Returns the event's JSON shrunk to at most <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public static byte[] Shrink(ReadOnlyMemory<byte> json, int maxBytes)
    {
        var node = JsonNode.Parse(json.Span) as JsonObject ?? throw new JsonException("An event is not a JSON object.");
        node[QueueContract.TruncatedProperty] = true;
        var bytes = Serialize(node);
        while (bytes.Length > maxBytes)
        {
            var excess = bytes.Length - maxBytes;
            if (node["message"] is JsonValue value && value.TryGetValue<string>(out var message) && message.Length > 0)
            {
                // Every removed char saves at least one byte, so cutting `excess` chars converges quickly;
                // never split a surrogate pair (the result must stay valid UTF-16 and therefore UTF-8).
                var keep = Math.Max(0, message.Length - excess);
                if (keep > 0 && char.IsHighSurrogate(message[keep - 1]))
                {
                    keep--;
                }

                node["message"] = message[..keep];
            }
            else if (node["metadata"] is JsonObject metadata && (metadata.Remove("annotations") | metadata.Remove("labels")))
            {
                // Dropped only after the message is empty: keys and names stay, so the document still indexes.
            }
            else
            {
                throw new InvalidOperationException($"An event of {bytes.Length} bytes cannot be shrunk below {maxBytes} bytes.");
            }

            bytes = Serialize(node);
        }

        return bytes;
    }

    // JsonNode.WriteTo rather than JsonSerializer: no reflection, so it stays Native AOT clean.
    private static byte[] Serialize(JsonObject node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
