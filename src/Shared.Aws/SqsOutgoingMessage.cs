namespace Shared.Aws;

/// <summary>One entry of a <c>SendMessageBatch</c>.</summary>
/// <param name="Body">The message body, UTF-8 (characters SQS allows: tab, line feed, carriage return, U+0020 and above except surrogates and U+FFFE/U+FFFF).</param>
/// <param name="DelaySeconds">How long SQS keeps the message invisible after it is sent (0–900).</param>
/// <param name="Attributes">Its message attributes (at most 10).</param>
public readonly record struct SqsOutgoingMessage(ReadOnlyMemory<byte> Body, int DelaySeconds, IReadOnlyList<SqsMessageAttribute> Attributes)
{
    /// <summary>The longest delay SQS accepts for one message.</summary>
    public const int MaxDelaySeconds = 900;

    /// <summary>
    /// The bytes this entry counts against the batch's payload limit: the body plus each attribute's name, type
    /// and value, as SQS counts them.
    /// </summary>
    public int PayloadBytes
    {
        get
        {
            var size = Body.Length;
            foreach (var attribute in Attributes)
            {
                size += System.Text.Encoding.UTF8.GetByteCount(attribute.Name) + System.Text.Encoding.UTF8.GetByteCount(attribute.DataType) + System.Text.Encoding.UTF8.GetByteCount(attribute.Value);
            }

            return size;
        }
    }
}
