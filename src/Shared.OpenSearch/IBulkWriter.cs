namespace Shared.OpenSearch;

/// <summary>Writes documents to OpenSearch and says, per document, whether it is stored.</summary>
public interface IBulkWriter
{
    /// <summary>
    /// Indexes the items, retrying transient faults until <paramref name="deadline"/> (less a safety
    /// margin) would be passed. Never throws for an OpenSearch or network fault: those become
    /// <see cref="BulkItemStatus.NotStored"/> or <see cref="BulkItemStatus.Rejected"/> outcomes.
    /// </summary>
    Task<BulkResult> WriteAsync(IReadOnlyList<BulkItem> items, DateTimeOffset deadline, CancellationToken cancellationToken);
}
