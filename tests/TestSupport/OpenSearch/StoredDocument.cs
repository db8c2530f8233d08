using System.Text.Json;

namespace TestSupport.OpenSearch;

/// <summary>A document the double holds.</summary>
/// <param name="Index">Its index.</param>
/// <param name="Id">Its id.</param>
/// <param name="Version">Its version: the external version when one was given, else a counter.</param>
/// <param name="Source">Its source JSON.</param>
/// <param name="Writes">How many times it was written.</param>
public sealed record StoredDocument(string Index, string Id, long Version, JsonElement Source, int Writes)
{
    /// <summary>When this version was first stored (for end-to-end lag).</summary>
    public DateTimeOffset StoredAt { get; init; } = DateTimeOffset.UtcNow;
}
