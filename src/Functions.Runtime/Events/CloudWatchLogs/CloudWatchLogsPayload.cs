using System.Text.Json.Serialization;

namespace Functions.Runtime.Events.CloudWatchLogs;

/// <summary>
/// The decoded subscription payload (CloudWatch Logs "subscription filter" log data): the log group and
/// stream, and the log events delivered in this batch.
/// </summary>
#pragma warning disable CA1002, CA2227 // Mirrors the documented payload shape on purpose.
public sealed class CloudWatchLogsPayload
{
    /// <summary>A <c>DATA_MESSAGE</c> carries log events.</summary>
    public const string DataMessage = "DATA_MESSAGE";

    /// <summary>A <c>CONTROL_MESSAGE</c> only checks that the destination is reachable; it carries no log data.</summary>
    public const string ControlMessage = "CONTROL_MESSAGE";

    /// <summary><see cref="DataMessage"/> or <see cref="ControlMessage"/>.</summary>
    [JsonPropertyName("messageType")]
    public string? MessageType { get; set; }

    /// <summary>The AWS account id that owns the log group.</summary>
    [JsonPropertyName("owner")]
    public string? Owner { get; set; }

    /// <summary>The log group, e.g. <c>/aws/eks/my-cluster/cluster</c>.</summary>
    [JsonPropertyName("logGroup")]
    public string? LogGroup { get; set; }

    /// <summary>The log stream, e.g. <c>kube-apiserver-audit-4e9f...</c>.</summary>
    [JsonPropertyName("logStream")]
    public string? LogStream { get; set; }

    /// <summary>The subscription filters that matched.</summary>
    [JsonPropertyName("subscriptionFilters")]
    public List<string>? SubscriptionFilters { get; set; }

    /// <summary>The log events, oldest first.</summary>
    [JsonPropertyName("logEvents")]
    public List<CloudWatchLogsLogEvent>? LogEvents { get; set; }

    /// <summary>The policy level, present on account-level subscription deliveries.</summary>
    [JsonPropertyName("policyLevel")]
    public string? PolicyLevel { get; set; }
}
#pragma warning restore CA1002, CA2227
