using System.Text;
using Amazon.SQS;

namespace TestSupport.Lambda;

/// <summary>
/// Lambda's asynchronous invocation (how CloudWatch Logs subscriptions invoke a function), with the
/// documented retry behaviour: an attempt that ends in a function error or a timeout is retried up to
/// <see cref="AsyncInvocationOptions.RetryAttempts"/> times with growing waits; when the retries are
/// exhausted, an invocation record (version 1.0, condition <c>RetriesExhausted</c>, the request
/// payload and the last error) is sent to the on-failure destination, an SQS queue.
/// </summary>
public sealed class AsyncInvocationQueue(IAmazonSQS sqs, RuntimeApiDouble runtime, AsyncInvocationOptions options)
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _records = new();
    private long _attempts;
    private long _retries;
    private long _exhausted;

    /// <summary>The invocation records sent to the on-failure destination, as sent.</summary>
    public IReadOnlyCollection<string> Records => _records;

    /// <summary>Attempts made, first tries and retries.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Retries made.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Events handed to the on-failure destination.</summary>
    public long SentToOnFailureDestination => Interlocked.Read(ref _exhausted);

    /// <summary>Delivers one event; completes true when an attempt succeeded, false when it went to the destination.</summary>
    public async Task<bool> InvokeAsync(byte[] payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var requestId = Guid.NewGuid().ToString();
        InvocationOutcome? last = null;
        var delay = options.FirstRetryDelay;
        for (var attempt = 0; attempt <= options.RetryAttempts; attempt++)
        {
            if (attempt > 0)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(delay, cancellationToken);
                delay *= 2;
            }

            Interlocked.Increment(ref _attempts);
            try
            {
                // Each attempt is its own invocation for the runtime, with the same request id as in Lambda.
                last = await runtime.InvokeAsync(payload, options.FunctionTimeout, requestId + "-" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .WaitAsync(options.FunctionTimeout + TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (TimeoutException)
            {
                last = new InvocationOutcome(true, Encoding.UTF8.GetBytes("{\"errorMessage\":\"Task timed out\",\"errorType\":\"Sandbox.Timedout\"}"), "Sandbox.Timedout", "application/json");
            }

            if (!last.IsError)
            {
                return true;
            }
        }

        Interlocked.Increment(ref _exhausted);
        var record = InvocationRecords.OnFailure(payload, DateTimeOffset.UtcNow, last!.Body, invokeCount: options.RetryAttempts + 1, requestId: requestId, functionArn: options.FunctionArn);
        await sqs.SendMessageAsync(options.OnFailureQueueUrl, record, cancellationToken);
        _records.Enqueue(record);
        return false;
    }
}
