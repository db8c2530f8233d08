namespace DomainSetup.OpenSearch;

/// <summary>
/// OpenSearch answered 401: the user or password parameter is wrong (or, with SigV4, the caller is not
/// allowed). No step can succeed with these credentials, so the setup stops; the message says which
/// parameters to check and never carries the password.
/// </summary>
public sealed class CredentialsRefusedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public CredentialsRefusedException()
        : base("OpenSearch refused the credentials (401).")
    {
    }

    /// <summary>Creates the exception.</summary>
    public CredentialsRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CredentialsRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
