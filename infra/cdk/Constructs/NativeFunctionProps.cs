using Amazon.CDK.AWS.Lambda;

namespace Infra.Constructs;

/// <summary>Inputs of <see cref="NativeFunction"/>.</summary>
public sealed class NativeFunctionProps
{
    /// <summary>The project under src/ (and the logical id of the function, which SAM users type).</summary>
    public required string ProjectName { get; init; }

    /// <summary>What the function is for, shown in the console.</summary>
    public required string Description { get; init; }

    /// <summary>The function's code: a bundled or prebuilt bootstrap.</summary>
    public required Code Code { get; init; }

    /// <summary>x86_64 or arm64; the bootstrap must be published for the same one.</summary>
    public required Architecture Architecture { get; init; }

    /// <summary>Function timeout.</summary>
    public required int TimeoutSeconds { get; init; }

    /// <summary>Memory (and so CPU) of the function.</summary>
    public required int MemoryMb { get; init; }

    /// <summary>Environment variables (docs/contract.md, "Settings").</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>The OpenSearch parameters the function reads.</summary>
    public required OpenSearchParameters Parameters { get; init; }

    /// <summary>How the function authenticates to OpenSearch (and so which rights it needs).</summary>
    public required Settings.PipelineSettings Access { get; init; }

    /// <summary>Days the function's log group keeps records.</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>Retries of asynchronous invocations (null: Lambda's default).</summary>
    public int? RetryAttempts { get; init; }

    /// <summary>Where a failed asynchronous invocation goes after its retries (null: nowhere).</summary>
    public IDestination? OnFailure { get; init; }

    /// <summary>The function's logical id when it is not <see cref="ProjectName"/> (a second function of the same code).</summary>
    public string? LogicalId { get; init; }

    /// <summary>
    /// True (the default) when the function talks to OpenSearch: it may read the parameters (or call the domain with
    /// SigV4) and, with vpcSubnetIds, runs in the domain's VPC. False for a function that never does.
    /// </summary>
    public bool OpenSearchAccess { get; init; } = true;
}
