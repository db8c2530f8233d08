using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Collector.Packing;

namespace Collector.Sending;

/// <summary>
/// Writes the JSON body of one SQS <c>SendMessageBatch</c> request
/// (<c>{"QueueUrl":"...","Entries":[{"Id":"0","MessageBody":"..."},...]}</c>) into one buffer that is reused
/// from call to call. Each envelope is escaped straight from its UTF-8 bytes: no message becomes a string,
/// so a batch costs no allocation once the buffer has grown to the largest batch seen (about 1.1 MiB).
/// Not thread-safe; the returned memory is valid until the next <see cref="Write"/>.
/// </summary>
public sealed class SendMessageBatchWriter : IDisposable
{
    // Ten 64 KiB envelopes plus their escaping (every quote in an envelope becomes \").
    private const int InitialCapacity = 768 * 1024;

    private readonly ArrayBufferWriter<byte> _buffer = new(InitialCapacity);
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText _queueUrl;

    public SendMessageBatchWriter(Uri queueUrl)
    {
        ArgumentNullException.ThrowIfNull(queueUrl);
        _queueUrl = JsonEncodedText.Encode(queueUrl.ToString());

        // The default encoder escapes every non-ASCII character as \uXXXX (and <, >, &, ' for HTML). Nothing
        // here is embedded in HTML, so the relaxed encoder only escapes what JSON requires (quotes, backslashes,
        // control characters; characters outside the BMP as surrogate pairs): a smaller body, the same message.
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Writes the request body for <paramref name="batch"/>; entry ids are the batch indexes ("0".."9").</summary>
    /// <exception cref="ArgumentException">An envelope is not valid UTF-8 (the packer copies API server output, which is).</exception>
    public ReadOnlyMemory<byte> Write(IReadOnlyList<Envelope> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        Span<byte> id = stackalloc byte[11];
        _json.WriteStartObject();
        _json.WriteString("QueueUrl"u8, _queueUrl);
        _json.WriteStartArray("Entries"u8);
        for (var i = 0; i < batch.Count; i++)
        {
            i.TryFormat(id, out var idLength, provider: System.Globalization.CultureInfo.InvariantCulture);
            _json.WriteStartObject();
            _json.WriteString("Id"u8, id[..idLength]);
            _json.WriteString("MessageBody"u8, batch[i].Body.Span);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenMemory;
    }

    public void Dispose() => _json.Dispose();
}
