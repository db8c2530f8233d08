using System.Text.Json;

namespace IndexerFunction.Messages;

/// <summary>A queue message read into its events. The events live in <see cref="Document"/>; dispose it after use.</summary>
public sealed class QueueMessage(JsonDocument document, string clusterName, IReadOnlyList<JsonElement> events) : IDisposable
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
