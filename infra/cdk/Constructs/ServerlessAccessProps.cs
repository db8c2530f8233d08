using Amazon.CDK.AWS.IAM;
using Infra.Settings;

namespace Infra.Constructs;

/// <summary>Inputs of <see cref="ServerlessAccess"/>.</summary>
public sealed class ServerlessAccessProps
{
    /// <summary>The validated settings (collection name, index prefixes).</summary>
    public required PipelineSettings Settings { get; init; }

    /// <summary>The indexer's role: writes the events indices.</summary>
    public required IRole IndexerRole { get; init; }

    /// <summary>The control-plane function's role: writes the control-plane indices.</summary>
    public required IRole ControlPlaneRole { get; init; }

    /// <summary>The role of the function that runs the setup and the retention deletes, or null without one.</summary>
    public IRole? SetupRole { get; init; }
}
