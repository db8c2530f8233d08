using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TestSupport;

namespace Benchmarks.Invocation;

/// <summary>
/// Where each implementation reads the domain's coordinates, answering at once: SSM's <c>GetParameters</c>
/// (JSON protocol, what our functions call once per process and then every <c>CREDENTIALS_TTL_SECONDS</c>)
/// and the AWS Parameters and Secrets Lambda Extension's <c>GET /systemsmanager/parameters/get</c> (what
/// the blueprint calls at every invocation; in Lambda that extension answers from its cache).
/// </summary>
public sealed class ParameterStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, string> _values;

    private ParameterStandIn(WebApplication app, Dictionary<string, string> values)
    {
        _app = app;
        _values = values;
    }

    /// <summary>The base address (http://127.0.0.1:port/).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Starts the stand-in serving <paramref name="values"/> (parameter name to value).</summary>
    public static async Task<ParameterStandIn> StartAsync(Dictionary<string, string> values)
    {
        var app = Kestrel.CreateBuilder().Build();
        var stand = new ParameterStandIn(app, values);
        app.MapPost("/", stand.GetParametersAsync);
        app.MapGet("/systemsmanager/parameters/get/", stand.GetParameter);
        stand.Endpoint = await Kestrel.StartAsync(app);
        return stand;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task GetParametersAsync(HttpContext context)
    {
        using var request = await JsonDocument.ParseAsync(context.Request.Body);
        var found = new List<object>();
        var invalid = new List<string>();
        foreach (var name in request.RootElement.GetProperty("Names").EnumerateArray().Select(n => n.GetString()!))
        {
            if (_values.TryGetValue(name, out var value))
            {
                found.Add(new Dictionary<string, object> { ["Name"] = name, ["Type"] = name.EndsWith("/host", StringComparison.Ordinal) ? "String" : "SecureString", ["Value"] = value, ["Version"] = 1 });
            }
            else
            {
                invalid.Add(name);
            }
        }

        context.Response.ContentType = "application/x-amz-json-1.1";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object> { ["InvalidParameters"] = invalid, ["Parameters"] = found }));
    }

    private IResult GetParameter(HttpContext context)
    {
        var name = context.Request.Query["name"].ToString();
        if (!_values.TryGetValue(name, out var value))
        {
            return Results.Text("parameter not found", statusCode: 400);
        }

        return Results.Text(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Parameter"] = new Dictionary<string, object?>
            {
                ["ARN"] = $"arn:aws:ssm:eu-west-1:123456789012:parameter{name}",
                ["DataType"] = "text",
                ["LastModifiedDate"] = "2024-03-01T10:00:00Z",
                ["Name"] = name,
                ["Selector"] = null,
                ["SourceResult"] = null,
                ["Type"] = "String",
                ["Value"] = value,
                ["Version"] = 1,
            },
            ["ResultFormat"] = "Json",
        }), "application/json");
    }
}
