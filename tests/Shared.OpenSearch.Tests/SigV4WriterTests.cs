using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using TestSupport.OpenSearch;

namespace Shared.OpenSearch.Tests;

/// <summary>The bulk writer against a domain that accepts only SigV4-signed requests (the double verifies every signature).</summary>
public sealed class SigV4WriterTests : IAsyncLifetime
{
    private OpenSearchDouble _domain = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        _domain.SigV4Keys = new() { ["AKIAFIRST"] = "first-secret", ["AKIASECOND"] = "second-secret" };
        _domain.SigV4Service = "aoss";
        _domain.SigV4Region = "eu-west-1";
        _http = OpenSearchHttp.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _domain.DisposeAsync();
    }

    private OpenSearchBulkWriter Writer(AWSCredentials credentials, string service = "aoss") => new(
        _http,
        new DoubleCredentialsSource(_domain),
        new BulkWriterOptions
        {
            RetryBackoff = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(8)),
            DeadlineMargin = TimeSpan.FromMilliseconds(200),
            Authenticator = new SigV4RequestAuthenticator(credentials, service, "eu-west-1", TimeProvider.System),
            Templates = [IndexTemplate.ForPrefix("logs", """{"index_patterns":["x"]}"""u8, "logs")],
        },
        TimeProvider.System,
        NullLogger<OpenSearchBulkWriter>.Instance);

    private static List<BulkItem> Items(int count) =>
        Enumerable.Range(0, count).Select(i => new BulkItem("logs-2024.06.01", $"id-{i}", Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"))).ToList();

    private static DateTimeOffset Deadline => DateTimeOffset.UtcNow.AddSeconds(5);

    [Fact]
    public async Task WriteAsync_SignedWithKnownKeys_TemplateAndDocumentsAccepted()
    {
        var result = await Writer(new SessionAWSCredentials("AKIAFIRST", "first-secret", "token-1")).WriteAsync(Items(20), Deadline, CancellationToken.None);

        Assert.Equal(20, result.StoredCount);
        Assert.True(_domain.Templates.ContainsKey("logs"));
        Assert.Equal(0, _domain.UnauthorizedRequests);
    }

    [Fact]
    public async Task WriteAsync_WrongSecret_NothingStoredAndTheReasonIsAws403Message()
    {
        var result = await Writer(new BasicAWSCredentials("AKIAFIRST", "not-the-secret")).WriteAsync(Items(3), Deadline, CancellationToken.None);

        Assert.All(result.Outcomes, o =>
        {
            Assert.Equal(403, o.HttpStatus);
            Assert.Contains("signature we calculated does not match", o.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-secret", o.Reason, StringComparison.Ordinal);
        });
        Assert.Empty(_domain.Documents());
    }

    [Fact]
    public async Task WriteAsync_WrongSigningName_IsRefusedWithTheScopeProblem()
    {
        var result = await Writer(new BasicAWSCredentials("AKIAFIRST", "first-secret"), service: "es").WriteAsync(Items(1), Deadline, CancellationToken.None);

        Assert.Contains("expected eu-west-1/aoss", result.Outcomes[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_CredentialsExpire_TheSdkProviderRefreshesAndTheNextRequestIsSignedWithTheNewKeys()
    {
        var credentials = new ExpiringCredentials(TimeSpan.FromSeconds(1.5));
        var writer = Writer(credentials);
        var first = await writer.WriteAsync(Items(2), Deadline, CancellationToken.None);

        _domain.SigV4Keys!.Remove("AKIAFIRST"); // the first session is over
        await Task.Delay(TimeSpan.FromSeconds(2));
        var second = await writer.WriteAsync(Items(2), Deadline, CancellationToken.None);

        Assert.Equal(2, first.StoredCount);
        Assert.Equal(2, second.StoredCount);
        Assert.True(credentials.Generated >= 2);
    }

    /// <summary>Temporary credentials as the SDK's refreshing providers hand them out: first one key pair, then, once it expires, the next.</summary>
    private sealed class ExpiringCredentials : RefreshingAWSCredentials
    {
        private readonly TimeSpan lifetime;

        public ExpiringCredentials(TimeSpan lifetime)
        {
            this.lifetime = lifetime;
            PreemptExpiryTime = TimeSpan.Zero;
        }

        public int Generated { get; private set; }

        protected override CredentialsRefreshState GenerateNewCredentials()
        {
            Generated++;
            var keys = Generated == 1 ? new ImmutableCredentials("AKIAFIRST", "first-secret", "t1") : new ImmutableCredentials("AKIASECOND", "second-secret", "t2");
            return new CredentialsRefreshState(keys, DateTime.UtcNow + lifetime);
        }

        protected override Task<CredentialsRefreshState> GenerateNewCredentialsAsync() => Task.FromResult(GenerateNewCredentials());
    }
}
