using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Shared.Aws;

/// <summary>
/// Writes the JSON body of one SQS <c>SendMessageBatch</c> request (awsJson1_0):
/// <c>{"QueueUrl":"...","Entries":[{"Id":"0","MessageBody":"...","DelaySeconds":30,"MessageAttributes":{"n":{"DataType":"Number","StringValue":"2"}}}]}</c>.
/// Entry ids are the batch indexes, so an answer maps straight back to the entries. Bodies are escaped from
/// their UTF-8 bytes into the caller's buffer, which is reused from call to call: no body becomes a string.
/// Not thread-safe; the returned memory is valid until the next <see cref="Write"/>.
/// </summary>
public sealed class SqsSendMessageBatchWriter : IDisposable
{
    /// <summary>The most entries one request may carry.</summary>
    public const int MaxEntries = 10;

    private readonly ArrayBufferWriter<byte> _buffer;
    private readonly Utf8JsonWriter _json;

    /// <summary>Creates the writer over <paramref name="buffer"/> (a new one when null).</summary>
    public SqsSendMessageBatchWriter(ArrayBufferWriter<byte>? buffer = null)
    {
        _buffer = buffer ?? new ArrayBufferWriter<byte>(64 * 1024);

        // The default encoder escapes all non-ASCII as \uXXXX (and <, >, &, ' for HTML). Nothing here is embedded in
        // HTML, so the relaxed encoder escapes only what JSON requires: a smaller body, the same message.
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Writes the request for <paramref name="batch"/> to <paramref name="queueUrl"/>.</summary>
    /// <exception cref="ArgumentException">No entry or more than <see cref="MaxEntries"/>, or a delay outside 0–900 s.</exception>
    public ReadOnlyMemory<byte> Write(string queueUrl, IReadOnlyList<SqsOutgoingMessage> batch)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count is 0 or > MaxEntries)
        {
            throw new ArgumentException($"A SendMessageBatch holds 1 to {MaxEntries} entries, not {batch.Count}.", nameof(batch));
        }

        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        Span<char> id = stackalloc char[2];
        _json.WriteStartObject();
        _json.WriteString("QueueUrl"u8, queueUrl);
        _json.WriteStartArray("Entries"u8);
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch[i];
            if (message.DelaySeconds is < 0 or > SqsOutgoingMessage.MaxDelaySeconds)
            {
                throw new ArgumentException($"Entry {i} has DelaySeconds {message.DelaySeconds}; SQS takes 0 to {SqsOutgoingMessage.MaxDelaySeconds}.", nameof(batch));
            }

            i.TryFormat(id, out var idLength, provider: CultureInfo.InvariantCulture);
            _json.WriteStartObject();
            _json.WriteString("Id"u8, id[..idLength]);
            _json.WriteString("MessageBody"u8, message.Body.Span);
            if (message.DelaySeconds > 0)
            {
                _json.WriteNumber("DelaySeconds"u8, message.DelaySeconds);
            }

            if (message.Attributes.Count > 0)
            {
                _json.WriteStartObject("MessageAttributes"u8);
                foreach (var attribute in message.Attributes)
                {
                    _json.WriteStartObject(attribute.Name);
                    _json.WriteString("DataType"u8, attribute.DataType);
                    _json.WriteString("StringValue"u8, attribute.Value);
                    _json.WriteEndObject();
                }

                _json.WriteEndObject();
            }

            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenMemory;
    }

    /// <inheritdoc />
    public void Dispose() => _json.Dispose();
}
