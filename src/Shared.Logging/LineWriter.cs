using System.Buffers;

namespace Shared.Logging;

/// <summary>
/// Writes whole lines to one stream under a lock. In Lambda everything on stdout becomes a CloudWatch
/// Logs record, so a log record or an EMF metrics line must never interleave with another.
/// </summary>
public sealed class LineWriter(Stream stream)
{
    /// <summary>Lines shorter than this go out in one write.</summary>
    public const int CopiedLineBytes = 64 * 1024;

    private readonly Lock _gate = new();

    // The line and its newline are copied here and written with one call: the console stream is unbuffered,
    // so each Write is a system call, and a line is written at least once per invocation.
    private byte[] _buffer = new byte[1024];

    /// <summary>Standard output: where Lambda collects logs and Embedded Metric Format lines.</summary>
    public static LineWriter StandardOutput { get; } = new(Console.OpenStandardOutput());

    /// <summary>Standard error: where local runs (<c>bootstrap --event</c>) log, keeping stdout for the response.</summary>
    public static LineWriter StandardError { get; } = new(Console.OpenStandardError());

    /// <summary>Writes the bytes and a newline (in one write up to <see cref="CopiedLineBytes"/>), then flushes.</summary>
    public void WriteLine(ReadOnlySpan<byte> line)
    {
        lock (_gate)
        {
            if (line.Length >= CopiedLineBytes)
            {
                // Rare (a long exception): not worth keeping a buffer that large for the process's life.
                stream.Write(line);
                stream.WriteByte((byte)'\n');
            }
            else
            {
                if (_buffer.Length <= line.Length)
                {
                    _buffer = new byte[Math.Min(CopiedLineBytes, Math.Max(line.Length + 1, _buffer.Length * 2))];
                }

                line.CopyTo(_buffer);
                _buffer[line.Length] = (byte)'\n';
                stream.Write(_buffer, 0, line.Length + 1);
            }

            stream.Flush();
        }
    }

    /// <summary>Writes what a buffer holds as one line.</summary>
    public void WriteLine(ArrayBufferWriter<byte> buffer) => WriteLine(buffer.WrittenSpan);
}
