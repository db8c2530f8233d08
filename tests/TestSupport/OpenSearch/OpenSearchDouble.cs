using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace TestSupport.OpenSearch;

/// <summary>
/// An OpenSearch domain as the functions see it, on Kestrel at 127.0.0.1 (HTTP; TLS is the real
/// domain's business). It models the documented behaviour the writer depends on:
/// <list type="bullet">
/// <item><c>POST /_bulk</c> with per-item results in the response schema of the API specification
/// (<c>took</c>, <c>errors</c>, <c>items[].index{_index,_id,_version,result,_shards,_seq_no,_primary_term,status,error}</c>);</item>
/// <item>external versioning (<c>version_type=external|external_gte</c>) with 409 <c>version_conflict_engine_exception</c>;</item>
/// <item>basic authentication with a password that can change (401 until the client re-reads it);</item>
/// <item>a maximum request size (413), per-item 429s, whole-request 429/502/503/504, dropped
/// connections, latency, and per-document mapping rejections (400 <c>mapper_parsing_exception</c>);</item>
/// <item>the body read by OpenSearch's rules (<see cref="BulkBodyParser"/>) before anything is stored: a
/// malformed action line (a document spread over several lines), a missing final newline or a request that
/// fails validation (an <c>_id</c> over 512 bytes) refuses the whole request with 400 and OpenSearch's
/// error, storing nothing; a document line that is complete but not a valid JSON object fails only its
/// own item (400 <c>mapper_parsing_exception</c>, "failed to parse");</item>
/// <item><c>PUT/GET _index_template</c>, <c>GET {index}/_doc/{id}</c>, <c>GET {pattern}/_count</c>.</item>
/// </list>
/// </summary>
public sealed class OpenSearchDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, StoredDocument>> _indices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _templates = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<BulkFault> _requestFaults = new();
    private readonly ConcurrentDictionary<string, int> _itemTooManyRequests = new(StringComparer.Ordinal);
    private readonly Lock _writeGate = new();
    private long _seqNo;
    private int _bulkRequests;
    private int _unauthorized;
    private long _bulkBytes;
    private long _items429;
    private long _requestsFailed;
    private long _requestsRefused;
    private readonly Random _shareRandom = new(20240601);

    private OpenSearchDouble(WebApplication app) => _app = app;

    /// <summary>The domain's endpoint, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The user the domain accepts.</summary>
    public string User { get; set; } = "admin";

    /// <summary>The password the domain accepts; change it to simulate a rotation.</summary>
    public string Password { get; set; } = "Admin-Passw0rd!";

    /// <summary>
    /// When set, the domain accepts only AWS SigV4-signed requests (IAM access policy, or OpenSearch
    /// Serverless): access key id to secret key. Requests are verified as AWS does, answering 403 with
    /// AWS's messages for an unknown key, a wrong signature, a stale date or a body that does not match
    /// <c>x-amz-content-sha256</c>.
    /// </summary>
    public Dictionary<string, string>? SigV4Keys { get; set; }

    /// <summary>The signing name the domain expects with <see cref="SigV4Keys"/>: es or aoss.</summary>
    public string SigV4Service { get; set; } = "es";

    /// <summary>The region the domain expects with <see cref="SigV4Keys"/>.</summary>
    public string SigV4Region { get; set; } = "us-east-1";

    /// <summary>Requests larger than this get 413 (http.max_content_length); null for no limit.</summary>
    public long? MaxContentLength { get; set; }

    /// <summary>Delay before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// Decides whether a document is refused for good (a mapping error): return the reason, or null to
    /// accept. Models a field whose type does not match the index mapping.
    /// </summary>
    public Func<string, JsonElement, string?>? RejectDocument { get; set; }

    /// <summary>
    /// Decides whether a document makes the domain refuse the whole request it is in (400
    /// <c>mapper_parsing_exception</c> for the request, nothing stored): return the reason, or null. Models
    /// a request-level refusal that a well-formed body can still meet.
    /// </summary>
    public Func<string, JsonElement, string?>? RefuseRequestFor { get; set; }

    /// <summary>The cluster setting <c>rest.action.multi.allow_explicit_index</c>; when false every request naming an index is refused.</summary>
    public bool AllowExplicitIndex { get; set; } = true;

    /// <summary>When true, every item of every bulk request answers 429 (the domain's write queue is full).</summary>
    public bool RejectAllItemsWithTooManyRequests { get; set; }

    /// <summary>
    /// Share (0 to 1) of bulk items answered 429 while the domain is otherwise healthy: a write queue that
    /// is full some of the time. Which items are refused is random, from a fixed seed.
    /// </summary>
    public double TooManyRequestsItemShare { get; set; }

    /// <summary>When set, every request (bulk or template) fails as a whole this way until it is cleared: an outage.</summary>
    public BulkFault? Outage { get; set; }

    /// <summary>Items refused with 429 so far, by <see cref="TooManyRequestsItemShare"/>, per-item rejections or <see cref="RejectAllItemsWithTooManyRequests"/>.</summary>
    public long ItemsRefusedWithTooManyRequests => Interlocked.Read(ref _items429);

    /// <summary>Requests failed as a whole so far, by <see cref="FailNextRequests"/> or <see cref="Outage"/>.</summary>
    public long RequestsFailed => Interlocked.Read(ref _requestsFailed);

    /// <summary>Bulk requests refused as a whole with 400 (malformed body, failed validation, <see cref="RefuseRequestFor"/>).</summary>
    public long RequestsRefused => Interlocked.Read(ref _requestsRefused);

    /// <summary>How many bulk requests arrived (authenticated or not).</summary>
    public int BulkRequests => Volatile.Read(ref _bulkRequests);

    /// <summary>How many requests were refused with 401.</summary>
    public int UnauthorizedRequests => Volatile.Read(ref _unauthorized);

    /// <summary>Bulk request bytes received.</summary>
    public long BulkBytes => Interlocked.Read(ref _bulkBytes);

    /// <summary>Largest single bulk request body received.</summary>
    public long LargestBulkRequest { get; private set; }

    /// <summary>Index templates installed, by name.</summary>
    public IReadOnlyDictionary<string, byte[]> Templates => _templates;

    /// <summary>Starts the double.</summary>
    public static async Task<OpenSearchDouble> StartAsync()
    {
        var builder = Kestrel.CreateBuilder();
        var app = builder.Build();
        var domain = new OpenSearchDouble(app);
        app.Use(domain.AuthenticateAsync);
        app.MapPost("/_bulk", domain.BulkAsync);
        app.MapPut("/_bulk", domain.BulkAsync);
        app.MapPut("/_index_template/{name}", domain.PutTemplateAsync);
        app.MapGet("/_index_template/{name}", (string name) => domain._templates.TryGetValue(name, out var body)
            ? Results.Text($"{{\"index_templates\":[{{\"name\":\"{name}\",\"index_template\":{Encoding.UTF8.GetString(body)}}}]}}", "application/json")
            : Results.Json(new { error = new { type = "resource_not_found_exception", reason = $"index template matching [{name}] not found" }, status = 404 }, statusCode: 404));
        app.MapGet("/{index}/_doc/{id}", (string index, string id) => domain.TryGet(index, id) is { } doc
            ? Results.Json(new { _index = doc.Index, _id = doc.Id, _version = doc.Version, found = true, _source = doc.Source })
            : Results.Json(new { _index = index, _id = id, found = false }, statusCode: 404));
        app.MapGet("/{pattern}/_count", (string pattern) => Results.Json(new { count = domain.Documents(pattern).Count, _shards = new { total = 1, successful = 1, skipped = 0, failed = 0 } }));
        app.MapGet("/", () => Results.Json(new { name = "double", cluster_name = "test", version = new { distribution = "opensearch", number = "2.11.0" }, tagline = "The OpenSearch Project: https://opensearch.org/" }));
        domain.Endpoint = await Kestrel.StartAsync(app);
        return domain;
    }

    /// <summary>Fails the next <paramref name="count"/> requests (bulk or template) as a whole with <paramref name="fault"/>.</summary>
    public void FailNextRequests(int count, BulkFault fault)
    {
        for (var i = 0; i < count; i++)
        {
            _requestFaults.Enqueue(fault);
        }
    }

    /// <summary>Answers 429 for the item with this id the next <paramref name="times"/> times it is sent.</summary>
    public void RejectItemWithTooManyRequests(string id, int times) => _itemTooManyRequests[id] = times;

    /// <summary>The stored document, or null.</summary>
    public StoredDocument? TryGet(string index, string id) =>
        _indices.TryGetValue(index, out var docs) && docs.TryGetValue(id, out var doc) ? doc : null;

    /// <summary>The documents of every index matching the pattern (a name, or a prefix ending in *; comma lists allowed).</summary>
    public IReadOnlyList<StoredDocument> Documents(string pattern = "*")
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var parts = pattern.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return _indices
            .Where(i => parts.Any(p => p.EndsWith('*') ? i.Key.StartsWith(p[..^1], StringComparison.Ordinal) : i.Key == p))
            .SelectMany(i => i.Value.Values)
            .ToList();
    }

    /// <summary>Names of the indices that hold documents.</summary>
    public IReadOnlyCollection<string> Indices => _indices.Keys.ToList();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AuthenticateAsync(HttpContext context, RequestDelegate next)
    {
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, context.RequestAborted);
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (SigV4Keys is not null)
        {
            if (await VerifySigV4Async(context) is { } refusal)
            {
                Interlocked.Increment(ref _unauthorized);
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new { message = refusal }, context.RequestAborted);
                return;
            }
        }
        else if (!string.Equals(header, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password)), StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _unauthorized);
            if (context.Request.Path.StartsWithSegments("/_bulk"))
            {
                Interlocked.Increment(ref _bulkRequests);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"OpenSearch Security\"";
            await context.Response.WriteAsync("Unauthorized", context.RequestAborted);
            return;
        }

        if (_requestFaults.TryDequeue(out var fault) || TryOutage(out fault))
        {
            Interlocked.Increment(ref _requestsFailed);
            if (context.Request.Path.StartsWithSegments("/_bulk"))
            {
                Interlocked.Increment(ref _bulkRequests);
            }

            await WriteFaultAsync(context, fault);
            return;
        }

        await next(context);
    }

    private async Task<string?> VerifySigV4Async(HttpContext context)
    {
        // The signature is recomputed with the project's SigV4Signer, which its own tests hold to the
        // published AWS test suite and to botocore; here it checks what the client put on the wire.
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        var match = System.Text.RegularExpressions.Regex.Match(authorization, "^AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$");
        if (!match.Success)
        {
            return "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.";
        }

        var (accessKey, region, service, signedHeaders, signature) = (match.Groups[1].Value, match.Groups[3].Value, match.Groups[4].Value, match.Groups[5].Value.Split(';'), match.Groups[6].Value);
        if (!SigV4Keys!.TryGetValue(accessKey, out var secret))
        {
            return "The security token included in the request is invalid.";
        }

        if (region != SigV4Region || service != SigV4Service)
        {
            return $"Credential should be scoped to a valid region and service: expected {SigV4Region}/{SigV4Service}, got {region}/{service}.";
        }

        var amzDate = request.Headers["x-amz-date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            || (DateTimeOffset.UtcNow - signedAt).Duration() > TimeSpan.FromMinutes(15))
        {
            return "Signature expired: the request time is more than 15 minutes from the server time.";
        }

        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        request.Body.Position = 0;
        var payloadHash = Shared.Aws.SigV4Signer.PayloadHash(buffer.ToArray());
        if (request.Headers["x-amz-content-sha256"].ToString() != payloadHash)
        {
            return "The provided 'x-amz-content-sha256' header does not match what was computed.";
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in signedHeaders)
        {
            headers[name] = name == "host" ? request.Host.Value ?? string.Empty : request.Headers[name].ToString();
        }

        var expected = Shared.Aws.SigV4Signer.Sign(
            new Shared.Aws.SigV4Request
            {
                Method = request.Method,
                Path = request.Path.Value ?? "/",
                Query = request.QueryString.Value ?? string.Empty,
                Headers = headers,
                PayloadHash = payloadHash,
                AmzDate = amzDate,
                Region = region,
                Service = service,
                AccessKey = accessKey,
            },
            secret);
        return expected.Signature == signature
            ? null
            : "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.";
    }

    private static async Task WriteFaultAsync(HttpContext context, BulkFault fault)
    {
        switch (fault)
        {
            case BulkFault.DropConnection:
                context.Abort();
                return;
            case BulkFault.BadGateway:
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
                await context.Response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>");
                return;
            case BulkFault.GatewayTimeout:
                context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
                await context.Response.WriteAsync("<html><body><h1>504 Gateway Time-out</h1></body></html>");
                return;
            case BulkFault.TooManyRequests:
                await WriteErrorAsync(context, 429, "es_rejected_execution_exception", "rejected execution of coordinating operation [coordinating_and_primary_bytes=104857600, max_coordinating_and_primary_bytes=104857600]");
                return;
            case BulkFault.InternalServerError:
                await WriteErrorAsync(context, 500, "exception", "internal error");
                return;
            default:
                await WriteErrorAsync(context, 503, "cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE/2/no master];");
                return;
        }
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string type, string reason)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = new { root_cause = new[] { new { type, reason } }, type, reason }, status });
    }

    private async Task PutTemplateAsync(HttpContext context, string name)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        try
        {
            using var parsed = JsonDocument.Parse(buffer.ToArray());
            if (!parsed.RootElement.TryGetProperty("index_patterns", out _))
            {
                await WriteErrorAsync(context, 400, "action_request_validation_exception", "Validation Failed: 1: index patterns are missing;");
                return;
            }
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(context, 400, "parse_exception", ex.Message);
            return;
        }

        _templates[name] = buffer.ToArray();
        await context.Response.WriteAsJsonAsync(new { acknowledged = true });
    }

    private async Task BulkAsync(HttpContext context)
    {
        Interlocked.Increment(ref _bulkRequests);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        Interlocked.Add(ref _bulkBytes, body.Length);
        lock (_writeGate)
        {
            LargestBulkRequest = Math.Max(LargestBulkRequest, body.Length);
        }

        if (MaxContentLength is { } max && body.Length > max)
        {
            await WriteErrorAsync(context, 413, "content_too_long_exception", $"request body of {body.Length} bytes exceeds the limit of {max} bytes");
            return;
        }

        var started = DateTime.UtcNow;
        // filter_path=errors,items.*.status,items.*.error (what the writer asks for): only those members.
        var filtered = context.Request.Query.TryGetValue("filter_path", out var filter) && filter.ToString().Contains("items.*.status", StringComparison.Ordinal);

        // As OpenSearch does: the whole body is read and validated first; a refusal stores nothing.
        IReadOnlyList<BulkOperation> operations;
        try
        {
            operations = BulkBodyParser.Parse(body, AllowExplicitIndex);
            if (RefuseRequestFor is { } refuse)
            {
                foreach (var operation in operations)
                {
                    if (ParseSource(operation.Source, out _) is { } source && refuse(operation.Index!, source) is { } reason)
                    {
                        throw new BulkRequestRefusedException("mapper_parsing_exception", reason);
                    }
                }
            }
        }
        catch (BulkRequestRefusedException refused)
        {
            Interlocked.Increment(ref _requestsRefused);
            await WriteErrorAsync(context, 400, refused.Type, refused.Message);
            return;
        }

        var items = new List<string>();
        var errors = false;
        foreach (var operation in operations)
        {
            var item = Apply(operation, ref errors);
            items.Add(filtered ? Filter(item) : item);
        }

        var took = (int)(DateTime.UtcNow - started).TotalMilliseconds;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(filtered
            ? $"{{\"errors\":{(errors ? "true" : "false")},\"items\":[{string.Join(',', items)}]}}"
            : $"{{\"took\":{took},\"errors\":{(errors ? "true" : "false")},\"items\":[{string.Join(',', items)}]}}");
    }

    private string Apply(BulkOperation operation, ref bool errors)
    {
        var op = operation.Action;
        var index = operation.Index!;
        var id = operation.Id ?? Guid.NewGuid().ToString("N");
        var version = operation.Version;
        var versionType = operation.VersionType;
        if (op is not ("index" or "create"))
        {
            errors = true;
            return ErrorItem(op, index, id, 400, "illegal_argument_exception", $"the double supports only index and create, not {op}");
        }

        // The source is parsed only now, for its own item, as the shard does.
        if (ParseSource(operation.Source, out var problem) is not { } source)
        {
            errors = true;
            return ErrorItem(op, index, id, 400, "mapper_parsing_exception", problem.Reason, problem.CausedBy);
        }

        if (RejectAllItemsWithTooManyRequests
            || (_itemTooManyRequests.TryGetValue(id, out var left) && left > 0 && _itemTooManyRequests.TryUpdate(id, left - 1, left))
            || RefusedByShare())
        {
            Interlocked.Increment(ref _items429);
            errors = true;
            return ErrorItem(op, index, id, 429, "es_rejected_execution_exception", "rejected execution of primary operation [shard_detail=[" + index + "][0][P], shard_max_coordinating_and_primary_bytes=0]");
        }

        if (RejectDocument?.Invoke(index, source) is { } reason)
        {
            errors = true;
            return ErrorItem(op, index, id, 400, "mapper_parsing_exception", reason);
        }

        var docs = _indices.GetOrAdd(index, _ => new ConcurrentDictionary<string, StoredDocument>(StringComparer.Ordinal));
        lock (_writeGate)
        {
            docs.TryGetValue(id, out var existing);
            if (version is { } newVersion && existing is not null)
            {
                var conflict = versionType switch
                {
                    "external_gte" => newVersion < existing.Version,
                    "external" => newVersion <= existing.Version,
                    _ => false,
                };
                if (conflict)
                {
                    // OpenSearch's VersionType.explainConflictForWrites, per type: external refuses an equal version too.
                    errors = true;
                    return ErrorItem(op, index, id, 409, "version_conflict_engine_exception",
                        $"[{id}]: version conflict, current version [{existing.Version}] is {(versionType == "external" ? "higher or equal to" : "higher than")} the one provided [{newVersion}]");
                }
            }

            if (op == "create" && existing is not null)
            {
                errors = true;
                return ErrorItem(op, index, id, 409, "version_conflict_engine_exception", $"[{id}]: version conflict, document already exists (current version [{existing.Version}])");
            }

            var storedVersion = version ?? ((existing?.Version ?? 0) + 1);
            var stored = new StoredDocument(index, id, storedVersion, source, (existing?.Writes ?? 0) + 1)
            {
                // A rewrite of the same version (a redelivery) does not make the version newer.
                StoredAt = existing is not null && existing.Version == storedVersion ? existing.StoredAt : DateTimeOffset.UtcNow,
            };
            docs[id] = stored;
            var seq = ++_seqNo;
            var status = existing is null ? 201 : 200;
            var result = existing is null ? "created" : "updated";
            return $"{{\"{op}\":{{\"_index\":{Quote(index)},\"_id\":{Quote(id)},\"_version\":{stored.Version.ToString(CultureInfo.InvariantCulture)},\"result\":\"{result}\",\"_shards\":{{\"total\":2,\"successful\":1,\"failed\":0}},\"_seq_no\":{seq.ToString(CultureInfo.InvariantCulture)},\"_primary_term\":1,\"status\":{status.ToString(CultureInfo.InvariantCulture)}}}}}";
        }
    }

    /// <summary>
    /// The source as the shard parses it (DocumentParser): one JSON object, or null with why not, in
    /// OpenSearch's words: empty, not UTF-8 or not JSON ("failed to parse", caused by the JSON parser's
    /// error), or JSON that is not an object.
    /// </summary>
    private static JsonElement? ParseSource(ReadOnlyMemory<byte> source, out (string Reason, (string Type, string Reason)? CausedBy) problem)
    {
        problem = default;
        if (source.IsEmpty)
        {
            problem = ("failed to parse, document is empty", null);
            return null;
        }

        if (!System.Text.Unicode.Utf8.IsValid(source.Span))
        {
            problem = ("failed to parse", ("json_parse_exception", "Invalid UTF-8 start byte"));
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(source, new JsonDocumentOptions { MaxDepth = 1000 });
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = ("Malformed content, must start with an object", null);
                return null;
            }

            return json.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            problem = ("failed to parse", ("json_parse_exception", ex.Message));
            return null;
        }
    }

    private bool TryOutage(out BulkFault fault)
    {
        fault = Outage ?? default;
        return Outage.HasValue;
    }

    private bool RefusedByShare()
    {
        var share = TooManyRequestsItemShare;
        if (share <= 0)
        {
            return false;
        }

        lock (_shareRandom)
        {
            return _shareRandom.NextDouble() < share;
        }
    }

    private static string Filter(string item)
    {
        using var json = JsonDocument.Parse(item);
        var op = json.RootElement.EnumerateObject().Single();
        var result = op.Value.TryGetProperty("error", out var error)
            ? $"{{\"status\":{op.Value.GetProperty("status").GetInt32().ToString(CultureInfo.InvariantCulture)},\"error\":{error.GetRawText()}}}"
            : $"{{\"status\":{op.Value.GetProperty("status").GetInt32().ToString(CultureInfo.InvariantCulture)}}}";
        return $"{{\"{op.Name}\":{result}}}";
    }

    private static string ErrorItem(string op, string index, string id, int status, string type, string reason, (string Type, string Reason)? causedBy = null) =>
        $"{{\"{op}\":{{\"_index\":{Quote(index)},\"_id\":{Quote(id)},\"status\":{status.ToString(CultureInfo.InvariantCulture)},\"error\":{{\"type\":{Quote(type)},\"reason\":{Quote(reason)},\"index\":{Quote(index)},\"shard\":\"0\",\"index_uuid\":\"aAsFqTI0Tc2W0LCWgPNrOA\"{(causedBy is { } cause ? $",\"caused_by\":{{\"type\":{Quote(cause.Type)},\"reason\":{Quote(cause.Reason)}}}" : string.Empty)}}}}}}}";

    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
