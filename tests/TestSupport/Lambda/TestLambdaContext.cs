using Functions.Runtime;

namespace TestSupport.Lambda;

/// <summary>An invocation context for handler tests, with a deadline a test chooses.</summary>
public sealed class TestLambdaContext(TimeSpan timeout) : ILambdaContext
{
    /// <inheritdoc />
    public string AwsRequestId { get; init; } = Guid.NewGuid().ToString();

    /// <inheritdoc />
    public string InvokedFunctionArn { get; init; } = "arn:aws:lambda:us-east-1:123456789012:function:test";

    /// <inheritdoc />
    public string FunctionName { get; init; } = "test";

    /// <inheritdoc />
    public string TraceId { get; init; } = string.Empty;

    /// <inheritdoc />
    public DateTimeOffset Deadline { get; } = DateTimeOffset.UtcNow + timeout;

    /// <inheritdoc />
    public TimeSpan RemainingTime => Deadline - DateTimeOffset.UtcNow;
}
