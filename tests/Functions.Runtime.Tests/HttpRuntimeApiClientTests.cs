using System.Text;
using System.Text.Json;
using TestSupport.Lambda;

namespace Functions.Runtime.Tests;

public sealed class HttpRuntimeApiClientTests : IAsyncLifetime
{
    private RuntimeApiDouble _api = null!;

    public async Task InitializeAsync() => _api = await RuntimeApiDouble.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task GetNextInvocationAsync_EventQueued_ReadsPayloadAndContextHeaders()
    {
        using var client = new HttpRuntimeApiClient(_api.HostAndPort, "my-fn", TimeProvider.System);
        _ = _api.InvokeAsync("{\"x\":1}"u8.ToArray(), TimeSpan.FromSeconds(42), "req-9", "Root=1-xyz");

        var invocation = await client.GetNextInvocationAsync(CancellationToken.None);

        Assert.Equal("{\"x\":1}", Encoding.UTF8.GetString(invocation.Payload.Span));
        Assert.Equal("req-9", invocation.Context.AwsRequestId);
        Assert.Equal("Root=1-xyz", invocation.Context.TraceId);
        Assert.Equal("my-fn", invocation.Context.FunctionName);
        Assert.StartsWith("arn:aws:lambda:", invocation.Context.InvokedFunctionArn, StringComparison.Ordinal);
        Assert.InRange(invocation.Context.RemainingTime, TimeSpan.FromSeconds(38), TimeSpan.FromSeconds(42));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetNextInvocationAsync_EventsOfChangingSizes_EachReadWhole(bool chunked)
    {
        // The client reads every event into one reused buffer: a small event after a large one must not
        // carry the large one's tail, and one larger than any before must not be cut.
        _api.Chunked = chunked;
        using var client = new HttpRuntimeApiClient(_api.HostAndPort, "my-fn", TimeProvider.System);
        var random = new Random(20261202);
        foreach (var size in new[] { 2, 65_535, 65_536, 65_537, 1_048_576, 10, 3_000_001, 0, 70_000 })
        {
            var payload = new byte[size];
            random.NextBytes(payload);
            var outcome = _api.InvokeAsync(payload, requestId: $"req-{size}");

            var invocation = await client.GetNextInvocationAsync(CancellationToken.None);

            Assert.Equal($"req-{size}", invocation.Context.AwsRequestId);
            Assert.True(payload.AsSpan().SequenceEqual(invocation.Payload.Span), $"the {size}-byte event was read as {invocation.Payload.Length} bytes that differ");
            await client.SendResponseAsync($"req-{size}", "{}"u8.ToArray(), CancellationToken.None);
            await outcome;
        }
    }

    [Fact]
    public async Task ReportInvocationErrorAsync_SendsLambdaErrorJsonAndErrorTypeHeader()
    {
        using var client = new HttpRuntimeApiClient(_api.HostAndPort, "my-fn", TimeProvider.System);
        var outcome = _api.InvokeAsync("{}"u8.ToArray(), requestId: "req-e");
        await client.GetNextInvocationAsync(CancellationToken.None);

        await client.ReportInvocationErrorAsync("req-e", new LambdaError { ErrorMessage = "bad thing", ErrorType = "BadThing", StackTrace = ["at x"] }, CancellationToken.None);

        var result = await outcome;
        Assert.True(result.IsError);
        Assert.Equal("BadThing", result.ErrorType);
        Assert.Equal("application/vnd.aws.lambda.error+json", result.ContentType);
        using var json = result.Json();
        Assert.Equal("bad thing", json.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("BadThing", json.RootElement.GetProperty("errorType").GetString());
        Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty("stackTrace").ValueKind);
    }

    [Fact]
    public async Task SendResponseAsync_PostsBodyForTheRequest()
    {
        using var client = new HttpRuntimeApiClient(_api.HostAndPort, "my-fn", TimeProvider.System);
        var outcome = _api.InvokeAsync("{}"u8.ToArray(), requestId: "req-r");
        await client.GetNextInvocationAsync(CancellationToken.None);

        await client.SendResponseAsync("req-r", "{\"batchItemFailures\":[]}"u8.ToArray(), CancellationToken.None);

        var result = await outcome;
        Assert.False(result.IsError);
        Assert.Equal("{\"batchItemFailures\":[]}", result.Text);
    }

    [Fact]
    public async Task ReportInitErrorAsync_PostsToInitError()
    {
        using var client = new HttpRuntimeApiClient(_api.HostAndPort, "my-fn", TimeProvider.System);

        await client.ReportInitErrorAsync(new LambdaError { ErrorMessage = "SSM parameter(s) not found: /p/password", ErrorType = "ConfigurationException" }, CancellationToken.None);

        var result = await _api.InitError;
        Assert.Equal("ConfigurationException", result.ErrorType);
        Assert.Contains("/p/password", result.Text, StringComparison.Ordinal);
    }
}
