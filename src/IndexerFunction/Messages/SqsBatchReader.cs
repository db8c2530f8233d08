using System.Text.Json;
using Functions.Core.Queue;

namespace IndexerFunction.Messages;

/// <summary>
/// Reads an SQS event payload in one forward pass, unescaping each body straight into one reused UTF-8
/// buffer. Deserializing to <see cref="Functions.Core.Events.Sqs.SQSEvent"/> would make every body a
/// UTF-16 string (a 64 KiB message becomes a 128 KiB large-object allocation) only to encode it back;
/// at 1,000 events per invocation that garbage cost more than the indexing.
/// </summary>
public sealed class SqsBatchReader
{
    private byte[] _bodies = [];

    /// <summary>Reads the records. Their bodies stay valid until the next call.</summary>
    /// <exception cref="JsonException">The payload is not an SQS event.</exception>
    public List<SqsRecord> Read(ReadOnlySpan<byte> payload)
    {
        // Unescaped bodies are never longer than the payload that carries them escaped.
        if (_bodies.Length < payload.Length)
        {
            _bodies = new byte[payload.Length];
        }

        var records = new List<SqsRecord>();
        var used = 0;
        var reader = new Utf8JsonReader(payload);
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("Records"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            Expect(ref reader, JsonTokenType.StartArray);
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                records.Add(ReadRecord(ref reader, ref used));
            }
        }

        return records;
    }

    private SqsRecord ReadRecord(ref Utf8JsonReader reader, ref int used)
    {
        string? id = null;
        string? cluster = null;
        var body = ReadOnlyMemory<byte>.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("messageId"u8))
            {
                reader.Read();
                id = reader.GetString();
            }
            else if (reader.ValueTextEquals("body"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    var length = CopyBody(ref reader, _bodies.AsSpan(used));
                    body = _bodies.AsMemory(used, length);
                    used += length;
                }
            }
            else if (reader.ValueTextEquals("messageAttributes"u8))
            {
                reader.Read();
                cluster = ReadClusterAttribute(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new SqsRecord(id ?? throw new JsonException("An SQS record has no messageId."), body, cluster);
    }

    /// <summary>
    /// The body's bytes, unescaped. A JSON body inside the event's JSON has an escape every few bytes
    /// (each quote), and the reader's own unescaping goes byte by byte after the first one; this loop
    /// jumps from backslash to backslash with a vectorized search and copies the runs between. The
    /// reader has already validated the string, so every escape is well formed. \u escapes (rare:
    /// control characters) are left to the reader, which knows surrogate pairs.
    /// </summary>
    private static int CopyBody(ref Utf8JsonReader reader, Span<byte> destination)
    {
        var source = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            source.CopyTo(destination);
            return source.Length;
        }

        if (source.IndexOf("\\u"u8) >= 0)
        {
            return reader.CopyString(destination);
        }

        var written = 0;
        while (true)
        {
            var backslash = source.IndexOf((byte)'\\');
            if (backslash < 0)
            {
                source.CopyTo(destination[written..]);
                return written + source.Length;
            }

            source[..backslash].CopyTo(destination[written..]);
            written += backslash;
            destination[written++] = source[backslash + 1] switch
            {
                (byte)'n' => (byte)'\n',
                (byte)'r' => (byte)'\r',
                (byte)'t' => (byte)'\t',
                (byte)'b' => (byte)'\b',
                (byte)'f' => (byte)'\f',
                var c => c, // \" \\ \/
            };
            source = source[(backslash + 2)..];
        }
    }

    private static string? ReadClusterAttribute(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isCluster = reader.ValueTextEquals(QueueContract.ClusterNameAttribute);
            reader.Read();
            if (!isCluster || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            string? dataType = null, stringValue = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("dataType"u8) && reader.Read())
                {
                    dataType = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("stringValue"u8) && reader.Read())
                {
                    stringValue = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Only a String attribute (or a custom String.* type) names the cluster.
            value = dataType?.StartsWith("String", StringComparison.Ordinal) == true ? stringValue : null;
        }

        return value;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new JsonException($"The invocation payload is not an SQS event: expected {type} at byte {reader.BytesConsumed}.");
        }
    }
}
