namespace Collector.Kubernetes;

/// <summary>The parts of a meta/v1 Status the collector acts on.</summary>
public sealed record ApiStatus(int Code, string Reason, string Message);
