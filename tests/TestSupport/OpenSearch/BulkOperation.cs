namespace TestSupport.OpenSearch;

/// <summary>One operation of a <c>_bulk</c> body as OpenSearch reads it: the action line's fields and the source line after it.</summary>
/// <param name="Action">index, create, update or delete.</param>
/// <param name="Index">The action's <c>_index</c>, or null.</param>
/// <param name="Id">The action's <c>_id</c>, or null.</param>
/// <param name="Version">The action's <c>version</c>, or null.</param>
/// <param name="VersionType">The action's <c>version_type</c>, or null.</param>
/// <param name="Source">The source line (a trailing CR removed, as OpenSearch does); empty for delete.</param>
/// <param name="SourceLine">The 1-based line of the source in the body (of the action for delete).</param>
public sealed record BulkOperation(string Action, string? Index, string? Id, long? Version, string? VersionType, ReadOnlyMemory<byte> Source, int SourceLine);
