using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TestSupport;

namespace SetupFunction.Tests.Doubles;

/// <summary>
/// The pre-signed S3 URL CloudFormation gives a custom resource, as the function sees it: PUT the response, get
/// 200. It records each PUT (path and query, whether a Content-Type was sent, the body) and can fail the next
/// PUTs with an S3-like error, as a URL reached through a flaky network or a wrong signature would.
/// </summary>
public sealed class ResponseUrlDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failures;
    private int _failureStatus;

    private ResponseUrlDouble(WebApplication app) => _app = app;

    public sealed record Put(string PathAndQuery, string? ContentType, string Body);

    public Uri Endpoint { get; private set; } = null!;

    public ConcurrentQueue<Put> Puts { get; } = new();

    /// <summary>A URL shaped like CloudFormation's (a bucket key and a signature in the query).</summary>
    public string ResponseUrl(string key) =>
        new Uri(Endpoint, $"cloudformation-custom-resource-response-useast1/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-SignedHeaders=host&X-Amz-Signature=abc").ToString();

    public void FailNext(int count, int status)
    {
        _failureStatus = status;
        Volatile.Write(ref _failures, count);
    }

    public static async Task<ResponseUrlDouble> StartAsync()
    {
        var app = Kestrel.CreateBuilder().Build();
        var double_ = new ResponseUrlDouble(app);
        app.MapPut("/{**key}", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            double_.Puts.Enqueue(new Put($"{request.Path}{request.QueryString}", request.ContentType, body));
            if (Interlocked.Decrement(ref double_._failures) >= 0)
            {
                return Results.Text("<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>", "application/xml", statusCode: double_._failureStatus);
            }

            return Results.Ok();
        });
        double_.Endpoint = await Kestrel.StartAsync(app);
        return double_;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
