using System.Buffers;

namespace Functions.Core.Logging;

/// <summary>
/// Writes whole lines to one stream under a lock. In Lambda everything on stdout becomes a CloudWatch
/// Logs record, so a log record or an EMF metrics line must never interleave with another.
/// </summary>
public sealed class LineWriter(Stream stream)
{
    private readonly Lock _gate = new();

    /// <summary>Standard output: where Lambda collects logs and Embedded Metric Format lines.</summary>
    public static LineWriter StandardOutput { get; } = new(Console.OpenStandardOutput());

    /// <summary>Standard error: where local runs (<c>bootstrap --event</c>) log, keeping stdout for the response.</summary>
    public static LineWriter StandardError { get; } = new(Console.OpenStandardError());

    /// <summary>Writes the bytes and a newline, then flushes.</summary>
    public void WriteLine(ReadOnlySpan<byte> line)
    {
        lock (_gate)
        {
            stream.Write(line);
            stream.WriteByte((byte)'\n');
            stream.Flush();
        }
    }

    /// <summary>Writes what a buffer holds as one line.</summary>
    public void WriteLine(ArrayBufferWriter<byte> buffer) => WriteLine(buffer.WrittenSpan);
}
