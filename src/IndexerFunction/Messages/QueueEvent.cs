using Shared.OpenSearch;

namespace IndexerFunction.Messages;

/// <summary>One event of a queue message, read and built into its document.</summary>
/// <param name="Item">The event's bulk item; null when <paramref name="Problem"/> says why it cannot be indexed.</param>
/// <param name="Problem">Why the event cannot be indexed, naming the field at fault; null when it can.</param>
/// <param name="WarningReason">The name the <c>WarningEvents</c> metric counts the event under, or null when its
/// <c>type</c> is not <c>Warning</c>.</param>
public readonly record struct QueueEvent(BulkItem? Item, string? Problem, string? WarningReason);
