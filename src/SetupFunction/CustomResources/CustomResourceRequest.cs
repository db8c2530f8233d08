using System.Text.Json;
using System.Text.Json.Serialization;

namespace SetupFunction.CustomResources;

/// <summary>
/// What CloudFormation sends a custom resource's Lambda function (AWS CloudFormation User Guide, "Custom resource
/// request objects"): the request type, where to PUT the answer, which stack, request and resource it is about,
/// and the resource's properties. CloudFormation passes every property value as a string (lists as lists of strings).
/// </summary>
public sealed class CustomResourceRequest
{
    /// <summary><c>Create</c>, <c>Update</c> or <c>Delete</c>.</summary>
    [JsonPropertyName("RequestType")]
    public string? RequestType { get; init; }

    /// <summary>The pre-signed S3 URL the answer is PUT to.</summary>
    [JsonPropertyName("ResponseURL")]
    public string? ResponseUrl { get; init; }

    /// <summary>The stack's ARN.</summary>
    [JsonPropertyName("StackId")]
    public string? StackId { get; init; }

    /// <summary>The request's unique id, copied into the answer.</summary>
    [JsonPropertyName("RequestId")]
    public string? RequestId { get; init; }

    /// <summary>The resource type chosen by the template, e.g. <c>Custom::OpenSearchSetup</c>.</summary>
    [JsonPropertyName("ResourceType")]
    public string? ResourceType { get; init; }

    /// <summary>The resource's logical id in the template.</summary>
    [JsonPropertyName("LogicalResourceId")]
    public string? LogicalResourceId { get; init; }

    /// <summary>The id the function answered on Create (present on Update and Delete).</summary>
    [JsonPropertyName("PhysicalResourceId")]
    public string? PhysicalResourceId { get; init; }

    /// <summary>The resource's properties (with <c>ServiceToken</c>).</summary>
    [JsonPropertyName("ResourceProperties")]
    public Dictionary<string, JsonElement>? ResourceProperties { get; init; }
}
