using System.Text.Json.Nodes;

namespace SetupFunction.Tests.Handling;

/// <summary>
/// Custom resource requests shaped as CloudFormation sends them (AWS CloudFormation User Guide, "Custom resource
/// request objects"): every property value a string, lists of strings, <c>ServiceToken</c> among the properties,
/// <c>PhysicalResourceId</c> and <c>OldResourceProperties</c> on updates.
/// </summary>
public static class CloudFormationEvents
{
    public const string StackId = "arn:aws:cloudformation:us-east-1:123456789012:stack/EksHistory/5b9ec5e0-0000-11ef-9d67-0affd6ab3f1a";

    public static byte[] Request(string requestType, string resourceType, string logicalId, JsonObject properties, string responseUrl, string? physicalId = null, JsonObject? oldProperties = null)
    {
        properties["ServiceToken"] = "arn:aws:lambda:us-east-1:123456789012:function:EksHistory-SetupFunction";
        var request = new JsonObject
        {
            ["RequestType"] = requestType,
            ["ServiceToken"] = "arn:aws:lambda:us-east-1:123456789012:function:EksHistory-SetupFunction",
            ["ResponseURL"] = responseUrl,
            ["StackId"] = StackId,
            ["RequestId"] = Guid.NewGuid().ToString(),
            ["LogicalResourceId"] = logicalId,
            ["ResourceType"] = resourceType,
            ["ResourceProperties"] = properties,
        };
        if (physicalId is not null)
        {
            request["PhysicalResourceId"] = physicalId;
        }

        if (oldProperties is not null)
        {
            request["OldResourceProperties"] = oldProperties;
        }

        return System.Text.Encoding.UTF8.GetBytes(request.ToJsonString());
    }

    public static JsonObject SetupProperties(string prefix, string eventsDays = "30") => new()
    {
        ["SsmParameterPrefix"] = prefix,
        ["EventsIndex"] = "eks-kubernetes-events",
        ["ControlPlaneIndex"] = "eks-control-plane-logs",
        ["EventsRetentionDays"] = eventsDays,
        ["ControlPlaneRetentionDays"] = "14",
        ["AssetsHash"] = "0f1e2d3c",
    };

    public static JsonObject LoggingProperties(string cluster) => new()
    {
        ["ClusterName"] = cluster,
        ["LogGroupName"] = $"/aws/eks/{cluster}/cluster",
        ["LogTypes"] = new JsonArray("api", "audit", "authenticator", "controllerManager", "scheduler"),
    };
}
