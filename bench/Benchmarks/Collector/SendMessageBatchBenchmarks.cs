using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Collector.Kubernetes;
using Collector.Packing;
using Collector.Sending;
using Shared.Aws;

namespace Benchmarks.Collector;

/// <summary>
/// One full SendMessageBatch of ten 64 KiB envelopes (realistic events, so many quotes to escape): writing the
/// request body alone (the shared <see cref="SqsSendMessageBatchWriter"/>), and the whole sink call through the shared
/// JSON-protocol client (body, SHA-256 payload hash, SigV4, HttpClient, answer read into the sink's buffer, result
/// parsing and MD5 checks by <see cref="SqsSendMessageBatchResult"/>) against an in-memory handler that answers at once. Bytes/s = envelope bytes / Mean;
/// Allocated is per call (docs/performance.md). <see cref="SendBatchWithAwsSdk"/> is the same call made the way
/// the collector made it before (AWSSDK.SQS v4: each body as a string, the SDK's request and response objects),
/// against the same handler, for comparison.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OneCore))]
public class SendMessageBatchBenchmarks : IDisposable
{
    private static readonly Uri QueueUrl = new("https://sqs.eu-west-1.amazonaws.com/123456789012/events");
    private static readonly string QueueUrlText = QueueUrl.ToString();

    private List<Envelope> _batch = null!;
    private List<SqsOutgoingMessage> _messages = null!;
    private SqsSendMessageBatchWriter _writer = null!;
    private AwsJsonClient _client = null!;
    private HttpClient _http = null!;
    private SqsHttpSink _sink = null!;
    private AmazonSQSClient _sdk = null!;

    [GlobalSetup]
    public void Setup()
    {
        var packer = new EnvelopePacker("bench", 64 * 1024);
        var envelopes = new List<Envelope>();
        var stream = WatchStreamSample.Lines(2_000).AsSpan();
        while (envelopes.Count < 11)
        {
            var end = stream.IndexOf((byte)'\n');
            packer.Add(EventJson.ParseWatchLine(stream[..end]).Event!, envelopes);
            stream = stream[(end + 1)..];
        }

        _batch = envelopes.Take(10).ToList();
        _messages = _batch.Select(e => new SqsOutgoingMessage(e.Body, 0, [])).ToList();
        _writer = new SqsSendMessageBatchWriter(new System.Buffers.ArrayBufferWriter<byte>(768 * 1024));
        _http = new HttpClient(new AcceptingHandler(_batch));
        _client = new AwsJsonClient(_http, AwsService.Sqs, new AwsEndpoint(new Uri("https://sqs.eu-west-1.amazonaws.com/"), "eu-west-1"), new BasicAWSCredentials("AKIDEXAMPLE", "secret"), TimeProvider.System);
        _sink = new SqsHttpSink(_client, QueueUrl);
        _sdk = new AmazonSQSClient(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), new AmazonSQSConfig
        {
            ServiceURL = "https://sqs.eu-west-1.amazonaws.com",
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = 0,
            HttpClientFactory = new FixedHttpClientFactory(new AcceptingHandler(_batch)),
        });
        Console.WriteLine($"// batch: {_batch.Count} envelopes, {_batch.Sum(e => e.Body.Length)} bytes; request body {_writer.Write(QueueUrl.ToString(), _messages).Length} bytes");
    }

    [Benchmark]
    public int WriteBody() => _writer.Write(QueueUrlText, _messages).Length;

    [Benchmark]
    public async Task<int> SendBatch() => (await _sink.SendBatchAsync(_batch, CancellationToken.None)).Count;

    [Benchmark]
    public async Task<int> SendBatchWithAwsSdk()
    {
        var request = new SendMessageBatchRequest { QueueUrl = QueueUrl.ToString(), Entries = new List<SendMessageBatchRequestEntry>(_batch.Count) };
        for (var i = 0; i < _batch.Count; i++)
        {
            request.Entries.Add(new SendMessageBatchRequestEntry { Id = i.ToString(CultureInfo.InvariantCulture), MessageBody = Encoding.UTF8.GetString(_batch[i].Body.Span) });
        }

        var response = await _sdk.SendMessageBatchAsync(request);
        return response.Failed?.Count ?? 0;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _sdk.Dispose();
        _sink.Dispose();
        _client.Dispose();
        _http.Dispose();
        _writer.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Answers every request with the same result: all ten accepted with their MD5s (computed once).</summary>
    private sealed class AcceptingHandler : HttpMessageHandler
    {
        private readonly byte[] _result;

        public AcceptingHandler(IReadOnlyList<Envelope> batch)
        {
#pragma warning disable CA5351 // SQS reports MD5OfMessageBody.
            var entries = batch.Select((e, i) => $"{{\"Id\":\"{i}\",\"MessageId\":\"{Guid.NewGuid()}\",\"MD5OfMessageBody\":\"{Convert.ToHexStringLower(MD5.HashData(e.Body.Span))}\"}}");
#pragma warning restore CA5351
            _result = Encoding.UTF8.GetBytes($"{{\"Successful\":[{string.Join(',', entries)}],\"Failed\":[]}}");
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(_result) });
    }

    private sealed class FixedHttpClientFactory(HttpMessageHandler handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);
    }

    private sealed class OneCore : ManualConfig
    {
        public OneCore() => AddJob(Job.Default.WithAffinity(1).WithWarmupCount(3).WithIterationCount(10));
    }
}
