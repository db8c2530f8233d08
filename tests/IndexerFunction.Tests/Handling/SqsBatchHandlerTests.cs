using System.Text;
using System.Text.Json;
using Functions.Runtime.Events.Sqs;
using IndexerFunction.Handling;
using IndexerFunction.Settings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.Logging;
using Shared.OpenSearch;
using TestSupport.Lambda;
using TestSupport.OpenSearch;
using TestSupport.Settings;

namespace IndexerFunction.Tests.Handling;

public sealed class SqsBatchHandlerTests : IAsyncLifetime
{
    private OpenSearchDouble _domain = null!;
    private HttpClient _http = null!;
    private MemoryStream _metrics = null!;
    private SqsBatchHandler _handler = null!;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        _http = OpenSearchHttp.CreateClient();
        _metrics = new MemoryStream();
        var writer = new OpenSearchBulkWriter(
            _http,
            new DoubleCredentialsSource(_domain),
            new BulkWriterOptions { RetryBackoff = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20)), DeadlineMargin = TimeSpan.FromMilliseconds(300) },
            TimeProvider.System,
            NullLogger<OpenSearchBulkWriter>.Instance);
        _handler = new SqsBatchHandler(writer, IndexerSettings.Load(FunctionSettingsFrom.Environment(("CLUSTER_NAME", "default-cluster"))), new LineWriter(_metrics), TimeProvider.System, NullLogger<SqsBatchHandler>.Instance);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _domain.DisposeAsync();
    }

    internal static string Event(string uid, long resourceVersion, string message = "Pulled image", string created = "2024-06-01T08:00:00Z", int count = 1) =>
        $$$"""{"kind":"Event","apiVersion":"v1","metadata":{"name":"{{{uid}}}.17","namespace":"default","uid":"{{{uid}}}","resourceVersion":"{{{resourceVersion}}}","creationTimestamp":"{{{created}}}"},"involvedObject":{"kind":"Pod","namespace":"default","name":"web-1"},"reason":"Pulled","message":"{{{message}}}","type":"Normal","count":{{{count}}},"firstTimestamp":"{{{created}}}","lastTimestamp":"{{{created}}}","source":{"component":"kubelet"}}""";

    internal static string Envelope(string cluster, params string[] events) =>
        $$"""{"schema":"eks-events/v1","clusterName":"{{cluster}}","events":[{{string.Join(',', events)}}]}""";

    private static SQSEvent Batch(params string[] bodies) => new()
    {
        Records = bodies.Select((b, i) => new SQSEvent.SQSMessage { MessageId = $"m{i}", Body = b, EventSource = "aws:sqs" }).ToList(),
    };

    private Task<SQSBatchResponse> HandleAsync(SQSEvent batch, double timeoutSeconds = 10) =>
        _handler.HandleAsync(batch, new TestLambdaContext(TimeSpan.FromSeconds(timeoutSeconds)), CancellationToken.None);

    private static IEnumerable<string> Failed(SQSBatchResponse response) => response.BatchItemFailures.Select(f => f.ItemIdentifier);

    [Fact]
    public async Task HandleAsync_GoodBatchOfAllThreeForms_IndexesEveryEventOnceAndFailsNothing()
    {
        var list = $$"""{"kind":"EventList","apiVersion":"v1","items":[{{Event("c1", 1)}},{{Event("c2", 1)}}]}""";
        var response = await HandleAsync(Batch(Envelope("prod", Event("a1", 10), Event("a2", 11)), Event("b1", 5), list));

        Assert.Empty(response.BatchItemFailures);
        var docs = _domain.Documents("eks-kubernetes-events-*");
        Assert.Equal(["a1", "a2", "b1", "c1", "c2"], docs.Select(d => d.Id).Order());
        Assert.Equal("prod", _domain.TryGet("eks-kubernetes-events-2024.06.01", "a1")!.Source.GetProperty("clusterName").GetString());
        Assert.Equal("default-cluster", _domain.TryGet("eks-kubernetes-events-2024.06.01", "b1")!.Source.GetProperty("clusterName").GetString());
    }

    [Fact]
    public async Task HandleAsync_PoisonMessage_OnlyThatMessageIsReportedAndTheRestStored()
    {
        var response = await HandleAsync(Batch(Envelope("c", Event("a", 1)), "not json at all", Envelope("c", Event("b", 1))));

        Assert.Equal(["m1"], Failed(response));
        Assert.Equal(2, _domain.Documents().Count);
    }

    [Fact]
    public async Task HandleAsync_EventWithoutUid_FailsItsMessageButIndexesItsOtherEvents()
    {
        var response = await HandleAsync(Batch(Envelope("c", Event("ok", 1), """{"kind":"Event","metadata":{"name":"x"}}""")));

        Assert.Equal(["m0"], Failed(response));
        Assert.NotNull(_domain.TryGet("eks-kubernetes-events-2024.06.01", "ok"));
    }

    [Fact]
    public async Task HandleAsync_DocumentRefusedPermanently_FailsTheMessagesThatCarriedIt()
    {
        _domain.RejectDocument = (_, doc) => doc.GetProperty("message").GetString() == "bad" ? "failed to parse field [message]" : null;

        var response = await HandleAsync(Batch(Envelope("c", Event("x", 1)), Envelope("c", Event("y", 1, message: "bad")), Envelope("c", Event("z", 1))));

        Assert.Equal(["m1"], Failed(response));
    }

    [Fact]
    public async Task HandleAsync_UpdatesOfOneEventInOneBatch_StoresTheNewestOnceAndAcksAllCarriers()
    {
        var response = await HandleAsync(Batch(
            Envelope("c", Event("e", 100, message: "count 1", count: 1)),
            Envelope("c", Event("e", 300, message: "count 3", count: 3)),
            Envelope("c", Event("e", 200, message: "count 2", count: 2))));

        Assert.Empty(response.BatchItemFailures);
        var doc = Assert.Single(_domain.Documents());
        Assert.Equal(300, doc.Version);
        Assert.Equal(3, doc.Source.GetProperty("count").GetInt32());
        Assert.Equal(1, doc.Writes);
    }

    [Fact]
    public async Task HandleAsync_OneUidInTwoDailyIndices_EachIndexGetsItsNewestCopy()
    {
        // A uid is one document per index: copies created on different days (a producer that rewrote the
        // creation time) land in two daily indices, and deduplication must not fold one into the other.
        var response = await HandleAsync(Batch(
            Envelope("c", Event("e", 100, message: "day 1, v100", created: "2024-06-01T23:59:59Z")),
            Envelope("c", Event("e", 200, message: "day 2, v200", created: "2024-06-02T00:00:01Z")),
            Envelope("c", Event("e", 300, message: "day 1, v300", created: "2024-06-01T23:59:59Z")),
            Envelope("c", Event("e", 150, message: "day 2, v150", created: "2024-06-02T00:00:01Z"))));

        Assert.Empty(response.BatchItemFailures);
        Assert.Equal("day 1, v300", _domain.TryGet("eks-kubernetes-events-2024.06.01", "e")!.Source.GetProperty("message").GetString());
        Assert.Equal("day 2, v200", _domain.TryGet("eks-kubernetes-events-2024.06.02", "e")!.Source.GetProperty("message").GetString());
        Assert.Equal(2, _domain.Documents("eks-kubernetes-events-*").Count);
    }

    [Fact]
    public async Task HandleAsync_LateOlderCopyAfterNewer_IsASuccessAndDoesNotOverwrite()
    {
        await HandleAsync(Batch(Envelope("c", Event("e", 500, message: "newest", count: 5))));

        var response = await HandleAsync(Batch(Envelope("c", Event("e", 400, message: "older", count: 4))));

        Assert.Empty(response.BatchItemFailures);
        Assert.Equal("newest", Assert.Single(_domain.Documents()).Source.GetProperty("message").GetString());
    }

    [Fact]
    public async Task HandleAsync_CollectorHeartbeat_IsASuccessThatStoresNothing()
    {
        // What a collector leader sends when it had nothing else to send for HEARTBEAT_INTERVAL (the
        // CollectorSilent alarm relies on it): byte for byte the collector's empty envelope.
        var response = await HandleAsync(Batch("{\"schema\":\"eks-events/v1\",\"clusterName\":\"prod\",\"events\":[]}"));

        Assert.Empty(response.BatchItemFailures);
        Assert.Empty(_domain.Documents());
        Assert.Equal(0, _domain.BulkRequests);
        using var emf = JsonDocument.Parse(Assert.Single(Encoding.UTF8.GetString(_metrics.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(1, emf.RootElement.GetProperty("MessagesReceived").GetDouble());
        Assert.Equal(0, emf.RootElement.GetProperty("MessagesFailed").GetDouble());
        Assert.Equal(0, emf.RootElement.GetProperty("EventsReceived").GetDouble());
    }

    [Fact]
    public async Task HandleAsync_DomainDownPastTheDeadline_ReportsEveryMessageWithEvents()
    {
        _domain.FailNextRequests(100_000, BulkFault.ServiceUnavailable);

        var response = await HandleAsync(Batch(Envelope("c", Event("a", 1)), Envelope("c", Event("b", 1)), Envelope("c")), timeoutSeconds: 1.5);

        Assert.Equal(["m0", "m1"], Failed(response)); // the empty envelope had nothing to store
    }

    [Fact]
    public async Task HandleAsync_TransientFaults_AreRetriedWithinTheInvocation()
    {
        _domain.FailNextRequests(2, BulkFault.BadGateway);
        _domain.RejectItemWithTooManyRequests("b", times: 3);

        var response = await HandleAsync(Batch(Envelope("c", Event("a", 1), Event("b", 1))));

        Assert.Empty(response.BatchItemFailures);
        Assert.Equal(2, _domain.Documents().Count);
    }

    [Fact]
    public async Task HandleAsync_Invocation_WritesOneEmfLineWithTheBatchFigures()
    {
        _domain.RejectDocument = (_, doc) => doc.GetProperty("message").GetString() == "bad" ? "nope" : null;

        await HandleAsync(Batch(Envelope("c", Event("a", 1), Event("b", 1, message: "bad"), Event("c", 1)), "{}"));

        var line = Assert.Single(Encoding.UTF8.GetString(_metrics.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("MessagesReceived").GetDouble());
        Assert.Equal(2, root.GetProperty("MessagesFailed").GetDouble());
        Assert.Equal(3, root.GetProperty("EventsReceived").GetDouble());
        Assert.Equal(2, root.GetProperty("DocumentsIndexed").GetDouble());
        Assert.Equal(1, root.GetProperty("DocumentsFailed").GetDouble());
        Assert.True(root.TryGetProperty("BulkMilliseconds", out _));
        Assert.True(root.TryGetProperty("Retries", out _));
    }

    [Fact]
    public async Task HandleAsync_BatchStoredWhole_WritesNoSummaryLineAtInformation()
    {
        var (handler, stdout) = WithLogOnStdout();

        await handler.HandleAsync(Batch(Envelope("prod", Event("s1", 1))), new TestLambdaContext(TimeSpan.FromSeconds(10)), CancellationToken.None);

        var lines = Lines(stdout);
        Assert.Single(lines);
        Assert.True(lines[0].RootElement.TryGetProperty("_aws", out _));
    }

    [Fact]
    public async Task HandleAsync_BatchWithAFailedMessage_WritesTheSummaryLineAtInformation()
    {
        var (handler, stdout) = WithLogOnStdout();

        await handler.HandleAsync(Batch(Envelope("prod", Event("s2", 1)), "not json"), new TestLambdaContext(TimeSpan.FromSeconds(10)), CancellationToken.None);

        var summary = Lines(stdout).Single(l => l.RootElement.TryGetProperty("eventId", out var id) && id.GetInt32() == 403);
        Assert.Contains("1 messages reported as failed", summary.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_WarningEventStored_WritesItsRecordAndTheTotalsAsLinesOfOneWrite()
    {
        using var stdout = new RecordingLines();
        var writer = new OpenSearchBulkWriter(_http, new DoubleCredentialsSource(_domain), new BulkWriterOptions(), TimeProvider.System, NullLogger<OpenSearchBulkWriter>.Instance);
        var handler = new SqsBatchHandler(writer, IndexerSettings.Load(FunctionSettingsFrom.Environment(("CLUSTER_NAME", "default-cluster"))), stdout.Writer, TimeProvider.System, NullLogger<SqsBatchHandler>.Instance);
        var warning = Event("w1", 1).Replace("\"type\":\"Normal\"", "\"type\":\"Warning\"", StringComparison.Ordinal);

        await handler.HandleAsync(Batch(Envelope("prod", warning)), new TestLambdaContext(TimeSpan.FromSeconds(10)), CancellationToken.None);

        var lines = stdout.Records();
        Assert.Equal(2, lines.Count);
        Assert.Equal("prod", (string?)lines[0]["ClusterName"]);
        Assert.Equal(1, (int?)lines[0]["WarningEvents"]);
        Assert.Equal(1, (int?)lines[1]["WarningEvents"]);
        Assert.Equal(1, (int?)lines[1]["DocumentsIndexed"]);
        Assert.Equal(1, stdout.Writes);
    }

    // Logs and metrics on one stream at the level Lambda defaults to, as stdout carries them.
    private (SqsBatchHandler Handler, MemoryStream Stdout) WithLogOnStdout()
    {
        var stdout = new MemoryStream();
        var output = new LineWriter(stdout);
        var loggers = new JsonLoggerFactory(new JsonLoggerProvider(output, LogLevel.Information, TimeProvider.System));
        var writer = new OpenSearchBulkWriter(_http, new DoubleCredentialsSource(_domain), new BulkWriterOptions(), TimeProvider.System, NullLogger<OpenSearchBulkWriter>.Instance);
        return (new SqsBatchHandler(writer, IndexerSettings.Load(FunctionSettingsFrom.Environment(("CLUSTER_NAME", "default-cluster"))), output, TimeProvider.System, new Logger<SqsBatchHandler>(loggers)), stdout);
    }

    private static List<JsonDocument> Lines(MemoryStream stream) =>
        Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();

    [Fact]
    public async Task HandleAsync_PayloadBytes_AnswersWithBatchItemFailuresJson()
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(Batch("oops"));

        var response = await _handler.HandleAsync(payload, new TestLambdaContext(TimeSpan.FromSeconds(5)), CancellationToken.None);

        Assert.Equal("{\"batchItemFailures\":[{\"itemIdentifier\":\"m0\"}]}", Encoding.UTF8.GetString(response));
    }

    [Fact]
    public async Task HandleAsync_PayloadWithAnInvalidEscapeInOneBody_FailsOnlyThatMessage()
    {
        var good = JsonSerializer.Serialize(Envelope("c", Event("a", 1)));
        var payload = Encoding.UTF8.GetBytes($$"""{"Records":[{"messageId":"m0","body":{{good}}},{"messageId":"m1","body":"{\"kind\":\"Event\",\"message\":\"\x\"}"}]}""");

        var response = await _handler.HandleAsync(payload, new TestLambdaContext(TimeSpan.FromSeconds(5)), CancellationToken.None);

        Assert.Equal("{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"}]}", Encoding.UTF8.GetString(response));
        Assert.NotNull(_domain.TryGet("eks-kubernetes-events-2024.06.01", "a"));
    }

    [Fact]
    public async Task HandleAsync_PayloadWithABodyThatIsNotUtf8_FailsOnlyThatMessage()
    {
        // One byte of a message's text replaced by the start of a two-byte sequence that never comes: the event is
        // otherwise whole, and a bad sequence inside a string fails a reader only when the string is read.
        var good = JsonSerializer.Serialize(Envelope("c", Event("a", 1)));
        var bad = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Envelope("c", Event("b", 1, message: "caf~ au lait"))));
        bad[bad.AsSpan().IndexOf("~"u8)] = 0xC3;
        byte[] payload = [.. Encoding.UTF8.GetBytes($$"""{"Records":[{"messageId":"m0","body":{{good}}},{"messageId":"m1","body":"""), .. bad, .. "}]}"u8];

        var response = await _handler.HandleAsync(payload, new TestLambdaContext(TimeSpan.FromSeconds(5)), CancellationToken.None);

        Assert.Equal("{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"}]}", Encoding.UTF8.GetString(response));
        Assert.NotNull(_domain.TryGet("eks-kubernetes-events-2024.06.01", "a"));
    }
}
