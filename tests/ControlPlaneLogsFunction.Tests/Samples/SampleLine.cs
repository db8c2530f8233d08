using YamlDotNet.RepresentationModel;

namespace ControlPlaneLogsFunction.Tests.Samples;

/// <summary>One line of <c>control-plane-lines.yaml</c>.</summary>
/// <param name="Number">Its position in the file, from 1.</param>
/// <param name="Stream">The log stream it came in.</param>
/// <param name="Message">The log event's message, exactly.</param>
/// <param name="Timestamp">The log event's timestamp (ms since the epoch).</param>
/// <param name="Fields">What the document must hold.</param>
/// <param name="Absent">Fields the document must not have.</param>
public sealed record SampleLine(int Number, string Stream, string Message, long Timestamp, YamlMappingNode Fields, IReadOnlyList<string> Absent)
{
    /// <summary>How a test names it: position and stream type.</summary>
    public override string ToString() => $"#{Number} {Stream[..Stream.LastIndexOf('-')]}";
}
