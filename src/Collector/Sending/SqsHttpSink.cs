using System.Buffers;
using System.Net.Http.Headers;
using Amazon.Runtime;
using Collector.Packing;
using Functions.Core.OpenSearch;

namespace Collector.Sending;

/// <summary>
/// Sends envelopes with one SQS <c>SendMessageBatch</c> per call, speaking the JSON protocol over HttpClient
/// (what AWSSDK.SQS v4 sends, without its per-message strings): the request body is written into one reused
/// buffer, signed with SigV4 (service <c>sqs</c>), and the result is read back without building objects.
/// Entry ids are the batch indexes, so a partial failure maps straight back to the envelopes to retry.
/// </summary>
/// <remarks>
/// Errors are thrown, never retried here: the <see cref="EnvelopeSender"/> owns retries and backoff, so a
/// throttled, failing or missing queue, a timeout, or expired credentials (the next attempt asks the chain
/// again) all end up as one logged, counted, retried send. Calls are serialised by a lock because the request
/// and response buffers are shared; the sender sends one batch at a time anyway.
/// </remarks>
public sealed class SqsHttpSink : IEnvelopeSink, IDisposable
{
    /// <summary>The SigV4 signing name of SQS.</summary>
    public const string SigningService = "sqs";

    /// <summary>How long one request may take before it counts as failed (and is retried by the sender).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Connections are replaced this often so that a DNS change of the endpoint is followed.</summary>
    public static readonly TimeSpan ConnectionLifetime = TimeSpan.FromMinutes(5);

    private const string Target = "AmazonSQS.SendMessageBatch";
    private const string ContentType = "application/x-amz-json-1.0";

    // A SendMessageBatch result is about 150 bytes per entry; anything near this is not SQS talking.
    private const int MaxResponseBytes = 1024 * 1024;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _endpoint;
    private readonly string _host;
    private readonly string _region;
    private readonly AWSCredentials _credentials;
    private readonly TimeProvider _time;
    private readonly string _queueUrl;
    private readonly SendMessageBatchWriter _request;
    private readonly ArrayBufferWriter<byte> _response = new(4096);
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>A sink with everything given (tests, tools). The caller keeps ownership of <paramref name="http"/>.</summary>
    /// <param name="http">The client requests go through; its timeout applies.</param>
    /// <param name="queueUrl">The queue, as <c>QueueUrl</c> in each request.</param>
    /// <param name="endpoint">Where requests are POSTed (the SQS endpoint, not the queue URL).</param>
    /// <param name="region">The signing region.</param>
    /// <param name="credentials">Asked for keys on every request.</param>
    /// <param name="time">The clock of the signature.</param>
    public SqsHttpSink(HttpClient http, Uri queueUrl, Uri endpoint, string region, AWSCredentials credentials, TimeProvider time)
        : this(http, ownsHttp: false, queueUrl, endpoint, region, credentials, time)
    {
    }

    private SqsHttpSink(HttpClient http, bool ownsHttp, Uri queueUrl, Uri endpoint, string region, AWSCredentials credentials, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(queueUrl);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _ownsHttp = ownsHttp;
        _endpoint = endpoint;
        _host = endpoint.Authority;
        _region = region;
        _credentials = credentials;
        _time = time;
        _queueUrl = queueUrl.ToString();
        _request = new SendMessageBatchWriter(queueUrl);
    }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint => _endpoint;

    /// <summary>The signing region.</summary>
    public string Region => _region;

    /// <summary>
    /// The collector's sink: endpoint and region from the process environment (<see cref="SqsEndpoint"/>),
    /// credentials from the AWS SDK's default chain, its own HttpClient.
    /// </summary>
    /// <exception cref="Settings.InvalidSettingsException">The region cannot be told, or an endpoint variable is not a URL.</exception>
    public static SqsHttpSink Create(Uri queueUrl)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in (ReadOnlySpan<string>)[
            Settings.EnvironmentVariables.AwsRegion,
            Settings.EnvironmentVariables.AwsDefaultRegion,
            Settings.EnvironmentVariables.AwsEndpointUrl,
            Settings.EnvironmentVariables.AwsEndpointUrlSqs,
            Settings.EnvironmentVariables.AwsIgnoreConfiguredEndpointUrls])
        {
            environment[name] = Environment.GetEnvironmentVariable(name);
        }

        return Create(queueUrl, environment, new DefaultChainCredentials(), TimeProvider.System);
    }

    /// <summary>As <see cref="Create(Uri)"/>, with the environment, credentials and clock given.</summary>
    public static SqsHttpSink Create(Uri queueUrl, IReadOnlyDictionary<string, string?> environment, AWSCredentials credentials, TimeProvider time)
    {
        var endpoint = SqsEndpoint.Resolve(queueUrl, environment);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = ConnectionLifetime,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = RequestTimeout, MaxResponseContentBufferSize = MaxResponseBytes };
        return new SqsHttpSink(http, ownsHttp: true, queueUrl, endpoint.Url, endpoint.Region, credentials, time);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SendFailure>> SendBatchAsync(IReadOnlyList<Envelope> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return [];
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            var body = _request.Write(batch);
            var keys = await _credentials.GetCredentialsAsync();
            using var request = CreateSignedRequest(body, keys);
            // The whole answer is read within the client's timeout (a result is a few KiB).
            using var response = await _http.SendAsync(request, cancellationToken);
            await ReadResponseAsync(response, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw SendMessageBatchResultReader.ReadError(response.StatusCode, response.Headers, _response.WrittenSpan, _queueUrl);
            }

            try
            {
                return SendMessageBatchResultReader.ReadResult(_response.WrittenSpan, batch);
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new SqsRequestException($"SendMessageBatch to {_queueUrl} answered HTTP {(int)response.StatusCode} with an unreadable result: {ex.Message}", ex);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _request.Dispose();
        _lock.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private HttpRequestMessage CreateSignedRequest(ReadOnlyMemory<byte> body, ImmutableCredentials keys)
    {
        var amzDate = SigV4Signer.AmzDate(_time.GetUtcNow());
        var payloadHash = SigV4Signer.PayloadHash(body.Span);

        // Everything SQS reads to route and authorise the call is signed: the operation (x-amz-target) and
        // the content type select what the body means.
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = ContentType,
            ["host"] = _host,
            ["x-amz-date"] = amzDate,
            ["x-amz-target"] = Target,
        };
        if (!string.IsNullOrEmpty(keys.Token))
        {
            headers["x-amz-security-token"] = keys.Token;
        }

        var signature = SigV4Signer.Sign(
            new SigV4Request
            {
                Method = "POST",
                Path = _endpoint.AbsolutePath,
                Query = _endpoint.Query,
                Headers = headers,
                PayloadHash = payloadHash,
                AmzDate = amzDate,
                Region = _region,
                Service = SigningService,
                AccessKey = keys.AccessKey,
            },
            keys.SecretKey);

        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content };
        request.Headers.Host = _host;
        foreach (var (name, value) in headers)
        {
            if (name is not ("host" or "content-type"))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        return request;
    }

    private async Task ReadResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        _response.ResetWrittenCount();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using (stream)
        {
            while (true)
            {
                var read = await stream.ReadAsync(_response.GetMemory(4096), cancellationToken);
                if (read == 0)
                {
                    return;
                }

                _response.Advance(read);
                if (_response.WrittenCount > MaxResponseBytes)
                {
                    throw new SqsRequestException($"SendMessageBatch to {_queueUrl} answered HTTP {(int)response.StatusCode} with more than {MaxResponseBytes} bytes; that is not an SQS answer.");
                }
            }
        }
    }
}
