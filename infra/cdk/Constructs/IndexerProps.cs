using Amazon.CDK.AWS.Lambda;
using Infra.Settings;

namespace Infra.Constructs;

/// <summary>Inputs of <see cref="Indexer"/>.</summary>
public sealed class IndexerProps
{
    /// <summary>The validated settings (timeouts, batching, index names).</summary>
    public required PipelineSettings Settings { get; init; }

    /// <summary>The queue the indexer consumes.</summary>
    public required EventQueue Queue { get; init; }

    /// <summary>The function's code.</summary>
    public required Code Code { get; init; }

    /// <summary>The OpenSearch parameters.</summary>
    public required OpenSearchParameters Parameters { get; init; }
}
