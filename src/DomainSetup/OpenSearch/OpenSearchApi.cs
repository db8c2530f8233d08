using System.Net;
using System.Text;
using Shared.OpenSearch;
using Shared.OpenSearch.Credentials;

namespace DomainSetup.OpenSearch;

/// <summary>The few OpenSearch and Dashboards HTTP calls the setup makes, authenticated as the functions are (basic or SigV4).</summary>
public sealed class OpenSearchApi(HttpClient http, OpenSearchCredentials connection, IRequestAuthenticator authenticator)
{
    /// <summary>The domain endpoint.</summary>
    public Uri Endpoint => connection.Endpoint;

    /// <summary>Sends a request with a JSON body (or none) to a path of the domain.</summary>
    public Task<ApiResponse> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(method, new Uri(connection.Endpoint, path))
        {
            Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
        }, cancellationToken);

    /// <summary>Sends a prepared request with the credentials added.</summary>
    public async Task<ApiResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using (request)
        {
            // SigV4 signs the exact body bytes, so the body is fixed before signing (a multipart import too).
            var body = ReadOnlyMemory<byte>.Empty;
            if (request.Content is { } content)
            {
                body = await content.ReadAsByteArrayAsync(cancellationToken);
                var fixedContent = new ReadOnlyMemoryContent(body);
                foreach (var header in content.Headers)
                {
                    fixedContent.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                request.Content = fixedContent;
            }

            await authenticator.AuthenticateAsync(request, connection, body, cancellationToken);
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new CredentialsRefusedException($"{request.Method} {request.RequestUri} was refused (401): check <prefix>/user and <prefix>/password.");
            }

            return new ApiResponse(response.StatusCode, text);
        }
    }
}
