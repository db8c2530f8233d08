using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Collector.Packing;
using Collector.Sending;
using Shared.Aws;
using Shared.Contract.Settings;
using TestSupport.Moto;

namespace Collector.Tests.Sending;

/// <summary>
/// The SQS sink against moto_server, which speaks SQS's JSON protocol as AWSSDK.SQS v4 does; messages are
/// read back with AWSSDK.SQS. With IAM authentication switched on, moto checks each SigV4 signature by
/// computing it with botocore, so the signing tests are checked by an independent implementation.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class SqsHttpSinkTests(MotoFixture moto) : IDisposable
{
    private readonly AmazonSQSClient _sqs = moto.CreateSqsClient();
    private readonly MotoAuthentication _authentication = new(moto.Server);

    public void Dispose() => _sqs.Dispose();

    private SqsHttpSink Sink(Uri queueUrl, AWSCredentials? credentials = null) =>
        SqsHttpSink.Create(queueUrl, new DictionaryEnvironmentVariables(moto.Server.Environment), credentials ?? MotoFixture.Credentials, TimeProvider.System);

    private async Task<Uri> CreateQueueAsync() =>
        new((await _sqs.CreateQueueAsync("sink-" + Guid.NewGuid().ToString("N"))).QueueUrl);

    /// <summary>
    /// A 64 KiB body with everything that needs care on the way: quotes, backslashes, the control characters
    /// SQS allows (tab, line feed, carriage return), JSON escapes as text, HTML-sensitive characters,
    /// non-ASCII letters, and emoji outside the Basic Multilingual Plane.
    /// </summary>
    private static byte[] HardBody(int index)
    {
        const int Size = 64 * 1024;
        var unit = "{\"message\":\"a \\\"quoted\\\" C:\\\\path\\\\ \t tab \n newline \r\n crlf \\u0007 </script> & ' + é ß Ж 日本語 😀🚀👩‍👩‍👧\"}";
        var text = new StringBuilder(index.ToString("D2", CultureInfo.InvariantCulture)).Append('|');
        while (Encoding.UTF8.GetByteCount(text.ToString()) + Encoding.UTF8.GetByteCount(unit) <= Size)
        {
            text.Append(unit);
        }

        text.Append('x', Size - Encoding.UTF8.GetByteCount(text.ToString()));
        var body = Encoding.UTF8.GetBytes(text.ToString());
        Assert.Equal(Size, body.Length);
        return body;
    }

    [Fact]
    public async Task SendBatchAsync_TenLargeBodiesWithEscapesAndNonAscii_AllAcceptedAndArriveByteExact()
    {
        var queueUrl = await CreateQueueAsync();
        using var sink = Sink(queueUrl);
        var bodies = Enumerable.Range(0, 10).Select(HardBody).ToList();

        var failures = await sink.SendBatchAsync(bodies.Select(b => new Envelope(b, 1)).ToList(), CancellationToken.None);

        Assert.Empty(failures);
        var received = new List<byte[]>();
        for (var attempt = 0; attempt < 20 && received.Count < bodies.Count; attempt++)
        {
            var response = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl.ToString(), MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
            received.AddRange((response.Messages ?? []).Select(m => Encoding.UTF8.GetBytes(m.Body)));
        }

        Assert.Equal(bodies.Count, received.Count);
        foreach (var body in bodies)
        {
            Assert.Contains(received, r => r.AsSpan().SequenceEqual(body));
        }
    }

    [Fact]
    public async Task SendBatchAsync_QueueDoesNotExist_ThrowsNamingTheQueueAndTheError()
    {
        var missing = new Uri(moto.Server.Endpoint, MotoServer.AccountId + "/no-such-queue-" + Guid.NewGuid().ToString("N")[..8]);
        using var sink = Sink(missing);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => sink.SendBatchAsync([new Envelope("{}"u8.ToArray(), 1)], CancellationToken.None));

        Assert.Equal("QueueDoesNotExist", error.ErrorCode);
        Assert.Contains(missing.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS.SimpleQueueService.NonExistentQueue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendBatchAsync_RoleSessionCredentialsAndServerCheckingSignatures_Accepted()
    {
        var queueUrl = await CreateQueueAsync();
        var session = await _authentication.AssumeRoleAsync("sqs:*");
        using var sink = Sink(queueUrl, session);

        IReadOnlyList<SendFailure> failures;
        await using (await _authentication.EnableAsync())
        {
            failures = await sink.SendBatchAsync([new Envelope(HardBody(0), 1), new Envelope("{\"n\":1}"u8.ToArray(), 1)], CancellationToken.None);
        }

        Assert.Empty(failures);
        var response = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl.ToString(), MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
        Assert.NotEmpty(response.Messages ?? []);
    }

    [Fact]
    public async Task SendBatchAsync_WrongSecretKey_ThrowsSignatureDoesNotMatch()
    {
        var queueUrl = await CreateQueueAsync();
        var session = (await _authentication.AssumeRoleAsync("sqs:*")).GetCredentials();
        using var sink = Sink(queueUrl, new SessionAWSCredentials(session.AccessKey, "not-the-secret", session.Token));

        AwsServiceException error;
        await using (await _authentication.EnableAsync())
        {
            error = await Assert.ThrowsAsync<AwsServiceException>(() => sink.SendBatchAsync([new Envelope("{}"u8.ToArray(), 1)], CancellationToken.None));
        }

        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Contains(queueUrl.ToString(), error.Message, StringComparison.Ordinal);
    }
}
