using System.Text;

namespace Shared.Logging.Tests;

public sealed class LineWriterTests
{
    /// <summary>Records every Write call, as the unbuffered console stream turns each into a system call.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly List<byte[]> _writes = [];

        public IReadOnlyList<byte[]> Writes
        {
            get
            {
                lock (_writes)
                {
                    return _writes.ToList();
                }
            }
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_writes)
            {
                _writes.Add(buffer.AsSpan(offset, count).ToArray());
            }
        }
    }

    [Fact]
    public void WriteLine_ManyThreadsShortAndLongLines_EveryLineArrivesWholeAndShortOnesInOneWrite()
    {
        var stream = new RecordingStream();
        var writer = new LineWriter(stream);
        var sizes = new[] { 0, 1, 511, 1023, 1024, 4000, LineWriter.CopiedLineBytes - 1, LineWriter.CopiedLineBytes, 200_000 };
        var expected = new List<string>();
        for (var t = 0; t < 4; t++)
        {
            foreach (var size in sizes)
            {
                expected.Add($"{t}:{size}:" + new string((char)('a' + t), size));
            }
        }

        Parallel.ForEach(expected, new ParallelOptions { MaxDegreeOfParallelism = 4 }, line => writer.WriteLine(Encoding.UTF8.GetBytes(line)));

        var text = Encoding.UTF8.GetString(stream.Writes.SelectMany(w => w).ToArray());
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.Equal(expected.Order(StringComparer.Ordinal), text[..^1].Split('\n').Order(StringComparer.Ordinal));
        foreach (var line in expected.Where(l => Encoding.UTF8.GetByteCount(l) < LineWriter.CopiedLineBytes))
        {
            Assert.Contains(stream.Writes, w => w.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(line + "\n")));
        }
    }
}
