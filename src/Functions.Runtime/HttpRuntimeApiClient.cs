using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Shared.Contract.Settings;

namespace Functions.Runtime;

/// <summary>The Runtime API over HTTP at <c>http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/</c>.</summary>
public sealed class HttpRuntimeApiClient : IRuntimeApiClient, IDisposable
{
    private const string ErrorContentType = "application/vnd.aws.lambda.error+json";
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly string _functionName;

    // The event of the invocation being handled. Reused: a 1 MiB batch would otherwise be a fresh
    // large-object allocation per invocation. Lambda hands out one event at a time, and the loop asks
    // for the next only after the previous one's response is sent.
    private byte[] _payload = new byte[64 * 1024];

    /// <summary>Creates a client for the API at <paramref name="hostAndPort"/>.</summary>
    public HttpRuntimeApiClient(string hostAndPort, string functionName, TimeProvider time)
    {
        _time = time;
        _functionName = functionName;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = new Uri($"http://{hostAndPort}/2018-06-01/"),
            // `next` blocks until an event arrives, which may take as long as the environment stays frozen.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <inheritdoc />
    public async Task<Invocation> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri("runtime/invocation/next", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var payload = await ReadPayloadAsync(response.Content, cancellationToken);
        var headers = response.Headers;
        var requestId = Header(headers, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new InvalidOperationException("The Runtime API sent an event without Lambda-Runtime-Aws-Request-Id.");
        var deadline = long.TryParse(Header(headers, "Lambda-Runtime-Deadline-Ms"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : _time.GetUtcNow().AddMinutes(15); // The API always sends it; 15 min is Lambda's longest timeout.
        return new Invocation(payload, new LambdaContext(_time)
        {
            AwsRequestId = requestId,
            Deadline = deadline,
            InvokedFunctionArn = Header(headers, "Lambda-Runtime-Invoked-Function-Arn") ?? string.Empty,
            TraceId = Header(headers, "Lambda-Runtime-Trace-Id") ?? string.Empty,
            FunctionName = _functionName,
        });
    }

    /// <inheritdoc />
    public async Task SendResponseAsync(string requestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(response);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var result = await _http.PostAsync(new Uri($"runtime/invocation/{Uri.EscapeDataString(requestId)}/response", UriKind.Relative), content, cancellationToken);
        result.EnsureSuccessStatusCode();
    }

    /// <inheritdoc />
    public Task ReportInvocationErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);

    /// <inheritdoc />
    public Task ReportInitErrorAsync(LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync("runtime/init/error", error, cancellationToken);

    /// <summary>Creates the client from <c>AWS_LAMBDA_RUNTIME_API</c>, or returns null outside Lambda.</summary>
    public static HttpRuntimeApiClient? FromEnvironment(IEnvironmentVariables environment, TimeProvider time)
    {
        var api = environment.Get(EnvironmentVariableNames.RuntimeApi);
        return string.IsNullOrWhiteSpace(api)
            ? null
            : new HttpRuntimeApiClient(api, environment.Get(EnvironmentVariableNames.FunctionName) ?? string.Empty, time);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Reads the event into the reused buffer, sized up front from Content-Length (which the Runtime API
    /// sends): a read as large as the connection's own buffer goes from the socket straight into ours,
    /// where copying the content through a stream would move every byte once more. Without the header it
    /// grows as it reads.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>> ReadPayloadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } announced && announced < Array.MaxLength && announced + 1 > _payload.Length)
        {
            // One byte more than announced, so the read that finds the end never has to grow the buffer.
            _payload = new byte[announced + 1];
        }

        using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var length = 0;
        while (true)
        {
            if (length == _payload.Length)
            {
                Array.Resize(ref _payload, (int)Math.Min(Array.MaxLength, 2L * _payload.Length));
            }

            var read = await stream.ReadAsync(_payload.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return new ReadOnlyMemory<byte>(_payload, 0, length);
            }

            length += read;
        }
    }

    private async Task PostErrorAsync(string path, LambdaError error, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, RuntimeJsonContext.Default.LambdaError));
        content.Headers.ContentType = new MediaTypeHeaderValue(ErrorContentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, error.ErrorType);
        using var result = await _http.SendAsync(request, cancellationToken);
        result.EnsureSuccessStatusCode();
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
