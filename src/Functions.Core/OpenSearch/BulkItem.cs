namespace Functions.Core.OpenSearch;

/// <summary>One document to index: where it goes, its id, its JSON source and, optionally, an external version.</summary>
/// <param name="Index">The target index.</param>
/// <param name="Id">The document id; stable ids make redelivery harmless.</param>
/// <param name="Source">The document, one UTF-8 JSON object; compact (one line) is the fast case, anything else is compacted or refused by <see cref="BulkRequestBody"/>.</param>
public sealed record BulkItem(string Index, string Id, ReadOnlyMemory<byte> Source)
{
    /// <summary>
    /// When set, the document is indexed with <c>version_type=external_gte</c>: OpenSearch keeps it only
    /// if no copy with a higher version is stored, so a late, older copy cannot overwrite a newer one.
    /// </summary>
    public long? ExternalVersion { get; init; }
}
