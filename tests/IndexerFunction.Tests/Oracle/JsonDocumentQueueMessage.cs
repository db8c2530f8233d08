using System.Text.Json;

// The indexer's JsonDocument-based reading and building as they were before the streaming pass replaced them
// (issue 15), kept unchanged but for names as the oracle of the differential tests. Not product code.
namespace IndexerFunction.Tests.Oracle;

/// <summary>A queue message read into its events. The events live in <see cref="Document"/>; dispose it after use.</summary>
public sealed class JsonDocumentQueueMessage(JsonDocument document, string clusterName, IReadOnlyList<JsonElement> events) : IDisposable
{
    /// <summary>The parsed body.</summary>
    public JsonDocument Document { get; } = document;

    /// <summary>The cluster the events come from; may be empty.</summary>
    public string ClusterName { get; } = clusterName;

    /// <summary>The core/v1 Event objects, in message order.</summary>
    public IReadOnlyList<JsonElement> Events { get; } = events;

    /// <inheritdoc />
    public void Dispose() => Document.Dispose();
}
