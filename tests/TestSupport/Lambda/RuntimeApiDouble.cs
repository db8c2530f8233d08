using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TestSupport.Lambda;

/// <summary>
/// The Lambda Runtime API 2018-06-01 as a function sees it: <c>next</c> blocks until a test queues an
/// event; <c>response</c>, <c>error</c> and <c>init/error</c> are recorded and complete the test's task.
/// </summary>
public sealed class RuntimeApiDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<string, Pending> _inFlight = new();
    private readonly TaskCompletionSource<InvocationOutcome> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextRequests;

    private RuntimeApiDouble(WebApplication app) => _app = app;

    /// <summary>host:port, the value of AWS_LAMBDA_RUNTIME_API.</summary>
    public string HostAndPort { get; private set; } = string.Empty;

    /// <summary>Completes when the function reports an init error.</summary>
    public Task<InvocationOutcome> InitError => _initError.Task;

    /// <summary>Sends events chunked, without Content-Length, in pieces of 7,000 bytes (Lambda itself always sends the length).</summary>
    public bool Chunked { get; set; }

    /// <summary>How many times the function asked for the next event.</summary>
    public int NextRequests => Volatile.Read(ref _nextRequests);

    /// <summary>Starts the double.</summary>
    public static async Task<RuntimeApiDouble> StartAsync()
    {
        var builder = Kestrel.CreateBuilder();
        var app = builder.Build();
        var api = new RuntimeApiDouble(app);
        app.MapGet("/2018-06-01/runtime/invocation/next", api.NextAsync);
        app.MapPost("/2018-06-01/runtime/invocation/{id}/response", (string id, HttpRequest request) => api.CompleteAsync(id, request, isError: false));
        app.MapPost("/2018-06-01/runtime/invocation/{id}/error", (string id, HttpRequest request) => api.CompleteAsync(id, request, isError: true));
        app.MapPost("/2018-06-01/runtime/init/error", api.InitErrorAsync);
        var address = await Kestrel.StartAsync(app);
        api.HostAndPort = $"{address.Host}:{address.Port}";
        return api;
    }

    /// <summary>Queues an event; the task completes with the function's response or error.</summary>
    public Task<InvocationOutcome> InvokeAsync(ReadOnlyMemory<byte> payload, TimeSpan? timeout = null, string? requestId = null, string traceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
    {
        var pending = new Pending(
            requestId ?? Guid.NewGuid().ToString(),
            payload,
            timeout ?? TimeSpan.FromSeconds(30),
            traceId);
        _inFlight[pending.RequestId] = pending;
        _queue.Writer.TryWrite(pending);
        return pending.Outcome.Task;
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

        var headers = context.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = pending.RequestId;
        // As in Lambda, the function's time starts when it gets the event, not when the event was queued here.
        headers["Lambda-Runtime-Deadline-Ms"] = (DateTimeOffset.UtcNow + pending.Timeout).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:test-function";
        headers["Lambda-Runtime-Trace-Id"] = pending.TraceId;
        context.Response.ContentType = "application/json";
        if (!Chunked)
        {
            // As Lambda answers: with the event's length, not a chunked body.
            context.Response.ContentLength = pending.Payload.Length;
            await context.Response.Body.WriteAsync(pending.Payload, context.RequestAborted);
            return;
        }

        for (var at = 0; at < pending.Payload.Length; at += 7_000)
        {
            await context.Response.Body.WriteAsync(pending.Payload[at..Math.Min(at + 7_000, pending.Payload.Length)], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private async Task<IResult> CompleteAsync(string id, HttpRequest request, bool isError)
    {
        if (!_inFlight.TryRemove(id, out var pending))
        {
            return Results.Json(new { errorMessage = $"unknown request id {id}", errorType = "InvalidRequestID" }, statusCode: 400);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        pending.Outcome.TrySetResult(new InvocationOutcome(
            isError,
            buffer.ToArray(),
            isError ? request.Headers["Lambda-Runtime-Function-Error-Type"].ToString() : null,
            request.ContentType));
        return Results.Json(new { status = "OK" }, statusCode: 202);
    }

    private async Task<IResult> InitErrorAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        _initError.TrySetResult(new InvocationOutcome(true, buffer.ToArray(), request.Headers["Lambda-Runtime-Function-Error-Type"].ToString(), request.ContentType));
        return Results.Json(new { status = "OK" }, statusCode: 202);
    }

    private sealed record Pending(string RequestId, ReadOnlyMemory<byte> Payload, TimeSpan Timeout, string TraceId)
    {
        public TaskCompletionSource<InvocationOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
