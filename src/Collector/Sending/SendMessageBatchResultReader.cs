using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Collector.Packing;
using Shared.Aws;

namespace Collector.Sending;

/// <summary>
/// Reads SQS's answers in the JSON protocol (awsJson1_0): a <c>SendMessageBatch</c> result
/// (<c>{"Successful":[{"Id","MessageId","MD5OfMessageBody"}],"Failed":[{"Id","SenderFault","Code","Message"}]}</c>)
/// and an error (<c>{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"..."}</c>, with the code also in
/// <c>X-Amzn-Errortype</c> and the legacy query code in <c>x-amzn-query-error</c>).
/// </summary>
internal static class SendMessageBatchResultReader
{
    private const int Md5Length = 16;
    private const string Answer = "The SQS answer";

    private enum Outcome : byte
    {
        Unconfirmed,
        Accepted,
        Failed,
    }

    /// <summary>
    /// The entries of <paramref name="batch"/> that were not accepted. An entry counts as accepted only when it
    /// is listed in <c>Successful</c> with the MD5 of the bytes that were sent (as the AWS SDKs check); every
    /// other entry, including one the result does not mention, is a failure, so it is sent again rather than lost.
    /// </summary>
    /// <exception cref="JsonException">The result is not JSON of the documented shape.</exception>
    public static List<SendFailure> ReadResult(ReadOnlySpan<byte> json, IReadOnlyList<Envelope> batch)
    {
        Span<Outcome> outcomes = stackalloc Outcome[batch.Count];
        var failures = new List<SendFailure>();
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Successful"u8))
            {
                ReadEntries(ref reader, batch, outcomes, failures, successful: true);
            }
            else if (reader.ValueTextEquals("Failed"u8))
            {
                ReadEntries(ref reader, batch, outcomes, failures, successful: false);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i] == Outcome.Unconfirmed)
            {
                failures.Add(new SendFailure(i, "NotConfirmed", "The SendMessageBatch result names this entry neither successful nor failed."));
            }
        }

        failures.Sort((a, b) => a.Index.CompareTo(b.Index));
        return failures;
    }

    /// <summary>The exception for an error answer, naming the queue, the AWS error code and SQS's message.</summary>
    public static SqsRequestException ReadError(HttpStatusCode status, HttpResponseHeaders headers, ReadOnlySpan<byte> body, string queueUrl)
    {
        var (code, message, requestId) = AwsError.Read(headers, body);
        var queryCode = AwsError.Header(headers, "x-amzn-query-error") is { } query ? query.Split(';')[0] : null;
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"SendMessageBatch to {queueUrl} failed: HTTP {(int)status} {code}{(queryCode is null || queryCode == code ? "" : $" ({queryCode})")}: {(message.Length == 0 ? "(no message)" : message)}");
        return new SqsRequestException(description, status, code, queryCode, requestId);
    }

    private static void ReadEntries(ref Utf8JsonReader reader, IReadOnlyList<Envelope> batch, scoped Span<Outcome> outcomes, List<SendFailure> failures, bool successful)
    {
        if (Next(ref reader) == JsonTokenType.Null)
        {
            return;
        }

        Expect(ref reader, JsonTokenType.StartArray, current: true);
        Span<byte> md5 = stackalloc byte[Md5Length];
        while (Next(ref reader) == JsonTokenType.StartObject)
        {
            var index = -1;
            var md5Read = false;
            string? code = null;
            string? message = null;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("Id"u8))
                {
                    Next(ref reader);
                    index = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
                        && int.TryParse(reader.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id < batch.Count ? id : -1;
                }
                else if (successful && reader.ValueTextEquals("MD5OfMessageBody"u8))
                {
                    Next(ref reader);
                    md5Read = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && TryParseHex(reader.ValueSpan, md5);
                }
                else if (!successful && reader.ValueTextEquals("Code"u8))
                {
                    Next(ref reader);
                    code = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (!successful && reader.ValueTextEquals("Message"u8))
                {
                    Next(ref reader);
                    message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else
                {
                    Next(ref reader);
                    reader.Skip();
                }
            }

            if (index < 0)
            {
                // An id that is not one of ours cannot be mapped to an envelope; the entry it should have
                // been stays unconfirmed and is retried.
                continue;
            }

            if (!successful)
            {
                outcomes[index] = Outcome.Failed;
                failures.RemoveAll(f => f.Index == index);
                failures.Add(new SendFailure(index, code ?? "", message ?? ""));
            }
            else if (outcomes[index] != Outcome.Failed)
            {
                if (md5Read && BodyMd5Matches(batch[index].Body.Span, md5))
                {
                    outcomes[index] = Outcome.Accepted;
                }
                else
                {
                    outcomes[index] = Outcome.Failed;
                    failures.Add(new SendFailure(index, "MD5Mismatch", md5Read
                        ? $"SQS stored a body with MD5 {Convert.ToHexStringLower(md5)}, not that of the {batch[index].Body.Length} bytes sent; sending it again."
                        : "SQS confirmed the entry without a readable MD5OfMessageBody; sending it again."));
                }
            }
        }

        Expect(ref reader, JsonTokenType.EndArray, current: true);
    }

    // MD5 is what SQS reports; it detects a body changed in transit, it protects nothing secret.
    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "Integrity check against SQS's MD5OfMessageBody, as the AWS SDKs do.")]
    private static bool BodyMd5Matches(ReadOnlySpan<byte> body, ReadOnlySpan<byte> reported)
    {
        Span<byte> actual = stackalloc byte[Md5Length];
        MD5.HashData(body, actual);
        return actual.SequenceEqual(reported);
    }

    private static bool TryParseHex(ReadOnlySpan<byte> hex, Span<byte> destination)
    {
        if (hex.Length != destination.Length * 2)
        {
            return false;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            var high = HexValue(hex[2 * i]);
            var low = HexValue(hex[(2 * i) + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            destination[i] = (byte)((high << 4) | low);
        }

        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static JsonTokenType Next(ref Utf8JsonReader reader) => AwsJsonTokens.Next(ref reader, Answer);

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, bool current = false) =>
        AwsJsonTokens.Expect(ref reader, type, Answer, current);
}
