using System.Text.Json;
using Shared.Contract.Queue;

// The indexer's JsonDocument-based reading and building as they were before the streaming pass replaced them
// (issue 15), kept unchanged but for names as the oracle of the differential tests. Not product code.
namespace IndexerFunction.Tests.Oracle;

/// <summary>
/// Reads a queue message body in any of the three forms the contract allows (docs/contract.md):
/// the Collector's <c>eks-events/v1</c> envelope, one core/v1 Event, or a list
/// (<c>EventList</c> or <c>List</c> with <c>items</c>, as <c>kubectl get events -o json</c> prints).
/// </summary>
public static class JsonDocumentQueueMessageReader
{
    /// <summary>Reads the body.</summary>
    /// <param name="body">The message body, UTF-8 JSON.</param>
    /// <param name="attributeClusterName">The message attribute <c>clusterName</c>, if present.</param>
    /// <param name="defaultClusterName">CLUSTER_NAME, for bodies that do not name a cluster.</param>
    /// <param name="problem">Why the body cannot be read, naming what is wrong.</param>
    /// <returns>The message, or null when <paramref name="problem"/> says why not.</returns>
    public static JsonDocumentQueueMessage? TryRead(ReadOnlyMemory<byte> body, string? attributeClusterName, string defaultClusterName, out string? problem)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException ex)
        {
            problem = $"the body is not JSON: {ex.Message}";
            return null;
        }

        var root = document.RootElement;
        var fallbackCluster = string.IsNullOrEmpty(attributeClusterName) ? defaultClusterName : attributeClusterName;
        JsonDocumentQueueMessage? message = null;
        if (root.ValueKind == JsonValueKind.Object)
        {
            message = Read(document, root, fallbackCluster, out problem);
        }
        else
        {
            problem = $"the body is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object";
        }

        if (message is null)
        {
            document.Dispose();
        }

        return message;
    }

    private static JsonDocumentQueueMessage? Read(JsonDocument document, JsonElement root, string fallbackCluster, out string? problem)
    {
        problem = null;
        if (root.TryGetProperty(QueueContract.SchemaProperty, out var schema))
        {
            if (schema.ValueKind != JsonValueKind.String || schema.GetString() != QueueContract.EnvelopeSchema)
            {
                problem = $"unsupported envelope schema {schema.GetRawText()}: this indexer reads '{QueueContract.EnvelopeSchema}'";
                return null;
            }

            if (!root.TryGetProperty(QueueContract.EventsProperty, out var events) || events.ValueKind != JsonValueKind.Array)
            {
                problem = $"the '{QueueContract.EnvelopeSchema}' envelope has no '{QueueContract.EventsProperty}' array";
                return null;
            }

            var cluster = root.TryGetProperty(QueueContract.ClusterNameProperty, out var c) && c.ValueKind == JsonValueKind.String && c.GetString() is { Length: > 0 } name
                ? name
                : fallbackCluster;
            return Events(document, events, cluster, out problem);
        }

        var kind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        switch (kind)
        {
            case "Event":
                return new JsonDocumentQueueMessage(document, fallbackCluster, [root]);
            case "EventList" or "List":
                if (!root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
                {
                    problem = $"the {kind} has no 'items' array";
                    return null;
                }

                return Events(document, items, fallbackCluster, out problem);
            default:
                problem = kind is null
                    ? $"the body is neither an '{QueueContract.EnvelopeSchema}' envelope (no 'schema') nor a Kubernetes object (no 'kind')"
                    : $"the body is a Kubernetes {kind}, not an Event, EventList or List";
                return null;
        }
    }

    private static JsonDocumentQueueMessage? Events(JsonDocument document, JsonElement array, string cluster, out string? problem)
    {
        var events = new List<JsonElement>(array.GetArrayLength());
        var position = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                problem = $"item {position} is a JSON {item.ValueKind.ToString().ToLowerInvariant()}, not an Event object";
                return null;
            }

            // EventList items carry no kind; List items do, and a List may hold anything.
            if (item.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() != "Event")
            {
                problem = $"item {position} is a {kind.GetString()}, not an Event";
                return null;
            }

            events.Add(item);
            position++;
        }

        problem = null;
        return new JsonDocumentQueueMessage(document, cluster, events);
    }
}
