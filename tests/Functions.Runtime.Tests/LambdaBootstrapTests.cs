using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.Logging;

namespace Functions.Runtime.Tests;

public sealed class LambdaBootstrapTests
{
    private sealed class EchoHandler : ILambdaHandler
    {
        public List<(string RequestId, string? TraceEnv, string? LogRequestId)> Seen { get; } = [];

        public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken cancellationToken)
        {
            Seen.Add((context.AwsRequestId, Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"), LogContext.RequestId));
            var text = Encoding.UTF8.GetString(payload.Span);
            return text == "\"boom\""
                ? throw new InvalidDataException("the payload said boom")
                : Task.FromResult(Encoding.UTF8.GetBytes($"{{\"echo\":{text}}}"));
        }
    }

    [Fact]
    public async Task RunOnceAsync_HandlerReturns_PostsResponseForThatRequest()
    {
        var client = new FakeRuntimeApiClient(TimeProvider.System);
        client.Enqueue("req-1", "{\"a\":1}");
        var bootstrap = new LambdaBootstrap(client, new EchoHandler(), NullLogger<LambdaBootstrap>.Instance);

        await bootstrap.RunOnceAsync(CancellationToken.None);

        var (requestId, body) = Assert.Single(client.Responses);
        Assert.Equal("req-1", requestId);
        Assert.Equal("{\"echo\":{\"a\":1}}", Encoding.UTF8.GetString(body));
        Assert.Empty(client.Errors);
    }

    [Fact]
    public async Task RunOnceAsync_HandlerThrows_ReportsErrorWithTypeAndMessageAndKeepsServing()
    {
        var client = new FakeRuntimeApiClient(TimeProvider.System);
        client.Enqueue("bad", "\"boom\"");
        client.Enqueue("good", "1");
        var bootstrap = new LambdaBootstrap(client, new EchoHandler(), NullLogger<LambdaBootstrap>.Instance);

        await bootstrap.RunOnceAsync(CancellationToken.None);
        await bootstrap.RunOnceAsync(CancellationToken.None);

        var (requestId, error) = Assert.Single(client.Errors);
        Assert.Equal("bad", requestId);
        Assert.Equal("InvalidDataException", error.ErrorType);
        Assert.Equal("the payload said boom", error.ErrorMessage);
        Assert.NotEmpty(error.StackTrace);
        Assert.Equal("good", Assert.Single(client.Responses).RequestId);
    }

    [Fact]
    public async Task RunOnceAsync_EachInvocation_SetsItsTraceIdAndRequestIdWhileItRuns()
    {
        var client = new FakeRuntimeApiClient(TimeProvider.System);
        client.Enqueue("r1", "1", traceId: "Root=1-aaa");
        client.Enqueue("r2", "2", traceId: "Root=1-bbb");
        var handler = new EchoHandler();
        var bootstrap = new LambdaBootstrap(client, handler, NullLogger<LambdaBootstrap>.Instance);

        await bootstrap.RunOnceAsync(CancellationToken.None);
        await bootstrap.RunOnceAsync(CancellationToken.None);

        Assert.Equal([("r1", "Root=1-aaa", "r1"), ("r2", "Root=1-bbb", "r2")], handler.Seen);
        Assert.Null(LogContext.RequestId);
    }
}
