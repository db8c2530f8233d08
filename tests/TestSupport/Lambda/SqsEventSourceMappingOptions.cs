namespace TestSupport.Lambda;

/// <summary>
/// How a <see cref="SqsEventSourceMapping"/> polls. The defaults are the project's deployed values
/// (infra/cdk: batch size 64 with a 5 s window for 64 KiB messages under a 5 MiB bulk body, maximum
/// concurrency 2, a 60 s function timeout); tests shrink the times.
/// </summary>
public sealed record SqsEventSourceMappingOptions
{
    /// <summary>The queue's URL.</summary>
    public required string QueueUrl { get; init; }

    /// <summary>The queue's ARN, as the records carry it in <c>eventSourceARN</c>.</summary>
    public required string QueueArn { get; init; }

    /// <summary>Most messages per invocation.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>How long a poller gathers messages before it invokes with what it has.</summary>
    public TimeSpan MaximumBatchingWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Invocations in flight at once (the mapping's maximum concurrency): one poller each.</summary>
    public int MaxConcurrency { get; init; } = 2;

    /// <summary>The function's timeout: the deadline each invocation gets.</summary>
    public TimeSpan FunctionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The visibility timeout asked for on each receive; null leaves the queue's own (what Lambda does).
    /// </summary>
    public TimeSpan? VisibilityTimeout { get; init; }

    /// <summary>The region in the records.</summary>
    public string Region { get; init; } = "us-east-1";
}
