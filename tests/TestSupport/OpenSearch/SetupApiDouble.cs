using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TestSupport.OpenSearch;

/// <summary>
/// The parts of an OpenSearch domain (or Serverless collection) and its Dashboards that the setup writes to and
/// <c>verify</c> reads, with their documented behaviour: basic auth (401); index templates replaced by PUT and read
/// by GET (404 when missing); ISM policies that answer 409 when they exist and demand the current
/// <c>if_seq_no</c>/<c>if_primary_term</c> to update; <c>_ism/add</c> reporting indices that already have a policy as
/// failed; a saved-objects import that refuses a request without the <c>osd-xsrf</c> header (400) and reads the
/// multipart <c>file</c> field, and saved objects read back by type and id; <c>_resolve/index</c>, <c>DELETE
/// &lt;index&gt;</c>; <c>_bulk</c> index actions with external versions (409 for an older one); and <c>_count</c>
/// with a <c>range</c> on <c>@timestamp</c> of the form <c>now-&lt;n&gt;m</c>.
/// </summary>
/// <remarks>
/// With <see cref="Serverless"/> it answers as an OpenSearch Serverless collection does: no <c>_plugins</c> APIs and no
/// Dashboards API (404), and, per <see cref="Versioning"/>, external versions honoured, accepted but ignored, or a
/// client-chosen <c>_id</c> refused item by item the way time-series collections refuse it.
/// </remarks>
public sealed class SetupApiDouble : IAsyncDisposable
{
    public const string User = "admin";
    public const string Password = "S3cret-pass!";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (JsonNode Policy, long SeqNo)> _policies = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, (long Version, JsonNode Source)>> _documents = new();
    private long _seqNo;

    private SetupApiDouble(WebApplication app) => _app = app;

    /// <summary>What a collection in Serverless mode does with a client-chosen id and an external version.</summary>
    public enum ServerlessVersioning
    {
        /// <summary>As a domain: an older external version is refused with 409.</summary>
        Honoured,

        /// <summary>The write is accepted and replaces the document whatever its version.</summary>
        Ignored,

        /// <summary>A time-series collection: every index action with an <c>_id</c> is refused (400).</summary>
        RefusesClientIds,
    }

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Answer as an OpenSearch Serverless collection.</summary>
    public bool Serverless { get; set; }

    /// <summary>With <see cref="Serverless"/>: how writes with an external version are treated.</summary>
    public ServerlessVersioning Versioning { get; set; } = ServerlessVersioning.Honoured;

    /// <summary>The clock of <c>now-…</c> in range queries.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public ConcurrentDictionary<string, JsonNode> Templates { get; } = new();

    /// <summary>Indices that exist, and the policy each is managed by (null: none).</summary>
    public ConcurrentDictionary<string, string?> Indices { get; } = new();

    public ConcurrentQueue<ImportRequest> Imports { get; } = new();

    /// <summary>Saved objects by type/id, as Dashboards would hold them after the imports.</summary>
    public ConcurrentDictionary<string, JsonObject> SavedObjects { get; } = new();

    public ConcurrentQueue<string> Requests { get; } = new();

    public IReadOnlyDictionary<string, JsonNode> Policies => _policies.ToDictionary(p => p.Key, p => p.Value.Policy);

    public sealed record ImportRequest(string Query, string? Xsrf, string? FileName, string? FileContentType, string Body);

    /// <summary>Stores a document as the functions would have (the index is created if needed).</summary>
    public void AddDocument(string index, string id, DateTimeOffset timestamp)
    {
        Indices.TryAdd(index, null);
        _documents.GetOrAdd(index, _ => new())[id] = (1, new JsonObject { ["@timestamp"] = timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) });
    }

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

            var path = context.Request.Path.Value ?? string.Empty;
            if (domain.Serverless && (path.StartsWith("/_plugins/", StringComparison.Ordinal) || path.StartsWith("/_dashboards/", StringComparison.Ordinal)))
            {
                // Serverless has neither ISM nor a Dashboards API on the collection endpoint.
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("{\"error\":\"not found\"}");
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
        app.MapGet("/_index_template/{name}", (string name) => domain.Templates.TryGetValue(name, out var body)
            ? Results.Json(new JsonObject { ["index_templates"] = new JsonArray(new JsonObject { ["name"] = name, ["index_template"] = body.DeepClone() }) })
            : Results.Json(new { error = new { type = "resource_not_found_exception", reason = $"index template matching [{name}] not found" }, status = 404 }, statusCode: 404));
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
        app.MapGet("/_dashboards/api/saved_objects/{type}/{id}", (string type, string id) => domain.SavedObjects.TryGetValue($"{type}/{id}", out var o)
            ? Results.Json(o)
            : Results.Json(new { statusCode = 404, error = "Not Found", message = $"Saved object [{type}/{id}] not found" }, statusCode: 404));
        app.MapGet("/_resolve/index/{pattern}", (string pattern) => Results.Json(new JsonObject
        {
            ["indices"] = new JsonArray(domain.Indices.Keys.Where(i => Matches(i, pattern)).Order(StringComparer.Ordinal)
                .Select(i => (JsonNode)new JsonObject { ["name"] = i, ["attributes"] = new JsonArray("open") }).ToArray()),
            ["aliases"] = new JsonArray(),
            ["data_streams"] = new JsonArray(),
        }));
        app.MapDelete("/{index}", (string index) =>
        {
            if (!domain.Indices.TryRemove(index, out _))
            {
                return Results.Json(new { error = new { type = "index_not_found_exception", reason = $"no such index [{index}]" }, status = 404 }, statusCode: 404);
            }

            domain._documents.TryRemove(index, out _);
            return Results.Json(new { acknowledged = true });
        });
        app.MapPost("/_bulk", domain.BulkAsync);
        app.MapPost("/{pattern}/_count", domain.CountAsync);
        domain.Endpoint = await Kestrel.StartAsync(app);
        return domain;
    }

    private static bool Matches(string index, string pattern) =>
        pattern.EndsWith('*') ? index.StartsWith(pattern[..^1], StringComparison.Ordinal) : index == pattern;

    private async Task<IResult> BulkAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var items = new JsonArray();
        var errors = false;
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            var action = JsonNode.Parse(lines[i])!["index"]!;
            var index = action["_index"]!.GetValue<string>();
            var id = action["_id"]?.GetValue<string>();
            var version = action["version"]?.GetValue<long>();
            var status = 201;
            JsonObject? error = null;
            if (Serverless && Versioning == ServerlessVersioning.RefusesClientIds && id is not null)
            {
                status = 400;
                error = new JsonObject { ["type"] = "illegal_argument_exception", ["reason"] = "Document ID is not supported in create/index operation request" };
            }
            else
            {
                Indices.TryAdd(index, null);
                var docs = _documents.GetOrAdd(index, _ => new());
                id ??= Guid.NewGuid().ToString("N");
                var enforce = version is not null && (!Serverless || Versioning == ServerlessVersioning.Honoured);
                if (enforce && docs.TryGetValue(id, out var existing) && existing.Version > version)
                {
                    status = 409;
                    error = new JsonObject { ["type"] = "version_conflict_engine_exception", ["reason"] = $"[{id}]: version conflict, current version [{existing.Version}] is higher than the one provided [{version}]" };
                }
                else
                {
                    status = docs.ContainsKey(id) ? 200 : 201;
                    docs[id] = (version ?? 1, JsonNode.Parse(lines[i + 1])!);
                }
            }

            errors |= status >= 300;
            var item = new JsonObject { ["_index"] = index, ["_id"] = id, ["status"] = status };
            if (error is not null)
            {
                item["error"] = error;
            }

            items.Add(new JsonObject { ["index"] = item });
        }

        return Results.Json(new JsonObject { ["took"] = 1, ["errors"] = errors, ["items"] = items });
    }

    private async Task<IResult> CountAsync(string pattern, HttpRequest request)
    {
        var matching = Indices.Keys.Where(i => Matches(i, pattern)).ToList();
        if (matching.Count == 0 && !pattern.EndsWith('*'))
        {
            return Results.Json(new { error = new { type = "index_not_found_exception" }, status = 404 }, statusCode: 404);
        }

        var body = request.ContentLength > 0 ? await JsonNode.ParseAsync(request.Body) : null;
        var gte = body?["query"]?["range"]?["@timestamp"]?["gte"]?.GetValue<string>();
        DateTimeOffset? since = null;
        if (gte is not null)
        {
            // Only the form verify sends: now-<minutes>m.
            if (!gte.StartsWith("now-", StringComparison.Ordinal) || !gte.EndsWith('m'))
            {
                return Results.Json(new { error = new { type = "parse_exception", reason = $"unsupported date math [{gte}]" }, status = 400 }, statusCode: 400);
            }

            since = Time.GetUtcNow().AddMinutes(-int.Parse(gte[4..^1], CultureInfo.InvariantCulture));
        }

        var count = matching
            .SelectMany(i => _documents.TryGetValue(i, out var docs) ? docs.Values : [])
            .Count(d => since is null || (d.Source["@timestamp"]?.GetValue<string>() is { } t && DateTimeOffset.Parse(t, CultureInfo.InvariantCulture) >= since));
        return Results.Json(new { count, _shards = new { total = 1, successful = 1, skipped = 0, failed = 0 } });
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

        if (!hasSeqNo || !hasTerm || long.Parse(seqNoText.ToString(), CultureInfo.InvariantCulture) != existing.SeqNo || termText.ToString() != "1")
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
