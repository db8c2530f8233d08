namespace Collector.Packing;

/// <summary>One <c>eks-events/v1</c> message body (UTF-8 JSON) and how many events it carries.</summary>
public sealed record Envelope(ReadOnlyMemory<byte> Body, int EventCount);
