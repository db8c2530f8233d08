using System.Globalization;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Shared.Contract.Settings;

namespace Shared.Aws;

/// <summary>
/// Calls one AWS service in its JSON protocol over HttpClient: the request body as given, SigV4-signed with
/// keys asked from the credentials on every call, the answer read whole and handed to the caller's reader.
/// It replaces an AWS SDK service client where a function makes one or two calls: the SDK's client costs a
/// Native AOT function tens of milliseconds of init (static initialization, its first signed request) for
/// what is one POST here.
/// </summary>
/// <remarks>
/// Nothing is retried here: an error answer is an <see cref="AwsServiceException"/> saying whether it is
/// throttling or transient, and a network failure or timeout is the HttpClient's exception; the caller decides
/// what to try again and how often (for SSM: <c>Shared.OpenSearch.Credentials.SsmCredentialsSource</c>).
/// </remarks>
public sealed class AwsJsonClient : IDisposable
{
    /// <summary>How long one call may take when the client makes its own HttpClient.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Connections are replaced this often so that a DNS change of the endpoint is followed.</summary>
    public static readonly TimeSpan ConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The largest answer read; a JSON-protocol answer near it is not the service talking.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AWSCredentials _credentials;
    private readonly TimeProvider _time;

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

    private AwsJsonClient(HttpClient http, bool ownsHttp, AwsService service, AwsEndpoint endpoint, AWSCredentials credentials, TimeProvider time)
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

    /// <summary>The service called.</summary>
    public AwsService Service { get; }

    /// <summary>Where requests go and the signing region.</summary>
    public AwsEndpoint Endpoint { get; }

    /// <summary>
    /// A client for <paramref name="service"/> with the endpoint and region from the environment
    /// (<see cref="AwsEndpoint.Resolve"/>) and its own HttpClient (<see cref="CreateHttpClient"/>, <see cref="RequestTimeout"/>).
    /// </summary>
    /// <exception cref="ConfigurationException">No region can be told, or an endpoint variable is not a URL.</exception>
    public static AwsJsonClient Create(AwsService service, IEnvironmentVariables environment, AWSCredentials credentials, TimeProvider time, string? fallbackRegion = null)
    {
        var endpoint = AwsEndpoint.Resolve(service, environment, fallbackRegion);
        return new AwsJsonClient(CreateHttpClient(RequestTimeout), ownsHttp: true, service, endpoint, credentials, time);
    }

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
    public async Task<T> InvokeAsync<T>(string operation, ReadOnlyMemory<byte> request, AwsResponseReader<T> read, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        ArgumentNullException.ThrowIfNull(read);
        var keys = await _credentials.GetCredentialsAsync();
        using var message = AwsJsonRequest.Create(Service, Endpoint, operation, request, keys, _time.GetUtcNow());
        using var response = await _http.SendAsync(message, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            var error = AwsError.Read(response.Headers, body);
            throw new AwsServiceException(
                string.Create(CultureInfo.InvariantCulture, $"{Describe(operation)} failed: HTTP {status} {error.Code}: {(error.Message.Length == 0 ? "(no message)" : error.Message)}"),
                response.StatusCode,
                error.Code,
                error.RequestId);
        }

        try
        {
            return read(body);
        }
        catch (JsonException ex)
        {
            throw new AwsServiceException(
                string.Create(CultureInfo.InvariantCulture, $"{Describe(operation)} answered HTTP {status} with an unreadable result: {ex.Message}"),
                response.StatusCode,
                "UnreadableResponse",
                AwsError.Header(response.Headers, "x-amzn-RequestId"),
                ex);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private string Describe(string operation) => $"{Service} {operation} at {Endpoint.Url} ({Endpoint.Region})";
}
