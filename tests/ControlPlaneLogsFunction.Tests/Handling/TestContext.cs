using Functions.Runtime;

namespace ControlPlaneLogsFunction.Tests.Handling;

/// <summary>An invocation context with a deadline a test chooses.</summary>
public sealed class TestContext(TimeSpan remaining) : ILambdaContext
{
    public string AwsRequestId { get; } = Guid.NewGuid().ToString();

    public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:123456789012:function:control-plane-logs";

    public string FunctionName => "control-plane-logs";

    public string TraceId => string.Empty;

    public DateTimeOffset Deadline { get; } = DateTimeOffset.UtcNow + remaining;

    public TimeSpan RemainingTime => Deadline - DateTimeOffset.UtcNow;
}
