using Amazon.CDK.AWS.Lambda;
using Infra.Settings;

namespace Infra.Constructs;

/// <summary>Inputs of <see cref="DeploySetup"/>.</summary>
public sealed class DeploySetupProps
{
    /// <summary>The validated settings.</summary>
    public required PipelineSettings Settings { get; init; }

    /// <summary>The OpenSearch parameters the setup reads.</summary>
    public required OpenSearchParameters Parameters { get; init; }

    /// <summary>SetupFunction's code.</summary>
    public required Code Code { get; init; }

    /// <summary>The hash of the templates and saved objects (<see cref="Packaging.SetupAssetsFingerprint"/>).</summary>
    public required string AssetsHash { get; init; }
}
