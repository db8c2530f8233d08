using Shared.OpenSearch.Credentials;

namespace Shared.OpenSearch;

/// <summary>How a request to OpenSearch proves who sends it: basic authentication or AWS Signature Version 4.</summary>
public interface IRequestAuthenticator
{
    /// <summary>True when the domain login (user and password parameters) is needed; SigV4 needs only the host.</summary>
    bool NeedsLogin { get; }

    /// <summary>Adds the authentication headers to a request whose body is exactly <paramref name="body"/>.</summary>
    ValueTask AuthenticateAsync(HttpRequestMessage request, OpenSearchCredentials login, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}
