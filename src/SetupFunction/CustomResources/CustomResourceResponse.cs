using System.Text.Json.Serialization;

namespace SetupFunction.CustomResources;

/// <summary>
/// The answer PUT to the request's <c>ResponseURL</c> (AWS CloudFormation User Guide, "Custom resource response
/// objects"): at most 4096 bytes in all; <c>StackId</c>, <c>RequestId</c> and <c>LogicalResourceId</c> copied from the
/// request; <c>PhysicalResourceId</c> the same in every answer for one resource (a different one on Update would
/// make CloudFormation delete the old resource); <c>Data</c> readable with <c>Fn::GetAtt</c>.
/// </summary>
public sealed class CustomResourceResponse
{
    /// <summary><c>SUCCESS</c> or <c>FAILED</c>.</summary>
    [JsonPropertyName("Status")]
    public required string Status { get; init; }

    /// <summary>Shown in the stack's events; required with FAILED.</summary>
    [JsonPropertyName("Reason")]
    public required string Reason { get; init; }

    /// <summary>The resource's id.</summary>
    [JsonPropertyName("PhysicalResourceId")]
    public required string PhysicalResourceId { get; init; }

    /// <summary>Copied from the request.</summary>
    [JsonPropertyName("StackId")]
    public required string StackId { get; init; }

    /// <summary>Copied from the request.</summary>
    [JsonPropertyName("RequestId")]
    public required string RequestId { get; init; }

    /// <summary>Copied from the request.</summary>
    [JsonPropertyName("LogicalResourceId")]
    public required string LogicalResourceId { get; init; }

    /// <summary>Whether <see cref="Data"/> is masked in GetAtt; nothing here is secret.</summary>
    [JsonPropertyName("NoEcho")]
    public bool NoEcho { get; init; }

    /// <summary>Attributes for <c>Fn::GetAtt</c>: <c>Status</c> and <c>Message</c>.</summary>
    [JsonPropertyName("Data")]
    public required Dictionary<string, string> Data { get; init; }
}
