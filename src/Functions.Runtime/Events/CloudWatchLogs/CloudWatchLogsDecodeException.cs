namespace Functions.Runtime.Events.CloudWatchLogs;

/// <summary>
/// The <c>awslogs.data</c> of an event cannot be turned into a payload. The message says which step
/// failed (base64, gzip, size cap, JSON) so the operator who finds the event at the on-failure
/// destination knows what was wrong with it.
/// </summary>
public sealed class CloudWatchLogsDecodeException : Exception
{
    /// <summary>For serializers and frameworks only: does not say which decoding step failed.</summary>
    public CloudWatchLogsDecodeException()
    {
    }

    /// <summary>A decoding step refused the data; <paramref name="message"/> names the step (e.g. the size cap) and the limit.</summary>
    public CloudWatchLogsDecodeException(string message)
        : base(message)
    {
    }

    /// <summary>A decoding step threw <paramref name="innerException"/> (a bad base64, gzip or JSON); <paramref name="message"/> names the step.</summary>
    public CloudWatchLogsDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
