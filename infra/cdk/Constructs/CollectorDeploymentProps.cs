using Infra.Settings;

namespace Infra.Constructs;

/// <summary>Inputs of <see cref="CollectorDeployment"/>.</summary>
public sealed class CollectorDeploymentProps
{
    /// <summary>The validated settings (identity, namespace, image, deploy mode).</summary>
    public required PipelineSettings Settings { get; init; }

    /// <summary>The queue the collector sends to.</summary>
    public required EventQueue Queue { get; init; }

    /// <summary>The text of deploy/collector/collector.yaml.</summary>
    public required string ManifestTemplate { get; init; }
}
