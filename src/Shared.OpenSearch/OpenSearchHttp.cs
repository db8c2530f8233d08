using System.Net;
using Shared.OpenSearch.Credentials;

namespace Shared.OpenSearch;

/// <summary>The one HttpClient a function uses for OpenSearch, made during init and reused by every invocation.</summary>
public static class OpenSearchHttp
{
    /// <summary>
    /// Creates the client. TLS certificates are always validated (no override exists, on purpose);
    /// each request gets its own timeout from the invocation's deadline, so the client has none.
    /// </summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        // Re-resolve DNS now and then: a domain's blue/green update moves its nodes.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        AutomaticDecompression = DecompressionMethods.All,
        UseProxy = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>A request to <paramref name="path"/> on the domain; the caller authenticates it.</summary>
    public static HttpRequestMessage Request(HttpMethod method, OpenSearchCredentials credentials, string path, HttpContent? content)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return new HttpRequestMessage(method, new Uri(credentials.Endpoint, path)) { Content = content };
    }
}
