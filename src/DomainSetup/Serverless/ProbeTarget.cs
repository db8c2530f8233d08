using System.Text.Json.Serialization;

namespace DomainSetup.Serverless;

/// <summary>Where and at which external version the probe writes, as the functions' bulk actions say it.</summary>
public sealed class ProbeTarget
{
    /// <summary>The index.</summary>
    [JsonPropertyName("_index")]
    public required string Index { get; init; }

    /// <summary>The client-chosen id.</summary>
    [JsonPropertyName("_id")]
    public required string Id { get; init; }

    /// <summary>The external version.</summary>
    [JsonPropertyName("version")]
    public required long Version { get; init; }

    /// <summary><c>external_gte</c>, as the functions send.</summary>
    [JsonPropertyName("version_type")]
    public required string VersionType { get; init; }
}
