namespace Shared.Contract.Indices;

/// <summary>The default index prefixes (docs/contract.md): the functions, the setup and the CDK app use these.</summary>
public static class IndexPrefixes
{
    /// <summary>The Kubernetes events' indices (EVENTS_INDEX).</summary>
    public const string KubernetesEvents = "eks-kubernetes-events";

    /// <summary>The control-plane logs' indices (CONTROL_PLANE_INDEX).</summary>
    public const string ControlPlaneLogs = "eks-control-plane-logs";
}
