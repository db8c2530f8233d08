using System.Buffers;
using System.Globalization;
using Amazon.Runtime;

namespace Shared.Aws;

/// <summary>
/// The part every AWS call shares, whatever its protocol (<see cref="AwsJsonClient"/>, <see cref="AwsRestJsonClient"/>):
/// keys asked from the credentials on every call, the clock of the signature, one signed request sent, its answer
/// read into a buffer up to <see cref="AwsJsonClient.MaxResponseBytes"/>, and an error answer turned into an
/// <see cref="AwsServiceException"/> whose message names the service, the call, what it was about, the endpoint
/// and the region (built only when a call fails: a successful call allocates no message).
/// </summary>
/// <remarks>Nothing is retried here; a network failure or a timeout is the HttpClient's exception.</remarks>
internal sealed class AwsHttpExchange : IDisposable
{
    private const int ReadChunk = 4096;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AWSCredentials _credentials;
    private readonly TimeProvider _time;

    public AwsHttpExchange(HttpClient http, bool ownsHttp, AwsService service, AwsEndpoint endpoint, AWSCredentials credentials, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _ownsHttp = ownsHttp;
        Service = service;
        Endpoint = endpoint;
        _credentials = credentials;
        _time = time;
    }

    public AwsService Service { get; }

    public AwsEndpoint Endpoint { get; }

    /// <summary>The keys to sign the next request with. Asked every time: the SDK's chain caches and renews them.</summary>
    public Task<ImmutableCredentials> KeysAsync() => _credentials.GetCredentialsAsync();

    /// <summary>The signing time.</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// Sends <paramref name="request"/> (already signed) and reads the answer into <paramref name="answer"/> (reset
    /// first). A 2xx answer is returned for the caller to read its headers (the caller disposes it); any other
    /// status throws.
    /// </summary>
    /// <param name="request">The signed request.</param>
    /// <param name="answer">Where the answer's bytes go.</param>
    /// <param name="what">The call, for messages: an operation (<c>SendMessageBatch</c>) or a method and path.</param>
    /// <param name="resource">What the call is about (a queue URL), or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AwsServiceException">An error answer, or an answer longer than any the service gives.</exception>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, ArrayBufferWriter<byte> answer, string what, string? resource, CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await ReadAsync(response, answer, what, resource, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Failed(Describe(what, resource), response, answer.WrittenSpan);
            }

            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The exception for a 2xx answer that is not of the operation's documented shape.</summary>
    public AwsServiceException Unreadable(string what, string? resource, HttpResponseMessage response, Exception cause) =>
        new(
            string.Create(CultureInfo.InvariantCulture, $"{Describe(what, resource)} answered HTTP {(int)response.StatusCode} with an unreadable result: {cause.Message}"),
            response.StatusCode,
            "UnreadableResponse",
            queryErrorCode: null,
            AwsError.Header(response.Headers, "x-amzn-RequestId"),
            cause);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary><c>SQS SendMessageBatch to https://.../events at https://sqs.eu-west-1.amazonaws.com/ (eu-west-1)</c>.</summary>
    public string Describe(string what, string? resource) =>
        resource is null
            ? $"{Service} {what} at {Endpoint.Url} ({Endpoint.Region})"
            : $"{Service} {what} to {resource} at {Endpoint.Url} ({Endpoint.Region})";

    private static AwsServiceException Failed(string call, HttpResponseMessage response, ReadOnlySpan<byte> body)
    {
        var error = AwsError.Read(response.Headers, body);
        var query = error.QueryCode is null || error.QueryCode == error.Code ? "" : $" ({error.QueryCode})";
        return new AwsServiceException(
            string.Create(CultureInfo.InvariantCulture, $"{call} failed: HTTP {(int)response.StatusCode} {error.Code}{query}: {(error.Message.Length == 0 ? "(no message)" : error.Message)}"),
            response.StatusCode,
            error.Code,
            error.QueryCode,
            error.RequestId);
    }

    private async Task ReadAsync(HttpResponseMessage response, ArrayBufferWriter<byte> answer, string what, string? resource, CancellationToken cancellationToken)
    {
        answer.ResetWrittenCount();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            while (true)
            {
                var read = await stream.ReadAsync(answer.GetMemory(ReadChunk), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                answer.Advance(read);

                // A JSON-protocol answer is a few KiB; a body near the cap is a proxy or something worse, and
                // reading on would only hold memory for it.
                if (answer.WrittenCount > AwsJsonClient.MaxResponseBytes)
                {
                    throw new AwsServiceException(
                        string.Create(CultureInfo.InvariantCulture, $"{Describe(what, resource)} answered HTTP {(int)response.StatusCode} with more than {AwsJsonClient.MaxResponseBytes} bytes; that is not the service's answer."),
                        response.StatusCode,
                        "ResponseTooLarge",
                        queryErrorCode: null,
                        AwsError.Header(response.Headers, "x-amzn-RequestId"));
                }
            }
        }
    }
}
