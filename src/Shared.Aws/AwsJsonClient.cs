using System.Buffers;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Shared.Contract.Settings;

namespace Shared.Aws;

/// <summary>
/// Calls one AWS service in its JSON protocol over HttpClient: the request body as given, SigV4-signed with
/// keys asked from the credentials on every call, the answer read whole (into the caller's buffer, if it gives
/// one) and handed to the caller's reader. It is the one JSON-protocol path of the project: the functions' SSM
/// and SQS calls, the deploy's CloudWatch and Logs calls, and the collector's <c>SendMessageBatch</c>. It replaces
/// an AWS SDK service client: the SDK's client costs a Native AOT function tens of milliseconds of init (static
/// initialization, its first signed request) for what is one POST here, and the collector a string per message.
/// </summary>
/// <remarks>
/// Nothing is retried here: an error answer is an <see cref="AwsServiceException"/> saying whether it is
/// throttling or transient, and a network failure or timeout is the HttpClient's exception; the caller decides
/// what to try again and how often (for SSM: <c>Shared.OpenSearch.Credentials.SsmCredentialsSource</c>; for the
/// collector: its <c>EnvelopeSender</c>).
/// </remarks>
public sealed class AwsJsonClient : IDisposable
{
    /// <summary>How long one call may take when the client makes its own HttpClient.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Connections are replaced this often so that a DNS change of the endpoint is followed.</summary>
    public static readonly TimeSpan ConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The largest answer read; a JSON-protocol answer near it is not the service talking.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    private readonly AwsHttpExchange _exchange;

    /// <summary>A client with everything given (tests, tools). The caller keeps ownership of <paramref name="http"/>.</summary>
    /// <param name="http">The client requests go through; its timeout applies.</param>
    /// <param name="service">The service called.</param>
    /// <param name="endpoint">Where requests go and the signing region.</param>
    /// <param name="credentials">Asked for keys on every call.</param>
    /// <param name="time">The clock of the signature.</param>
    public AwsJsonClient(HttpClient http, AwsService service, AwsEndpoint endpoint, AWSCredentials credentials, TimeProvider time)
        : this(http, ownsHttp: false, service, endpoint, credentials, time)
    {
    }

    private AwsJsonClient(HttpClient http, bool ownsHttp, AwsService service, AwsEndpoint endpoint, AWSCredentials credentials, TimeProvider time) =>
        _exchange = new AwsHttpExchange(http, ownsHttp, service, endpoint, credentials, time);

    /// <summary>The service called.</summary>
    public AwsService Service => _exchange.Service;

    /// <summary>Where requests go and the signing region.</summary>
    public AwsEndpoint Endpoint => _exchange.Endpoint;

    /// <summary>
    /// A client for <paramref name="service"/> with the endpoint and region from the environment
    /// (<see cref="AwsEndpoint.Resolve"/>) and its own HttpClient (<see cref="CreateHttpClient"/>, <see cref="RequestTimeout"/>).
    /// </summary>
    /// <exception cref="ConfigurationException">No region can be told, or an endpoint variable is not a URL.</exception>
    public static AwsJsonClient Create(AwsService service, IEnvironmentVariables environment, AWSCredentials credentials, TimeProvider time, string? fallbackRegion = null) =>
        Create(service, AwsEndpoint.Resolve(service, environment, fallbackRegion), credentials, time, RequestTimeout);

    /// <summary>A client for <paramref name="service"/> at <paramref name="endpoint"/> with its own HttpClient (<see cref="CreateHttpClient"/>), whose calls may take <paramref name="timeout"/>.</summary>
    /// <param name="service">The service called.</param>
    /// <param name="endpoint">Where requests go and the signing region (<see cref="AwsEndpoint.Resolve"/>).</param>
    /// <param name="credentials">Asked for keys on every call.</param>
    /// <param name="time">The clock of the signature.</param>
    /// <param name="timeout">How long one call may take, answer included.</param>
    public static AwsJsonClient Create(AwsService service, AwsEndpoint endpoint, AWSCredentials credentials, TimeProvider time, TimeSpan timeout) =>
        new(CreateHttpClient(timeout), ownsHttp: true, service, endpoint, credentials, time);

    /// <summary>
    /// An HttpClient for AWS JSON-protocol calls: connections renewed every <see cref="ConnectionLifetime"/>,
    /// a 10 s connect timeout, no decompression (the services answer uncompressed), answers capped at
    /// <see cref="MaxResponseBytes"/>. <c>HTTPS_PROXY</c>/<c>NO_PROXY</c> are honoured.
    /// </summary>
    public static HttpClient CreateHttpClient(TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = ConnectionLifetime,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = timeout, MaxResponseContentBufferSize = MaxResponseBytes };
    }

    /// <summary>Calls <paramref name="operation"/> with <paramref name="request"/> as its JSON body and reads the answer.</summary>
    /// <exception cref="AwsServiceException">The service answered with an error, or with an answer <paramref name="read"/> could not read.</exception>
    /// <exception cref="HttpRequestException">The endpoint could not be reached, or the connection broke.</exception>
    /// <exception cref="TaskCanceledException">The call timed out, or <paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<T> InvokeAsync<T>(string operation, ReadOnlyMemory<byte> request, AwsResponseReader<T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return InvokeAsync(operation, resource: null, request, new ArrayBufferWriter<byte>(4096), read, static (json, reader) => reader(json), cancellationToken);
    }

    /// <summary>
    /// Calls <paramref name="operation"/> with <paramref name="request"/> as its JSON body, reads the answer into
    /// <paramref name="answer"/> and hands it to <paramref name="read"/> with <paramref name="state"/>. Both buffers are
    /// the caller's, so a caller that reuses them (the collector's sink, per batch) allocates no body per call.
    /// </summary>
    /// <param name="operation">The operation, e.g. <c>SendMessageBatch</c>.</param>
    /// <param name="resource">What the call is about, named in error messages (a queue URL), or null.</param>
    /// <param name="request">The request JSON, sent as given.</param>
    /// <param name="answer">Where the answer is read (reset first); it holds the answer after the call, error answers included.</param>
    /// <param name="state">Passed to <paramref name="read"/>.</param>
    /// <param name="read">Reads a successful answer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AwsServiceException">The service answered with an error, or with an answer <paramref name="read"/> could not read.</exception>
    /// <exception cref="HttpRequestException">The endpoint could not be reached, or the connection broke.</exception>
    /// <exception cref="TaskCanceledException">The call timed out, or <paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<T> InvokeAsync<TState, T>(string operation, string? resource, ReadOnlyMemory<byte> request, ArrayBufferWriter<byte> answer, TState state, AwsResponseStateReader<TState, T> read, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(read);
        var keys = await _exchange.KeysAsync().ConfigureAwait(false);
        using var message = AwsJsonRequest.Create(Service, Endpoint, operation, request, keys, _exchange.Now);
        using var response = await _exchange.SendAsync(message, answer, operation, resource, cancellationToken).ConfigureAwait(false);
        try
        {
            return read(answer.WrittenSpan, state);
        }
        catch (JsonException ex)
        {
            throw _exchange.Unreadable(operation, resource, response, ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _exchange.Dispose();
}
