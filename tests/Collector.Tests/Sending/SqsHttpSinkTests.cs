using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Collector.Packing;
using Collector.Sending;
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

    public void Dispose() => _sqs.Dispose();

    private SqsHttpSink Sink(Uri queueUrl, AWSCredentials? credentials = null) =>
        SqsHttpSink.Create(queueUrl, moto.Server.Environment.ToDictionary(e => e.Key, e => (string?)e.Value), credentials ?? MotoFixture.Credentials, TimeProvider.System);

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

        var error = await Assert.ThrowsAsync<SqsRequestException>(() => sink.SendBatchAsync([new Envelope("{}"u8.ToArray(), 1)], CancellationToken.None));

        Assert.Equal("QueueDoesNotExist", error.ErrorCode);
        Assert.Contains(missing.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS.SimpleQueueService.NonExistentQueue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendBatchAsync_RoleSessionCredentialsAndServerCheckingSignatures_Accepted()
    {
        var queueUrl = await CreateQueueAsync();
        var session = await AssumeRoleAsync();
        using var sink = Sink(queueUrl, session);

        IReadOnlyList<SendFailure> failures;
        await using (await EnableAuthenticationAsync())
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
        var session = (await AssumeRoleAsync()).GetCredentials();
        using var sink = Sink(queueUrl, new SessionAWSCredentials(session.AccessKey, "not-the-secret", session.Token));

        SqsRequestException error;
        await using (await EnableAuthenticationAsync())
        {
            error = await Assert.ThrowsAsync<SqsRequestException>(() => sink.SendBatchAsync([new Envelope("{}"u8.ToArray(), 1)], CancellationToken.None));
        }

        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Contains(queueUrl.ToString(), error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Makes moto check every request's signature and permissions until disposed. The server is shared by the
    /// collection, whose tests run one at a time, and authentication is always switched off again.
    /// </summary>
    private async Task<IAsyncDisposable> EnableAuthenticationAsync()
    {
        await ResetAuthAsync("0");
        return new Restore(() => ResetAuthAsync("inf"));
    }

    private async Task ResetAuthAsync(string initialNoAuthActionCount)
    {
        using var http = new HttpClient();
        using var content = new StringContent(initialNoAuthActionCount);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var response = await http.PostAsync(new Uri(moto.Server.Endpoint, "moto-api/reset-auth"), content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A role allowed to use SQS, and a session of it (ASIA key, secret, session token) from moto's STS.</summary>
    private async Task<AWSCredentials> AssumeRoleAsync()
    {
        var role = "sink-" + Guid.NewGuid().ToString("N")[..12];
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}""";
        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}""";
        var created = await QueryAsync("iam", "CreateRole", "2010-05-08", ("RoleName", role), ("AssumeRolePolicyDocument", trust));
        await QueryAsync("iam", "PutRolePolicy", "2010-05-08", ("RoleName", role), ("PolicyName", "sqs"), ("PolicyDocument", policy));
        var arn = created.Descendants().First(e => e.Name.LocalName == "Arn").Value;
        var session = await QueryAsync("sts", "AssumeRole", "2011-06-15", ("RoleArn", arn), ("RoleSessionName", "collector"));
        string Value(string name) => session.Descendants().First(e => e.Name.LocalName == name).Value;
        return new SessionAWSCredentials(Value("AccessKeyId"), Value("SecretAccessKey"), Value("SessionToken"));
    }

    /// <summary>An IAM or STS call in the query protocol; moto routes it by the service in the credential scope.</summary>
    private async Task<XDocument> QueryAsync(string service, string action, string version, params (string Name, string Value)[] parameters)
    {
        using var http = new HttpClient();
        using var content = new FormUrlEncodedContent([new("Action", action), new("Version", version), .. parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))]);
        using var request = new HttpRequestMessage(HttpMethod.Post, moto.Server.Endpoint) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential=testing/20250101/{MotoServer.Region}/{service}/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{service} {action}: {(int)response.StatusCode} {text}");
        return XDocument.Parse(text);
    }

    private sealed class Restore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }
}
