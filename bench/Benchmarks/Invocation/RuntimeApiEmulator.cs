using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TestSupport;

namespace Benchmarks.Invocation;

/// <summary>
/// A lean Lambda Runtime API for the process-level benchmark: <c>next</c> blocks until the driver queues an
/// event and answers with its length (as Lambda does, no chunked body); <c>response</c> and <c>error</c>
/// complete the driver's task. One invocation at a time, as Lambda hands them out.
/// </summary>
public sealed class RuntimeApiEmulator : IAsyncDisposable
{
    private readonly Microsoft.AspNetCore.Builder.WebApplication _app;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });
    private Pending? _current;
    private int _nextRequests;

    private RuntimeApiEmulator(Microsoft.AspNetCore.Builder.WebApplication app) => _app = app;

    /// <summary>host:port, the value of AWS_LAMBDA_RUNTIME_API.</summary>
    public string HostAndPort { get; private set; } = string.Empty;

    /// <summary>How many times a function asked for the next event.</summary>
    public int NextRequests => Volatile.Read(ref _nextRequests);

    /// <summary>The last init error a function reported, if any.</summary>
    public string? InitError { get; private set; }

    /// <summary>Starts the emulator on loopback.</summary>
    public static async Task<RuntimeApiEmulator> StartAsync()
    {
        var app = Kestrel.CreateBuilder().Build();
        var api = new RuntimeApiEmulator(app);
        app.MapGet("/2018-06-01/runtime/invocation/next", api.NextAsync);
        app.MapPost("/2018-06-01/runtime/invocation/{id}/response", (string id, HttpRequest request) => api.CompleteAsync(id, request, isError: false));
        app.MapPost("/2018-06-01/runtime/invocation/{id}/error", (string id, HttpRequest request) => api.CompleteAsync(id, request, isError: true));
        app.MapPost("/2018-06-01/runtime/init/error", api.InitErrorAsync);
        var address = await Kestrel.StartAsync(app);
        api.HostAndPort = $"{address.Host}:{address.Port}";
        return api;
    }

    /// <summary>Queues one event; completes with the function's answer.</summary>
    public Task<InvocationAnswer> InvokeAsync(ReadOnlyMemory<byte> payload)
    {
        var pending = new Pending(Guid.NewGuid().ToString(), payload);
        _queue.Writer.TryWrite(pending);
        return pending.Answer.Task;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task NextAsync(HttpContext context)
    {
        Interlocked.Increment(ref _nextRequests);
        Pending pending;
        try
        {
            pending = await _queue.Reader.ReadAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        _current = pending;
        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = pending.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:eu-west-1:123456789012:function:bench";
        headers["Lambda-Runtime-Trace-Id"] = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0";
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = pending.Payload.Length;
        await context.Response.Body.WriteAsync(pending.Payload, context.RequestAborted);
    }

    private async Task CompleteAsync(string id, HttpRequest request, bool isError)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var pending = _current;
        if (pending is null || pending.RequestId != id)
        {
            request.HttpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        _current = null;
        request.HttpContext.Response.StatusCode = StatusCodes.Status202Accepted;
        request.HttpContext.Response.ContentType = "application/json";
        await request.HttpContext.Response.WriteAsync("{\"status\":\"OK\"}");
        pending.Answer.TrySetResult(new InvocationAnswer(isError, buffer.ToArray()));
    }

    private async Task InitErrorAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        InitError = await reader.ReadToEndAsync();
        request.HttpContext.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private sealed record Pending(string RequestId, ReadOnlyMemory<byte> Payload)
    {
        public TaskCompletionSource<InvocationAnswer> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
