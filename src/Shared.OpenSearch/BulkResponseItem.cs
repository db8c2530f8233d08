namespace Shared.OpenSearch;

/// <summary>One entry of a <c>_bulk</c> response's <c>items</c>.</summary>
/// <param name="Status">The item's HTTP status.</param>
/// <param name="ErrorType">error.type, when the item failed.</param>
/// <param name="Reason">error.reason, with the caused_by reason appended when there is one.</param>
public readonly record struct BulkResponseItem(int Status, string? ErrorType, string? Reason);
