using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using TestSupport.Aws;

namespace Shared.Aws.Tests;

/// <summary>
/// The JSON-protocol caller against an in-memory handler: what it sends, and how answers become results or
/// errors. That the signature itself is right is checked by moto (<c>SsmCredentialsSourceTests</c>).
/// </summary>
public sealed class AwsJsonClientTests : IDisposable
{
    private static readonly AwsEndpoint Endpoint = new(new Uri("https://ssm.eu-west-1.amazonaws.com/"), "eu-west-1");

    private readonly AnsweringHandler _handler = new();
    private readonly HttpClient _http;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public AwsJsonClientTests() => _http = new HttpClient(_handler);

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }

    private AwsJsonClient Client(AWSCredentials? credentials = null) =>
        new(_http, AwsService.Ssm, Endpoint, credentials ?? new SessionAWSCredentials("ASIAEXAMPLE", "secret", "session-token"), _time);

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

    private sealed record RecordedRequest(HttpMethod Method, Uri? Uri, Dictionary<string, string> Headers, byte[] Body);

    /// <summary>Answers scripted responses in order and records each request.</summary>
    private sealed class AnsweringHandler : HttpMessageHandler
    {
        private readonly Queue<(HttpStatusCode Status, string Body, (string Name, string Value)[] Headers)> _answers = new();

        public List<RecordedRequest> Requests { get; } = [];

        public void Then(HttpStatusCode status, string body, params (string Name, string Value)[] headers) => _answers.Enqueue((status, body, headers));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.Concat(request.Content!.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            Requests.Add(new RecordedRequest(request.Method, request.RequestUri, headers, await request.Content.ReadAsByteArrayAsync(cancellationToken)));
            var (status, body, answerHeaders) = _answers.Dequeue();
            var response = new HttpResponseMessage(status) { Content = new StringContent(body) };
            foreach (var (name, value) in answerHeaders)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return response;
        }
    }
}
