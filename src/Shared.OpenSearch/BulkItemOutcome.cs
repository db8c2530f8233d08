using Shared.OpenSearch.Failures;

namespace Shared.OpenSearch;

/// <summary>What became of one document, with OpenSearch's own status and reason when it was not stored.</summary>
/// <param name="Status">
/// Stored (<see cref="BulkItemStatus.Indexed"/>, or <see cref="BulkItemStatus.VersionConflict"/> for a document already
/// there), worth retrying (<see cref="BulkItemStatus.NotStored"/>) or never storable (<see cref="BulkItemStatus.Rejected"/>).
/// </param>
/// <param name="HttpStatus">The item's (or the request's) HTTP status; 0 when nothing answered.</param>
/// <param name="ErrorType">OpenSearch's error type, e.g. <c>mapper_parsing_exception</c>.</param>
/// <param name="Reason">OpenSearch's reason, or what went wrong on the way.</param>
public readonly record struct BulkItemOutcome(BulkItemStatus Status, int HttpStatus, string? ErrorType, string? Reason)
{
    /// <summary>True when the document is stored at this or a newer version.</summary>
    public bool IsStored => Status is BulkItemStatus.Indexed or BulkItemStatus.VersionConflict;

    /// <summary>
    /// Null when stored; otherwise whether sending the document again later can succeed
    /// (<see cref="BulkItemStatus.NotStored"/>: transient) or not (<see cref="BulkItemStatus.Rejected"/>: permanent).
    /// The writer decides which status an answer gets with <see cref="FailureClassification"/>.
    /// </summary>
    public FailureKind? Failure => Status switch
    {
        BulkItemStatus.NotStored => FailureKind.Transient,
        BulkItemStatus.Rejected => FailureKind.Permanent,
        _ => null,
    };
}
