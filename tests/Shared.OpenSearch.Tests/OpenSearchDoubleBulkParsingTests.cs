using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TestSupport.OpenSearch;

namespace Shared.OpenSearch.Tests;

/// <summary>
/// The double must fail the way OpenSearch does (BulkRequestParser): a line break inside a document
/// refuses the whole request with 400 and stores nothing; a complete line that is not a valid JSON
/// object fails only its own item. Otherwise a test could pass against a double that stores what it can.
/// </summary>
public sealed class OpenSearchDoubleBulkParsingTests : IAsyncLifetime
{
    private OpenSearchDouble _domain = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        _http = new HttpClient();
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_domain.User}:{_domain.Password}")));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _domain.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> BulkAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await _http.PostAsync(new Uri(_domain.Endpoint, "_bulk"), content);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    private static byte[] Utf8(string body) => Encoding.UTF8.GetBytes(body);

    private static string Action(string id) => $$$"""{"index":{"_index":"logs-2024.03.01","_id":"{{{id}}}"}}""";

    /// <summary>Asserts OpenSearch's whole-request error shape and returns the reason.</summary>
    private static string RequestError(JsonElement json, string type)
    {
        Assert.Equal(400, json.GetProperty("status").GetInt32());
        var error = json.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        var rootCause = Assert.Single(error.GetProperty("root_cause").EnumerateArray());
        Assert.Equal(type, rootCause.GetProperty("type").GetString());
        Assert.Equal(error.GetProperty("reason").GetString(), rootCause.GetProperty("reason").GetString());
        return error.GetProperty("reason").GetString()!;
    }

    [Fact]
    public async Task Bulk_DocumentSpreadOverLines_RefusesTheWholeRequestNamingTheLineAndStoresNothing()
    {
        var body = $"{Action("good")}\n{{\"n\":1}}\n{Action("pretty")}\n{{\n  \"kind\": \"Event\",\n  \"verb\": \"get\"\n}}\n";

        var (status, json) = await BulkAsync(Utf8(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        // Line 4 ("{") is taken as the document; line 5 is read as the next action.
        Assert.Equal("Malformed action/metadata line [5], expected START_OBJECT but found [VALUE_STRING]", RequestError(json, "illegal_argument_exception"));
        Assert.Empty(_domain.Documents()); // not even the good document before it
        Assert.Equal(1, _domain.RequestsRefused);
    }

    [Fact]
    public async Task Bulk_ClosingBraceReadAsAnActionLine_IsTheJsonParsersError()
    {
        var body = $"{Action("a")}\n{{\"n\":1,\n}}\n";

        var (status, json) = await BulkAsync(Utf8(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("Unexpected close marker '}'", RequestError(json, "json_parse_exception"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_NoFinalNewline_IsRefused()
    {
        var (status, json) = await BulkAsync(Utf8($"{Action("a")}\n{{\"n\":1}}"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The bulk request must be terminated by a newline [\\n]", RequestError(json, "illegal_argument_exception"));
    }

    [Fact]
    public async Task Bulk_IdOver512Bytes_FailsValidationForTheWholeRequest()
    {
        var id = new string('x', 513);
        var (status, json) = await BulkAsync(Utf8($"{Action("ok")}\n{{\"n\":1}}\n{Action(id)}\n{{\"n\":2}}\n"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"Validation Failed: 1: id [{id}] is too long, must be no longer than 512 bytes but was: 513;", RequestError(json, "action_request_validation_exception"));
        Assert.Empty(_domain.Documents());
    }

    [Fact]
    public async Task Bulk_CompleteLinesThatAreNotJsonObjects_FailOnlyTheirOwnItems()
    {
        byte[] notUtf8 = [.. "{\"a\":\"x"u8, 0xC3, 0x28, .. "\"}"u8];
        var body = new List<byte>();
        void Add(string id, byte[] source)
        {
            body.AddRange(Utf8(Action(id) + "\n"));
            body.AddRange(source);
            body.Add((byte)'\n');
        }

        Add("good-1", Utf8("{\"n\":1}"));
        Add("two-values", Utf8("{\"a\":1} {\"b\":2}"));
        Add("trailing-comma", Utf8("{\"a\":1,}"));
        Add("array", Utf8("[1,2]"));
        Add("not-utf8", notUtf8);
        Add("good-2", Utf8("{\"n\":2}\r")); // a CR before the LF is dropped, as OpenSearch does

        var (status, json) = await BulkAsync([.. body]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(json.GetProperty("errors").GetBoolean());
        var items = json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("index")).ToList();
        Assert.Equal([201, 400, 400, 400, 400, 201], items.Select(i => i.GetProperty("status").GetInt32()));
        Assert.All(items.Where(i => i.GetProperty("status").GetInt32() == 400), i => Assert.Equal("mapper_parsing_exception", i.GetProperty("error").GetProperty("type").GetString()));
        Assert.Equal("json_parse_exception", items[1].GetProperty("error").GetProperty("caused_by").GetProperty("type").GetString());
        Assert.Equal("Malformed content, must start with an object", items[3].GetProperty("error").GetProperty("reason").GetString());
        Assert.Equal(["good-1", "good-2"], _domain.Documents().Select(d => d.Id).Order());
    }

    [Fact]
    public async Task Bulk_BlankLinesWhereAnActionWouldBe_AreSkipped()
    {
        var (status, _) = await BulkAsync(Utf8($"\n{Action("a")}\n{{\"n\":1}}\n\n{Action("b")}\n{{\"n\":2}}\n"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, _domain.Documents().Count);
    }

    [Fact]
    public async Task Bulk_ExplicitIndexForbiddenByTheCluster_RefusesEveryRequestNamingAnIndex()
    {
        _domain.AllowExplicitIndex = false;

        var (status, json) = await BulkAsync(Utf8($"{Action("a")}\n{{\"n\":1}}\n"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("explicit index in bulk is not allowed", RequestError(json, "illegal_argument_exception"));
    }

    [Fact]
    public async Task Bulk_PrettyDocuments_RefusedWhenCopiedRawButStoredThroughTheBody()
    {
        // The same documents two ways: pasted raw into NDJSON (what a raw-byte copy did), and appended
        // through BulkRequestBody. Only the second is a body OpenSearch accepts.
        string[] documents =
        [
            "{\"kind\":\"Event\",\"stage\":\"ResponseComplete\"}",
            "{\n  \"kind\": \"Event\",\n  \"stage\": \"RequestReceived\"\n}",
            "{\r\n\t\"kind\": \"Event\",\r\n\t\"user\": {\r\n\t\t\"username\": \"alice\"\r\n\t}\r\n}",
        ];
        var raw = new StringBuilder();
        var body = new BulkRequestBody(1 << 20);
        for (var i = 0; i < documents.Length; i++)
        {
            raw.Append(Action($"d{i}")).Append('\n').Append(documents[i]).Append('\n');
            body.Append(new BulkItem("logs-2024.03.01", $"d{i}", Utf8(documents[i])), out _);
        }

        var (rawStatus, _) = await BulkAsync(Utf8(raw.ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, rawStatus);
        Assert.Empty(_domain.Documents());

        var (status, json) = await BulkAsync(body.Memory.ToArray());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(json.GetProperty("errors").GetBoolean());
        Assert.Equal("alice", _domain.TryGet("logs-2024.03.01", "d2")!.Source.GetProperty("user").GetProperty("username").GetString());
    }
}
