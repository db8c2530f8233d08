using System.Text;
using IndexerFunction.Handling;
using IndexerFunction.Settings;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.Logging;
using Shared.OpenSearch;
using TestSupport.Lambda;
using TestSupport.OpenSearch;
using TestSupport.Settings;

namespace Conformance.Tests.AwsLambdaSamples;

/// <summary>The indexer's handler, as Lambda invokes it, on AWS's sample SQS event.</summary>
public sealed class SqsBatchHandlerTests : IAsyncLifetime
{
    private OpenSearchDouble _domain = null!;
    private HttpClient _http = null!;
    private SqsBatchHandler _handler = null!;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        _http = OpenSearchHttp.CreateClient();
        var writer = new OpenSearchBulkWriter(
            _http,
            new DoubleCredentialsSource(_domain),
            new BulkWriterOptions { RetryBackoff = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20)), DeadlineMargin = TimeSpan.FromMilliseconds(300) },
            TimeProvider.System,
            NullLogger<OpenSearchBulkWriter>.Instance);
        _handler = new SqsBatchHandler(writer, IndexerSettings.Load(FunctionSettingsFrom.Environment(("CLUSTER_NAME", "default-cluster"))), new LineWriter(Stream.Null), TimeProvider.System, NullLogger<SqsBatchHandler>.Instance);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _domain.DisposeAsync();
    }

    [Fact]
    public async Task HandleAsync_PublicSqsSample_FailsItsNonEventBodyByMessageId()
    {
        var payload = PublicSamples.Read("aws-lambda-dotnet_sqs-event.json");

        var response = await _handler.HandleAsync(payload, new TestLambdaContext(TimeSpan.FromSeconds(5)), CancellationToken.None);

        Assert.Equal("{\"batchItemFailures\":[{\"itemIdentifier\":\"MessageID\"}]}", Encoding.UTF8.GetString(response));
    }
}
