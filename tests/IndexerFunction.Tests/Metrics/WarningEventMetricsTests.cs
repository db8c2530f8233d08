using System.Text;
using System.Text.Json;
using Functions.Runtime.Events.Sqs;
using IndexerFunction.Handling;
using IndexerFunction.Settings;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.Contract.Settings;
using Shared.Logging;
using Shared.OpenSearch;
using TestSupport.Lambda;
using TestSupport.OpenSearch;

namespace IndexerFunction.Tests.Metrics;

/// <summary>The <c>WarningEvents</c> metric as CloudWatch would read it from the handler's EMF lines.</summary>
public sealed class WarningEventMetricsTests : IAsyncLifetime
{
    private OpenSearchDouble _domain = null!;
    private HttpClient _http = null!;
    private MemoryStream _metrics = null!;
    private SqsBatchHandler _handler = null!;
    private int _batches;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        _http = OpenSearchHttp.CreateClient();
        _handler = Handler(IndexerSettings.Load(new DictionaryEnvironmentVariables(new Dictionary<string, string> { ["CLUSTER_NAME"] = "shop-prod" })));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _domain.DisposeAsync();
    }

    private SqsBatchHandler Handler(IndexerSettings settings)
    {
        _metrics = new MemoryStream();
        var writer = new OpenSearchBulkWriter(
            _http,
            new DoubleCredentialsSource(_domain),
            new BulkWriterOptions { RetryBackoff = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20)), DeadlineMargin = TimeSpan.FromMilliseconds(300) },
            TimeProvider.System,
            NullLogger<OpenSearchBulkWriter>.Instance);
        return new SqsBatchHandler(writer, settings, new LineWriter(_metrics), TimeProvider.System, NullLogger<SqsBatchHandler>.Instance);
    }

    private static string Warning(string uid, long resourceVersion, string reason, int count = 1, string type = "Warning") =>
        $$$"""{"kind":"Event","apiVersion":"v1","metadata":{"name":"web-7d9f8c6b5-x2x9k.{{{uid}}}","namespace":"shop","uid":"{{{uid}}}","resourceVersion":"{{{resourceVersion}}}","creationTimestamp":"2026-03-14T03:10:01Z"},"involvedObject":{"kind":"Pod","namespace":"shop","name":"web-7d9f8c6b5-x2x9k","uid":"5f0c1a52-7b1e-4a47-9d3c-2b8e9f1a0c11","apiVersion":"v1","fieldPath":"spec.containers{web}"},"reason":"{{{reason}}}","message":"Back-off pulling image","source":{"component":"kubelet","host":"ip-192-168-12-34.eu-west-1.compute.internal"},"firstTimestamp":"2026-03-14T03:10:01Z","lastTimestamp":"2026-03-14T03:10:10Z","count":{{{count}}},"type":"{{{type}}}","eventTime":null,"reportingComponent":"kubelet","reportingInstance":"ip-192-168-12-34.eu-west-1.compute.internal"}""";

    private static string Envelope(string cluster, params string[] events) =>
        $$"""{"schema":"eks-events/v1","clusterName":"{{cluster}}","events":[{{string.Join(',', events)}}]}""";

    /// <summary>Handles one batch (one message per body) and returns WarningEvents by (cluster, reason) from its EMF lines.</summary>
    private async Task<Dictionary<(string Cluster, string Reason), double>> HandleAsync(params string[] bodies)
    {
        _metrics.SetLength(0);
        var batch = _batches++;
        var response = await _handler.HandleAsync(
            new SQSEvent { Records = bodies.Select((b, i) => new SQSEvent.SQSMessage { MessageId = $"b{batch}-m{i}", Body = b, EventSource = "aws:sqs" }).ToList() },
            new TestLambdaContext(TimeSpan.FromSeconds(10)),
            CancellationToken.None);
        Assert.Empty(response.BatchItemFailures);
        return WarningEvents(out _);
    }

    private Dictionary<(string Cluster, string Reason), double> WarningEvents(out double total)
    {
        var byReason = new Dictionary<(string, string), double>();
        total = double.NaN;
        foreach (var line in Encoding.UTF8.GetString(_metrics.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var emf = JsonDocument.Parse(line);
            var root = emf.RootElement;
            var directive = root.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
            Assert.Equal("EksHistory", directive.GetProperty("Namespace").GetString());
            var dimensions = directive.GetProperty("Dimensions")[0].EnumerateArray().Select(d => d.GetString()).ToList();
            if (dimensions.SequenceEqual(["ClusterName", "Reason"]))
            {
                Assert.Equal("WarningEvents", directive.GetProperty("Metrics")[0].GetProperty("Name").GetString());
                byReason.Add((root.GetProperty("ClusterName").GetString()!, root.GetProperty("Reason").GetString()!), root.GetProperty("WarningEvents").GetDouble());
            }
            else
            {
                Assert.Equal(["FunctionName"], dimensions);
                total = root.GetProperty("WarningEvents").GetDouble();
            }
        }

        return byReason;
    }

    [Fact]
    public async Task HandleAsync_WarningsOfKnownAndInventedReasons_CountsByClusterAndReasonWithTheRestAsOther()
    {
        var counts = await HandleAsync(
            Envelope("shop-prod", Warning("w1", 10, "BackOff"), Warning("w2", 11, "FailedScheduling"), Warning("w3", 12, "BackOff"), Warning("n1", 13, "Pulled", type: "Normal")),
            Envelope("shop-staging", Warning("w4", 14, "WidgetReconcileFailed"), Warning("w5", 15, "FrobnicatorDegraded")));

        Assert.Equal(
            new Dictionary<(string, string), double>
            {
                [("shop-prod", "BackOff")] = 2,
                [("shop-prod", "FailedScheduling")] = 1,
                [("shop-staging", "Other")] = 2,
            },
            counts);
        WarningEvents(out var total);
        Assert.Equal(5, total);
    }

    [Fact]
    public async Task HandleAsync_ReasonsOfOneLengthInterleavedAndOneReasonInTwoClusters_EachCountedUnderItsOwnName()
    {
        // BackOff, Evicted and the unlisted Pulling are all seven letters, and the unlisted BackOf is written with an
        // escape. Consecutive events differ only in their reason, and consecutive messages only in their cluster.
        var counts = await HandleAsync(
            Envelope("shop-prod", Warning("w1", 10, "BackOff"), Warning("w2", 11, "Evicted"), Warning("w3", 12, "BackOff"), Warning("w4", 13, "Pulling"), Warning("w5", 14, "Evicted"), Warning("w6", 15, @"Back\u004ff")),
            Envelope("shop-staging", Warning("w7", 16, "Evicted"), Warning("w8", 17, "BackOff")),
            Envelope("shop-prod", Warning("w9", 18, "BackOff")));

        Assert.Equal(
            new Dictionary<(string, string), double>
            {
                [("shop-prod", "BackOff")] = 3,
                [("shop-prod", "Evicted")] = 2,
                [("shop-prod", "Other")] = 2,
                [("shop-staging", "Evicted")] = 1,
                [("shop-staging", "BackOff")] = 1,
            },
            counts);
    }

    [Fact]
    public async Task HandleAsync_RedeliveredCopyOfAStoredVersion_CountsNothing()
    {
        Assert.Equal(1, (await HandleAsync(Envelope("shop-prod", Warning("w1", 10, "BackOff"))))[("shop-prod", "BackOff")]);

        var again = await HandleAsync(Envelope("shop-prod", Warning("w1", 10, "BackOff")));

        Assert.Empty(again);
        WarningEvents(out var total);
        Assert.Equal(0, total);
        Assert.Equal(10, _domain.Documents().Single().Version); // stored once, at its version
    }

    [Fact]
    public async Task HandleAsync_SameVersionTwiceInOneBatch_CountsOnce()
    {
        // The collector re-sends after a relist: the same event version in two messages of one batch.
        var counts = await HandleAsync(Envelope("shop-prod", Warning("w1", 10, "BackOff")), Envelope("shop-prod", Warning("w1", 10, "BackOff")));

        Assert.Equal(1, counts[("shop-prod", "BackOff")]);
    }

    [Fact]
    public async Task HandleAsync_NewOccurrenceBumpsTheVersion_CountsAgainButALateOlderCopyDoesNot()
    {
        await HandleAsync(Envelope("shop-prod", Warning("w1", 10, "BackOff", count: 1)));

        var repeated = await HandleAsync(Envelope("shop-prod", Warning("w1", 20, "BackOff", count: 2)));
        var late = await HandleAsync(Envelope("shop-prod", Warning("w1", 15, "BackOff", count: 1)));

        Assert.Equal(1, repeated[("shop-prod", "BackOff")]);
        Assert.Empty(late);
    }

    [Fact]
    public async Task HandleAsync_WarningRefusedByTheDomain_IsNotCounted()
    {
        _domain.RejectDocument = (_, source) => source.GetProperty("metadata").GetProperty("uid").GetString() == "w2" ? "failed to parse field [count] of type [long]" : null;

        _metrics.SetLength(0);
        await _handler.HandleAsync(
            new SQSEvent { Records = [new SQSEvent.SQSMessage { MessageId = "m", Body = Envelope("shop-prod", Warning("w1", 10, "BackOff"), Warning("w2", 11, "BackOff")), EventSource = "aws:sqs" }] },
            new TestLambdaContext(TimeSpan.FromSeconds(10)),
            CancellationToken.None);

        Assert.Equal(1, WarningEvents(out _)[("shop-prod", "BackOff")]);
    }

    [Fact]
    public async Task HandleAsync_ConfiguredReasons_NameOnlyThose()
    {
        _handler = Handler(IndexerSettings.Load(new DictionaryEnvironmentVariables(new Dictionary<string, string>
        {
            ["CLUSTER_NAME"] = "shop-prod",
            ["WARNING_METRIC_REASONS"] = "WidgetReconcileFailed, BackOff",
        })));

        var counts = await HandleAsync(Envelope("shop-prod", Warning("w1", 10, "WidgetReconcileFailed"), Warning("w2", 11, "FailedScheduling"), Warning("w3", 12, "BackOff")));

        Assert.Equal(
            new Dictionary<(string, string), double> { [("shop-prod", "WidgetReconcileFailed")] = 1, [("shop-prod", "Other")] = 1, [("shop-prod", "BackOff")] = 1 },
            counts);
    }
}
