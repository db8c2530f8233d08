using System.Buffers;
using Amazon.Runtime;
using Collector.Packing;
using Collector.Settings;
using Shared.Aws;
using Shared.Contract.Settings;

namespace Collector.Sending;

/// <summary>
/// Sends envelopes with one SQS <c>SendMessageBatch</c> per call through the shared JSON-protocol client
/// (<see cref="AwsJsonClient"/>, the same path the functions use for SSM and SQS): the request body is written by
/// <see cref="SqsSendMessageBatchWriter"/> into one reused buffer, the answer is read into another and checked by
/// <see cref="SqsSendMessageBatchResult"/> (MD5 of each body) without building objects. Entry ids are the batch
/// indexes, so a partial failure maps straight back to the envelopes to retry.
/// </summary>
/// <remarks>
/// Errors are thrown, never retried here: the <see cref="EnvelopeSender"/> owns retries and backoff, so a
/// throttled, failing or missing queue (an <see cref="AwsServiceException"/> with SQS's code), a timeout, or
/// expired credentials (the next attempt asks the chain again) all end up as one logged, counted, retried send.
/// Calls are serialised by a lock because the buffers are shared; the sender sends one batch at a time anyway.
/// </remarks>
public sealed class SqsHttpSink : IEnvelopeSink, IDisposable
{
    private const string Operation = "SendMessageBatch";

    // Ten 64 KiB envelopes plus their escaping (every quote in an envelope becomes \").
    private const int RequestCapacity = 768 * 1024;

    /// <summary>How long one request may take before it counts as failed (and is retried by the sender).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly AwsJsonClient _sqs;
    private readonly bool _ownsClient;
    private readonly string _queueUrl;
    private readonly SqsSendMessageBatchWriter _request = new(new ArrayBufferWriter<byte>(RequestCapacity));
    private readonly ArrayBufferWriter<byte> _answer = new(4096);
    private readonly List<SqsOutgoingMessage> _messages = new(SqsSendMessageBatchWriter.MaxEntries);
    private readonly SqsSendOutcome[] _outcomes = new SqsSendOutcome[SqsSendMessageBatchWriter.MaxEntries];
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>A sink over a given SQS client (tests, benchmarks). The caller keeps ownership of <paramref name="sqs"/>.</summary>
    /// <param name="sqs">An SQS client: its endpoint, region, credentials, clock and HttpClient (timeout) apply.</param>
    /// <param name="queueUrl">The queue, as <c>QueueUrl</c> in each request.</param>
    public SqsHttpSink(AwsJsonClient sqs, Uri queueUrl)
        : this(sqs, ownsClient: false, queueUrl)
    {
    }

    private SqsHttpSink(AwsJsonClient sqs, bool ownsClient, Uri queueUrl)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        ArgumentNullException.ThrowIfNull(queueUrl);
        if (sqs.Service != AwsService.Sqs)
        {
            throw new ArgumentException($"The client calls {sqs.Service}, not SQS.", nameof(sqs));
        }

        _sqs = sqs;
        _ownsClient = ownsClient;
        _queueUrl = queueUrl.ToString();
    }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint => _sqs.Endpoint.Url;

    /// <summary>The signing region.</summary>
    public string Region => _sqs.Endpoint.Region;

    /// <summary>
    /// The collector's sink: endpoint and region from the process environment, credentials from the AWS SDK's
    /// default chain, its own HttpClient.
    /// </summary>
    /// <exception cref="ConfigurationException">The region cannot be told, or an endpoint variable is not a URL.</exception>
    public static SqsHttpSink Create(Uri queueUrl) =>
        Create(queueUrl, ProcessEnvironmentVariables.Instance, new DefaultChainCredentials(), TimeProvider.System);

    /// <summary>
    /// As <see cref="Create(Uri)"/>, with the environment, credentials and clock given. The endpoint and region are
    /// resolved as the AWS SDKs do (<see cref="AwsEndpoint.Resolve"/>), the queue URL's host giving the region when
    /// neither <c>AWS_REGION</c> nor <c>AWS_DEFAULT_REGION</c> does (<see cref="SqsQueueUrl.RegionOf"/>).
    /// </summary>
    /// <exception cref="ConfigurationException">The region cannot be told, or an endpoint variable is not a URL.</exception>
    public static SqsHttpSink Create(Uri queueUrl, IEnvironmentVariables environment, AWSCredentials credentials, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(queueUrl);
        AwsEndpoint endpoint;
        try
        {
            endpoint = AwsEndpoint.Resolve(AwsService.Sqs, environment, SqsQueueUrl.RegionOf(queueUrl.Host));
        }
        catch (ConfigurationException ex) when (ex.Setting is EnvironmentVariableNames.Region)
        {
            throw new ConfigurationException(EnvironmentVariables.AwsRegion, $"{EnvironmentVariables.AwsRegion} is required: the region cannot be told from {EnvironmentVariables.QueueUrl} '{queueUrl}' (its host is not sqs.<region>.amazonaws.com).");
        }

        return new SqsHttpSink(AwsJsonClient.Create(AwsService.Sqs, endpoint, credentials, time, RequestTimeout), ownsClient: true, queueUrl);
    }

    /// <inheritdoc />
    /// <exception cref="AwsServiceException">SQS answered with an error (its code in <see cref="AwsServiceException.ErrorCode"/>), or with something that is not its answer.</exception>
    public async Task<IReadOnlyList<SendFailure>> SendBatchAsync(IReadOnlyList<Envelope> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return [];
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _messages.Clear();
            foreach (var envelope in batch)
            {
                _messages.Add(new SqsOutgoingMessage(envelope.Body, 0, []));
            }

            var body = _request.Write(_queueUrl, _messages);
            return await _sqs.InvokeAsync(Operation, _queueUrl, body, _answer, this, static (json, sink) => sink.ReadResult(json), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _request.Dispose();
        _lock.Dispose();
        if (_ownsClient)
        {
            _sqs.Dispose();
        }
    }

    private IReadOnlyList<SendFailure> ReadResult(ReadOnlySpan<byte> json)
    {
        // The message ids are not needed here (each would be a string); the MD5 checks are.
        SqsSendMessageBatchResult.Read(json, _messages, _outcomes, readMessageIds: false);
        List<SendFailure>? failures = null;
        for (var i = 0; i < _messages.Count; i++)
        {
            if (!_outcomes[i].Accepted)
            {
                (failures ??= []).Add(new SendFailure(i, _outcomes[i].Code ?? "", _outcomes[i].Message ?? ""));
            }
        }

        return failures ?? (IReadOnlyList<SendFailure>)[];
    }
}
