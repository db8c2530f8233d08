namespace Functions.Runtime.Events.CloudWatchLogs;

/// <summary>
/// A subscription payload's JSON inflated into a buffer rented from the shared pool
/// (<see cref="CloudWatchLogsDecoder.DecodeEvent"/>). Dispose it once the payload has been read: the buffer
/// goes back to the pool, and <see cref="Json"/> must not be used after that.
/// </summary>
public sealed class InflatedPayload : IDisposable
{
    private byte[]? _buffer;

    internal InflatedPayload(byte[] buffer, int length)
    {
        _buffer = buffer;
        Json = buffer.AsMemory(0, length);
    }

    /// <summary>The payload's UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> Json { get; private set; }

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            Json = ReadOnlyMemory<byte>.Empty;
            CloudWatchLogsDecoder.Release(buffer, pooled: true);
        }
    }
}
