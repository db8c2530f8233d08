using Infra.Settings;

namespace Infra.Constructs;

/// <summary>Inputs of <see cref="PipelineAlarms"/>.</summary>
public sealed class PipelineAlarmsProps
{
    /// <summary>The validated settings (thresholds, alarm e-mail).</summary>
    public required PipelineSettings Settings { get; init; }

    /// <summary>The events queue and its DLQ.</summary>
    public required EventQueue Queue { get; init; }

    /// <summary>The indexer.</summary>
    public required Indexer Indexer { get; init; }

    /// <summary>The control-plane function and its failure queue.</summary>
    public required ControlPlaneLogs ControlPlaneLogs { get; init; }
}
