using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using TestSupport.Aws;

namespace Shared.Aws.Tests;

/// <summary>
/// The one JSON-protocol path (SSM, SQS, CloudWatch, Logs; the collector's sink included) against
/// <see cref="AwsAnsweringHandler"/>: what it sends, and how each kind of answer the services document becomes a
/// result or an <see cref="AwsServiceException"/>. That the signature itself is right is checked by moto
/// (<c>SsmCredentialsSourceTests</c>, <c>SqsHttpSinkTests</c>).
/// </summary>
public sealed class AwsJsonClientTests : IDisposable
{
    private static readonly AwsEndpoint Endpoint = new(new Uri("https://ssm.eu-west-1.amazonaws.com/"), "eu-west-1");

    private readonly AwsAnsweringHandler _handler = new();
    private readonly HttpClient _http;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public AwsJsonClientTests() => _http = new HttpClient(_handler);

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }

    private static readonly AwsEndpoint SqsEndpoint = new(new Uri("https://sqs.eu-west-1.amazonaws.com/"), "eu-west-1");
    private const string QueueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/events";

    private AwsJsonClient Client(AWSCredentials? credentials = null) =>
        new(_http, AwsService.Ssm, Endpoint, credentials ?? new SessionAWSCredentials("ASIAEXAMPLE", "secret", "session-token"), _time);

    private AwsJsonClient Sqs(HttpClient? http = null) =>
        new(http ?? _http, AwsService.Sqs, SqsEndpoint, new SessionAWSCredentials("ASIAEXAMPLE", "secret", "session-token"), _time);

    private static readonly List<SqsOutgoingMessage> Batch = new[] { "{\"n\":0,\"s\":\"é\\\"😀\"}", "{\"n\":1}" }
        .Select(b => new SqsOutgoingMessage(Encoding.UTF8.GetBytes(b), 0, []))
        .ToList();

    // SendMessageBatch the way the collector's sink and SqsBatchSender call it: caller's buffers, the batch as state.
    private Task<SqsSendOutcome[]> SendBatchAsync(AwsJsonClient sqs, ArrayBufferWriter<byte>? answer = null)
    {
        using var writer = new SqsSendMessageBatchWriter();
        return sqs.InvokeAsync("SendMessageBatch", QueueUrl, writer.Write(QueueUrl, Batch).ToArray(), answer ?? new ArrayBufferWriter<byte>(), Batch, static (json, batch) => SqsSendMessageBatchResult.Read(json, batch), CancellationToken.None);
    }

    private static string ReadText(ReadOnlySpan<byte> json) => Encoding.UTF8.GetString(json);

    [Fact]
    public async Task InvokeAsync_AnyCall_IsOneSignedPostOfTheBodyWithTheOperationInTheTarget()
    {
        var body = """{"Names":["/a"],"WithDecryption":true}"""u8.ToArray();
        _handler.Then(HttpStatusCode.OK, """{"Parameters":[]}""");

        var answer = await Client().InvokeAsync("GetParameters", body, ReadText, CancellationToken.None);

        Assert.Equal("""{"Parameters":[]}""", answer);
        var request = Assert.Single(_handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(Endpoint.Url, request.Uri);
        Assert.Equal("AmazonSSM.GetParameters", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", request.Headers["Content-Type"]);
        Assert.Equal("20250102T030405Z", request.Headers["X-Amz-Date"]);
        Assert.Equal("session-token", request.Headers["X-Amz-Security-Token"]);
        Assert.StartsWith(
            "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20250102/eu-west-1/ssm/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=",
            request.Headers["Authorization"],
            StringComparison.Ordinal);
        Assert.Equal(body, request.Body);
    }

    [Fact]
    public async Task InvokeAsync_KeysRenewedBetweenCalls_EachCallSignedWithTheCurrentKeys()
    {
        var credentials = new RotatingCredentials();
        var client = Client(credentials);
        _handler.Then(HttpStatusCode.OK, "{}");
        _handler.Then(HttpStatusCode.OK, "{}");

        await client.InvokeAsync("GetParameters", "{}"u8.ToArray(), ReadText, CancellationToken.None);
        await client.InvokeAsync("GetParameters", "{}"u8.ToArray(), ReadText, CancellationToken.None);

        Assert.Contains("Credential=ASIA1/", _handler.Requests[0].Headers["Authorization"], StringComparison.Ordinal);
        Assert.Contains("Credential=ASIA2/", _handler.Requests[1].Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal("token-2", _handler.Requests[1].Headers["X-Amz-Security-Token"]);
    }

    [Fact]
    public async Task InvokeAsync_ErrorAnswer_ThrowsNamingServiceOperationEndpointStatusCodeAndMessage()
    {
        _handler.Then(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.ssm#ThrottlingException","message":"Rate exceeded"}""", ("x-amzn-RequestId", "req-7"));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Client().InvokeAsync("GetParameters", "{}"u8.ToArray(), ReadText, CancellationToken.None));

        Assert.Equal("SSM GetParameters at https://ssm.eu-west-1.amazonaws.com/ (eu-west-1) failed: HTTP 400 ThrottlingException: Rate exceeded", error.Message);
        Assert.Equal((HttpStatusCode.BadRequest, "ThrottlingException", "req-7"), (error.StatusCode, error.ErrorCode, error.RequestId));
        Assert.True(error.IsThrottling);
    }

    [Fact]
    public async Task InvokeAsync_AnswerTheReaderCannotRead_ThrowsNamingTheOperation()
    {
        _handler.Then(HttpStatusCode.OK, "<html>captive portal</html>");

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Client().InvokeAsync<JsonDocument>("GetParameters", "{}"u8.ToArray(), json => JsonDocument.Parse(json.ToArray()), CancellationToken.None));

        Assert.StartsWith("SSM GetParameters at https://ssm.eu-west-1.amazonaws.com/ (eu-west-1) answered HTTP 200 with an unreadable result", error.Message, StringComparison.Ordinal);
        Assert.IsType<JsonException>(error.InnerException, exactMatch: false);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "ThrottlingException", true, false)]
    [InlineData(HttpStatusCode.BadRequest, "TooManyUpdates", true, false)]
    [InlineData(HttpStatusCode.BadRequest, "RequestLimitExceeded", true, false)]
    [InlineData(HttpStatusCode.TooManyRequests, "Unknown", true, false)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalServerError", false, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "Unknown", false, true)]
    [InlineData(HttpStatusCode.BadRequest, "AccessDeniedException", false, false)]
    [InlineData(HttpStatusCode.BadRequest, "ParameterNotFound", false, false)]
    public void AwsServiceException_ByStatusAndCode_TellsThrottlingAndTransientFailures(HttpStatusCode status, string code, bool throttling, bool transient)
    {
        var error = new AwsServiceException("m", status, code, null);

        Assert.Equal((throttling, transient), (error.IsThrottling, error.IsTransient));
    }

    [Fact]
    public async Task InvokeAsync_CallersBuffers_AnswerReadIntoThemAndTheStatePassedToTheReader()
    {
        var answer = new ArrayBufferWriter<byte>();

        var outcomes = await SendBatchAsync(Sqs(), answer);

        Assert.All(outcomes, o => Assert.True(o.Accepted, o.Message));
        Assert.StartsWith("{\"Successful\":[", Encoding.UTF8.GetString(answer.WrittenSpan), StringComparison.Ordinal);
        var request = Assert.Single(_handler.Requests);
        Assert.Equal("AmazonSQS.SendMessageBatch", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.0", request.Headers["Content-Type"]);
        Assert.Equal(QueueUrl, request.QueueUrl);
        Assert.Equal(Batch.Select(m => m.Body.ToArray()), request.Entries.Select(e => e.Body));
    }

    [Fact]
    public async Task InvokeAsync_SendMessageBatchWithPerEntryFailures_OutcomesNameEachEntrysReason()
    {
        _handler.Then(r => AwsAnsweringHandler.Result([], [AwsAnsweringHandler.Failure("1", "InvalidMessageContents", "Invalid characters found.", senderFault: true)]));

        var outcomes = await SendBatchAsync(Sqs());

        Assert.Equal([("NotConfirmed", false), ("InvalidMessageContents", false)], outcomes.Select(o => (o.Code, o.Accepted)));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "QueueDoesNotExist", "The specified queue does not exist.", null, false, false)]
    [InlineData(HttpStatusCode.BadRequest, "QueueDoesNotExist", "The specified queue does not exist.", "AWS.SimpleQueueService.NonExistentQueue;Sender", false, false)]
    [InlineData(HttpStatusCode.BadRequest, "RequestThrottled", "Rate exceeded", "AWS.SimpleQueueService.RequestThrottled;Sender", true, false)]
    [InlineData(HttpStatusCode.BadRequest, "ThrottlingException", "Rate exceeded", null, true, false)]
    [InlineData(HttpStatusCode.BadRequest, "KmsThrottled", "Rate exceeded for the KMS key.", "KMS.ThrottlingException;Sender", true, false)]
    [InlineData(HttpStatusCode.BadRequest, "KmsAccessDenied", "The ciphertext refers to a customer master key that does not exist.", "KMS.AccessDeniedException;Sender", false, false)]
    [InlineData(HttpStatusCode.Forbidden, "ExpiredToken", "The security token included in the request is expired", null, false, false)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalFailure", "We encountered an internal error. Please try again.", null, false, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "Service is unable to handle request.", "AWS.SimpleQueueService.ServiceUnavailable;Receiver", false, true)]
    public async Task InvokeAsync_SqsErrorAnswer_ThrowsWithStatusCodesMessageQueueAndClassification(HttpStatusCode status, string shape, string message, string? queryError, bool throttling, bool transient)
    {
        _handler.Then(_ => AwsAnsweringHandler.SqsError(status, shape, message, queryError));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => SendBatchAsync(Sqs()));

        var query = queryError?.Split(';')[0];
        Assert.Equal((status, shape, query), (error.StatusCode, error.ErrorCode, error.QueryErrorCode));
        Assert.Equal(
            $"SQS SendMessageBatch to {QueueUrl} at https://sqs.eu-west-1.amazonaws.com/ (eu-west-1) failed: HTTP {(int)status} {shape}{(query is null ? "" : $" ({query})")}: {message}",
            error.Message);
        Assert.NotNull(error.RequestId);
        Assert.Equal((throttling, transient), (error.IsThrottling, error.IsTransient));
    }

    [Fact]
    public async Task InvokeAsync_ProxyPageWithBadGateway_ThrowsTransientWithAnExcerptOfThePage()
    {
        _handler.Then(HttpStatusCode.BadGateway, "<html><body><h1>502 Bad Gateway</h1></body></html>");

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => SendBatchAsync(Sqs()));

        Assert.Equal(("Unknown", true), (error.ErrorCode, error.IsTransient));
        Assert.Contains("HTTP 502 Unknown: <html><body><h1>502 Bad Gateway", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html>captive portal</html>")]
    [InlineData("{\"Successful\":{}}")]
    [InlineData("{\"Successful\":[{\"Id\":\"0\"")]
    [InlineData("")]
    public async Task InvokeAsync_SuccessStatusWithAnAnswerNotOfTheDocumentedShape_ThrowsUnreadableNamingTheQueue(string body)
    {
        _handler.Then(HttpStatusCode.OK, body);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => SendBatchAsync(Sqs()));

        Assert.Equal("UnreadableResponse", error.ErrorCode);
        Assert.StartsWith($"SQS SendMessageBatch to {QueueUrl} at https://sqs.eu-west-1.amazonaws.com/ (eu-west-1) answered HTTP 200 with an unreadable result", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_AnswerLongerThanAnyTheServiceGives_ThrowsResponseTooLarge()
    {
        // What a misrouted request might get back (a download, a proxy's stream): 2 MiB of something.
        var body = new byte[2 * AwsJsonClient.MaxResponseBytes];
        body.AsSpan().Fill((byte)' ');
        _handler.Then(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => SendBatchAsync(Sqs()));

        Assert.Equal("ResponseTooLarge", error.ErrorCode);
        Assert.Contains($"more than {AwsJsonClient.MaxResponseBytes} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_ServiceNeverAnswers_TheHttpClientsTimeoutEndsTheCall()
    {
        using var http = new HttpClient(_handler, disposeHandler: false) { Timeout = TimeSpan.FromMilliseconds(200) };
        _handler.ThenNoAnswer();

        await Assert.ThrowsAsync<TaskCanceledException>(() => SendBatchAsync(Sqs(http)));
    }
}
