namespace Functions.Runtime.Tests;

/// <summary>A hand-written Runtime API client: hands out queued invocations and records what the loop sends back.</summary>
internal sealed class FakeRuntimeApiClient(TimeProvider time) : IRuntimeApiClient
{
    private readonly Queue<Invocation> _pending = new();

    public List<(string RequestId, byte[] Body)> Responses { get; } = [];

    public List<(string RequestId, LambdaError Error)> Errors { get; } = [];

    public List<LambdaError> InitErrors { get; } = [];

    public void Enqueue(string requestId, string payload, string traceId = "Root=1-abc")
        => _pending.Enqueue(new Invocation(System.Text.Encoding.UTF8.GetBytes(payload), new LambdaContext(time)
        {
            AwsRequestId = requestId,
            Deadline = time.GetUtcNow().AddSeconds(30),
            FunctionName = "fn",
            InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:fn",
            TraceId = traceId,
        }));

    public Task<Invocation> GetNextInvocationAsync(CancellationToken cancellationToken) =>
        _pending.Count > 0 ? Task.FromResult(_pending.Dequeue()) : Task.FromException<Invocation>(new InvalidOperationException("no more events"));

    public Task SendResponseAsync(string requestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        Responses.Add((requestId, response.ToArray()));
        return Task.CompletedTask;
    }

    public Task ReportInvocationErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken)
    {
        Errors.Add((requestId, error));
        return Task.CompletedTask;
    }

    public Task ReportInitErrorAsync(LambdaError error, CancellationToken cancellationToken)
    {
        InitErrors.Add(error);
        return Task.CompletedTask;
    }
}
