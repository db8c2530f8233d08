using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TestSupport;

namespace SetupFunction.Tests.Doubles;

/// <summary>
/// Lambda's <c>Invoke</c> API (<c>POST /2015-03-31/functions/{name}/invocations</c>): runs the given function with the
/// payload and answers its result with 200; a function that failed answers 200 too, with
/// <c>X-Amz-Function-Error: Unhandled</c> and its error document; an unknown function is 404
/// <c>ResourceNotFoundException</c>.
/// </summary>
public sealed class LambdaInvokeDouble : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LambdaInvokeDouble(WebApplication app) => _app = app;

    public sealed record Invocation(string FunctionName, string? InvocationType, string Payload);

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Functions by name: payload in, result and function error (or null) out.</summary>
    public ConcurrentDictionary<string, Func<byte[], Task<(byte[] Result, string? FunctionError)>>> Functions { get; } = new();

    public ConcurrentQueue<Invocation> Invocations { get; } = new();

    public static async Task<LambdaInvokeDouble> StartAsync()
    {
        var app = Kestrel.CreateBuilder().Build();
        var lambda = new LambdaInvokeDouble(app);
        app.MapPost("/2015-03-31/functions/{name}/invocations", async (string name, HttpRequest request, HttpResponse response) =>
        {
            using var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy);
            var payload = copy.ToArray();
            lambda.Invocations.Enqueue(new Invocation(name, request.Headers["X-Amz-Invocation-Type"].FirstOrDefault(), System.Text.Encoding.UTF8.GetString(payload)));
            if (!lambda.Functions.TryGetValue(name, out var function))
            {
                response.StatusCode = 404;
                response.Headers["x-amzn-ErrorType"] = "ResourceNotFoundException";
                await response.WriteAsync($"{{\"Type\":\"User\",\"message\":\"Function not found: arn:aws:lambda:us-east-1:123456789012:function:{name}\"}}");
                return;
            }

            var (result, error) = await function(payload);
            if (error is not null)
            {
                response.Headers["X-Amz-Function-Error"] = error;
            }

            response.ContentType = "application/json";
            await response.Body.WriteAsync(result);
        });
        lambda.Endpoint = await Kestrel.StartAsync(app);
        return lambda;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
