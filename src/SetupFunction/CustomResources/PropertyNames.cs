namespace SetupFunction.CustomResources;

/// <summary>The custom resources' property names; infra/cdk (Constructs/DeploySetup.cs) writes the same.</summary>
public static class PropertyNames
{
    /// <summary>Where the host, user and password parameters are.</summary>
    public const string SsmParameterPrefix = "SsmParameterPrefix";

    /// <summary>The events index prefix.</summary>
    public const string EventsIndex = "EventsIndex";

    /// <summary>The control-plane index prefix.</summary>
    public const string ControlPlaneIndex = "ControlPlaneIndex";

    /// <summary>Days an events index is kept.</summary>
    public const string EventsRetentionDays = "EventsRetentionDays";

    /// <summary>Days a control-plane index is kept.</summary>
    public const string ControlPlaneRetentionDays = "ControlPlaneRetentionDays";

    /// <summary>A hash of the templates and saved objects: unused here, it makes CloudFormation send an Update when they change.</summary>
    public const string AssetsHash = "AssetsHash";

    /// <summary>The EKS cluster.</summary>
    public const string ClusterName = "ClusterName";

    /// <summary>The cluster's control-plane log group, <c>/aws/eks/&lt;cluster&gt;/cluster</c>.</summary>
    public const string LogGroupName = "LogGroupName";

    /// <summary>The log types to turn on.</summary>
    public const string LogTypes = "LogTypes";
}
