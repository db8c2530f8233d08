namespace Functions.Runtime;

/// <summary>What an invocation knows about itself; the same members as Amazon.Lambda.Core's ILambdaContext that matter here.</summary>
public interface ILambdaContext
{
    /// <summary>The request id Lambda assigned to this invocation.</summary>
    string AwsRequestId { get; }

    /// <summary>The ARN the caller invoked (may carry a version or alias).</summary>
    string InvokedFunctionArn { get; }

    /// <summary>The function's name without version or alias, as Lambda sets AWS_LAMBDA_FUNCTION_NAME; the name part of <see cref="InvokedFunctionArn"/>.</summary>
    string FunctionName { get; }

    /// <summary>The X-Ray trace header, also set as _X_AMZN_TRACE_ID while the invocation runs.</summary>
    string TraceId { get; }

    /// <summary>When Lambda stops the invocation.</summary>
    DateTimeOffset Deadline { get; }

    /// <summary>Time left until <see cref="Deadline"/>, never negative.</summary>
    TimeSpan RemainingTime { get; }
}
