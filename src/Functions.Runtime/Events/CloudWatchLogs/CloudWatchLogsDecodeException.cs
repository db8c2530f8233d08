namespace Functions.Runtime.Events.CloudWatchLogs;

/// <summary>
/// The <c>awslogs.data</c> of an event cannot be turned into a payload. The message says which step
/// failed (base64, gzip, size cap, JSON) so the operator who finds the event at the on-failure
/// destination knows what was wrong with it.
/// </summary>
public sealed class CloudWatchLogsDecodeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CloudWatchLogsDecodeException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public CloudWatchLogsDecodeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CloudWatchLogsDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
