using System.Globalization;
using System.Net;
using System.Text;
using Functions.Runtime.Tests.Doubles;
using TestSupport;

namespace Functions.Runtime.Tests;

/// <summary>
/// The Runtime API client against a server that writes its answers byte by byte: any HTTP/1.1 framing,
/// delivered in pieces, malformed, refused, or cut off. What a user would notice is an event read wrong,
/// a response posted twice or never, or a process stuck on a call that cannot end.
/// </summary>
public sealed class RuntimeApiWireTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    public static TheoryData<int> Seeds => PropertySeeds.First(30);

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Calls_AnswersInAnyFramingAndPieces_EventsReadWholeResponsesPostedOnce(int seed)
    {
        var random = new Random(seed);
        var plans = Enumerable.Range(0, 4).Select(i => Plan.Random(random, $"req-{seed}-{i}")).ToArray();
        var answered = 0;
        await using var server = ScriptedHttpServer.Answering(async (request, connection) =>
        {
            if (request.Method == "GET")
            {
                var plan = plans[answered++];
                await connection.WriteAsync(plan.Answer, plan.Piece);
                if (plan.ServerCloses)
                {
                    connection.Close();
                }
            }
            else
            {
                await connection.WriteAsync(Accepted, random.Next(1, 40));
            }
        });
        using var client = new HttpRuntimeApiClient(server.HostAndPort, "fn", TimeProvider.System);

        foreach (var plan in plans)
        {
            var invocation = await Task.Run(() => client.GetNextInvocationAsync(CancellationToken.None)).WaitAsync(Guard);

            Assert.True(plan.Payload.AsSpan().SequenceEqual(invocation.Payload.Span), $"{plan}: the event was read as {invocation.Payload.Length} bytes that differ");
            Assert.Equal(plan.RequestId, invocation.Context.AwsRequestId);
            Assert.Equal(plan.TraceId, invocation.Context.TraceId);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(plan.DeadlineMs), invocation.Context.Deadline);
            await Task.Run(() => client.SendResponseAsync(plan.RequestId, Encoding.UTF8.GetBytes($"{{\"for\":\"{plan.RequestId}\"}}"), CancellationToken.None)).WaitAsync(Guard);
        }

        var posts = server.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(plans.Select(p => $"/2018-06-01/runtime/invocation/{p.RequestId}/response"), posts.Select(p => p.Target));
        Assert.Equal(plans.Select(p => $"{{\"for\":\"{p.RequestId}\"}}"), posts.Select(p => Encoding.UTF8.GetString(p.Body)));
        Assert.All(posts, p => Assert.Equal("application/json", p.Headers["Content-Type"]));
        // A connection is kept for the next call exactly when the answer allowed it.
        Assert.Equal(1 + plans.Count(p => p.ServerCloses), server.Connections);
    }

    [Fact]
    public async Task SendResponseAsync_ServerClosedTheKeptAliveConnection_SentOnceOnANewOne()
    {
        await using var server = ScriptedHttpServer.Answering(async (request, connection) =>
        {
            if (request.Method == "GET")
            {
                // A keep-alive answer, then the server drops the connection anyway (an idle timeout).
                await connection.WriteAsync(new Plan("req-1", "{}"u8.ToArray(), Framing.ContentLength).Answer);
                connection.Close();
            }
            else
            {
                await connection.WriteAsync(Accepted);
            }
        });
        using var client = new HttpRuntimeApiClient(server.HostAndPort, "fn", TimeProvider.System);
        await Task.Run(() => client.GetNextInvocationAsync(CancellationToken.None)).WaitAsync(Guard);

        await Task.Run(() => client.SendResponseAsync("req-1", "{\"ok\":1}"u8.ToArray(), CancellationToken.None)).WaitAsync(Guard);

        var post = Assert.Single(server.Requests, r => r.Method == "POST");
        Assert.Equal(2, post.Connection);
        Assert.Equal("{\"ok\":1}", Encoding.UTF8.GetString(post.Body));
    }

    [Fact]
    public async Task SendResponseAsync_AnswerCutAfterItsHead_FailsWithoutPostingAgain()
    {
        // The API read the response (it answered), so sending it again would post it twice.
        await using var server = ScriptedHttpServer.Answering(async (request, connection) =>
        {
            if (request.Method == "GET")
            {
                await connection.WriteAsync(new Plan("req-1", "{}"u8.ToArray(), Framing.ContentLength).Answer);
            }
            else
            {
                await connection.WriteAsync("HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"sta");
                connection.Close();
            }
        });
        using var client = new HttpRuntimeApiClient(server.HostAndPort, "fn", TimeProvider.System);
        await Task.Run(() => client.GetNextInvocationAsync(CancellationToken.None)).WaitAsync(Guard);

        var error = await Assert.ThrowsAsync<IOException>(() => Task.Run(() => client.SendResponseAsync("req-1", "{}"u8.ToArray(), CancellationToken.None)).WaitAsync(Guard));

        Assert.Contains("after 5 of 16 announced bytes", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task SendResponseAsync_ApiRefusesTheResponse_SaysStatusAndTheApisMessage_ConnectionStillServes()
    {
        const string tooLarge = "{\"errorMessage\":\"Exceeded maximum allowed payload size (6291556 bytes).\",\"errorType\":\"RequestEntityTooLarge\"}";
        var nexts = 0;
        await using var server = ScriptedHttpServer.Answering(async (request, connection) =>
        {
            if (request.Method == "GET")
            {
                await connection.WriteAsync(new Plan($"req-{++nexts}", "{}"u8.ToArray(), Framing.ContentLength).Answer);
            }
            else if (request.Target.Contains("req-1", StringComparison.Ordinal))
            {
                await connection.WriteAsync($"HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: application/json\r\nContent-Length: {tooLarge.Length}\r\n\r\n{tooLarge}");
            }
            else
            {
                await connection.WriteAsync(Accepted);
            }
        });
        using var client = new HttpRuntimeApiClient(server.HostAndPort, "fn", TimeProvider.System);
        await Task.Run(() => client.GetNextInvocationAsync(CancellationToken.None)).WaitAsync(Guard);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Task.Run(() => client.SendResponseAsync("req-1", new byte[7_000_000], CancellationToken.None)).WaitAsync(Guard));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.StatusCode);
        Assert.Contains("413 Request Entity Too Large", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequestEntityTooLarge", error.Message, StringComparison.Ordinal);
        Assert.Contains("POST runtime/invocation/req-1/response", error.Message, StringComparison.Ordinal);
        var next = await Task.Run(() => client.GetNextInvocationAsync(CancellationToken.None)).WaitAsync(Guard);
        Assert.Equal("req-2", next.Context.AwsRequestId);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task GetNextInvocationAsync_CancelledWhileWaiting_EndsWithOperationCanceled_NextCallServed()
    {
        await using var server = new ScriptedHttpServer(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                if (connection.Number == 1)
                {
                    await connection.HangAsync(); // no event yet: `next` waits
                }

                await connection.WriteAsync(new Plan("req-2", "{}"u8.ToArray(), Framing.ContentLength).Answer);
            }
        });
        using var client = new HttpRuntimeApiClient(server.HostAndPort, "fn", TimeProvider.System);
        using var cancellation = new CancellationTokenSource();
        var waiting = Task.Run(() => client.GetNextInvocationAsync(cancellation.Token));
        while (server.Requests.IsEmpty)
        {
            await Task.Delay(10);
        }

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Guard));
        var next = await Task.Run(() => client.GetNextInvocationAsync(CancellationToken.None)).WaitAsync(Guard);
        Assert.Equal("req-2", next.Context.AwsRequestId);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "SSH-2.0-OpenSSH_9.6\r\n\r\n", "'SSH-2.0-OpenSSH_9.6', not an HTTP/1.x status line" },
        { "HTTP/1.1 200 OK\r\nX-Padding: " + new string('a', 70_000) + "\r\n\r\n", "a response head longer than 65536 bytes" },
        { "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r\r\nContent-Length: 100\r\n\r\n0123456789", "after 10 of 100 announced bytes" },
        { "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size 'zz'" },
        { "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123", "in the middle of a chunk" },
        { "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n0123\r\n0\r\n\r\n", "a chunk longer than its size" },
        { "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id r\r\n\r\n", "not 'name: value'" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", "Content-Length '3', which is not one length" },
        { "HTTP/1.1 200 OK\r\nContent-Le", "closed the connection in the middle of a response head" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task GetNextInvocationAsync_MalformedAnswer_SaysWhatIsWrong_NextCallOnANewConnection(string answer, string expected)
    {
        await using var server = new ScriptedHttpServer(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                if (connection.Number == 1)
                {
                    await connection.WriteAsync(answer);
                    connection.Close();
                    return;
                }

                await connection.WriteAsync(new Plan("req-2", "{}"u8.ToArray(), Framing.ContentLength).Answer);
            }
        });
        using var client = new HttpRuntimeApiClient(server.HostAndPort, "fn", TimeProvider.System);

        var error = await Assert.ThrowsAsync<IOException>(() => Task.Run(() => client.GetNextInvocationAsync(CancellationToken.None)).WaitAsync(Guard));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        var next = await Task.Run(() => client.GetNextInvocationAsync(CancellationToken.None)).WaitAsync(Guard);
        Assert.Equal("req-2", next.Context.AwsRequestId);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task ReportInvocationErrorAsync_ErrorTypeWithLineBreaks_StaysOneHeaderValue()
    {
        await using var server = ScriptedHttpServer.Answering((_, connection) => connection.WriteAsync(Accepted));
        using var client = new HttpRuntimeApiClient(server.HostAndPort, "fn", TimeProvider.System);

        await Task.Run(() => client.ReportInvocationErrorAsync("req-1", new LambdaError { ErrorMessage = "m", ErrorType = "Bad\r\nX-Injected: 1" }, CancellationToken.None)).WaitAsync(Guard);

        var post = Assert.Single(server.Requests);
        Assert.Equal("Bad??X-Injected: 1", post.Headers["Lambda-Runtime-Function-Error-Type"]);
        Assert.False(post.Headers.ContainsKey("X-Injected"));
        Assert.Equal("application/vnd.aws.lambda.error+json", post.Headers["Content-Type"]);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:")]
    public async Task GetNextInvocationAsync_RuntimeApiNotHostAndPort_NamesTheVariableAndValue(string value)
    {
        using var client = new HttpRuntimeApiClient(value, "fn", TimeProvider.System);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetNextInvocationAsync(CancellationToken.None));

        Assert.Contains($"AWS_LAMBDA_RUNTIME_API is '{value}', not host:port", error.Message, StringComparison.Ordinal);
    }

    private static string Accepted => "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nDate: Wed, 02 Dec 2026 08:00:00 GMT\r\nContent-Length: 15\r\n\r\n{\"status\":\"OK\"}";

    private enum Framing
    {
        ContentLength,
        Chunked,
        UntilClose,
        ConnectionClose,
        Http10,
    }

    /// <summary>One `next` answer: the event, how it is framed, how it is cut into sends.</summary>
    private sealed record Plan(string RequestId, byte[] Payload, Framing Framing, int Piece = int.MaxValue, bool Lowercase = false, int ChunkSize = 4096, bool Extras = false)
    {
        public string TraceId => $"Root=1-{RequestId};Sampled=1";

        public long DeadlineMs => 1_796_198_400_000 + Payload.Length;

        public bool ServerCloses => Framing is Framing.UntilClose or Framing.ConnectionClose or Framing.Http10;

        public byte[] Answer
        {
            get
            {
                var head = new StringBuilder(Framing == Framing.Http10 ? "HTTP/1.0 200 OK\r\n" : "HTTP/1.1 200 OK\r\n");
                void Field(string name, string value) => head.Append(CultureInfo.InvariantCulture, $"{(Lowercase ? name.ToLowerInvariant() : name)}: {value}\r\n");
                Field("Content-Type", "application/json");
                Field("Lambda-Runtime-Aws-Request-Id", RequestId);
                Field("Lambda-Runtime-Deadline-Ms", DeadlineMs.ToString(CultureInfo.InvariantCulture));
                Field("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:fn");
                Field("Lambda-Runtime-Trace-Id", TraceId);
                switch (Framing)
                {
                    case Framing.ContentLength or Framing.Http10:
                        Field("Content-Length", Payload.Length.ToString(CultureInfo.InvariantCulture));
                        break;
                    case Framing.ConnectionClose:
                        Field("Content-Length", Payload.Length.ToString(CultureInfo.InvariantCulture));
                        Field("Connection", "close");
                        break;
                    case Framing.Chunked:
                        Field("Transfer-Encoding", "chunked");
                        break;
                }

                head.Append("\r\n");
                var bytes = new List<byte>(Encoding.ASCII.GetBytes(head.ToString()));
                if (Framing != Framing.Chunked)
                {
                    bytes.AddRange(Payload);
                    return [.. bytes];
                }

                for (var at = 0; at < Payload.Length; at += ChunkSize)
                {
                    var size = Math.Min(ChunkSize, Payload.Length - at);
                    bytes.AddRange(Encoding.ASCII.GetBytes(size.ToString(Extras ? "X" : "x", CultureInfo.InvariantCulture) + (Extras ? ";name=value\r\n" : "\r\n")));
                    bytes.AddRange(Payload.AsSpan(at, size).ToArray());
                    bytes.AddRange("\r\n"u8.ToArray());
                }

                bytes.AddRange(Encoding.ASCII.GetBytes(Extras ? "0\r\nX-Trailer: t\r\n\r\n" : "0\r\n\r\n"));
                return [.. bytes];
            }
        }

        public static Plan Random(Random random, string requestId)
        {
            int[] sizes = [0, 1, 17, 8_191, 8_192, 8_193, 65_536, random.Next(0, 300_000)];
            var payload = new byte[sizes[random.Next(sizes.Length)]];
            random.NextBytes(payload);
            var framing = (Framing)random.Next(5);
            int[] pieces = [1, 7, 100, 1_460, 65_536, int.MaxValue];
            // At most about 60 sends per answer, each but the last followed by a 1 ms pause.
            var piece = Math.Max(pieces[random.Next(pieces.Length)], (payload.Length / 60) + 1);
            return new Plan(requestId, payload, framing, piece, random.Next(2) == 0, random.Next(1, 20_000), random.Next(2) == 0);
        }

        public override string ToString() => $"{RequestId}: {Payload.Length} bytes, {Framing}, sends of {Piece}, lowercase {Lowercase}, chunks of {ChunkSize}";
    }
}
