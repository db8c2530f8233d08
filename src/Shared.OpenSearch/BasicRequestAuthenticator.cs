using System.Net.Http.Headers;
using System.Text;
using Shared.OpenSearch.Credentials;

namespace Shared.OpenSearch;

/// <summary>HTTP basic authentication with the user and password from SSM (fine-grained access control's internal users).</summary>
public sealed class BasicRequestAuthenticator : IRequestAuthenticator
{
    /// <summary>The one instance.</summary>
    public static BasicRequestAuthenticator Instance { get; } = new();

    /// <inheritdoc />
    public bool NeedsLogin => true;

    /// <inheritdoc />
    public ValueTask AuthenticateAsync(HttpRequestMessage request, OpenSearchCredentials login, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(login);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(login.User + ":" + login.Password)));
        return ValueTask.CompletedTask;
    }
}
