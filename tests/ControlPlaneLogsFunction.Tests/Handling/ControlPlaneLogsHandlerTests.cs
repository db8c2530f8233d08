using System.Text;
using System.Text.Json;
using ControlPlaneLogsFunction.Documents;
using ControlPlaneLogsFunction.Handling;
using ControlPlaneLogsFunction.Tests.Samples;
using Functions.Runtime.Events.CloudWatchLogs;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.OpenSearch;
using Shared.OpenSearch.Failures;
using TestSupport.CloudWatchLogs;
using TestSupport.Lambda;
using TestSupport.OpenSearch;

namespace ControlPlaneLogsFunction.Tests.Handling;

public sealed class ControlPlaneLogsHandlerTests : IAsyncLifetime
{
    private readonly RecordingLines _metrics = new();
    private OpenSearchDouble _domain = null!;
    private ControlPlaneLogsHandler _handler = null!;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        var writer = new OpenSearchBulkWriter(
            OpenSearchHttp.CreateClient(),
            new DoubleCredentialsSource(_domain),
            new BulkWriterOptions { RetryBackoff = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20)), DeadlineMargin = TimeSpan.FromMilliseconds(200), Templates = [ControlPlaneStartup.Template("eks-control-plane-logs")] },
            TimeProvider.System,
            NullLogger<OpenSearchBulkWriter>.Instance);
        _handler = new ControlPlaneLogsHandler(
            new ControlPlaneDocumentBuilder("eks-control-plane-logs", string.Empty),
            writer,
            new ControlPlaneOptions { MaxDecompressedBytes = 4 * 1024 * 1024 },
            TimeProvider.System,
            _metrics.Writer,
            NullLogger<ControlPlaneLogsHandler>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _domain.DisposeAsync();
        _metrics.Dispose();
    }

    private Task<byte[]> InvokeAsync(byte[] cwlEvent, TimeSpan? remaining = null) =>
        _handler.HandleAsync(cwlEvent, new TestContext(remaining ?? TimeSpan.FromSeconds(30)), CancellationToken.None);

    private static byte[] MixedEvent(string stream, params string[] lines) =>
        SubscriptionEvents.Event(SubscriptionEvents.Payload(stream, lines.Select((l, i) => ($"{stream}-{i}", SubscriptionEvents.Millis(2024, 3, 1, 10, 15, 30) + i, l))));

    [Fact]
    public async Task HandleAsync_AuditBatch_IndexesEveryLineUnderItsEventIdAndInstallsTheTemplate()
    {
        var response = await InvokeAsync(MixedEvent(ControlPlaneLines.AuditStream, ControlPlaneLines.AuditCreatePod, ControlPlaneLines.AuditServiceAccountGet));

        var stored = _domain.Documents("eks-control-plane-logs-*");
        Assert.Equal(2, stored.Count);
        var doc = _domain.TryGet("eks-control-plane-logs-2024.03.01", ControlPlaneLines.AuditStream + "-0");
        Assert.NotNull(doc);
        Assert.Equal("create", doc.Source.GetProperty("verb").GetString());
        Assert.Equal("history-test", doc.Source.GetProperty("clusterName").GetString());
        Assert.True(_domain.Templates.ContainsKey("eks-control-plane-logs"));
        using var summary = JsonDocument.Parse(response);
        Assert.Equal(2, summary.RootElement.GetProperty("documentsIndexed").GetInt32());
    }

    [Fact]
    public async Task HandleAsync_LinesInNoKnownFormat_IndexesThemAsUnknownWithParseErrors()
    {
        // What a subscription on a group that is not an EKS control plane delivers (AWS's sample event is one).
        var stamp = SubscriptionEvents.Millis(2024, 3, 1, 10, 15, 30);
        var payload = SubscriptionEvents.Payload("web-7d4b9c-x2x9k", [("e1", stamp, "[ERROR] checkout failed: timeout after 30s"), ("e2", stamp + 1, "[INFO] retrying")], logGroup: "/ecs/shop");

        await InvokeAsync(SubscriptionEvents.Event(payload));

        var stored = _domain.Documents("eks-control-plane-logs-2024.03.01");
        Assert.Equal(["e1", "e2"], stored.Select(d => d.Id).Order());
        Assert.All(stored, d => Assert.Equal("unknown", d.Source.GetProperty("log_type").GetString()));
        Assert.All(stored, d => Assert.True(d.Source.TryGetProperty("parse_error", out _)));
        Assert.Equal("[ERROR] checkout failed: timeout after 30s", _domain.TryGet("eks-control-plane-logs-2024.03.01", "e1")!.Source.GetProperty("@message").GetString());
    }

    [Fact]
    public async Task HandleAsync_ControlMessage_SucceedsAndIndexesNothing()
    {
        var response = await InvokeAsync(SubscriptionEvents.Event(SubscriptionEvents.Payload("CloudwatchLogs", [("1", 0, "CWL CONTROL MESSAGE: Checking health of destination Lambda.")], "CONTROL_MESSAGE")));

        Assert.Empty(_domain.Documents());
        Assert.Equal("CONTROL_MESSAGE", JsonDocument.Parse(response).RootElement.GetProperty("messageType").GetString());
    }

    [Fact]
    public async Task HandleAsync_MappingRejection_StoresThePlainFormWithTheReason()
    {
        _domain.RejectDocument = (index, source) => source.TryGetProperty("annotations", out var annotations) && index.Length > 0 ? "failed to parse field [annotations.authorization.k8s.io] of type [text]" : null;

        await InvokeAsync(MixedEvent(ControlPlaneLines.AuditStream, ControlPlaneLines.AuditCreatePod));

        var doc = Assert.Single(_domain.Documents());
        Assert.Equal(ControlPlaneLines.AuditCreatePod, doc.Source.GetProperty("@message").GetString());
        Assert.Contains("mapper_parsing_exception", doc.Source.GetProperty("index_error").GetString(), StringComparison.Ordinal);
        Assert.False(doc.Source.TryGetProperty("verb", out _));
        var record = _metrics.Records()[0];
        Assert.Equal(1, (int)record["PlainFallbacks"]!);
        Assert.Equal(0, (int)record["DocumentsFailed"]!);
    }

    [Fact]
    public async Task HandleAsync_TransientFaults_AreRetriedInsideTheInvocation()
    {
        await InvokeAsync(MixedEvent(ControlPlaneLines.AuditStream, ControlPlaneLines.AuditCreatePod)); // installs the template
        _domain.FailNextRequests(2, BulkFault.ServiceUnavailable);
        _domain.RejectItemWithTooManyRequests(ControlPlaneLines.SchedulerStream + "-1", 2);

        await InvokeAsync(MixedEvent(ControlPlaneLines.SchedulerStream, ControlPlaneLines.SchedulerStructured, ControlPlaneLines.SchedulerStructured));

        Assert.Equal(2, _domain.Documents("eks-control-plane-logs-*").Count(d => d.Id.StartsWith("kube-scheduler", StringComparison.Ordinal)));
        Assert.True((int)_metrics.Records().Last(r => r["LogType"] is null)["Retries"]! >= 2);
    }

    [Fact]
    public async Task HandleAsync_DomainKeepsRefusing_FailsTheInvocationAndCountsTheFailures()
    {
        await InvokeAsync(MixedEvent(ControlPlaneLines.AuditStream, ControlPlaneLines.AuditCreatePod)); // installs the template
        _domain.RejectAllItemsWithTooManyRequests = true;

        var error = await Assert.ThrowsAsync<ControlPlaneIndexingException>(() => InvokeAsync(MixedEvent(ControlPlaneLines.SchedulerStream, ControlPlaneLines.SchedulerStructured), TimeSpan.FromSeconds(2)));

        Assert.Contains("1 of 1 documents", error.Message, StringComparison.Ordinal);
        Assert.Contains("es_rejected_execution_exception", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Equal(1, (int)_metrics.Records().Last(r => r.ContainsKey("DocumentsFailed"))["DocumentsFailed"]!);
    }

    [Fact]
    public async Task HandleAsync_PlainFormRefusedToo_FailsTheInvocation()
    {
        _domain.RejectDocument = (_, _) => "everything is refused";

        var error = await Assert.ThrowsAsync<ControlPlaneIndexingException>(() => InvokeAsync(MixedEvent(ControlPlaneLines.SchedulerStream, ControlPlaneLines.SchedulerStructured)));

        Assert.Contains("plain form", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Permanent, error.Kind);
        Assert.Empty(_domain.Documents());
    }

    [Fact]
    public async Task HandleAsync_MixedBatch_EmitsOneEmfRecordPerLogTypeAndTheTotals()
    {
        await InvokeAsync(MixedEvent(ControlPlaneLines.AuthenticatorStream, [.. ControlPlaneLines.AuthenticatorLines, "garbage line"]));

        var records = _metrics.Records();
        var totals = records.Single(r => r["LogType"] is null);
        Assert.Equal(4, (int)totals["LogLines"]!);
        Assert.Equal(4, (int)totals["DocumentsIndexed"]!);
        Assert.Equal(1, (int)totals["ParseErrors"]!);
        Assert.Equal("EksHistory", (string?)totals["_aws"]!["CloudWatchMetrics"]![0]!["Namespace"]);
        var perType = records.Single(r => (string?)r["LogType"] == "authenticator");
        Assert.Equal(4, (int)perType["Documents"]!);
    }

    [Fact]
    public async Task HandleAsync_DeliveryOfOneStream_WritesTotalsAndLogTypeRecordsAsLinesOfOneWrite()
    {
        await InvokeAsync(MixedEvent(ControlPlaneLines.AuthenticatorStream, [.. ControlPlaneLines.AuthenticatorLines]));

        var records = _metrics.Records();
        Assert.Equal(2, records.Count);
        Assert.Equal(3, (int)records.Single(r => r["LogType"] is null)["LogLines"]!);
        Assert.Equal(3, (int)records.Single(r => (string?)r["LogType"] == "authenticator")["Documents"]!);
        Assert.Equal(1, _metrics.Writes);
    }

    public static TheoryData<string, byte[], string> BadInputs() => new()
    {
        { "not JSON", Encoding.UTF8.GetBytes("hello"), "not a CloudWatch Logs subscription event" },
        { "JSON without awslogs", Encoding.UTF8.GetBytes("{\"awslog\":{\"data\":\"H4sI\"}}"), "no awslogs.data" },
        { "invalid base64", SubscriptionEvents.EventWithData("%%%"), "not valid base64" },
        { "not gzip", SubscriptionEvents.EventWithData(Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"messageType\":\"DATA_MESSAGE\"} plain"))), "not gzip" },
        { "truncated gzip", SubscriptionEvents.Event(SubscriptionEvents.Gzip(Encoding.UTF8.GetBytes(SubscriptionEvents.Payload("kube-scheduler-1", [("1", 1, new string('x', 5000))])))[..^10]), "truncated" },
        { "inflates past the cap", SubscriptionEvents.Event(SubscriptionEvents.Gzip(new byte[5 * 1024 * 1024])), "more than 4194304 bytes" },
        { "JSON that is not a payload", SubscriptionEvents.Event("[1,2,3]"), "does not hold a subscription payload" },
        { "payload without messageType", SubscriptionEvents.Event("{\"logEvents\":[]}"), "no messageType" },
        { "DATA_MESSAGE without logEvents", SubscriptionEvents.Event("{\"messageType\":\"DATA_MESSAGE\"}"), "without logEvents" },
        { "event without id", SubscriptionEvents.Event("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"timestamp\":1,\"message\":\"m\"}]}"), "logEvents[0] has no id" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task HandleAsync_BadInput_FailsWithAClearErrorAndStoresNothing(string name, byte[] cwlEvent, string expected)
    {
        var error = await Assert.ThrowsAsync<CloudWatchLogsDecodeException>(() => InvokeAsync(cwlEvent));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(_domain.Documents());
        Assert.Equal(1, (int)_metrics.Records()[0]["InvalidPayloads"]!);
        Assert.NotNull(name);
    }

    [Fact]
    public async Task HandleAsync_EmptyLogEvents_SucceedsWithNothingIndexed()
    {
        var response = await InvokeAsync(SubscriptionEvents.Event(SubscriptionEvents.Payload(ControlPlaneLines.AuditStream, [])));

        Assert.Empty(_domain.Documents());
        Assert.Equal(0, JsonDocument.Parse(response).RootElement.GetProperty("logEvents").GetInt32());
    }

    [Fact]
    public async Task HandleAsync_InvalidUtf8_IndexesEveryLineAndMarksTheBadOne()
    {
        var payload = Encoding.UTF8.GetBytes(SubscriptionEvents.Payload(ControlPlaneLines.SchedulerStream, [("good", 1709288130140, ControlPlaneLines.SchedulerStructured), ("bad", 1709288130141, "I0301 10:15:30.000001       1 x.go:1] BAD")]));
        var at = Encoding.UTF8.GetString(payload).IndexOf("BAD", StringComparison.Ordinal);
        payload[at] = 0xC3; // a lead byte followed by 'A': not UTF-8
        payload[at + 2] = 0xFF;

        await InvokeAsync(SubscriptionEvents.Event(SubscriptionEvents.Gzip(payload)));

        var bad = _domain.TryGet("eks-control-plane-logs-2024.03.01", "bad")!;
        Assert.True(bad.Source.GetProperty("invalid_utf8").GetBoolean());
        Assert.Contains('\uFFFD', bad.Source.GetProperty("@message").GetString()!);
        Assert.False(_domain.TryGet("eks-control-plane-logs-2024.03.01", "good")!.Source.TryGetProperty("invalid_utf8", out _));
    }

    [Fact]
    public async Task HandleAsync_OneMebibyteLine_IsStoredWhole()
    {
        var line = "I0301 10:15:30.000001       1 big.go:1] " + new string('y', 1024 * 1024);

        await InvokeAsync(MixedEvent(ControlPlaneLines.ApiServerStream, line));

        Assert.Equal(line, Assert.Single(_domain.Documents()).Source.GetProperty("@message").GetString());
    }
}
