using System.Text.Json;
using System.Text.Json.Serialization;

namespace Functions.Runtime.Events.Destinations;

/// <summary>
/// The record Lambda sends to an asynchronous invocation's on-failure destination when an event has failed every
/// attempt (<c>condition</c> <c>RetriesExhausted</c>) or waited too long in the function's event queue
/// (<c>EventAgeExceeded</c>): <c>{"version":"1.0","timestamp":"2019-11-14T18:16:05.568Z","requestContext":{"requestId",
/// "functionArn","condition","approximateInvokeCount"},"requestPayload":{...the event...},"responseContext":{"statusCode",
/// "executedVersion","functionError"},"responsePayload":{...the last error...}}</c>. An SQS destination receives it as the
/// message body. Only what a consumer of the failures needs is read.
/// </summary>
#pragma warning disable CA1034 // Mirrors the documented record's nesting.
public sealed class AsyncInvocationRecord
{
    /// <summary>The record format's version, <c>1.0</c>.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; set; }

    /// <summary>When the record was made (ISO 8601 UTC).</summary>
    [JsonPropertyName("timestamp")]
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>Which invocation, and why it is here.</summary>
    [JsonPropertyName("requestContext")]
    public Context? RequestContext { get; set; }

    /// <summary>The event the function was invoked with, exactly.</summary>
    [JsonPropertyName("requestPayload")]
    public JsonElement? RequestPayload { get; set; }

    /// <summary>The <c>requestContext</c> object.</summary>
    public sealed class Context
    {
        /// <summary>The failed invocation's AWS request id, the one in its log lines (<c>RequestId: ...</c>), to find them.</summary>
        [JsonPropertyName("requestId")]
        public string? RequestId { get; set; }

        /// <summary>The function (and version) invoked.</summary>
        [JsonPropertyName("functionArn")]
        public string? FunctionArn { get; set; }

        /// <summary><c>RetriesExhausted</c> or <c>EventAgeExceeded</c>.</summary>
        [JsonPropertyName("condition")]
        public string? Condition { get; set; }

        /// <summary>How many times the function was invoked with the event.</summary>
        [JsonPropertyName("approximateInvokeCount")]
        public int ApproximateInvokeCount { get; set; }
    }
}
#pragma warning restore CA1034
