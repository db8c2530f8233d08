using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.Runtime;
using Shared.Contract.Settings;

namespace Shared.Aws;

/// <summary>
/// Calls one AWS service in its REST-JSON protocol (EKS, Lambda): a method and a path, an optional JSON body,
/// SigV4-signed with keys asked from the credentials on every call; an error answer becomes an
/// <see cref="AwsServiceException"/> read the same way as the JSON protocol's (<see cref="AwsError"/>: the code in
/// <c>X-Amzn-Errortype</c>, the message in the body). Like <see cref="AwsJsonClient"/>, nothing is retried here.
/// </summary>
public sealed class AwsRestJsonClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private readonly AwsHttpExchange _exchange;

    /// <summary>A client with everything given (tests, tools). The caller keeps ownership of <paramref name="http"/>.</summary>
    public AwsRestJsonClient(HttpClient http, AwsService service, AwsEndpoint endpoint, AWSCredentials credentials, TimeProvider time)
        : this(http, ownsHttp: false, service, endpoint, credentials, time)
    {
    }

    private AwsRestJsonClient(HttpClient http, bool ownsHttp, AwsService service, AwsEndpoint endpoint, AWSCredentials credentials, TimeProvider time) =>
        _exchange = new AwsHttpExchange(http, ownsHttp, service, endpoint, credentials, time);

    /// <summary>The service called.</summary>
    public AwsService Service => _exchange.Service;

    /// <summary>Where requests go and the signing region.</summary>
    public AwsEndpoint Endpoint => _exchange.Endpoint;

    /// <summary>A client with the endpoint and region from the environment (<see cref="AwsEndpoint.Resolve"/>) and its own HttpClient.</summary>
    /// <param name="service">The service called.</param>
    /// <param name="environment">The variables to read.</param>
    /// <param name="credentials">Asked for keys on every call.</param>
    /// <param name="time">The clock of the signature.</param>
    /// <param name="timeout">How long one call may take (a synchronous Lambda invocation takes as long as the function).</param>
    /// <exception cref="ConfigurationException">No region can be told, or an endpoint variable is not a URL.</exception>
    public static AwsRestJsonClient Create(AwsService service, IEnvironmentVariables environment, AWSCredentials credentials, TimeProvider time, TimeSpan timeout)
    {
        var endpoint = AwsEndpoint.Resolve(service, environment);
        return new AwsRestJsonClient(AwsJsonClient.CreateHttpClient(timeout), ownsHttp: true, service, endpoint, credentials, time);
    }

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> (already escaped) with <paramref name="body"/> as its JSON.</summary>
    /// <exception cref="AwsServiceException">The service answered with an error.</exception>
    /// <exception cref="HttpRequestException">The endpoint could not be reached, or the connection broke.</exception>
    /// <exception cref="TaskCanceledException">The call timed out, or <paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<AwsRestResponse> SendAsync(HttpMethod method, string path, ReadOnlyMemory<byte>? body, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var keys = await _exchange.KeysAsync().ConfigureAwait(false);
        var payload = body ?? ReadOnlyMemory<byte>.Empty;
        using var request = new HttpRequestMessage(method, new Uri(Endpoint.Url, path));
        var signed = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body is not null)
        {
            request.Content = new ReadOnlyMemoryContent(payload);
            request.Content.Headers.ContentType = JsonType;
            signed["content-type"] = JsonType.MediaType!;
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            signed[name.ToLowerInvariant()] = value;
        }

        SigV4HttpRequest.Sign(request, payload.Span, keys, Endpoint.Region, Service.SigningName, _exchange.Now, signed);
        var answer = new ArrayBufferWriter<byte>(4096);
        using var response = await _exchange.SendAsync(request, answer, $"{method} {path}", resource: null, cancellationToken).ConfigureAwait(false);
        return new AwsRestResponse((int)response.StatusCode, answer.WrittenSpan.ToArray(), AwsError.Header(response.Headers, "X-Amz-Function-Error"));
    }

    /// <summary>Reads a successful answer's JSON with <paramref name="read"/>, turning a malformed answer into an <see cref="AwsServiceException"/>.</summary>
    public T Read<T>(AwsRestResponse response, string what, AwsResponseReader<T> read)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return read(response.Body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new AwsServiceException($"{_exchange.Describe(what, resource: null)} answered with an unreadable result: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _exchange.Dispose();
}
