using System.Text.Json.Serialization;

namespace Functions.Runtime.Events.CloudWatchLogs;

/// <summary>One log event of a subscription payload.</summary>
public sealed class CloudWatchLogsLogEvent
{
    /// <summary>The event's id, unique within the log group and stable across redeliveries.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>When the event happened, in milliseconds since the Unix epoch (UTC).</summary>
    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }

    /// <summary>The log line as the producer wrote it (may hold several lines, e.g. a trace).</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
