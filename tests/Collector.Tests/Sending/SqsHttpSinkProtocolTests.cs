using System.Net;
using System.Text;
using System.Threading.Channels;
using Amazon.Runtime;
using Collector.Kubernetes;
using Collector.Observability;
using Collector.Packing;
using Collector.Sending;
using Collector.Settings;
using Collector.Tests.Packing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Shared.Aws;
using TestSupport.Aws;

namespace Collector.Tests.Sending;

/// <summary>
/// What the collector's sink does with each kind of SQS answer moto cannot be made to give (a wrong MD5, partial
/// results, throttling, 5xx, expired credentials), from <see cref="AwsAnsweringHandler"/>, which answers in SQS's
/// documented shape. How the shared JSON-protocol path reads every error form is pinned in
/// <c>Shared.Aws.Tests.AwsJsonClientTests</c>; the happy path and signature checking run against moto
/// (<see cref="SqsHttpSinkTests"/>).
/// </summary>
public sealed class SqsHttpSinkProtocolTests : IDisposable
{
    private static readonly Uri QueueUrl = new("https://sqs.eu-west-1.amazonaws.com/123456789012/events");
    private static readonly Uri Endpoint = new("https://sqs.eu-west-1.amazonaws.com/");

    private readonly AwsAnsweringHandler _sqs = new();
    private readonly HttpClient _http;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public SqsHttpSinkProtocolTests() => _http = new HttpClient(_sqs);

    public void Dispose()
    {
        _clients.ForEach(c => c.Dispose());
        _http.Dispose();
        _sqs.Dispose();
    }

    private readonly List<IDisposable> _clients = [];

    private SqsHttpSink Sink(AWSCredentials? credentials = null, TimeProvider? time = null)
    {
        var client = new AwsJsonClient(_http, AwsService.Sqs, new AwsEndpoint(Endpoint, "eu-west-1"), credentials ?? new SessionAWSCredentials("ASIAEXAMPLE", "secret", "session-token"), time ?? _time);
        _clients.Add(client);
        return new SqsHttpSink(client, QueueUrl);
    }

    private static List<Envelope> Batch(int count) =>
        Enumerable.Range(0, count).Select(i => new Envelope(Encoding.UTF8.GetBytes($"{{\"schema\":\"eks-events/v1\",\"n\":{i},\"s\":\"é\\\"😀\"}}"), 1)).ToList();

    [Fact]
    public async Task SendBatchAsync_AnyBatch_IsOneSignedSendMessageBatchForSqsInTheRegion()
    {
        using var sink = Sink();

        var failures = await sink.SendBatchAsync(Batch(3), CancellationToken.None);

        Assert.Empty(failures);
        var request = Assert.Single(_sqs.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(Endpoint, request.Uri);
        Assert.Equal("AmazonSQS.SendMessageBatch", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.0", request.Headers["Content-Type"]);
        Assert.Equal("20250102T030405Z", request.Headers["X-Amz-Date"]);
        Assert.Equal("session-token", request.Headers["X-Amz-Security-Token"]);
        Assert.StartsWith(
            "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20250102/eu-west-1/sqs/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=",
            request.Headers["Authorization"],
            StringComparison.Ordinal);
        Assert.Equal(QueueUrl.ToString(), request.QueueUrl);
        Assert.Equal(["0", "1", "2"], request.Entries.Select(e => e.Id));
        Assert.Equal(Batch(3).Select(e => e.Body.ToArray()), request.Entries.Select(e => e.Body));
    }

    [Fact]
    public async Task SendBatchAsync_OneMd5DiffersFromTheBodySent_ThatEntryFailsAndOnlyThatOne()
    {
        using var sink = Sink();
        _sqs.Then(r => AwsAnsweringHandler.Accepted(r.Entries, e => e.Id == "1" ? "0123456789abcdef0123456789abcdef" : e.Md5));

        var failures = await sink.SendBatchAsync(Batch(3), CancellationToken.None);

        var failure = Assert.Single(failures);
        Assert.Equal(1, failure.Index);
        Assert.Equal("MD5Mismatch", failure.Code);
    }

    [Fact]
    public async Task SendBatchAsync_ResultFailsOneEntryAndOmitsAnother_BothAreFailuresTheRestAccepted()
    {
        using var sink = Sink();
        _sqs.Then(r => AwsAnsweringHandler.Result(
            r.Entries.Where(e => e.Id is "0" or "3").Select(e => new System.Text.Json.Nodes.JsonObject { ["Id"] = e.Id, ["MessageId"] = "m" + e.Id, ["MD5OfMessageBody"] = e.Md5 }),
            [AwsAnsweringHandler.Failure("1", "InternalError", "Try again later.")]));

        var failures = await sink.SendBatchAsync(Batch(4), CancellationToken.None);

        Assert.Equal([1, 2], failures.Select(f => f.Index));
        Assert.Equal(("InternalError", "Try again later."), (failures[0].Code, failures[0].Message));
        Assert.Equal("NotConfirmed", failures[1].Code);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "RequestThrottled", "Rate exceeded", "AWS.SimpleQueueService.RequestThrottled;Sender")]
    [InlineData(HttpStatusCode.InternalServerError, "InternalFailure", "We encountered an internal error. Please try again.", null)]
    public async Task SendBatchAsync_ErrorAnswer_ThrowsNamingStatusCodeMessageAndQueue(HttpStatusCode status, string shape, string message, string? queryError)
    {
        using var sink = Sink();
        _sqs.Then(_ => AwsAnsweringHandler.SqsError(status, shape, message, queryError));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => sink.SendBatchAsync(Batch(2), CancellationToken.None));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(shape, error.ErrorCode);
        Assert.Contains($"HTTP {(int)status} {shape}", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(QueueUrl.ToString(), error.Message, StringComparison.Ordinal);
        if (queryError is not null)
        {
            Assert.Contains(queryError.Split(';')[0], error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SendBatchAsync_CredentialsExpired_ThrowsAndTheNextAttemptIsSignedWithRenewedKeys()
    {
        var credentials = new RotatingCredentials();
        using var sink = Sink(credentials);
        _sqs.Then(_ => AwsAnsweringHandler.SqsError(HttpStatusCode.Forbidden, "ExpiredToken", "The security token included in the request is expired"));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => sink.SendBatchAsync(Batch(1), CancellationToken.None));
        var failures = await sink.SendBatchAsync(Batch(1), CancellationToken.None);

        Assert.Equal("ExpiredToken", error.ErrorCode);
        Assert.Empty(failures);
        Assert.Contains("Credential=ASIA1/", _sqs.Requests[0].Headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains("Credential=ASIA2/", _sqs.Requests[1].Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal("token-2", _sqs.Requests[1].Headers["X-Amz-Security-Token"]);
    }

    [Fact]
    public async Task SendBatchAsync_AnswerIsNotJson_ThrowsNamingTheQueue()
    {
        using var sink = Sink();
        _sqs.Then(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>captive portal</html>") });

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => sink.SendBatchAsync(Batch(1), CancellationToken.None));

        Assert.Contains(QueueUrl.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvelopeSender_SqsThrottlesThenAccepts_EveryEventIsSentOnceAndTheFailuresCounted()
    {
        using var sink = Sink(time: TimeProvider.System);
        _sqs.Then(_ => AwsAnsweringHandler.SqsError(HttpStatusCode.BadRequest, "RequestThrottled", "Rate exceeded"));
        _sqs.Then(_ => AwsAnsweringHandler.SqsError(HttpStatusCode.InternalServerError, "InternalFailure", "Please try again."));
        var settings = new CollectorSettings { ClusterName = "test", MaxMessageBytes = 2048, FlushInterval = TimeSpan.FromMilliseconds(50), SendBackoffMax = TimeSpan.FromMilliseconds(20) };
        var buffer = Channel.CreateUnbounded<ObservedEvent>();
        var metrics = new CollectorMetrics();
        var log = new CodeRecordingLogger();
        var sender = new EnvelopeSender(buffer.Reader, sink, settings, metrics, new HealthState(TimeProvider.System, TimeSpan.FromMinutes(1)), TimeProvider.System, log);
        for (var i = 0; i < 30; i++)
        {
            await buffer.Writer.WriteAsync(EnvelopePackerTests.Event(i, new string('m', 200)));
        }

        buffer.Writer.Complete();
        await sender.RunAsync(CancellationToken.None);

        var accepted = _sqs.Requests.Skip(2).SelectMany(r => r.Entries).ToList();
        var uids = accepted
            .SelectMany(e => System.Text.Json.Nodes.JsonNode.Parse(e.Body)!["events"]!.AsArray())
            .Select(e => e!["metadata"]!["uid"]!.GetValue<string>())
            .ToList();
        Assert.Equal(30, uids.Count);
        Assert.Equal(30, uids.Distinct().Count());
        Assert.Equal(30, metrics.EventsSent.Value);
        Assert.True(metrics.SendFailures.Value > 0);

        // What an operator reads: each failed send logged (EventId 21) with SQS's own error code.
        Assert.Equal(["RequestThrottled", "InternalFailure"], log.SendFailedCodes);
    }

    /// <summary>Keeps the <c>Code</c> of every "send failed" line (EventId 21) the sender logs.</summary>
    private sealed class CodeRecordingLogger : ILogger
    {
        public List<string?> SendFailedCodes { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 21 && state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                SendFailedCodes.Add(fields.FirstOrDefault(f => f.Key == "Code").Value as string);
            }
        }
    }
}
