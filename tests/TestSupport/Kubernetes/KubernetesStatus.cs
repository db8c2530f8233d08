using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TestSupport.Kubernetes;

/// <summary>
/// Writes answers the way the API server does: a failure is its HTTP status plus a meta/v1 Status body
/// naming the reason (NotFound, Conflict, Expired...), which is what client libraries read to decide
/// whether to retry, relist or give up.
/// </summary>
internal static class KubernetesStatus
{
    /// <summary>Answers <paramref name="code"/> with a Status body carrying <paramref name="reason"/> and <paramref name="message"/>.</summary>
    public static async Task WriteFailureAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Failure(code, reason, message).ToJsonString(), context.RequestAborted);
    }

    /// <summary>Answers <paramref name="code"/> with an object's JSON.</summary>
    public static async Task WriteObjectAsync(HttpContext context, string json, int code = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>The Status object of a failure, as an HTTP body or as the object of a watch ERROR event.</summary>
    public static JsonObject Failure(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };
}
