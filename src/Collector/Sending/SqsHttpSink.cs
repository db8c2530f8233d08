using System.Buffers;
using Amazon.Runtime;
using Collector.Packing;
using Shared.Aws;
using Shared.Contract.Settings;

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
    private const string Operation = "SendMessageBatch";

    /// <summary>How long one request may take before it counts as failed (and is retried by the sender).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    // A SendMessageBatch result is about 150 bytes per entry; anything near this is not SQS talking.
    private const int MaxResponseBytes = AwsJsonClient.MaxResponseBytes;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AwsEndpoint _endpoint;
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
        _endpoint = new AwsEndpoint(endpoint, region);
        _credentials = credentials;
        _time = time;
        _queueUrl = queueUrl.ToString();
        _request = new SendMessageBatchWriter(queueUrl);
    }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint => _endpoint.Url;

    /// <summary>The signing region.</summary>
    public string Region => _endpoint.Region;

    /// <summary>
    /// The collector's sink: endpoint and region from the process environment (<see cref="SqsEndpoint"/>),
    /// credentials from the AWS SDK's default chain, its own HttpClient.
    /// </summary>
    /// <exception cref="ConfigurationException">The region cannot be told, or an endpoint variable is not a URL.</exception>
    public static SqsHttpSink Create(Uri queueUrl) =>
        Create(queueUrl, SqsEndpoint.Resolve(queueUrl, ProcessEnvironmentVariables.Instance), new DefaultChainCredentials(), TimeProvider.System);

    /// <summary>As <see cref="Create(Uri)"/>, with the environment, credentials and clock given.</summary>
    public static SqsHttpSink Create(Uri queueUrl, IReadOnlyDictionary<string, string?> environment, AWSCredentials credentials, TimeProvider time) =>
        Create(queueUrl, SqsEndpoint.Resolve(queueUrl, environment), credentials, time);

    private static SqsHttpSink Create(Uri queueUrl, AwsEndpoint endpoint, AWSCredentials credentials, TimeProvider time) =>
        new(AwsJsonClient.CreateHttpClient(RequestTimeout), ownsHttp: true, queueUrl, endpoint.Url, endpoint.Region, credentials, time);

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
            using var request = AwsJsonRequest.Create(AwsService.Sqs, _endpoint, Operation, body, keys, _time.GetUtcNow());
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
