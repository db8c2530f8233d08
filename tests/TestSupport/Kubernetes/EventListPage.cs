namespace TestSupport.Kubernetes;

/// <summary>
/// One page of a paged event list: the version every page of the list is read at, the items' stored
/// JSON, and the token of the next page ("" on the last).
/// </summary>
internal sealed record EventListPage(long Version, IReadOnlyList<string> Items, string Continue);
