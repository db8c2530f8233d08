namespace Collector.Kubernetes;

/// <summary>
/// One core/v1 Event as the API served it, with <c>metadata.managedFields</c> cut out, plus the few fields
/// the collector routes on. <see cref="Json"/> is the wire bytes, never re-serialized.
/// </summary>
public sealed class ObservedEvent
{
    public required string Uid { get; init; }

    public required string ResourceVersion { get; init; }

    public required string Namespace { get; init; }

    /// <summary>The event's own <c>type</c>: Normal or Warning.</summary>
    public required string Type { get; init; }

    public required string Reason { get; init; }

    /// <summary><c>involvedObject.kind</c>.</summary>
    public required string InvolvedKind { get; init; }

    /// <summary>The object's UTF-8 JSON.</summary>
    public required ReadOnlyMemory<byte> Json { get; init; }
}
