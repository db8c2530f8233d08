using System.Text.Json.Serialization;

namespace DomainSetup.Serverless;

/// <summary>The <c>_bulk</c> action line of the versioning probe: <c>{"index":{...}}</c>.</summary>
public sealed class ProbeAction
{
    /// <summary>The target of the index action.</summary>
    [JsonPropertyName("index")]
    public required ProbeTarget Index { get; init; }
}
