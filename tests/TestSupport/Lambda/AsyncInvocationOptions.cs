namespace TestSupport.Lambda;

/// <summary>
/// How an <see cref="AsyncInvocationQueue"/> retries. Lambda's defaults are two retries, the first
/// after about a minute and the second about two minutes later; tests shrink the waits.
/// </summary>
public sealed record AsyncInvocationOptions
{
    /// <summary>The SQS queue of the on-failure destination.</summary>
    public required string OnFailureQueueUrl { get; init; }

    /// <summary>The function's ARN, as the destination record names it.</summary>
    public string FunctionArn { get; init; } = "arn:aws:lambda:us-east-1:123456789012:function:control-plane-logs";

    /// <summary>Retries after the first attempt (Lambda allows 0 to 2; the project sets 2).</summary>
    public int RetryAttempts { get; init; } = 2;

    /// <summary>The wait before the first retry; each later retry waits twice as long as the one before.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The function's timeout: the deadline each attempt gets.</summary>
    public TimeSpan FunctionTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
