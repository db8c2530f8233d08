using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Shared.Contract.Settings;

namespace Functions.Runtime;

/// <summary>The Runtime API over HTTP at <c>http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/</c>.</summary>
/// <remarks>
/// Its calls complete before they return: each one is a blocking exchange on one kept-alive connection
/// (<see cref="RuntimeApiConnection"/>), made on the thread that runs the invocation loop. Nothing else in
/// a Lambda process runs between invocations, and the loop asks for the next event only after the previous
/// one is answered, so there is nothing for that thread to do meanwhile. Cancelling the token aborts a call
/// that is waiting.
/// </remarks>
public sealed class HttpRuntimeApiClient : IRuntimeApiClient, IDisposable
{
    private const string BasePath = "/2018-06-01/";
    private const string ErrorContentType = "application/vnd.aws.lambda.error+json";
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
    private const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    private const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    private const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    private const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    private static readonly string[] NextHeaders = [RequestIdHeader, DeadlineHeader, FunctionArnHeader, TraceIdHeader];
    private readonly RuntimeApiConnection _connection;
    private readonly TimeProvider _time;
    private readonly string _functionName;

    // The event of the invocation being handled. Reused: a 1 MiB batch would otherwise be a fresh
    // large-object allocation per invocation. Lambda hands out one event at a time, and the loop asks
    // for the next only after the previous one's response is sent.
    private byte[] _payload = new byte[64 * 1024];

    // The body of an answer to a POST (a short status document), read to keep the connection usable.
    private byte[] _answer = new byte[1024];

    /// <summary>Creates a client for the API at <paramref name="hostAndPort"/>.</summary>
    public HttpRuntimeApiClient(string hostAndPort, string functionName, TimeProvider time)
    {
        _connection = new RuntimeApiConnection(hostAndPort);
        _time = time;
        _functionName = functionName;
    }

    /// <inheritdoc />
    public Task<Invocation> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        // `next` blocks until an event arrives, which may take as long as the environment stays frozen.
        var head = _connection.Exchange("GET", BasePath + "runtime/invocation/next", string.Empty, [], NextHeaders, ref _payload, out var length, cancellationToken);
        EnsureSuccess(head, "GET runtime/invocation/next", _payload.AsSpan(0, length));
        var fields = head.Fields;
        var requestId = fields.GetValueOrDefault(RequestIdHeader)
            ?? throw new InvalidOperationException("The Runtime API sent an event without Lambda-Runtime-Aws-Request-Id.");
        var deadline = long.TryParse(fields.GetValueOrDefault(DeadlineHeader), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : _time.GetUtcNow().AddMinutes(15); // The API always sends it; 15 min is Lambda's longest timeout.
        return Task.FromResult(new Invocation(new ReadOnlyMemory<byte>(_payload, 0, length), new LambdaContext(_time)
        {
            AwsRequestId = requestId,
            Deadline = deadline,
            InvokedFunctionArn = fields.GetValueOrDefault(FunctionArnHeader) ?? string.Empty,
            TraceId = fields.GetValueOrDefault(TraceIdHeader) ?? string.Empty,
            FunctionName = _functionName,
        }));
    }

    /// <inheritdoc />
    public Task SendResponseAsync(string requestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        Post($"runtime/invocation/{Uri.EscapeDataString(requestId)}/response", "Content-Type: application/json\r\n", response.Span, cancellationToken);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReportInvocationErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken) =>
        PostError($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);

    /// <inheritdoc />
    public Task ReportInitErrorAsync(LambdaError error, CancellationToken cancellationToken) =>
        PostError("runtime/init/error", error, cancellationToken);

    /// <summary>Creates the client from <c>AWS_LAMBDA_RUNTIME_API</c>, or returns null outside Lambda.</summary>
    public static HttpRuntimeApiClient? FromEnvironment(IEnvironmentVariables environment, TimeProvider time)
    {
        var api = environment.Get(EnvironmentVariableNames.RuntimeApi);
        return string.IsNullOrWhiteSpace(api)
            ? null
            : new HttpRuntimeApiClient(api.Trim(), environment.Get(EnvironmentVariableNames.FunctionName) ?? string.Empty, time);
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private Task PostError(string path, LambdaError error, CancellationToken cancellationToken)
    {
        var headers = $"Content-Type: {ErrorContentType}\r\n{ErrorTypeHeader}: {HeaderValue(error.ErrorType)}\r\n";
        Post(path, headers, JsonSerializer.SerializeToUtf8Bytes(error, RuntimeJsonContext.Default.LambdaError), cancellationToken);
        return Task.CompletedTask;
    }

    private void Post(string path, string headers, ReadOnlySpan<byte> body, CancellationToken cancellationToken)
    {
        var head = _connection.Exchange("POST", BasePath + path, headers, body, [], ref _answer, out var length, cancellationToken);
        EnsureSuccess(head, "POST " + path, _answer.AsSpan(0, length));
    }

    /// <summary>What the API said when it refused a call (e.g. 413 for a response too large, with its own message).</summary>
    private static void EnsureSuccess(RuntimeApiConnection.Head head, string call, ReadOnlySpan<byte> body)
    {
        if (head.Status is >= 200 and < 300)
        {
            return;
        }

        var said = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 500)]);
        throw new HttpRequestException(
            HttpRequestError.Unknown,
            $"The Runtime API answered {call} with {head.Status} {head.Reason}{(said.Length == 0 ? string.Empty : ": " + said)}",
            null,
            (HttpStatusCode)head.Status);
    }

    /// <summary>An error type as a header value: printable ASCII only, so it cannot end the header or start another.</summary>
    private static string HeaderValue(string? value) =>
        string.Create(value?.Length ?? 0, value, static (span, text) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = text![i] is >= ' ' and <= '~' ? text[i] : '?';
            }
        });
}
