namespace Shared.OpenSearch;

/// <summary>One document to index: where it goes, its id, its JSON source and, optionally, an external version.</summary>
/// <param name="Index">The target index.</param>
/// <param name="Id">The document id; stable ids make redelivery harmless.</param>
/// <param name="Source">The document, one UTF-8 JSON object; compact (one line) is the fast case, anything else is compacted or refused by <see cref="BulkRequestBody"/>.</param>
public sealed record BulkItem(string Index, string Id, ReadOnlyMemory<byte> Source)
{
    /// <summary>
    /// When set, the document is indexed with <c>version_type=external</c>: OpenSearch stores it only if it
    /// is new or its version is higher than the stored copy's, so a late, older copy cannot overwrite a newer
    /// one, and a copy of the stored version (a redelivery) changes nothing. Both are refused with a 409
    /// conflict (<see cref="BulkItemStatus.VersionConflict"/>, which counts as stored); only a write that
    /// created the document or advanced its version is <see cref="BulkItemStatus.Indexed"/>.
    /// </summary>
    public long? ExternalVersion { get; init; }
}
