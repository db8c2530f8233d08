using System.Text.Json;
using ControlPlaneLogsFunction.Documents;
using ControlPlaneLogsFunction.Handling;
using ControlPlaneLogsFunction.Tests.Samples;
using Functions.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shared.OpenSearch;
using TestSupport.CloudWatchLogs;
using TestSupport.Lambda;
using TestSupport.OpenSearch;

namespace ControlPlaneLogsFunction.Tests.Handling;

/// <summary>
/// What a line holds can never take the other lines of its delivery down: through the handler, the real
/// bulk writer and an OpenSearch double that refuses a broken body as a whole, as OpenSearch does. Time
/// is a FakeTimeProvider with a deadline an hour away; none of these paths waits.
/// </summary>
public sealed class BulkSafetyHandlerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 3, 1, 10, 20, 0, TimeSpan.Zero));
    private readonly RecordingLines _metrics = new();
    private OpenSearchDouble _domain = null!;
    private HttpClient _http = null!;
    private ControlPlaneLogsHandler _handler = null!;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        _http = OpenSearchHttp.CreateClient();
        var writer = new OpenSearchBulkWriter(
            _http,
            new DoubleCredentialsSource(_domain),
            new BulkWriterOptions { Templates = [ControlPlaneStartup.Template("eks-control-plane-logs")] },
            _time,
            NullLogger<OpenSearchBulkWriter>.Instance);
        _handler = new ControlPlaneLogsHandler(
            new ControlPlaneDocumentBuilder("eks-control-plane-logs", string.Empty),
            writer,
            new ControlPlaneOptions(),
            _time,
            _metrics.Writer,
            NullLogger<ControlPlaneLogsHandler>.Instance);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _domain.DisposeAsync();
        _metrics.Dispose();
    }

    private Task<byte[]> InvokeAsync(string stream, IEnumerable<(string Id, long Timestamp, string Message)> lines) =>
        _handler.HandleAsync(SubscriptionEvents.Event(SubscriptionEvents.Payload(stream, lines)), new FixedDeadline(_time.GetUtcNow().AddHours(1)), CancellationToken.None);

    [Fact]
    public async Task HandleAsync_AuditEventsWrittenOverSeveralLines_EveryLineOfTheDeliveryIsStored()
    {
        var pretty = JsonSerializer.Serialize(JsonDocument.Parse(ControlPlaneLines.AuditCreatePod).RootElement, new JsonSerializerOptions { WriteIndented = true });
        var lines = new[]
        {
            ControlPlaneLines.AuditServiceAccountGet,
            pretty,
            pretty.Replace("\n", "\r\n", StringComparison.Ordinal).Replace("  ", "\t", StringComparison.Ordinal),
            ControlPlaneLines.AuditCreatePod,
        };

        var response = await InvokeAsync(ControlPlaneLines.AuditStream, lines.Select((l, i) => ($"audit-{i}", SubscriptionEvents.Millis(2024, 3, 1, 10, 15, 30) + i, l)));

        Assert.Equal(4, JsonDocument.Parse(response).RootElement.GetProperty("documentsIndexed").GetInt32());
        Assert.Equal(0, _domain.RequestsRefused);
        foreach (var i in new[] { 1, 2 })
        {
            var doc = _domain.TryGet("eks-control-plane-logs-2024.03.01", $"audit-{i}")!;
            Assert.Equal("create", doc.Source.GetProperty("verb").GetString());
            Assert.Equal(2, doc.Source.GetProperty("requestObject").GetProperty("spec").GetProperty("replicas").GetInt32());
            Assert.Equal(lines[i], doc.Source.GetProperty("@message").GetString()); // the raw line, line breaks and all
            Assert.False(doc.Source.TryGetProperty("parse_error", out _));
        }
    }

    [Fact]
    public async Task HandleAsync_LineOpenSearchRefusesTheWholeRequestFor_NeighboursStoredAndItsPlainFormToo()
    {
        // A document that makes OpenSearch refuse the request it is in, whatever else is in it.
        _domain.RefuseRequestFor = (_, doc) => doc.TryGetProperty("requestObject", out JsonElement _) ? "failed to parse field [requestObject.spec] of type [keyword]" : null;
        var lines = Enumerable.Range(0, 40).Select(i => i == 17 ? ControlPlaneLines.AuditCreatePod : ControlPlaneLines.AuditServiceAccountGet).ToList();

        var response = await InvokeAsync(ControlPlaneLines.AuditStream, lines.Select((l, i) => ($"audit-{i}", SubscriptionEvents.Millis(2024, 3, 1, 10, 15, 30), l)));

        using var summary = JsonDocument.Parse(response);
        Assert.Equal(40, summary.RootElement.GetProperty("documentsIndexed").GetInt32());
        Assert.Equal(1, summary.RootElement.GetProperty("plainFallbacks").GetInt32());
        Assert.Equal(40, _domain.Documents().Count);
        var plain = _domain.TryGet("eks-control-plane-logs-2024.03.01", "audit-17")!.Source;
        Assert.Equal(ControlPlaneLines.AuditCreatePod, plain.GetProperty("@message").GetString());
        Assert.Contains("mapper_parsing_exception: failed to parse field [requestObject.spec]", plain.GetProperty("index_error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_EverySampleLine_IsStoredAsOneDocumentParsedOrWithItsParseError()
    {
        foreach (var group in SampleLines.All.GroupBy(l => l.Stream))
        {
            await InvokeAsync(group.Key, group.Select(l => ($"sample-{l.Number}", l.Timestamp, l.Message)));
        }

        var stored = _domain.Documents("eks-control-plane-logs-*");
        Assert.Equal(SampleLines.All.Count, stored.Count);
        Assert.All(SampleLines.All, l =>
        {
            var doc = stored.Single(d => d.Id == $"sample-{l.Number}");
            Assert.Equal(l.Message, doc.Source.GetProperty("@message").GetString());
        });
        Assert.Equal(0, _domain.RequestsRefused);
    }

    /// <summary>An invocation whose deadline is fixed in the fake time.</summary>
    private sealed class FixedDeadline(DateTimeOffset deadline) : ILambdaContext
    {
        public string AwsRequestId => "bulk-safety";

        public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:123456789012:function:control-plane-logs";

        public string FunctionName => "control-plane-logs";

        public string TraceId => string.Empty;

        public DateTimeOffset Deadline => deadline;

        public TimeSpan RemainingTime => TimeSpan.FromHours(1);
    }
}
