namespace Infra.Constructs;

/// <summary>Inputs of <see cref="PipelineDashboard"/>.</summary>
public sealed class PipelineDashboardProps
{
    /// <summary>The dashboard's name.</summary>
    public required string Name { get; init; }

    /// <summary>The cluster whose Warning events the dashboard shows.</summary>
    public required string ClusterName { get; init; }

    /// <summary>The events queue and its DLQ.</summary>
    public required EventQueue Queue { get; init; }

    /// <summary>The indexer.</summary>
    public required Indexer Indexer { get; init; }

    /// <summary>The control-plane function and its failure queue.</summary>
    public required ControlPlaneLogs ControlPlaneLogs { get; init; }
}
