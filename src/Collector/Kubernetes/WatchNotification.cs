namespace Collector.Kubernetes;

/// <summary>One line of a watch stream: <c>{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}</c>.</summary>
public sealed class WatchNotification
{
    public required string Type { get; init; }

    /// <summary>The event, for ADDED, MODIFIED and DELETED.</summary>
    public ObservedEvent? Event { get; init; }

    /// <summary><c>object.metadata.resourceVersion</c>: the event's version, or the bookmark's position.</summary>
    public string ResourceVersion { get; init; } = "";

    /// <summary>For ERROR: the Status <c>code</c> (410 when the requested version has been compacted away).</summary>
    public int StatusCode { get; init; }

    /// <summary>For ERROR: the Status <c>reason</c>, e.g. Expired or Gone.</summary>
    public string StatusReason { get; init; } = "";

    public string StatusMessage { get; init; } = "";
}
