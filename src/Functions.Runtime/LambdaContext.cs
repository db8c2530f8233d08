namespace Functions.Runtime;

/// <summary>The invocation context built from the Runtime API's <c>next</c> response headers.</summary>
public sealed class LambdaContext(TimeProvider time) : ILambdaContext
{
    /// <inheritdoc />
    public required string AwsRequestId { get; init; }

    /// <inheritdoc />
    public required string InvokedFunctionArn { get; init; }

    /// <inheritdoc />
    public required string FunctionName { get; init; }

    /// <inheritdoc />
    public required string TraceId { get; init; }

    /// <inheritdoc />
    public required DateTimeOffset Deadline { get; init; }

    /// <inheritdoc />
    public TimeSpan RemainingTime
    {
        get
        {
            var left = Deadline - time.GetUtcNow();
            return left < TimeSpan.Zero ? TimeSpan.Zero : left;
        }
    }
}
