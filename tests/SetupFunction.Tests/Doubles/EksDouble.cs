using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TestSupport;

namespace SetupFunction.Tests.Doubles;

/// <summary>
/// The EKS control plane's REST-JSON API for logging, as documented: <c>GET /clusters/{name}</c> answers the cluster
/// with <c>logging.clusterLogging</c> (one group of enabled types and one of disabled ones); <c>POST
/// /clusters/{name}/update-config</c> starts an update (<c>{"update":{"id","status":"InProgress","type":"LoggingUpdate"}}</c>),
/// refuses one that changes nothing with 400 <c>InvalidParameterException</c> "No changes needed for the logging config
/// provided", and one while another update runs with 409 <c>ResourceInUseException</c>. An unknown cluster is 404
/// <c>ResourceNotFoundException</c>. Errors carry the code in <c>x-amzn-ErrorType</c> and a <c>message</c>, as EKS sends them.
/// </summary>
public sealed class EksDouble : IAsyncDisposable
{
    private static readonly string[] AllTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
    private readonly WebApplication _app;
    private int _inUse;

    private EksDouble(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Clusters by name, with their enabled log types.</summary>
    public ConcurrentDictionary<string, HashSet<string>> Clusters { get; } = new();

    public ConcurrentQueue<string> Updates { get; } = new();

    /// <summary>When set, every call is refused this way (status, code, message), e.g. 403 AccessDeniedException.</summary>
    public (int Status, string Code, string Message)? Refuse { get; set; }

    /// <summary>Refuses the next updates with ResourceInUseException, as while another update runs.</summary>
    public void RefuseUpdatesInUse(int count) => Volatile.Write(ref _inUse, count);

    public static async Task<EksDouble> StartAsync()
    {
        var app = Kestrel.CreateBuilder().Build();
        var eks = new EksDouble(app);
        app.MapGet("/clusters/{name}", (string name) => eks.Refused() ?? (eks.Clusters.TryGetValue(name, out var enabled)
            ? Results.Json(new JsonObject
            {
                ["cluster"] = new JsonObject
                {
                    ["name"] = name,
                    ["status"] = "ACTIVE",
                    ["logging"] = new JsonObject
                    {
                        ["clusterLogging"] = new JsonArray(
                            new JsonObject { ["types"] = new JsonArray(AllTypes.Where(enabled.Contains).Select(t => (JsonNode)t).ToArray()), ["enabled"] = true },
                            new JsonObject { ["types"] = new JsonArray(AllTypes.Where(t => !enabled.Contains(t)).Select(t => (JsonNode)t).ToArray()), ["enabled"] = false }),
                    },
                },
            })
            : Error(404, "ResourceNotFoundException", $"No cluster found for name: {name}.")));
        app.MapPost("/clusters/{name}/update-config", async (string name, HttpRequest request) =>
        {
            if (eks.Refused() is { } refused)
            {
                return refused;
            }

            if (!eks.Clusters.TryGetValue(name, out var enabled))
            {
                return Error(404, "ResourceNotFoundException", $"No cluster found for name: {name}.");
            }

            if (Interlocked.Decrement(ref eks._inUse) >= 0)
            {
                return Error(409, "ResourceInUseException", "Cannot UpdateClusterConfig because cluster currently has update in progress");
            }

            var body = (await JsonNode.ParseAsync(request.Body))!;
            var changes = 0;
            lock (enabled)
            {
                foreach (var group in body["logging"]!["clusterLogging"]!.AsArray())
                {
                    foreach (var type in group!["types"]!.AsArray().Select(t => t!.GetValue<string>()))
                    {
                        var on = group["enabled"]!.GetValue<bool>();
                        changes += on ? (enabled.Add(type) ? 1 : 0) : (enabled.Remove(type) ? 1 : 0);
                    }
                }
            }

            if (changes == 0)
            {
                return Error(400, "InvalidParameterException", "No changes needed for the logging config provided");
            }

            var id = Guid.NewGuid().ToString();
            eks.Updates.Enqueue(body.ToJsonString());
            return Results.Json(new JsonObject { ["update"] = new JsonObject { ["id"] = id, ["status"] = "InProgress", ["type"] = "LoggingUpdate" } });
        });
        eks.Endpoint = await Kestrel.StartAsync(app);
        return eks;
    }

    private IResult? Refused() => Refuse is { } r ? Error(r.Status, r.Code, r.Message) : null;

    private static IResult Error(int status, string code, string message) => new ErrorResult(status, code, message);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class ErrorResult(int status, string code, string message) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers["x-amzn-ErrorType"] = $"{code}:http://internal.amazon.com/coral/com.amazonaws.eks/";
            httpContext.Response.ContentType = "application/json";
            await httpContext.Response.WriteAsync(new JsonObject { ["message"] = message }.ToJsonString());
        }
    }
}
