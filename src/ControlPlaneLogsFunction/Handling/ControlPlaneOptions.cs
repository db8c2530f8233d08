using Functions.Runtime.Events.CloudWatchLogs;

namespace ControlPlaneLogsFunction.Handling;

/// <summary>Limits of the handler that are not environment settings.</summary>
public sealed record ControlPlaneOptions
{
    /// <summary>Cap on the inflated <c>awslogs.data</c>; a payload past it is refused with a clear error.</summary>
    public int MaxDecompressedBytes { get; init; } = CloudWatchLogsDecoder.DefaultMaxDecompressedBytes;
}
