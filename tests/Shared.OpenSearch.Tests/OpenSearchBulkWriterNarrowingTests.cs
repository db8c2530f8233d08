using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TestSupport.OpenSearch;

namespace Shared.OpenSearch.Tests;

/// <summary>
/// One bad document must never take its neighbours down: what the body refuses never leaves, and a
/// request OpenSearch refuses as a whole is narrowed down to the documents at fault. Time is a
/// FakeTimeProvider that never moves: none of these paths waits.
/// </summary>
public sealed class OpenSearchBulkWriterNarrowingTests : IAsyncLifetime
{
    private const string Index = "logs-2024.03.01";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero));
    private OpenSearchDouble _domain = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        _http = OpenSearchHttp.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _domain.DisposeAsync();
    }

    private OpenSearchBulkWriter Writer(int maxNarrowingRequests = 256) => new(
        _http,
        new DoubleCredentialsSource(_domain),
        new BulkWriterOptions { MaxNarrowingRequests = maxNarrowingRequests },
        _time,
        NullLogger<OpenSearchBulkWriter>.Instance);

    private Task<BulkResult> WriteAsync(IReadOnlyList<BulkItem> items, OpenSearchBulkWriter? writer = null) =>
        (writer ?? Writer()).WriteAsync(items, _time.GetUtcNow().AddHours(1), CancellationToken.None);

    private static BulkItem Item(int n, string? id = null, string? source = null) =>
        new(Index, id ?? $"line-{n}", Encoding.UTF8.GetBytes(source ?? $"{{\"n\":{n},\"message\":\"line {n}\"}}"));

    [Theory]
    [InlineData(64, new[] { 5 })]
    [InlineData(64, new[] { 5, 30, 31 })]
    [InlineData(500, new[] { 0, 17, 250, 499 })]
    public async Task WriteAsync_DocumentsThatMakeOpenSearchRefuseTheWholeRequest_AreIsolatedAndEveryOtherIsStored(int count, int[] bad)
    {
        // An _id over 512 bytes fails OpenSearch's validation for the request as a whole
        // (action_request_validation_exception), however well-formed the body.
        var items = Enumerable.Range(0, count).Select(i => Item(i, bad.Contains(i) ? $"{i}-{new string('x', 600)}" : null)).ToList();

        var result = await WriteAsync(items);

        for (var i = 0; i < count; i++)
        {
            var outcome = result.Outcomes[i];
            if (bad.Contains(i))
            {
                Assert.Equal(BulkItemStatus.Rejected, outcome.Status);
                Assert.Equal(400, outcome.HttpStatus);
                Assert.Equal("action_request_validation_exception", outcome.ErrorType);
                Assert.Equal($"Validation Failed: 1: id [{items[i].Id}] is too long, must be no longer than 512 bytes but was: {items[i].Id.Length};", outcome.Reason);
            }
            else
            {
                Assert.Equal(BulkItemStatus.Indexed, outcome.Status);
            }
        }

        Assert.Equal(count - bad.Length, _domain.Documents().Count);
        // Bounded: the first request, then at most two halves per level for each bad document.
        var bound = 1 + (2 * bad.Length * (int)Math.Ceiling(Math.Log2(count)));
        Assert.True(result.Requests <= bound, $"{result.Requests} requests for {bad.Length} bad among {count}; bound {bound}");
        Assert.Equal(result.Requests, _domain.BulkRequests);
        Assert.Equal(0, result.Retries);
    }

    [Fact]
    public async Task WriteAsync_ContentRefusedAtRequestLevel_RejectsThatDocumentAloneWithOpenSearchsReason()
    {
        _domain.RefuseRequestFor = (_, doc) => doc.TryGetProperty("objectRef", out System.Text.Json.JsonElement _) ? "object mapping for [objectRef] tried to parse field [objectRef] as object, but found a concrete value" : null;
        var items = Enumerable.Range(0, 10).Select(i => Item(i, source: i == 6 ? "{\"n\":6,\"objectRef\":\"pods\"}" : null)).ToList();

        var result = await WriteAsync(items);

        Assert.Equal(BulkItemStatus.Rejected, result.Outcomes[6].Status);
        Assert.Equal("mapper_parsing_exception", result.Outcomes[6].ErrorType);
        Assert.StartsWith("object mapping for [objectRef]", result.Outcomes[6].Reason, StringComparison.Ordinal);
        Assert.Equal(9, result.StoredCount);
    }

    [Fact]
    public async Task WriteAsync_RefusalThatNoDocumentCauses_StopsAtTheNarrowingLimitWithNothingClaimedStored()
    {
        _domain.AllowExplicitIndex = false; // every request naming an index is refused, whatever it holds

        var result = await WriteAsync(Enumerable.Range(0, 32).Select(i => Item(i)).ToList(), Writer(maxNarrowingRequests: 8));

        Assert.Equal(9, result.Requests); // the first request and the 8 the limit allows
        Assert.Empty(_domain.Documents());
        Assert.All(result.Outcomes, o =>
        {
            Assert.False(o.IsStored);
            Assert.Contains("explicit index in bulk is not allowed", o.Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task WriteAsync_SourcesThatAreNotOneJsonObject_RefusedBeforeAnyRequestWhileTheOthersAreStored()
    {
        var items = Enumerable.Range(0, 6).Select(i => Item(i)).ToList();
        items[1] = Item(1, source: "{\"n\":1,\n\"cut\":");
        items[4] = Item(4, source: "[\"an\",\"array\"]");

        var result = await WriteAsync(items);

        Assert.All([result.Outcomes[1], result.Outcomes[4]], o =>
        {
            Assert.Equal(BulkItemStatus.Rejected, o.Status);
            Assert.Equal(BulkRequestBody.RefusalType, o.ErrorType);
            Assert.Equal(0, o.HttpStatus); // nothing was sent for them
        });
        Assert.StartsWith("the document is not one JSON object: ", result.Outcomes[1].Reason, StringComparison.Ordinal);
        Assert.Equal("the document is a JSON array, not an object", result.Outcomes[4].Reason);
        Assert.Equal(4, result.StoredCount);
        Assert.Equal(1, result.Requests);
        Assert.Equal(0, _domain.RequestsRefused);
    }

    [Fact]
    public async Task WriteAsync_PrettyPrintedDocuments_AreStoredWithTheirContentInOneRequest()
    {
        var items = new List<BulkItem>
        {
            Item(0),
            Item(1, source: "{\n  \"kind\": \"Event\",\n  \"stage\": \"ResponseComplete\",\n  \"user\": {\n    \"username\": \"alice\"\n  }\n}"),
            Item(2, source: "{\r\n\t\"msg\": \"caf\u00e9 \\u2028 \u2029\"\r\n}"),
        };

        var result = await WriteAsync(items);

        Assert.Equal(3, result.StoredCount);
        Assert.Equal(1, result.Requests);
        Assert.Equal("alice", _domain.TryGet(Index, "line-1")!.Source.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal("caf\u00e9 \u2028 \u2029", _domain.TryGet(Index, "line-2")!.Source.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task WriteAsync_OneLineDocumentThatIsNotValidJson_FailsOnlyItsOwnItem()
    {
        var items = Enumerable.Range(0, 4).Select(i => Item(i)).ToList();
        items[2] = Item(2, source: "{\"n\":2} {\"n\":3}");

        var result = await WriteAsync(items);

        Assert.Equal(BulkItemStatus.Rejected, result.Outcomes[2].Status);
        Assert.Equal("mapper_parsing_exception", result.Outcomes[2].ErrorType);
        Assert.Equal(3, result.StoredCount);
        Assert.Equal(1, result.Requests);
    }
}
