using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Shared.Aws;

/// <summary>
/// Reads SQS's <c>SendMessageBatch</c> result (awsJson1_0):
/// <c>{"Successful":[{"Id","MessageId","MD5OfMessageBody",...}],"Failed":[{"Id","SenderFault","Code","Message"}]}</c>.
/// An entry counts as accepted only when it is listed in <c>Successful</c> with the MD5 of the bytes that were sent
/// (as the AWS SDKs check); every other entry, one the result does not mention included, is not accepted, so its
/// caller keeps it rather than losing it.
/// </summary>
public static class SqsSendMessageBatchResult
{
    private const int Md5Length = 16;
    private const string Answer = "The SQS SendMessageBatch answer";

    // Until the answer says otherwise: an entry it does not mention is not on the queue as far as anyone knows.
    private static readonly SqsSendOutcome NotConfirmed = new(false, null, "NotConfirmed", "The SendMessageBatch result names this entry neither successful nor failed.");

    /// <summary>One outcome per entry of <paramref name="batch"/>, in its order, with the new messages' ids.</summary>
    /// <exception cref="JsonException">The answer is not JSON of the documented shape.</exception>
    public static SqsSendOutcome[] Read(ReadOnlySpan<byte> json, IReadOnlyList<SqsOutgoingMessage> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var outcomes = new SqsSendOutcome[batch.Count];
        Read(json, batch, outcomes, readMessageIds: true);
        return outcomes;
    }

    /// <summary>
    /// Writes one outcome per entry of <paramref name="batch"/> into <paramref name="outcomes"/>, in its order. A
    /// caller that reuses <paramref name="outcomes"/> and skips the message ids (<paramref name="readMessageIds"/>
    /// false: each would be a string) reads an all-accepted answer without allocating.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="outcomes"/> is shorter than the batch.</exception>
    /// <exception cref="JsonException">The answer is not JSON of the documented shape.</exception>
    public static void Read(ReadOnlySpan<byte> json, IReadOnlyList<SqsOutgoingMessage> batch, Span<SqsSendOutcome> outcomes, bool readMessageIds)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (outcomes.Length < batch.Count)
        {
            throw new ArgumentException($"{outcomes.Length} outcomes cannot hold a batch of {batch.Count}.", nameof(outcomes));
        }

        outcomes = outcomes[..batch.Count];
        outcomes.Fill(NotConfirmed);

        // Which entries the answer lists as Failed: a Failed entry stays failed even if Successful names it too.
        Span<bool> failed = batch.Count <= SqsSendMessageBatchWriter.MaxEntries ? stackalloc bool[SqsSendMessageBatchWriter.MaxEntries] : new bool[batch.Count];
        failed.Clear();
        var reader = new Utf8JsonReader(json);
        AwsJsonTokens.Expect(ref reader, JsonTokenType.StartObject, Answer);
        while (AwsJsonTokens.Next(ref reader, Answer) == JsonTokenType.PropertyName)
        {
            var successful = reader.ValueTextEquals("Successful"u8);
            if (!successful && !reader.ValueTextEquals("Failed"u8))
            {
                AwsJsonTokens.Next(ref reader, Answer);
                reader.Skip();
                continue;
            }

            if (AwsJsonTokens.Next(ref reader, Answer) == JsonTokenType.Null)
            {
                continue;
            }

            AwsJsonTokens.Expect(ref reader, JsonTokenType.StartArray, Answer, current: true);
            while (AwsJsonTokens.Next(ref reader, Answer) == JsonTokenType.StartObject)
            {
                ReadEntry(ref reader, batch, outcomes, failed, successful, readMessageIds);
            }

            AwsJsonTokens.Expect(ref reader, JsonTokenType.EndArray, Answer, current: true);
        }
    }

    private static void ReadEntry(ref Utf8JsonReader reader, IReadOnlyList<SqsOutgoingMessage> batch, scoped Span<SqsSendOutcome> outcomes, scoped Span<bool> failed, bool successful, bool readMessageIds)
    {
        Span<byte> md5 = stackalloc byte[Md5Length];
        var index = -1;
        var md5Read = false;
        string? messageId = null, code = null, message = null;
        while (AwsJsonTokens.Next(ref reader, Answer) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Id"u8))
            {
                AwsJsonTokens.Next(ref reader, Answer);
                index = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
                    && int.TryParse(reader.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id < batch.Count ? id : -1;
            }
            else if (readMessageIds && successful && reader.ValueTextEquals("MessageId"u8))
            {
                AwsJsonTokens.Next(ref reader, Answer);
                messageId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (successful && reader.ValueTextEquals("MD5OfMessageBody"u8))
            {
                AwsJsonTokens.Next(ref reader, Answer);
                md5Read = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && Convert.FromHexString(reader.ValueSpan, md5, out _, out var written) == System.Buffers.OperationStatus.Done && written == Md5Length;
            }
            else if (!successful && reader.ValueTextEquals("Code"u8))
            {
                AwsJsonTokens.Next(ref reader, Answer);
                code = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (!successful && reader.ValueTextEquals("Message"u8))
            {
                AwsJsonTokens.Next(ref reader, Answer);
                message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                AwsJsonTokens.Next(ref reader, Answer);
                reader.Skip();
            }
        }

        if (index < 0)
        {
            // An id that is not one of ours maps to no entry; the entry it should have been stays unconfirmed.
            return;
        }

        if (!successful)
        {
            failed[index] = true;
            outcomes[index] = new SqsSendOutcome(false, null, code ?? string.Empty, message ?? string.Empty);
        }
        else if (!failed[index])
        {
            outcomes[index] = md5Read && BodyMd5Matches(batch[index].Body.Span, md5)
                ? new SqsSendOutcome(true, messageId, null, null)
                : new SqsSendOutcome(false, null, "MD5Mismatch", md5Read
                    ? $"SQS stored a body with MD5 {Convert.ToHexStringLower(md5)}, not that of the {batch[index].Body.Length} bytes sent."
                    : "SQS confirmed the entry without a readable MD5OfMessageBody.");
        }
    }

    // MD5 is what SQS reports; it detects a body changed in transit, it protects nothing secret.
    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "Integrity check against SQS's MD5OfMessageBody, as the AWS SDKs do.")]
    private static bool BodyMd5Matches(ReadOnlySpan<byte> body, ReadOnlySpan<byte> reported)
    {
        Span<byte> actual = stackalloc byte[Md5Length];
        MD5.HashData(body, actual);
        return actual.SequenceEqual(reported);
    }
}
