using System.Text.Json;
using System.Text.Json.Serialization;

namespace SetupFunction.Handling;

/// <summary>
/// An invocation that is not from CloudFormation: the custom resource's function handing the OpenSearch work to
/// its twin inside the domain's VPC (<c>setup</c>), or the daily schedule deleting expired indices on Serverless
/// (<c>retention</c>). The properties are the custom resource's own. The answer is an <see cref="ActionOutcome"/>.
/// </summary>
public sealed class SetupCommandRequest
{
    /// <summary>The <c>setup</c> command.</summary>
    public const string Setup = "setup";

    /// <summary>The <c>retention</c> command.</summary>
    public const string Retention = "retention";

    /// <summary><see cref="Setup"/> or <see cref="Retention"/>.</summary>
    [JsonPropertyName("command")]
    public string? Command { get; init; }

    /// <summary>The setup's properties, as the custom resource has them.</summary>
    [JsonPropertyName("properties")]
    public Dictionary<string, JsonElement>? Properties { get; init; }
}
