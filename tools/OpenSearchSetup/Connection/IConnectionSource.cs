namespace OpenSearchSetup.Connection;

/// <summary>Where the setup learns the domain endpoint and credentials.</summary>
public interface IConnectionSource
{
    /// <summary>Reads the connection.</summary>
    Task<OpenSearchConnection> GetAsync(CancellationToken cancellationToken);
}
