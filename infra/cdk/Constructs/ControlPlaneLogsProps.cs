using Amazon.CDK.AWS.Lambda;
using Infra.Settings;

namespace Infra.Constructs;

/// <summary>Inputs of <see cref="ControlPlaneLogs"/>.</summary>
public sealed class ControlPlaneLogsProps
{
    /// <summary>The validated settings.</summary>
    public required PipelineSettings Settings { get; init; }

    /// <summary>The function's code.</summary>
    public required Code Code { get; init; }

    /// <summary>The OpenSearch parameters.</summary>
    public required OpenSearchParameters Parameters { get; init; }
}
