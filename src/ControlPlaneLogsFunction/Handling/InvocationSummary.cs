using System.Text.Json.Serialization;

namespace ControlPlaneLogsFunction.Handling;

/// <summary>
/// The invocation's response. CloudWatch Logs ignores it (it invokes asynchronously); it is what
/// <c>bootstrap --event</c> prints, and what the tests read.
/// </summary>
public sealed class InvocationSummary
{
    /// <summary>DATA_MESSAGE or CONTROL_MESSAGE.</summary>
    [JsonPropertyName("messageType")]
    public string MessageType { get; init; } = string.Empty;

    /// <summary>Log events in the payload.</summary>
    [JsonPropertyName("logEvents")]
    public int LogEvents { get; init; }

    /// <summary>Documents stored, plain forms included.</summary>
    [JsonPropertyName("documentsIndexed")]
    public int DocumentsIndexed { get; init; }

    /// <summary>Lines that did not parse (stored with <c>parse_error</c>).</summary>
    [JsonPropertyName("parseErrors")]
    public int ParseErrors { get; init; }

    /// <summary>Documents OpenSearch refused and that were stored in their plain form.</summary>
    [JsonPropertyName("plainFallbacks")]
    public int PlainFallbacks { get; init; }

    /// <summary>Documents sent again after a transient fault.</summary>
    [JsonPropertyName("retries")]
    public int Retries { get; init; }
}
