using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TestSupport;

namespace OpenSearchSetup.Tests.Doubles;

/// <summary>
/// The parts of an OpenSearch domain and its Dashboards the setup writes to, with their documented
/// behaviour: basic auth (401), index templates replaced by PUT, ISM policies that answer 409 when they
/// exist and demand the current <c>if_seq_no</c>/<c>if_primary_term</c> to update, <c>_ism/add</c>
/// reporting indices that already have a policy as failed, and a saved-objects import that refuses a
/// request without the <c>osd-xsrf</c> header (400) and reads the multipart <c>file</c> field.
/// </summary>
public sealed class SetupApiDouble : IAsyncDisposable
{
    public const string User = "admin";
    public const string Password = "S3cret-pass!";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (JsonNode Policy, long SeqNo)> _policies = new();
    private long _seqNo;

    private SetupApiDouble(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public ConcurrentDictionary<string, JsonNode> Templates { get; } = new();

    /// <summary>Indices that exist, and the policy each is managed by (null: none).</summary>
    public ConcurrentDictionary<string, string?> Indices { get; } = new();

    public ConcurrentQueue<ImportRequest> Imports { get; } = new();

    /// <summary>Saved objects by type/id, as Dashboards would hold them after the imports.</summary>
    public ConcurrentDictionary<string, JsonObject> SavedObjects { get; } = new();

    public ConcurrentQueue<string> Requests { get; } = new();

    public IReadOnlyDictionary<string, JsonNode> Policies => _policies.ToDictionary(p => p.Key, p => p.Value.Policy);

    public sealed record ImportRequest(string Query, string? Xsrf, string? FileName, string? FileContentType, string Body);

    public static async Task<SetupApiDouble> StartAsync()
    {
        var app = Kestrel.CreateBuilder().Build();
        var domain = new SetupApiDouble(app);
        app.Use(async (context, next) =>
        {
            domain.Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
            if (context.Request.Headers.Authorization.ToString() != expected)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"OpenSearch Security\"";
                await context.Response.WriteAsync("Unauthorized");
                return;
            }

            await next(context);
        });
        app.MapPut("/_index_template/{name}", async (string name, HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            if (body?["index_patterns"] is not JsonArray || body["template"] is null)
            {
                return Results.Json(new { error = new { type = "x_content_parse_exception" }, status = 400 }, statusCode: 400);
            }

            domain.Templates[name] = body;
            return Results.Json(new { acknowledged = true });
        });
        app.MapPut("/_plugins/_ism/policies/{id}", domain.PutPolicyAsync);
        app.MapGet("/_plugins/_ism/policies/{id}", (string id) => domain._policies.TryGetValue(id, out var p)
            ? Results.Json(new JsonObject { ["_id"] = id, ["_version"] = 1, ["_seq_no"] = p.SeqNo, ["_primary_term"] = 1, ["policy"] = p.Policy["policy"]!.DeepClone() })
            : Results.Json(new { error = new { type = "status_exception", reason = "Policy not found" }, status = 404 }, statusCode: 404));
        app.MapPost("/_plugins/_ism/add/{pattern}", async (string pattern, HttpRequest request) =>
        {
            var policyId = (await JsonNode.ParseAsync(request.Body))!["policy_id"]!.GetValue<string>();
            var prefix = pattern.TrimEnd('*');
            var matching = domain.Indices.Keys.Where(i => i.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (matching.Count == 0)
            {
                return Results.Json(new { error = new { type = "index_not_found_exception" }, status = 404 }, statusCode: 404);
            }

            var failed = new JsonArray();
            var updated = 0;
            foreach (var index in matching)
            {
                if (domain.Indices[index] is not null)
                {
                    failed.Add(new JsonObject { ["index_name"] = index, ["reason"] = "This index already has a policy, use the update policy API to update index policies" });
                }
                else
                {
                    domain.Indices[index] = policyId;
                    updated++;
                }
            }

            return Results.Json(new JsonObject { ["updated_indices"] = updated, ["failures"] = failed.Count > 0, ["failed_indices"] = failed });
        });
        app.MapPost("/_dashboards/api/saved_objects/_import", domain.ImportAsync);
        domain.Endpoint = await Kestrel.StartAsync(app);
        return domain;
    }

    private async Task<IResult> PutPolicyAsync(string id, HttpRequest request)
    {
        var body = (await JsonNode.ParseAsync(request.Body))!;
        var hasSeqNo = request.Query.TryGetValue("if_seq_no", out var seqNoText);
        var hasTerm = request.Query.TryGetValue("if_primary_term", out var termText);
        if (!_policies.TryGetValue(id, out var existing))
        {
            if (hasSeqNo)
            {
                return Results.Json(new { error = new { type = "version_conflict_engine_exception" }, status = 409 }, statusCode: 409);
            }

            var created = Interlocked.Increment(ref _seqNo);
            _policies[id] = (body, created);
            return Results.Json(new JsonObject { ["_id"] = id, ["_seq_no"] = created, ["_primary_term"] = 1, ["policy"] = body["policy"]!.DeepClone() }, statusCode: 201);
        }

        if (!hasSeqNo || !hasTerm || long.Parse(seqNoText.ToString(), System.Globalization.CultureInfo.InvariantCulture) != existing.SeqNo || termText.ToString() != "1")
        {
            return Results.Json(new { error = new { type = "version_conflict_engine_exception", reason = $"[{id}]: version conflict, document already exists" }, status = 409 }, statusCode: 409);
        }

        var next = Interlocked.Increment(ref _seqNo);
        _policies[id] = (body, next);
        return Results.Json(new JsonObject { ["_id"] = id, ["_seq_no"] = next, ["_primary_term"] = 1, ["policy"] = body["policy"]!.DeepClone() });
    }

    private async Task<IResult> ImportAsync(HttpRequest request)
    {
        var xsrf = request.Headers.TryGetValue("osd-xsrf", out var header) ? header.ToString() : null;
        if (xsrf is null)
        {
            Imports.Enqueue(new ImportRequest(request.QueryString.Value ?? "", null, null, null, ""));
            return Results.Json(new { statusCode = 400, error = "Bad Request", message = "Request must contain a osd-xsrf header." }, statusCode: 400);
        }

        if (!request.HasFormContentType)
        {
            return Results.Json(new { statusCode = 415, error = "Unsupported Media Type" }, statusCode: 415);
        }

        var form = await request.ReadFormAsync();
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return Results.Json(new { statusCode = 400, error = "Bad Request", message = "[request body.file]: expected value of type [object] but got [undefined]" }, statusCode: 400);
        }

        using var reader = new StreamReader(file.OpenReadStream());
        var body = await reader.ReadToEndAsync();
        Imports.Enqueue(new ImportRequest(request.QueryString.Value ?? "", xsrf, file.FileName, file.ContentType, body));
        var overwrite = request.Query["overwrite"] == "true";
        var errors = new JsonArray();
        var count = 0;
        var objects = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        var inFile = objects.Select(o => $"{o["type"]}/{o["id"]}").ToHashSet(StringComparer.Ordinal);
        foreach (var o in objects)
        {
            var key = $"{o["type"]}/{o["id"]}";
            // Dashboards refuses an object whose index-pattern or search reference is neither in the file nor
            // saved already (validate_references: "missing_references"), and imports the others.
            var missing = (o["references"]?.AsArray() ?? []).Select(r => r!.AsObject())
                .Where(r => r["type"]!.GetValue<string>() is "index-pattern" or "search")
                .Where(r => !inFile.Contains($"{r["type"]}/{r["id"]}") && !SavedObjects.ContainsKey($"{r["type"]}/{r["id"]}"))
                .Select(r => (JsonNode)new JsonObject { ["type"] = r["type"]!.GetValue<string>(), ["id"] = r["id"]!.GetValue<string>() })
                .ToArray();
            if (missing.Length > 0)
            {
                errors.Add(new JsonObject { ["id"] = o["id"]!.GetValue<string>(), ["type"] = o["type"]!.GetValue<string>(), ["error"] = new JsonObject { ["type"] = "missing_references", ["references"] = new JsonArray(missing) } });
                continue;
            }

            if (SavedObjects.ContainsKey(key) && !overwrite)
            {
                errors.Add(new JsonObject { ["id"] = o["id"]!.GetValue<string>(), ["type"] = o["type"]!.GetValue<string>(), ["error"] = new JsonObject { ["type"] = "conflict" } });
                continue;
            }

            SavedObjects[key] = o;
            count++;
        }

        return Results.Json(new JsonObject { ["success"] = errors.Count == 0, ["successCount"] = count, ["errors"] = errors });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
