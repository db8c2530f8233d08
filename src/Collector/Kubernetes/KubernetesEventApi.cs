using System.Globalization;
using System.Net.Http.Headers;

namespace Collector.Kubernetes;

/// <summary>
/// <see cref="IEventApi"/> over KubernetesClient's authenticated HttpClient (in-cluster service-account
/// token with rotation, or the kubeconfig's credentials). Requests are raw so that events stay the
/// API server's bytes; the typed models would re-serialize them.
/// </summary>
public sealed class KubernetesEventApi(k8s.Kubernetes client) : IEventApi
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    public async Task<EventListPage> ListAsync(string? @namespace, int limit, string? continueToken, CancellationToken cancellationToken)
    {
        var query = "?limit=" + limit.ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(continueToken))
        {
            query += "&continue=" + Uri.EscapeDataString(continueToken);
        }

        using var response = await SendAsync(PathOf(@namespace) + query, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return EventJson.ParseListPage(body);
    }

    public async Task<Stream> WatchAsync(string? @namespace, string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var query = "?watch=true&allowWatchBookmarks=true&resourceVersion=" + Uri.EscapeDataString(resourceVersion)
            + "&timeoutSeconds=" + ((int)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var response = await SendAsync(PathOf(@namespace) + query, cancellationToken).ConfigureAwait(false);
        try
        {
            return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static string PathOf(string? @namespace) =>
        @namespace is null ? "api/v1/events" : "api/v1/namespaces/" + Uri.EscapeDataString(@namespace) + "/events";

    private async Task<HttpResponseMessage> SendAsync(string relative, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, relative));
        request.Headers.Accept.Add(Json);
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        // Headers only: a watch body is an endless stream, read line by line by the caller.
        var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            throw new KubernetesApiException((int)response.StatusCode, EventJson.TryParseStatus(body));
        }
    }

    /// <summary>Disposes the response (and so the connection) with the stream.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
