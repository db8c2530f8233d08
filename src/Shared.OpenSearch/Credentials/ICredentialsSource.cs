namespace Shared.OpenSearch.Credentials;

/// <summary>Supplies the OpenSearch endpoint and login, cached.</summary>
public interface ICredentialsSource
{
    /// <summary>The cached credentials, read again when the cache has expired.</summary>
    ValueTask<OpenSearchCredentials> GetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads the credentials again at once, because <paramref name="rejected"/> got a 401 (the password was
    /// rotated). If another caller already refreshed them, returns those without another read.
    /// </summary>
    ValueTask<OpenSearchCredentials> RefreshAsync(OpenSearchCredentials rejected, CancellationToken cancellationToken);
}
