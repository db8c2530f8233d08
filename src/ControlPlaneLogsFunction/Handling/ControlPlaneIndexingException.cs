using Shared.OpenSearch.Failures;

namespace ControlPlaneLogsFunction.Handling;

/// <summary>
/// Some documents are still not stored after retries and the plain-form fallback. Invoked by CloudWatch Logs,
/// throwing it fails the invocation, so Lambda retries the event and in the end hands it to the on-failure
/// destination; the message says how many documents and why, with OpenSearch's own reason. <see cref="Kind"/>
/// says whether waiting can help (the domain was down or busy) or not (OpenSearch refused a plain form).
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

    /// <summary>Creates the exception for failures of the given kind.</summary>
    public ControlPlaneIndexingException(string message, FailureKind kind)
        : base(message)
    {
        Kind = kind;
    }

    /// <summary>Transient when every document left unstored can still be stored later; permanent otherwise.</summary>
    public FailureKind Kind { get; } = FailureKind.Transient;
}
