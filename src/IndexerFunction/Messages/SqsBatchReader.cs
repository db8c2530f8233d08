using System.Text.Json;
using Functions.Runtime.Redelivery;
using Shared.Contract.Queue;

namespace IndexerFunction.Messages;

/// <summary>
/// Reads an SQS event payload in one forward pass, unescaping each body straight into one reused UTF-8
/// buffer. Deserializing to <see cref="Functions.Runtime.Events.Sqs.SQSEvent"/> would make every body a
/// UTF-16 string (a 64 KiB message becomes a 128 KiB large-object allocation) only to encode it back;
/// at 1,000 events per invocation that garbage cost more than the indexing. The bodies, nearly all of
/// the payload, are not even tokenized by the reader: <see cref="JsonStringUnescaper"/> finds each one's
/// end while unescaping it, and the reader resumes after it.
/// </summary>
public sealed class SqsBatchReader
{
    private byte[] _bodies = [];
    private string? _arn;

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
        var position = new Position(payload);
        Expect(ref position, JsonTokenType.StartObject);
        while (position.Reader.Read() && position.Reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!position.Reader.ValueTextEquals("Records"u8))
            {
                position.Reader.Read();
                position.Reader.Skip();
                continue;
            }

            Expect(ref position, JsonTokenType.StartArray);
            while (position.Reader.Read() && position.Reader.TokenType == JsonTokenType.StartObject)
            {
                records.Add(ReadRecord(ref position, ref used));
            }
        }

        return records;
    }

    private SqsRecord ReadRecord(ref Position position, ref int used)
    {
        string? id = null;
        string? arn = null;
        var attributes = default(Attributes);
        string? bodyProblem = null;
        var body = ReadOnlyMemory<byte>.Empty;
        ref var reader = ref position.Reader;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("messageId"u8))
            {
                reader.Read();
                id = reader.GetString();
            }
            else if (reader.ValueTextEquals("eventSourceARN"u8))
            {
                // Every record of a batch names the same queue: one string for all of them.
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    _arn = _arn is not null && reader.ValueTextEquals(_arn) ? _arn : reader.GetString();
                    arn = _arn;
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("body"u8))
            {
                // The reader stands just past the colon; the value follows after optional whitespace.
                var rest = position.Payload[position.Offset..][(int)reader.BytesConsumed..];
                var start = rest.IndexOfAnyExcept(" \t\r\n"u8);
                if (start < 0 || rest[start] != '"')
                {
                    reader.Read(); // null, or not a string at all: no body
                    reader.Skip();
                    continue;
                }

                var read = JsonStringUnescaper.Unescape(rest[(start + 1)..], _bodies.AsSpan(used), out var length, out var problem);
                if (read == 0)
                {
                    throw new JsonException($"The invocation payload is not an SQS event: a body string starting at byte {position.Offset + reader.BytesConsumed + start} has no end.");
                }

                body = _bodies.AsMemory(used, length);
                used += length;
                bodyProblem = problem is null ? null : $"the body is not a valid JSON string: {problem}";
                position.SkipString(position.Offset + (int)reader.BytesConsumed + start + 1 + read);
            }
            else if (reader.ValueTextEquals("messageAttributes"u8))
            {
                reader.Read();
                attributes = ReadAttributes(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new SqsRecord(
            id ?? throw new JsonException("An SQS record has no messageId."),
            body,
            attributes.ClusterName,
            bodyProblem,
            arn,
            RetryState.Read(attributes.Generation, attributes.FirstFailedAt));
    }

    /// <summary>The message attributes of the contract: <c>clusterName</c> (String) and the retry attributes of a re-queued copy.</summary>
    private static Attributes ReadAttributes(ref Utf8JsonReader reader)
    {
        var attributes = default(Attributes);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return attributes;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueTextEquals(QueueContract.ClusterNameAttribute) ? 1
                : reader.ValueTextEquals(QueueContract.RetryGenerationAttribute) ? 2
                : reader.ValueTextEquals(QueueContract.RetryFirstFailedAtAttribute) ? 3
                : 0;
            reader.Read();
            if (name == 0 || reader.TokenType != JsonTokenType.StartObject)
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

            switch (name)
            {
                case 1:
                    // Only a String attribute (or a custom String.* type) names the cluster: QueueContract.HasDataType.
                    attributes.ClusterName = QueueContract.HasDataType(dataType, QueueContract.StringDataType) ? stringValue : null;
                    break;
                case 2:
                    attributes.Generation = QueueContract.HasDataType(dataType, QueueContract.NumberDataType) ? stringValue : null;
                    break;
                default:
                    attributes.FirstFailedAt = QueueContract.HasDataType(dataType, QueueContract.StringDataType) ? stringValue : null;
                    break;
            }
        }

        return attributes;
    }

    private struct Attributes
    {
        public string? ClusterName;
        public string? Generation;
        public string? FirstFailedAt;
    }

    private static void Expect(ref Position position, JsonTokenType type)
    {
        if (!position.Reader.Read() || position.Reader.TokenType != type)
        {
            throw new JsonException($"The invocation payload is not an SQS event: expected {type} at byte {position.Offset + position.Reader.BytesConsumed}.");
        }
    }

    /// <summary>The reader and where its span starts in the payload (it is recreated after each body).</summary>
    private ref struct Position(ReadOnlySpan<byte> payload)
    {
        public readonly ReadOnlySpan<byte> Payload = payload;
        public Utf8JsonReader Reader = new(payload);
        public int Offset;

        /// <summary>
        /// Goes on after a string value the reader was not given (it stands after a property name): a new
        /// reader over the rest of the payload, in the state the old one would reach by reading a string
        /// there, which is the state it reaches by reading an empty one.
        /// </summary>
        public void SkipString(int end)
        {
            var afterString = new Utf8JsonReader("\"\""u8, isFinalBlock: false, Reader.CurrentState);
            afterString.Read();
            Reader = new Utf8JsonReader(Payload[end..], isFinalBlock: true, afterString.CurrentState);
            Offset = end;
        }
    }
}
