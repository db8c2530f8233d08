using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Functions.Core.Events.CloudWatchLogs;

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
        var firstGuess = Math.Min(Math.Min(Math.Max(declared + 1L, 256L), (long)bytes.Length * 1032), (long)maxBytes + 1);
        var output = new byte[firstGuess];
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

                    Array.Resize(ref output, (int)Math.Min((long)output.Length * 2, (long)maxBytes + 1));
                }

                var read = inflater.Read(output, total, output.Length - total);
                if (read == 0)
                {
                    break;
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

        // GZipStream ends quietly at the end of its input even when the stream was cut short, so a
        // truncated delivery would pass for a smaller payload. The trailer must agree with what came out.
        if ((uint)total != declared)
        {
            throw new CloudWatchLogsDecodeException(
                $"awslogs.data is truncated or corrupt gzip: {total} bytes inflated, but the gzip trailer declares {declared}.");
        }

        return output.AsMemory(0, total);
    }

    private static CloudWatchLogsDecodeException TooLarge(int maxBytes) =>
        new($"awslogs.data inflates to more than {maxBytes} bytes, the cap on a decompressed payload; it was refused unread.");
}
