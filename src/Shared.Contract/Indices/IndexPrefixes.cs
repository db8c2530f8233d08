namespace Shared.Contract.Indices;

/// <summary>The default index prefixes (docs/contract.md): the functions, the setup and the CDK app use these.</summary>
public static class IndexPrefixes
{
    /// <summary>
    /// Prefix of the daily indices the indexer writes Kubernetes events to when EVENTS_INDEX is unset:
    /// documents of 2024-05-01 go to <c>eks-kubernetes-events-2024.05.01</c>.
    /// </summary>
    public const string KubernetesEvents = "eks-kubernetes-events";

    /// <summary>
    /// Prefix of the daily indices the control-plane function writes log lines to when CONTROL_PLANE_INDEX is
    /// unset: lines of 2024-05-01 go to <c>eks-control-plane-logs-2024.05.01</c>.
    /// </summary>
    public const string ControlPlaneLogs = "eks-control-plane-logs";
}
