using System.Net;
using System.Net.Sockets;
using System.Text;
using Collector.Hosting;

namespace Collector.Tests.Hosting;

/// <summary>The collector's HTTP port as kubelet probes and Prometheus use it.</summary>
public sealed class HttpEndpointTests : IAsyncLifetime
{
    private HttpEndpoint _endpoint = null!;
    private HttpClient _http = null!;
    private int _calls;

    public Task InitializeAsync()
    {
        _endpoint = HttpEndpoint.Start(0, path =>
        {
            Interlocked.Increment(ref _calls);
            return path switch
            {
                "/ok" => HttpAnswer.Text("fine ✓"),
                "/down" => HttpAnswer.Text("the watch has made no progress", 503),
                _ => null,
            };
        });
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_endpoint.Port}/") };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _endpoint.DisposeAsync();
    }

    [Fact]
    public async Task Get_KnownPath_AnswersStatusTypeAndUtf8Body()
    {
        using var ok = await _http.GetAsync(new Uri("/ok?verbose=1", UriKind.Relative));
        using var down = await _http.GetAsync(new Uri("/down", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/plain", ok.Content.Headers.ContentType!.MediaType);
        Assert.Equal("fine ✓", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("the watch has made no progress", await down.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_UnknownPath_Is404AndOtherMethodsAre405()
    {
        using var missing = await _http.GetAsync(new Uri("/nope", UriKind.Relative));
        using var post = await _http.PostAsync(new Uri("/ok", UriKind.Relative), new StringContent("x"));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Contains("GET", post.Content.Headers.Allow);
    }

    [Fact]
    public async Task Head_AnswersHeadersWithoutBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri("/ok", UriKind.Relative));
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Garbage_Is400AndTheEndpointKeepsServing()
    {
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, _endpoint.Port);
            var stream = client.GetStream();
            await stream.WriteAsync("not http at all\r\n\r\n"u8.ToArray());
            var answer = await new StreamReader(stream, Encoding.ASCII).ReadToEndAsync();
            Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        }

        using var ok = await _http.GetAsync(new Uri("/ok", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task ClientsThatConnectAndSayNothing_DoNotBlockProbes()
    {
        var idle = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _endpoint.Port);
                idle.Add(client);
            }

            using var ok = await _http.GetAsync(new Uri("/ok", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task Dispose_ClosesThePort()
    {
        await _endpoint.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync(new Uri("/ok", UriKind.Relative)));
        _endpoint = HttpEndpoint.Start(0, _ => null);
    }

    [Fact]
    public void ParseRequestLine_TakesMethodAndPathWithoutQuery()
    {
        Assert.Equal(("GET", "/metrics"), HttpEndpoint.ParseRequestLine("GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"u8));
        Assert.Null(HttpEndpoint.ParseRequestLine("GET /metrics\r\n\r\n"u8));
        Assert.Null(HttpEndpoint.ParseRequestLine("GET metrics HTTP/1.1\r\n\r\n"u8));
    }
}
