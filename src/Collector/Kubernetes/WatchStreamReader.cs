using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Collector.Kubernetes;

/// <summary>
/// Reads a watch response: newline-delimited JSON, one watch event per line, arriving in HTTP chunks that
/// need not align with lines. A line that is not a watch event ends the read
/// (<see cref="WatchStreamEnd.Unreadable"/>) instead of being skipped: skipping it would lose whatever event
/// it carried until some later relist. Owns the watchdog: if the server sends nothing (bookmarks included)
/// for the idle timeout, the read is abandoned and the caller reconnects. The timer only runs while waiting
/// for the network, never while the handler waits on a full buffer, so back-pressure is not mistaken for a
/// dead stream.
/// </summary>
public static class WatchStreamReader
{
    /// <summary>Handles one notification; returns false to stop reading.</summary>
    public delegate ValueTask<bool> NotificationHandler(WatchNotification notification, CancellationToken cancellationToken);

    /// <summary>
    /// Reads until the stream ends, goes idle, the handler stops, or a line is not a watch event (reported to
    /// <paramref name="onUnreadableLine"/> first). A stream that ends in the middle of a line was cut, and
    /// throws <see cref="IOException"/> like a reset connection does.
    /// </summary>
    public static async Task<WatchStreamEnd> ReadAsync(
        Stream stream,
        NotificationHandler handler,
        Action<ReadOnlyMemory<byte>, JsonException> onUnreadableLine,
        TimeSpan idleTimeout,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(onUnreadableLine);
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                ReadResult result;
                idle.CancelAfter(idleTimeout);
                try
                {
                    result = await reader.ReadAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return WatchStreamEnd.Idle;
                }

                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                var buffer = result.Buffer;
                while (TryReadLine(ref buffer, out var line))
                {
                    if (IsBlank(line))
                    {
                        continue;
                    }

                    WatchNotification notification;
                    try
                    {
                        notification = line.IsSingleSegment
                            ? EventJson.ParseWatchLine(line.FirstSpan)
                            : EventJson.ParseWatchLine(line.ToArray());
                    }
                    catch (JsonException ex)
                    {
                        onUnreadableLine(line.ToArray(), ex);
                        return WatchStreamEnd.Unreadable;
                    }

                    if (!await handler(notification, cancellationToken).ConfigureAwait(false))
                    {
                        return WatchStreamEnd.Stopped;
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    if (!IsBlank(buffer))
                    {
                        throw new IOException("The watch stream ended in the middle of a line.");
                    }

                    return WatchStreamEnd.Closed;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, position.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\r' or (byte)'\t'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
