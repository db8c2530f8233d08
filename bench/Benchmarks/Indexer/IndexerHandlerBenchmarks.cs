using BenchmarkDotNet.Attributes;
using IndexerFunction.Handling;
using IndexerFunction.Settings;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.Logging;
using Shared.OpenSearch;
using Shared.OpenSearch.Credentials;
using TestSupport.Lambda;
using TestSupport.Settings;

namespace Benchmarks.Indexer;

/// <summary>
/// The warm handler on a batch of 10 messages × 100 events (~600 bytes each) = 1,000 events, against a
/// zero-latency OpenSearch: the whole invocation from the SQS event bytes to the response bytes.
/// Target: ≤ 3 ms of CPU per 1,000 events (docs/performance.md).
/// </summary>
[MemoryDiagnoser]
public class IndexerHandlerBenchmarks
{
    private sealed class FixedCredentials : ICredentialsSource
    {
        private static readonly OpenSearchCredentials Credentials = new(new Uri("https://bench.local/"), "admin", "secret");

        public ValueTask<OpenSearchCredentials> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Credentials);

        public ValueTask<OpenSearchCredentials> RefreshAsync(OpenSearchCredentials rejected, CancellationToken cancellationToken) => ValueTask.FromResult(Credentials);
    }

    private SqsBatchHandler _handler = null!;
    private byte[] _payload = null!;
    private TestLambdaContext _context = null!;

    /// <summary>Events per invocation.</summary>
    public const int EventsPerInvocation = 1000;

    [GlobalSetup]
    public void Setup()
    {
        var writer = new OpenSearchBulkWriter(
            new HttpClient(new InstantOpenSearchHandler()),
            new FixedCredentials(),
            new BulkWriterOptions(),
            TimeProvider.System,
            NullLogger<OpenSearchBulkWriter>.Instance);
        _handler = new SqsBatchHandler(writer, IndexerSettings.Load(FunctionSettingsFrom.Environment(("CLUSTER_NAME", "bench"))), new LineWriter(Stream.Null), TimeProvider.System, NullLogger<SqsBatchHandler>.Instance);
        _payload = SampleEvents.Payload(messages: 10, perMessage: 100);
        _context = new TestLambdaContext(TimeSpan.FromDays(1));

        // A benchmark that measures failing work measures nothing: check the invocation stores everything.
        var response = System.Text.Encoding.UTF8.GetString(Invocation_1000Events().GetAwaiter().GetResult());
        if (response != "{\"batchItemFailures\":[]}")
        {
            throw new InvalidOperationException("The benchmark invocation reported failures: " + response);
        }
    }

    /// <summary>One invocation of 1,000 events.</summary>
    [Benchmark(OperationsPerInvoke = 1)]
    public Task<byte[]> Invocation_1000Events() => _handler.HandleAsync(_payload, _context, CancellationToken.None);
}
