namespace Collector.Kubernetes;

/// <summary>One page of a paged list: its items, the list's resourceVersion, and the token for the next page.</summary>
public sealed class EventListPage
{
    public required IReadOnlyList<ObservedEvent> Items { get; init; }

    public required string ResourceVersion { get; init; }

    /// <summary>Empty on the last page.</summary>
    public required string Continue { get; init; }
}
