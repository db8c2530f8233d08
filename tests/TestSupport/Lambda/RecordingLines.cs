using System.Text;
using System.Text.Json.Nodes;
using Shared.Logging;

namespace TestSupport.Lambda;

/// <summary>A <see cref="LineWriter"/> standing for a function's stdout whose lines a test can read: the EMF records and log lines, and how many writes carried them.</summary>
public sealed class RecordingLines : IDisposable
{
    private readonly CountingStream _stream = new();

    public RecordingLines() => Writer = new LineWriter(_stream);

    public LineWriter Writer { get; }

    /// <summary>Writes to the stream: in Lambda, each is a system call on stdout.</summary>
    public int Writes => _stream.Writes;

    public IReadOnlyList<JsonObject> Records() =>
        Encoding.UTF8.GetString(_stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    public void Dispose() => _stream.Dispose();

    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            base.Write(buffer);
        }

        public override void WriteByte(byte value)
        {
            Writes++;
            base.WriteByte(value);
        }
    }
}
