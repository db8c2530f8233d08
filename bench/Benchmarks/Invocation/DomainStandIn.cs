using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Benchmarks.Invocation;

/// <summary>
/// An OpenSearch domain's <c>_bulk</c> and <c>_index_template</c> endpoints over TLS on loopback, with
/// keep-alive, answering every item as created. It answers as a domain does: the full per-item answer, or
/// only what <c>filter_path=errors,items.*.status,items.*.error</c> keeps when a client asks for that. It
/// stores nothing (the benchmark measures the clients, not the double), but counts the documents so the
/// driver can check that every line arrived.
/// </summary>
public sealed class DomainStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _documents;
    private long _seqNo;

    private DomainStandIn(WebApplication app) => _app = app;

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>Documents received in bulk requests so far.</summary>
    public long Documents => Interlocked.Read(ref _documents);

    /// <summary>Starts the stand-in with the certificate.</summary>
    public static async Task<DomainStandIn> StartAsync(LoopbackCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.Limits.MaxRequestBodySize = 256L * 1024 * 1024;
            o.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate.Certificate));
        });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var domain = new DomainStandIn(app);
        app.MapPost("/_bulk", domain.BulkAsync);
        app.MapPut("/_index_template/{name}", () => Results.Text("{\"acknowledged\":true}", "application/json"));
        await app.StartAsync();
        var address = app.Urls.First();
        domain.Port = new Uri(address).Port;
        return domain;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task BulkAsync(HttpContext context)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var body = new ArrayBufferWriter<byte>((int)(context.Request.ContentLength ?? 64 * 1024) + 1);
        while (true)
        {
            var read = await context.Request.Body.ReadAsync(body.GetMemory(64 * 1024));
            if (read == 0)
            {
                break;
            }

            body.Advance(read);
        }

        var filtered = context.Request.Query["filter_path"].ToString().Contains("items.*.status", StringComparison.Ordinal);
        var answer = new ArrayBufferWriter<byte>(body.WrittenCount / 8 + 256);
        var items = 0;
        using (var json = new Utf8JsonWriter(answer))
        {
            json.WriteStartObject();
            if (!filtered)
            {
                json.WriteNumber("took", (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            json.WriteBoolean("errors", false);
            json.WriteStartArray("items");
            var rest = body.WrittenSpan;
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOf((byte)'\n');
                var line = end < 0 ? rest : rest[..end];
                rest = end < 0 ? [] : rest[(end + 1)..];
                if (line.IsEmpty)
                {
                    continue;
                }

                var (action, index, id) = ReadAction(line);
                if (action != "delete")
                {
                    var sourceEnd = rest.IndexOf((byte)'\n');
                    rest = sourceEnd < 0 ? [] : rest[(sourceEnd + 1)..];
                }

                items++;
                json.WriteStartObject();
                json.WriteStartObject(action);
                if (!filtered)
                {
                    json.WriteString("_index", index);
                    json.WriteString("_id", id);
                    json.WriteNumber("_version", 1);
                    json.WriteString("result", "created");
                    json.WriteStartObject("_shards");
                    json.WriteNumber("total", 2);
                    json.WriteNumber("successful", 1);
                    json.WriteNumber("failed", 0);
                    json.WriteEndObject();
                    json.WriteNumber("_seq_no", Interlocked.Increment(ref _seqNo));
                    json.WriteNumber("_primary_term", 1);
                }

                json.WriteNumber("status", 201);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        Interlocked.Add(ref _documents, items);
        context.Response.ContentType = "application/json; charset=UTF-8";
        context.Response.ContentLength = answer.WrittenCount;
        await context.Response.Body.WriteAsync(answer.WrittenMemory);
    }

    private static (string Action, string Index, string Id) ReadAction(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        reader.Read(); // {
        reader.Read(); // the action's name
        var action = reader.GetString() ?? "index";
        reader.Read(); // {
        string index = string.Empty, id = string.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIndex = reader.ValueTextEquals("_index"u8);
            var isId = reader.ValueTextEquals("_id"u8);
            reader.Read();
            if (isIndex)
            {
                index = reader.GetString() ?? string.Empty;
            }
            else if (isId)
            {
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() ?? string.Empty : reader.GetInt64().ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                reader.Skip();
            }
        }

        return (action, index, id);
    }
}
