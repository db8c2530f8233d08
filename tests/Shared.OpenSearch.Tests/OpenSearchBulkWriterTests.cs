using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using TestSupport.OpenSearch;

namespace Shared.OpenSearch.Tests;

public sealed class OpenSearchBulkWriterTests : IAsyncLifetime
{
    private OpenSearchDouble _domain = null!;
    private DoubleCredentialsSource _credentials = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        _credentials = new DoubleCredentialsSource(_domain);
        _http = OpenSearchHttp.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _domain.DisposeAsync();
    }

    private OpenSearchBulkWriter Writer(int maxBytes = 1024 * 1024, IReadOnlyList<IndexTemplate>? templates = null, int unavailableAfter = 5) => new(
        _http,
        _credentials,
        new BulkWriterOptions
        {
            MaxBytes = maxBytes,
            RetryBackoff = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(40)),
            DeadlineMargin = TimeSpan.FromMilliseconds(200),
            Templates = templates ?? [],
            UnavailableAfterRefusals = unavailableAfter,
        },
        TimeProvider.System,
        NullLogger<OpenSearchBulkWriter>.Instance);

    private static List<BulkItem> Items(int count, long? version = null, string index = "events-2024.05.01") =>
        Enumerable.Range(0, count)
            .Select(i => new BulkItem(index, $"uid-{i}", Encoding.UTF8.GetBytes($"{{\"n\":{i},\"message\":\"event {i}\"}}")) { ExternalVersion = version })
            .ToList();

    private static DateTimeOffset Deadline(double seconds = 10) => DateTimeOffset.UtcNow.AddSeconds(seconds);

    [Fact]
    public async Task WriteAsync_HealthyDomain_StoresEveryDocument()
    {
        var result = await Writer().WriteAsync(Items(50), Deadline(), CancellationToken.None);

        Assert.All(result.Outcomes, o => Assert.Equal(BulkItemStatus.Indexed, o.Status));
        Assert.Equal(50, _domain.Documents("events-*").Count);
        Assert.Equal(0, result.Retries);
    }

    [Fact]
    public async Task WriteAsync_BodyLargerThanMaxBytes_SplitsIntoRequestsWithinTheLimit()
    {
        var result = await Writer(maxBytes: 2000).WriteAsync(Items(100), Deadline(), CancellationToken.None);

        Assert.Equal(100, result.StoredCount);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"uid-{i}").Order(), _domain.Documents("events-*").Select(d => d.Id).Order());
        Assert.True(_domain.BulkRequests > 1);
        Assert.True(_domain.LargestBulkRequest <= 2000, $"largest request {_domain.LargestBulkRequest}");
    }

    [Fact]
    public async Task WriteAsync_SomeItemsGet429_RetriesOnlyThoseUntilStored()
    {
        _domain.RejectItemWithTooManyRequests("uid-3", times: 2);
        _domain.RejectItemWithTooManyRequests("uid-7", times: 1);

        var result = await Writer().WriteAsync(Items(10), Deadline(), CancellationToken.None);

        Assert.Equal(10, result.StoredCount);
        Assert.Equal(3, result.Retries); // uid-3 twice, uid-7 once: the other eight were never resent
        Assert.All(_domain.Documents("events-*"), d => Assert.Equal(1, d.Writes));
    }

    [Theory]
    [InlineData(BulkFault.ServiceUnavailable)]
    [InlineData(BulkFault.TooManyRequests)]
    [InlineData(BulkFault.BadGateway)]
    [InlineData(BulkFault.GatewayTimeout)]
    [InlineData(BulkFault.DropConnection)]
    public async Task WriteAsync_TransientRequestFault_RetriesTheRequest(BulkFault fault)
    {
        _domain.FailNextRequests(2, fault);

        var result = await Writer().WriteAsync(Items(5), Deadline(), CancellationToken.None);

        Assert.Equal(5, result.StoredCount);
        Assert.Equal(10, result.Retries);
    }

    [Fact]
    public async Task WriteAsync_FaultOutlastsTheDeadline_ReportsNotStoredWithTheReason()
    {
        _domain.FailNextRequests(10_000, BulkFault.ServiceUnavailable);

        var result = await Writer(unavailableAfter: int.MaxValue).WriteAsync(Items(3), Deadline(1.5), CancellationToken.None);

        Assert.All(result.Outcomes, o =>
        {
            Assert.Equal(BulkItemStatus.NotStored, o.Status);
            Assert.Equal(503, o.HttpStatus);
            Assert.Contains("SERVICE_UNAVAILABLE", o.Reason, StringComparison.Ordinal);
            Assert.Contains("deadline", o.Reason, StringComparison.Ordinal);
        });
        Assert.Empty(_domain.Documents());
    }

    [Theory]
    [InlineData(BulkFault.ServiceUnavailable, 503)]
    [InlineData(BulkFault.TooManyRequests, 429)]
    [InlineData(BulkFault.DropConnection, 0)]
    public async Task WriteAsync_DomainRefusesRequestAfterRequest_GivesUpAfterFiveAsUnavailable(BulkFault fault, int status)
    {
        _domain.FailNextRequests(10_000, fault);

        var result = await Writer(maxBytes: 300).WriteAsync(Items(12), Deadline(30), CancellationToken.None);

        // Five whole-request refusals in a row, not thirty seconds of retries: the caller holds the work instead.
        Assert.Equal(5, result.Requests);
        Assert.All(result.Outcomes, o =>
        {
            Assert.Equal(BulkItemStatus.NotStored, o.Status);
            Assert.Equal(status, o.HttpStatus);
            Assert.Contains("5 requests in a row were refused as a whole, so the domain is taken to be unavailable", o.Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task WriteAsync_AfterGivingUpOnAnUnavailableDomain_LaterWritesTryOnceUntilItAnswers()
    {
        _domain.Outage = BulkFault.ServiceUnavailable;
        var writer = Writer();

        var first = await writer.WriteAsync(Items(2), Deadline(30), CancellationToken.None);
        var during = await writer.WriteAsync(Items(2), Deadline(30), CancellationToken.None);
        _domain.Outage = null;
        var back = await writer.WriteAsync(Items(2), Deadline(30), CancellationToken.None);
        _domain.FailNextRequests(4, BulkFault.ServiceUnavailable);
        var blip = await writer.WriteAsync(Items(2), Deadline(30), CancellationToken.None);

        Assert.Equal(5, first.Requests);
        Assert.Equal(1, during.Requests); // one request per invocation while the domain stays down
        Assert.Equal((2, 1), (back.StoredCount, back.Requests));
        Assert.Equal((2, 5), (blip.StoredCount, blip.Requests)); // once it answered, a blip is retried as before
    }

    [Fact]
    public async Task WriteAsync_FourRefusalsThenAnAnswer_IsNotTakenForAnOutage()
    {
        _domain.FailNextRequests(4, BulkFault.BadGateway);

        var result = await Writer().WriteAsync(Items(4), Deadline(), CancellationToken.None);

        Assert.Equal(4, result.StoredCount);
        Assert.Equal(5, result.Requests);
    }

    [Fact]
    public async Task WriteAsync_TemplateRefusedAsAWholeAgainAndAgain_GivesUpEarlyAsUnavailable()
    {
        _domain.FailNextRequests(10_000, BulkFault.ServiceUnavailable);
        var template = new IndexTemplate("events", Encoding.UTF8.GetBytes("{\"index_patterns\":[\"events-*\"]}"));

        var result = await Writer(templates: [template]).WriteAsync(Items(2), Deadline(30), CancellationToken.None);

        Assert.Equal(5, result.Requests);
        Assert.All(result.Outcomes, o => Assert.Contains("could not be installed", o.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_DomainAnswers413_HalvesTheRequestUntilItFits()
    {
        _domain.MaxContentLength = 1500;

        var result = await Writer(maxBytes: 100_000).WriteAsync(Items(60), Deadline(), CancellationToken.None);

        Assert.Equal(60, result.StoredCount);
        Assert.True(_domain.LargestBulkRequest > 1500); // it did try the large one first
    }

    [Fact]
    public async Task WriteAsync_SingleDocumentOverTheDomainLimit_IsRejectedAloneWithAReason()
    {
        _domain.MaxContentLength = 300;
        var items = Items(3);
        items[1] = items[1] with { Source = Encoding.UTF8.GetBytes($"{{\"message\":\"{new string('y', 1000)}\"}}") };

        var result = await Writer(maxBytes: 250).WriteAsync(items, Deadline(), CancellationToken.None);

        Assert.Equal(BulkItemStatus.Rejected, result.Outcomes[1].Status);
        Assert.Equal(413, result.Outcomes[1].HttpStatus);
        Assert.Contains("exceeds", result.Outcomes[1].Reason, StringComparison.Ordinal);
        Assert.True(result.Outcomes[0].IsStored && result.Outcomes[2].IsStored);
    }

    [Fact]
    public async Task WriteAsync_PasswordRotated_RereadsCredentialsOnceAndStores()
    {
        var writer = Writer();
        await writer.WriteAsync(Items(1), Deadline(), CancellationToken.None);
        _domain.Password = "Rotated-Passw0rd!";
        _credentials.StoredPassword = "Rotated-Passw0rd!";

        var result = await writer.WriteAsync(Items(5), Deadline(), CancellationToken.None);

        Assert.Equal(5, result.StoredCount);
        Assert.Equal(2, _credentials.Reads);
        Assert.Equal(1, _domain.UnauthorizedRequests);
    }

    [Fact]
    public async Task WriteAsync_WrongPasswordEvenAfterRefresh_FailsEverythingWithA401ReasonAndNoPassword()
    {
        _domain.Password = "Something-Else";

        var result = await Writer().WriteAsync(Items(4), Deadline(), CancellationToken.None);

        Assert.All(result.Outcomes, o =>
        {
            Assert.Equal(BulkItemStatus.NotStored, o.Status);
            Assert.Equal(401, o.HttpStatus);
            Assert.Contains("401", o.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain(_credentials.StoredPassword, o.Reason, StringComparison.Ordinal);
        });
        Assert.Equal(2, _domain.UnauthorizedRequests);
    }

    [Fact]
    public async Task WriteAsync_MappingRejection_IsRejectedWithOpenSearchReasonAndOthersStored()
    {
        _domain.RejectDocument = (_, doc) => doc.GetProperty("n").GetInt32() == 2 ? "failed to parse field [n] of type [date]" : null;

        var result = await Writer().WriteAsync(Items(4), Deadline(), CancellationToken.None);

        Assert.Equal(BulkItemStatus.Rejected, result.Outcomes[2].Status);
        Assert.Equal("mapper_parsing_exception", result.Outcomes[2].ErrorType);
        Assert.Equal("failed to parse field [n] of type [date]", result.Outcomes[2].Reason);
        Assert.Equal(3, result.StoredCount);
        Assert.Equal(0, result.Retries);
    }

    [Fact]
    public async Task WriteAsync_OlderOrSameVersionAfterNewer_CountsAsStoredAndKeepsTheStoredCopy()
    {
        var writer = Writer();
        await writer.WriteAsync(Items(1, version: 200), Deadline(), CancellationToken.None);

        var late = await writer.WriteAsync(Items(1, version: 150), Deadline(), CancellationToken.None);
        var same = await writer.WriteAsync(Items(1, version: 200), Deadline(), CancellationToken.None);

        Assert.Equal(BulkItemStatus.VersionConflict, late.Outcomes[0].Status);
        Assert.True(late.Outcomes[0].IsStored);
        // A redelivery of the stored version changes nothing and is refused like an older one: stored, not new.
        Assert.Equal(BulkItemStatus.VersionConflict, same.Outcomes[0].Status);
        Assert.True(same.Outcomes[0].IsStored);
        Assert.Contains("is higher or equal to the one provided [200]", same.Outcomes[0].Reason, StringComparison.Ordinal);
        Assert.Equal(1, _domain.TryGet("events-2024.05.01", "uid-0")!.Writes);
        Assert.Equal(200, _domain.TryGet("events-2024.05.01", "uid-0")!.Version);
    }

    [Fact]
    public async Task WriteAsync_Templates_InstalledOnceBeforeTheFirstDocument()
    {
        var template = IndexTemplate.ForPrefix("events", """{"index_patterns":["x-*"],"template":{"mappings":{"properties":{"@timestamp":{"type":"date"}}}}}"""u8, "my-events");
        var writer = Writer(templates: [template]);

        await writer.WriteAsync(Items(1), Deadline(), CancellationToken.None);
        _domain.FailNextRequests(1, BulkFault.InternalServerError); // would break a second template PUT
        var second = await writer.WriteAsync(Items(2), Deadline(), CancellationToken.None);

        using var installed = JsonDocument.Parse(_domain.Templates["events"]);
        Assert.Equal("my-events-*", installed.RootElement.GetProperty("index_patterns")[0].GetString());
        // The injected 500 hit the bulk request, not a second template PUT.
        Assert.Equal(500, second.Outcomes[0].HttpStatus);
        Assert.Equal(BulkItemStatus.NotStored, second.Outcomes[0].Status);
    }

    [Fact]
    public async Task WriteAsync_TemplatePutHitsATransientFault_RetriesItThenWrites()
    {
        var template = IndexTemplate.ForPrefix("events", """{"index_patterns":["x-*"]}"""u8, "my-events");
        _domain.FailNextRequests(2, BulkFault.ServiceUnavailable);

        var result = await Writer(templates: [template]).WriteAsync(Items(2), Deadline(), CancellationToken.None);

        Assert.Equal(2, result.StoredCount);
        Assert.True(_domain.Templates.ContainsKey("events"));
    }

    [Fact]
    public async Task WriteAsync_TemplateCannotBeInstalled_StoresNothingAndSaysWhich()
    {
        var template = IndexTemplate.ForPrefix("events", """{"index_patterns":["x-*"]}"""u8, "my-events");
        _domain.FailNextRequests(1, BulkFault.InternalServerError);

        var result = await Writer(templates: [template]).WriteAsync(Items(2), Deadline(), CancellationToken.None);

        Assert.All(result.Outcomes, o => Assert.Contains("index template events could not be installed", o.Reason, StringComparison.Ordinal));
        Assert.Empty(_domain.Documents());
    }
}
