using System.Text.Json;
using Functions.Runtime;
using Functions.Runtime.Events.Sqs;
using IndexerFunction.Handling;
using IndexerFunction.Settings;
using IndexerFunction.Tests.Handling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shared.Logging;
using Shared.OpenSearch;
using TestSupport.OpenSearch;
using TestSupport.Settings;

namespace IndexerFunction.Tests.Reliability;

/// <summary>
/// One event can never fail the messages of the events next to it in a _bulk request: through the
/// handler, the real writer and a double that refuses a request as a whole the way OpenSearch does.
/// Time is a FakeTimeProvider with a deadline an hour away; none of these paths waits.
/// </summary>
public sealed class OneBadDocumentTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 6, 1, 9, 0, 0, TimeSpan.Zero));
    private OpenSearchDouble _domain = null!;
    private HttpClient _http = null!;
    private SqsBatchHandler _handler = null!;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        _http = OpenSearchHttp.CreateClient();
        var writer = new OpenSearchBulkWriter(_http, new DoubleCredentialsSource(_domain), new BulkWriterOptions(), _time, NullLogger<OpenSearchBulkWriter>.Instance);
        _handler = new SqsBatchHandler(writer, IndexerSettings.Load(FunctionSettingsFrom.Environment(("CLUSTER_NAME", "default-cluster"))), new LineWriter(Stream.Null), _time, NullLogger<SqsBatchHandler>.Instance);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _domain.DisposeAsync();
    }

    private Task<SQSBatchResponse> HandleAsync(params string[] bodies) => _handler.HandleAsync(
        new SQSEvent { Records = bodies.Select((b, i) => new SQSEvent.SQSMessage { MessageId = $"m{i}", Body = b, EventSource = "aws:sqs" }).ToList() },
        new FixedDeadline(_time.GetUtcNow().AddHours(1)),
        CancellationToken.None);

    [Fact]
    public async Task HandleAsync_EventThatMakesOpenSearchRefuseTheWholeRequest_OnlyItsMessageFails()
    {
        // A producer other than the collector may send any uid; one over 512 bytes fails OpenSearch's
        // validation for the request as a whole (action_request_validation_exception).
        var longUid = "uid-" + new string('u', 600);
        var bodies = Enumerable.Range(0, 8)
            .Select(m => SqsBatchHandlerTests.Envelope("prod", [.. Enumerable.Range(0, 10).Select(e => SqsBatchHandlerTests.Event(m == 5 && e == 3 ? longUid : $"e{m}-{e}", 100 + e))]))
            .ToArray();

        var response = await HandleAsync(bodies);

        Assert.Equal(["m5"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Equal(79, _domain.Documents("eks-kubernetes-events-*").Count);
        Assert.True(_domain.RequestsRefused >= 1); // the first request was refused as a whole, and narrowed
    }

    [Fact]
    public async Task HandleAsync_EventsAsKubectlPrintsThem_StoredInOneAcceptedRequest()
    {
        // kubectl get events -o json, pasted into a queue: an EventList spread over many lines, with CRLF.
        var list = JsonSerializer.Serialize(
            JsonDocument.Parse($$"""{"kind":"EventList","apiVersion":"v1","items":[{{SqsBatchHandlerTests.Event("k1", 7, "Back-off restarting failed container \u2028 caf\u00e9")}},{{SqsBatchHandlerTests.Event("k2", 8)}}]}""").RootElement,
            new JsonSerializerOptions { WriteIndented = true, NewLine = "\r\n" });

        var response = await HandleAsync(list, SqsBatchHandlerTests.Event("k3", 9));

        Assert.Empty(response.BatchItemFailures);
        Assert.Equal(0, _domain.RequestsRefused);
        Assert.Equal(1, _domain.BulkRequests);
        Assert.Equal("Back-off restarting failed container \u2028 caf\u00e9", _domain.TryGet("eks-kubernetes-events-2024.06.01", "k1")!.Source.GetProperty("message").GetString());
    }

    /// <summary>An invocation whose deadline is fixed in the fake time.</summary>
    private sealed class FixedDeadline(DateTimeOffset deadline) : ILambdaContext
    {
        public string AwsRequestId => "one-bad-document";

        public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:123456789012:function:indexer";

        public string FunctionName => "indexer";

        public string TraceId => string.Empty;

        public DateTimeOffset Deadline => deadline;

        public TimeSpan RemainingTime => TimeSpan.FromHours(1);
    }
}
