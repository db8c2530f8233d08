using Shared.OpenSearch.Credentials;

namespace TestSupport.OpenSearch;

/// <summary>
/// Credentials for an <see cref="OpenSearchDouble"/>, standing in for SSM in unit tests: <see cref="StoredPassword"/>
/// is what "the parameter" holds now, so a test can rotate the password on the domain and in the store
/// separately and watch the writer pick it up on a 401.
/// </summary>
public sealed class DoubleCredentialsSource(OpenSearchDouble domain) : ICredentialsSource
{
    private OpenSearchCredentials? _current;

    /// <summary>The password the parameter store would return now.</summary>
    public string StoredPassword { get; set; } = domain.Password;

    /// <summary>How many times the store was read.</summary>
    public int Reads { get; private set; }

    /// <inheritdoc />
    public ValueTask<OpenSearchCredentials> GetAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(_current ??= Read());

    /// <inheritdoc />
    public ValueTask<OpenSearchCredentials> RefreshAsync(OpenSearchCredentials rejected, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_current = ReferenceEquals(_current, rejected) || _current is null ? Read() : _current);

    private OpenSearchCredentials Read()
    {
        Reads++;
        return new OpenSearchCredentials(domain.Endpoint, domain.User, StoredPassword);
    }
}
