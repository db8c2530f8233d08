using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Functions.Runtime.Events.CloudWatchLogs;

/// <summary>
/// Turns <c>awslogs.data</c> (base64 of gzip) into the payload's UTF-8 JSON. The inflated size is
/// counted while it streams and capped: a small payload that inflates to gigabytes (a "zip bomb",
/// or a producer bug) is refused with an error that says so instead of exhausting the function's memory.
/// </summary>
public static class CloudWatchLogsDecoder
{
    /// <summary>
    /// Default cap on the inflated payload. CloudWatch Logs batches at most about 1 MiB of log events per
    /// delivery; JSON escaping can double that. 64 MiB leaves ample room yet stays far below Lambda memory.
    /// </summary>
    public const int DefaultMaxDecompressedBytes = 64 * 1024 * 1024;

    // Buffers up to this size are rented from the shared pool; larger ones (a payload far beyond what CloudWatch
    // Logs sends, on its way to the cap) are allocated for the call alone, so the pool never keeps them.
    internal const int PooledMaxBytes = 8 * 1024 * 1024;

    private const int GzipHeaderAndTrailer = 18;

    /// <summary>Decodes base64, then inflates the gzip member, refusing to produce more than <paramref name="maxBytes"/>.</summary>
    /// <exception cref="CloudWatchLogsDecodeException">Missing data, not base64, not gzip, truncated or corrupt gzip, or past the cap.</exception>
    public static ReadOnlyMemory<byte> Decompress(string? encodedData, int maxBytes)
    {
        if (string.IsNullOrEmpty(encodedData))
        {
            throw new CloudWatchLogsDecodeException("awslogs.data is missing or empty: the event is not a CloudWatch Logs subscription delivery.");
        }

        var compressed = ArrayPool<byte>.Shared.Rent(((encodedData.Length + 3) / 4) * 3);
        try
        {
            if (!Convert.TryFromBase64String(encodedData, compressed, out var length))
            {
                throw new CloudWatchLogsDecodeException("awslogs.data is not valid base64.");
            }

            return Inflate(compressed.AsMemory(0, length), maxBytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    /// <summary>Inflates one gzip member, refusing to produce more than <paramref name="maxBytes"/>.</summary>
    /// <exception cref="CloudWatchLogsDecodeException">Not gzip, truncated or corrupt gzip, or past the cap.</exception>
    public static ReadOnlyMemory<byte> Inflate(ReadOnlyMemory<byte> gzip, int maxBytes)
    {
        var (output, length) = Inflate(gzip, maxBytes, pooled: false);
        return output.AsMemory(0, length);
    }

    /// <summary>
    /// Reads <c>awslogs.data</c> straight from a Lambda event's UTF-8 JSON
    /// (<c>{"awslogs":{"data":"&lt;base64 of gzip&gt;"}}</c>, other members ignored) and inflates it into a pooled
    /// buffer, refusing to produce more than <paramref name="maxBytes"/>.
    /// </summary>
    /// <remarks>
    /// The same result as deserializing <see cref="CloudWatchLogsEvent"/> and calling <see cref="Decompress"/>,
    /// without the two large allocations of that path at every invocation: the base64 text as a UTF-16 string
    /// (twice its bytes) and the inflated payload (both often past 85 KB, the large-object threshold, whose
    /// allocations make the collector run more often).
    /// </remarks>
    /// <returns>The payload's JSON; dispose it once the payload has been read, which returns its buffer to the pool.</returns>
    /// <exception cref="CloudWatchLogsDecodeException">Not a subscription event, or its data is not base64 of gzip, or inflates past the cap.</exception>
    public static InflatedPayload DecodeEvent(ReadOnlySpan<byte> eventJson, int maxBytes)
    {
        byte[]? escaped = null;
        var compressed = Array.Empty<byte>();
        try
        {
            var data = FindData(eventJson, ref escaped);
            if (data.IsEmpty)
            {
                throw new CloudWatchLogsDecodeException("The event is not a CloudWatch Logs subscription event: it has no awslogs.data.");
            }

            compressed = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(data.Length));
            if (Base64.DecodeFromUtf8(data, compressed, out _, out var length) != OperationStatus.Done)
            {
                // Whitespace inside the text is valid base64 for Convert (and for the deserializing path), not for the fast decoder.
                var chars = Encoding.ASCII.GetString(data);
                if (!Convert.TryFromBase64String(chars, compressed, out length))
                {
                    throw new CloudWatchLogsDecodeException("awslogs.data is not valid base64.");
                }
            }

            var (output, inflated) = Inflate(compressed.AsMemory(0, length), maxBytes, pooled: true);
            return new InflatedPayload(output, inflated);
        }
        finally
        {
            if (escaped is not null)
            {
                ArrayPool<byte>.Shared.Return(escaped);
            }

            if (compressed.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(compressed);
            }
        }
    }

    // The value of awslogs.data (empty when missing or null), its JSON escapes undone in a rented buffer if it has any.
    private static ReadOnlySpan<byte> FindData(ReadOnlySpan<byte> eventJson, ref byte[]? escaped)
    {
        const string NotAnEvent = "The event is not a CloudWatch Logs subscription event: ";
        var reader = new Utf8JsonReader(eventJson);
        ReadOnlySpan<byte> data = default;
        try
        {
            if (!reader.Read() || reader.TokenType == JsonTokenType.Null)
            {
                return default;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new CloudWatchLogsDecodeException(NotAnEvent + "it is not a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isAwslogs = reader.ValueTextEquals("awslogs"u8);
                reader.Read();
                if (!isAwslogs || reader.TokenType == JsonTokenType.Null)
                {
                    reader.Skip();
                    data = isAwslogs ? default : data;
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new CloudWatchLogsDecodeException(NotAnEvent + "awslogs is not an object.");
                }

                data = default;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isData = reader.ValueTextEquals("data"u8);
                    reader.Read();
                    if (!isData)
                    {
                        reader.Skip();
                    }
                    else if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped)
                    {
                        escaped = RentFor(ref reader, escaped);
                        data = escaped.AsSpan(0, reader.CopyString(escaped));
                    }
                    else if (reader.TokenType == JsonTokenType.String)
                    {
                        // The value as it stands in the event, after its opening quote: no copy.
                        data = eventJson.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                    }
                    else if (reader.TokenType == JsonTokenType.Null)
                    {
                        data = default;
                    }
                    else
                    {
                        throw new CloudWatchLogsDecodeException(NotAnEvent + "awslogs.data is not a string.");
                    }
                }
            }

            // The rest must be well-formed JSON too, as the deserializer required.
            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            throw new CloudWatchLogsDecodeException(NotAnEvent + ex.Message, ex);
        }

        return data;
    }

    // A rented buffer large enough for the string's unescaped bytes (the one given back, if any).
    private static byte[] RentFor(scoped ref Utf8JsonReader reader, byte[]? previous)
    {
        if (previous is not null)
        {
            ArrayPool<byte>.Shared.Return(previous);
        }

        return ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
    }

    // With pooled, the output is rented from the shared pool (and returned to it on failure); the caller returns it.
    private static (byte[] Output, int Length) Inflate(ReadOnlyMemory<byte> gzip, int maxBytes, bool pooled)
    {
        var bytes = gzip.Span;
        if (bytes.Length < GzipHeaderAndTrailer || bytes[0] != 0x1f || bytes[1] != 0x8b)
        {
            throw new CloudWatchLogsDecodeException("awslogs.data is not gzip (it does not start with the gzip magic bytes 1f 8b).");
        }

        // The trailer's ISIZE (inflated length mod 2^32) sizes the output buffer in one allocation (one byte
        // more, so the read that finds the end needs no growth); it is only a hint until the inflated length
        // is checked against it below. Deflate cannot inflate more than about 1032:1, which bounds what a
        // forged ISIZE can make us allocate.
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]);
        var firstGuess = (int)Math.Min(Math.Min(Math.Max(declared + 1L, 256L), (long)bytes.Length * 1032), (long)maxBytes + 1);
        var output = Allocate(firstGuess, pooled);
        try
        {
            var total = InflateInto(gzip, maxBytes, ref output, pooled);

            // GZipStream ends quietly at the end of its input even when the stream was cut short, so a
            // truncated delivery would pass for a smaller payload. The trailer must agree with what came out.
            if ((uint)total != declared)
            {
                throw new CloudWatchLogsDecodeException(
                    $"awslogs.data is truncated or corrupt gzip: {total} bytes inflated, but the gzip trailer declares {declared}.");
            }

            return (output, total);
        }
        catch
        {
            Release(output, pooled);
            throw;
        }
    }

    private static int InflateInto(ReadOnlyMemory<byte> gzip, int maxBytes, ref byte[] output, bool pooled)
    {
        var total = 0;
        var segment = MemoryMarshal.TryGetArray(gzip, out var array) ? array : new ArraySegment<byte>(gzip.ToArray());
        using var source = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        using var inflater = new GZipStream(source, CompressionMode.Decompress);
        try
        {
            while (true)
            {
                if (total == output.Length)
                {
                    if (total > maxBytes)
                    {
                        throw TooLarge(maxBytes);
                    }

                    var larger = Allocate((int)Math.Min((long)output.Length * 2, (long)maxBytes + 1), pooled);
                    output.AsSpan(0, total).CopyTo(larger);
                    Release(output, pooled);
                    output = larger;
                }

                var read = inflater.Read(output, total, output.Length - total);
                if (read == 0)
                {
                    return total;
                }

                total += read;
                if (total > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new CloudWatchLogsDecodeException($"awslogs.data is corrupt gzip: {ex.Message}", ex);
        }
    }

    /// <summary>Gives back a buffer that <see cref="Inflate(ReadOnlyMemory{byte}, int, bool)"/> made with pooled set.</summary>
    internal static void Release(byte[] buffer, bool pooled)
    {
        if (pooled && buffer.Length <= PooledMaxBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Allocate(int length, bool pooled) =>
        pooled && length <= PooledMaxBytes ? ArrayPool<byte>.Shared.Rent(length) : new byte[length];

    private static CloudWatchLogsDecodeException TooLarge(int maxBytes) =>
        new($"awslogs.data inflates to more than {maxBytes} bytes, the cap on a decompressed payload; it was refused unread.");
}
