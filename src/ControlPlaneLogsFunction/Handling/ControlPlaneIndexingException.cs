namespace ControlPlaneLogsFunction.Handling;

/// <summary>
/// Some documents are still not stored after retries and the plain-form fallback. Throwing it fails the
/// invocation, so Lambda retries the event and in the end hands it to the on-failure destination; the
/// message says how many documents and why, with OpenSearch's own reason.
/// </summary>
public sealed class ControlPlaneIndexingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ControlPlaneIndexingException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ControlPlaneIndexingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ControlPlaneIndexingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
