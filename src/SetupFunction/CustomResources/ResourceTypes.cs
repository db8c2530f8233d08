namespace SetupFunction.CustomResources;

/// <summary>The custom resource types the function backs; infra/cdk (Constructs/DeploySetup.cs) declares the same.</summary>
public static class ResourceTypes
{
    /// <summary>Index templates, retention and dashboards in the domain or collection.</summary>
    public const string OpenSearchSetup = "Custom::OpenSearchSetup";

    /// <summary>The cluster's control-plane log types and their log group.</summary>
    public const string ClusterLogging = "Custom::ClusterLogging";
}
