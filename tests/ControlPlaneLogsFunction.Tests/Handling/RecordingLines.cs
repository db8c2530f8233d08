using System.Text;
using System.Text.Json.Nodes;
using Shared.Logging;

namespace ControlPlaneLogsFunction.Tests.Handling;

/// <summary>A <see cref="LineWriter"/> whose lines the test can read: the EMF records.</summary>
public sealed class RecordingLines : IDisposable
{
    private readonly MemoryStream _stream = new();

    public RecordingLines() => Writer = new LineWriter(_stream);

    public LineWriter Writer { get; }

    public IReadOnlyList<JsonObject> Records() =>
        Encoding.UTF8.GetString(_stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    public void Dispose() => _stream.Dispose();
}
