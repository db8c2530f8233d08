using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OpenSearchSetup.Connection;

namespace OpenSearchSetup.OpenSearch;

/// <summary>The few OpenSearch and Dashboards HTTP calls the setup makes, with basic authentication.</summary>
public sealed class OpenSearchApi(HttpClient http, OpenSearchConnection connection)
{
    private readonly AuthenticationHeaderValue _authorization = new(
        "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{connection.User}:{connection.Password}")));

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
        using (request)
        {
            request.Headers.Authorization = _authorization;
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new InvalidOperationException($"{request.Method} {request.RequestUri} was refused (401): check <prefix>/user and <prefix>/password.");
            }

            return new ApiResponse(response.StatusCode, body);
        }
    }
}
